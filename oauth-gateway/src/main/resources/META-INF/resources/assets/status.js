// Polls GET /status (JSON, same origin, the session cookie) while a first sync still waits to be handed to the
// sync worker or runs there, and replaces each target's sentence (its progress, then "Synced at ..."): every 2 s
// for the first minute, then every 10 s for an hour (a large store's first sync takes that long). textContent only:
// nothing from the answer becomes markup.
(function () {
  'use strict';
  var poll = document.getElementById('poll');
  if (!poll || poll.dataset.settled === 'true') {
    return;
  }
  var quick = 30;
  var left = 30 + 360;
  function show(target, text) {
    document.querySelectorAll('.sync').forEach(function (el) {
      if (el.dataset.target === target) {
        el.textContent = text;
      }
    });
  }
  function refresh() {
    if (left-- <= 0) {
      return;
    }
    fetch('/status', { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (status) {
        status.shops.forEach(function (s) { show('shop:' + s.shop, s.first_sync.text); });
        status.pages.forEach(function (p) { show('page:' + p.id, p.first_sync.text); });
        poll.dataset.settled = String(status.settled);
        if (!status.settled) {
          setTimeout(refresh, quick-- > 0 ? 2000 : 10000);
        }
      })
      .catch(function () { setTimeout(refresh, 5000); });
  }
  setTimeout(refresh, 1000);
}());
