#!/usr/bin/env bash
# Issue #15's many-instance run at fleet size: the build's ManyInstancesIT (2 gateways and 3 workers on one
# PostgreSQL, Admin API answers --latency-ms late, webhooks over both gateways, one worker SIGKILLed and one SIGTERMed
# and restarted mid-storm) run with --shops shops instead of the build's 40, through Maven as the build runs it. Its
# assertions are the point (no event lost, never two runs of one target at once, every catalog equal to its store,
# every outbox row delivered); its figures (summary.json) are copied into a directory with the services' logs, wrapped
# with the command, date, commit, duration and the load average before and after. Results: bench/SCALE-RESULTS.md.
#
#   bench/run-many-instances.sh [--shops 200] [--latency-ms 100] [--events 10] [--timeout-minutes N] [--offline]
#   --events: webhooks per shop and topic in the first wave (the second wave sends half as many)
#   --timeout-minutes: each wait's bound (default 4 per 40 shops, at least 4)
#   --offline: Maven's -o (every artifact already in ~/.m2)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

shops=200
latency=100
events=10
timeout=
offline=()
invocation="bench/run-many-instances.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case "$1" in
    --shops) shops="$2"; shift 2 ;;
    --latency-ms) latency="$2"; shift 2 ;;
    --events) events="$2"; shift 2 ;;
    --timeout-minutes) timeout="$2"; shift 2 ;;
    --offline) offline=(-o); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run-many-instances.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

props=(-Dmany.shops="$shops" -Dmany.latency-ms="$latency" -Dmany.events="$events")
if [ -n "$timeout" ]; then props+=(-Dmany.timeout-minutes="$timeout"); fi

logs=system-tests/target/e2e/ManyInstancesIT
rm -rf "$logs"    # a summary.json left by an earlier run must not pass for this one's
out="$(mktemp -d /tmp/storefront-many-instances.XXXXXX)"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
begin=$SECONDS
echo "Maven's output: $out/maven.log" >&2
set +e
# -am builds what the IT runs (both services' quarkus-run.jar, the sandbox); -Dtest=NONE skips every unit test.
./mvnw -B "${offline[@]}" -pl system-tests -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ManyInstancesIT "${props[@]}" >"$out/maven.log" 2>&1
status=$?
set -e
seconds=$((SECONDS - begin))
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

cp -r "$logs" "$out/logs" 2>/dev/null || true
grep -h '^ManyInstancesIT' "$out/maven.log" >&2 || true
if [ ! -f "$logs/summary.json" ]; then
  echo "run-many-instances.sh: no summary.json (the run failed before its figures, exit $status); see $out" >&2
  exit $(( status == 0 ? 1 : status ))
fi
{
  printf '{\n  "command" : "%s",\n  "started" : "%s",\n  "commit" : "%s",\n  "cpus" : %s,\n' \
    "$invocation" "$started" "$commit" "$(nproc)"
  printf '  "duration_s" : %s,\n  "load_before" : "%s",\n  "load_after" : "%s",\n  "passed" : %s,\n  "it" : ' \
    "$seconds" "$load_before" "$load_after" "$([ $status -eq 0 ] && echo true || echo false)"
  sed '2,$s/^/  /' "$logs/summary.json"
  printf '\n}\n'
} >"$out/many-instances.json"
cat "$out/many-instances.json"
echo "Figures and logs: $out" >&2
if [ $status -ne 0 ]; then
  echo "run-many-instances.sh: ManyInstancesIT failed (exit $status): the figures above come from a failed run" >&2
fi
exit $status
