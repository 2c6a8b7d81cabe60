#!/usr/bin/env bash
# Issue #13's benchmarks: large-store full syncs through the worker's bulk path and the paginated path.
# One scenario per run; prints its figures as JSON (also kept as <work>/<label>.json). bench/BULK-RESULTS.md
# gives the figures of the last runs and the exact commands.
#
#   bench/run-bulk.sh standard    10,000 products (3 variants, 2 locations), bucket 1000, restore 100/s (standard
#                                 plan), bulk path (default threshold), worker at JVM defaults
#   bench/run-bulk.sh memory-bulk       100,000 products + 3 shops of 2,000 products at the same time,
#                                       worker -Xmx256m, bulk path
#   bench/run-bulk.sh memory-paginated  the same with STOREFRONT_SHOPIFY_BULK_THRESHOLD=0 (paginated path), bucket
#                                       1000 restoring 1,000,000/s so that points never wait
#
# Any further option goes to BulkBench (src/BulkBench.java), e.g. --products 20000 --bulk-pace 5000
# --timeout-minutes 20 --port-base 18400 (default 18300: ports 18300..18341) --label mine. --keep keeps the
# temporary directory (logs, GC log).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scenario="${1:?usage: bench/run-bulk.sh standard|memory-bulk|memory-paginated [BulkBench options] [--keep]}"
shift
keep=false
extra=()
for a in "$@"; do
  if [ "$a" = --keep ]; then keep=true; else extra+=("$a"); fi
done
case "$scenario" in
  standard) args=(--scenario standard --read bulk --products 10000 --bucket 1000 --restore-rate 100) ;;
  memory-bulk) args=(--scenario memory --read bulk --products 100000 --others 3 --other-products 2000
                     --worker-xmx 256m --bucket 1000 --restore-rate 100) ;;
  memory-paginated) args=(--scenario memory --read paginated --products 100000 --others 3 --other-products 2000
                          --worker-xmx 256m --bucket 1000 --restore-rate 1000000) ;;
  *) echo "run-bulk.sh: unknown scenario $scenario (standard, memory-bulk, memory-paginated)" >&2; exit 2 ;;
esac

command -v javac >/dev/null || { echo "run-bulk.sh: a JDK 17 (javac) is needed" >&2; exit 1; }
if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f oauth-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f sync-worker/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building the services and the sandbox..."
  ./mvnw -B -q package -DskipTests -pl deploy/sandbox,sync-worker,oauth-gateway -am
fi

work="$(mktemp -d /tmp/storefront-bulk-bench.XXXXXX)"
cleanup() { if [ "$keep" = true ]; then echo "Kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

cp='deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*'
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" bench/src/*.java >"$work/javac.log" 2>&1 \
  || { cat "$work/javac.log" >&2; echo "run-bulk.sh: bench/src did not compile" >&2; exit 1; }
echo "Data and logs: $work" >&2
set +e
java -cp "$work/classes:$cp" BulkBench --work "$work" --invocation "bench/run-bulk.sh $scenario${extra[*]:+ ${extra[*]}}" \
  "${args[@]}" "${extra[@]}"
status=$?
set -e
if [ $status -ne 0 ]; then keep=true; echo "run-bulk.sh: the benchmark failed (exit $status)" >&2; fi
exit $status
