#!/usr/bin/env bash
# Issue #15's scaling benchmark: full syncs per minute with 1 and with 3 workers (one gateway, one PostgreSQL) when a
# sync is I/O-bound (the Shopify simulator answers every Admin API request --latency-ms late, default 100). Prints
# its figures as JSON (also <work>/scale.json); bench/SCALE-RESULTS.md holds the last run with its command.
#
#   bench/run-scale.sh [--shops 48] [--products 20] [--latency-ms 100] [--rounds 2] [--port-base 18500] [--keep]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

keep=false
extra=()
for a in "$@"; do
  if [ "$a" = --keep ]; then keep=true; else extra+=("$a"); fi
done

command -v javac >/dev/null || { echo "run-scale.sh: a JDK 17 (javac) is needed" >&2; exit 1; }
if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f oauth-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f sync-worker/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building the services and the sandbox..."
  ./mvnw -B -q package -DskipTests -pl deploy/sandbox,sync-worker,oauth-gateway -am
fi

work="$(mktemp -d /tmp/storefront-scale-bench.XXXXXX)"
cleanup() { if [ "$keep" = true ]; then echo "Kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

cp='deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*'
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" bench/src/*.java >"$work/javac.log" 2>&1 \
  || { cat "$work/javac.log" >&2; echo "run-scale.sh: bench/src did not compile" >&2; exit 1; }
echo "Data and logs: $work" >&2
set +e
java -cp "$work/classes:$cp" ScaleBench --work "$work" --invocation "bench/run-scale.sh${extra[*]:+ ${extra[*]}}" "${extra[@]}"
status=$?
set -e
if [ $status -ne 0 ]; then keep=true; echo "run-scale.sh: the benchmark failed (exit $status)" >&2; fi
exit $status
