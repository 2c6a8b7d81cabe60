#!/usr/bin/env bash
# The ingest batch window/size sweep of issue #17: bench/run-all.sh --only ingest once per combination of
# GATEWAY_INGEST_BATCH_WINDOW and GATEWAY_INGEST_BATCH_SIZE, each run measuring the naive peer and ours interleaved
# (compare ratios within a run: the machine is shared). Prints every run's summary with the load average around it.
#
#   bench/run-batch-sweep.sh                        windows 0ms,1ms,4ms x sizes 64,256 at run-all's defaults
#   bench/run-batch-sweep.sh --rates 1000,2000 --ingest-seconds 10 --prime-seconds 10    a smaller variant
#
# Options after the script's own are passed to run-all.sh. WINDOWS / SIZES (comma-separated) override the grid.
set -euo pipefail
cd "$(dirname "$0")/.."
IFS=',' read -r -a windows <<< "${WINDOWS:-0ms,1ms,4ms}"
IFS=',' read -r -a sizes <<< "${SIZES:-64,256}"
for size in "${sizes[@]}"; do
  for window in "${windows[@]}"; do
    echo "=== window $window, size $size; $(date -u +%FT%TZ); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    GATEWAY_INGEST_BATCH_WINDOW="$window" GATEWAY_INGEST_BATCH_SIZE="$size" \
      bench/run-all.sh --only ingest "$@" 2>&1 | grep -E '^(naive|ours) ' || echo "(run failed)"
    echo "=== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
