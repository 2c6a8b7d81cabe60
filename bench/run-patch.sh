#!/usr/bin/env bash
# Issue #14's benchmark: what one product change costs once a store is synced (PatchBench, src/PatchBench.java).
# A 10,000-product store (3 variants, 2 locations) at standard-plan limits (bucket 1,000, 100 points/s),
# installed through OAuth; after its first sync: 20 single products/update changes, one at a time
# (change -> shop_products.json current, p50/p99; Shopify requests, points and bytes PUT to Spaces per
# change), then 1,000 changes over 100 distinct products in 10 s (points, and time until the object holds
# every last price). Prints its figures as JSON (also kept as <work>/<label>.json).
#
#   bench/run-patch.sh [PatchBench options] [--keep]
#
# Options, e.g. --products 500 --samples 20 --burst-changes 1000 --burst-products 100 --burst-seconds 10
# --restore-rate 100 --timeout-minutes 60 --port-base 18600 (default 18500: ports 18500..18541) --label mine.
# The full-size run needs a quiet machine: the first sync of 10,000 products alone takes minutes.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
extra=()
for a in "$@"; do
  if [ "$a" = --keep ]; then keep=true; else extra+=("$a"); fi
done
keepflag=()
if [ "$keep" = true ]; then keepflag=(--keep); fi
exec "$root/bench/run-java.sh" PatchBench "bench/run-patch.sh${extra[*]:+ ${extra[*]}}" \
  --products 10000 --bucket 1000 --restore-rate 100 "${extra[@]}" "${keepflag[@]}"
