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

# The shared runner builds what is missing, compiles bench/src and keeps the work directory on failure.
keepflag=()
if [ "$keep" = true ]; then keepflag=(--keep); fi
exec "$root/bench/run-java.sh" BulkBench "bench/run-bulk.sh $scenario${extra[*]:+ ${extra[*]}}" "${args[@]}" "${extra[@]}" \
  "${keepflag[@]}"
