#!/usr/bin/env bash
# Issue #15's fleet poll benchmark (driver bench/src/FleetPollBench.java): N small shops installed through OAuth,
# then the daily poll of every one of them comes due at once (the catch-up after 24 hours) on fresh workers; prints
# the poll's completion time, jobs/min, the workers' peak RSS, PostgreSQL's peak connections and CPU as JSON.
# Results and commands: bench/SCALE-RESULTS.md.
#
#   bench/run-fleet-poll.sh [--shops 200] [--products 5] [--workers 1] [--port-base 18600] [--keep]
#   --workers 1,3: one poll round per count, in order, on the same installed fleet (the ratio from one run)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
keep=false
extra=()
for a in "$@"; do
  if [ "$a" = --keep ]; then keep=true; else extra+=("$a"); fi
done
keepflag=()
if [ "$keep" = true ]; then keepflag=(--keep); fi
exec "$root/bench/run-java.sh" FleetPollBench "bench/run-fleet-poll.sh${extra[*]:+ ${extra[*]}}" \
  "${extra[@]}" "${keepflag[@]}"
