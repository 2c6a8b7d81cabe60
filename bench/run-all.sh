#!/usr/bin/env bash
# Runs every benchmark of Storefront Sync on this machine and rewrites bench/RESULTS.md (~15 min on 2 cores).
#
#   bench/run-all.sh                                 everything: ingest vs the naive peer, sync efficiency, footprint
#   bench/run-all.sh --only sync --restore-rate 100  only the 10,000-product full sync + footprint, at the standard
#                                                    plan's 100 points/s (~55 min); replaces only its own section
#   bench/run-all.sh --only ingest                   only the install and the ingest runs (ours vs the naive peer);
#                                                    prints the figures, leaves RESULTS.md alone (~5 min), e.g. to
#                                                    compare GATEWAY_INGEST_BATCH_WINDOW / _SIZE set in the environment
#
# Options: --restore-rate N (default 1000) --only all|sync --rates 500,1000,2000 --ingest-seconds 20
#          --saturation-concurrency 256 --prime-seconds 30 --latency-samples 20 --sync-products 10000 --small-products 100
#          --port-base 18080 --keep (keep the temporary directory with every log, and results.json)
#          --render-from DIR/results.json (rewrite RESULTS.md from a kept run, e.g. after a change to its layout)
# Ports used: base+0 gateway, +1 worker, +10/+11 Shopify/Facebook simulators, +15 naive peer, +20 S3, +30 PostgreSQL
# (18080..18110 by default, away from run.sh's 8080/8081/8090/8091/9000/55432). Data in a temporary directory.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

keep=false
only=all
render=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    --keep) keep=true; shift ;;
    --render-from) render="${2:?--render-from needs a results.json}"; shift 2 ;;
    --only) only="${2:?--only needs all, sync or ingest}"; args+=("$1" "$2"); shift 2 ;;
    --restore-rate|--rates|--ingest-seconds|--saturation-concurrency|--latency-samples|--prime-seconds|--sync-products|--small-products|--port-base|--bucket)
      args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    *) echo "run-all.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
invocation="bench/run-all.sh${args[*]:+ ${args[*]}}"

# --- what the benchmark needs ------------------------------------------------------------------------
command -v java >/dev/null || { echo "run-all.sh: no java on the PATH (JDK 17 needed)" >&2; exit 1; }
command -v javac >/dev/null || { echo "run-all.sh: no javac on the PATH (a JDK 17, not a JRE, is needed)" >&2; exit 1; }

# The naive peer runs on Debian's Python with Debian's FastAPI and uvicorn.
if [ "$only" != sync ] && ! /usr/bin/python3 -c 'import fastapi, uvicorn' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing the naive peer's packages (python3-fastapi, python3-uvicorn) with apt-get..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-fastapi python3-uvicorn >/dev/null
  else
    echo "run-all.sh: the naive peer needs FastAPI and uvicorn for /usr/bin/python3; as root run:" >&2
    echo "  apt-get install -y python3-fastapi python3-uvicorn" >&2
    exit 1
  fi
fi

if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f oauth-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f sync-worker/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building the services and the sandbox (./mvnw -B -q package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
fi

if [ -n "$render" ]; then
  # Only the report: RESULTS.md again from a kept run's figures (its data and commands are unchanged).
  classes="$(mktemp -d /tmp/storefront-bench-render.XXXXXX)"
  trap 'rm -rf "$classes"' EXIT
  javac -nowarn -d "$classes" -cp "deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*" bench/src/*.java >/dev/null 2>&1
  java -cp "$classes:deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*" Bench --render-from "$render"
  exit 0
fi

work="$(mktemp -d /tmp/storefront-bench.XXXXXX)"
cleanup() {
  if [ "$keep" = true ]; then echo "Kept $work (logs under */logs/)"; else rm -rf "$work"; fi
}
trap cleanup EXIT

cp='deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*'
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" bench/src/*.java >"$work/javac.log" 2>&1 \
  || { cat "$work/javac.log" >&2; echo "run-all.sh: bench/src did not compile" >&2; exit 1; }

echo "Benchmark data and logs: $work"
set +e
java -cp "$work/classes:$cp" Bench --work "$work" --classes "$work/classes" --invocation "$invocation" "${args[@]}"
status=$?
set -e
if [ $status -ne 0 ]; then
  keep=true
  echo "run-all.sh: the benchmark failed (exit $status); bench/RESULTS.md was not rewritten. Logs: $work" >&2
  exit $status
fi
