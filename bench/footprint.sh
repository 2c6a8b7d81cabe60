#!/usr/bin/env bash
# Startup time and idle memory of the packaged services (JVM mode) against a sandbox world.
#
#   bench/footprint.sh [runs]        default 3 measured runs per service, after one warm-up run each
#
# For each run, one service alone: the time from launching `java -jar quarkus-run.jar` to the first 200 of
# /q/health/ready on its management port (its database, and for the worker Spaces and the job queue, checked)
# and the CPU time the JVM used by then, then VmRSS from /proc/<pid>/status after IDLE_SECONDS (30) of idling.
# Prints a markdown table and the medians. Wall times depend on what else runs on the machine: the load
# average is printed too.
#
# Settings (environment): JAVA_OPTS (extra JVM flags, default none), IDLE_SECONDS (30), WARMUP (1 = one
# unmeasured start per service first, which also runs the Flyway migrations; 0 = none), and the ports on
# 127.0.0.1: FOOTPRINT_GATEWAY_PORT, FOOTPRINT_WORKER_PORT, FOOTPRINT_MANAGEMENT_PORT (of the one service
# running), FOOTPRINT_SHOPIFY_PORT, FOOTPRINT_FACEBOOK_PORT, FOOTPRINT_S3_PORT, FOOTPRINT_POSTGRES_PORT
# (default: free ports, so a running sandbox or benchmark is left alone). The world lives in a temporary directory, removed at the end.
# Builds what is missing first (./mvnw package -DskipTests).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-3}"
idle="${IDLE_SECONDS:-30}"
warmup="${WARMUP:-1}"

# A port nothing on 127.0.0.1 answers on, below the kernel's ephemeral range (where the world's "any port" and
# outgoing connections land), so nothing takes it between now and the service's start.
free_port() {
  local port low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    port=$(( 20000 + RANDOM % (low - 20000) ))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
gw_port="${FOOTPRINT_GATEWAY_PORT:-$(free_port)}"
wk_port="${FOOTPRINT_WORKER_PORT:-$(free_port)}"
mg_port="${FOOTPRINT_MANAGEMENT_PORT:-$(free_port)}"
gateway_jar=oauth-gateway/target/quarkus-app/quarkus-run.jar
worker_jar=sync-worker/target/quarkus-app/quarkus-run.jar

if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f "$gateway_jar" ] || [ ! -f "$worker_jar" ]; then
  echo "Building (jars missing)..." >&2
  ./mvnw -B -q package -DskipTests
fi

work="$(mktemp -d -t storefront-footprint-XXXXXX)"
world_pid=""
service_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "$world_pid" ] && kill "$world_pid" 2>/dev/null && wait "$world_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Starting a sandbox world in $work ..." >&2
java -cp "deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*" io.storefrontsync.sandbox.SandboxMain \
  --dir "$work/world" --components postgres,s3,shopify,facebook \
  --postgres-port "${FOOTPRINT_POSTGRES_PORT:-0}" --s3-port "${FOOTPRINT_S3_PORT:-0}" \
  --shopify-port "${FOOTPRINT_SHOPIFY_PORT:-0}" --facebook-port "${FOOTPRINT_FACEBOOK_PORT:-0}" \
  --set "GATEWAY_URL=http://127.0.0.1:$gw_port" --set "SYNC_WORKER_URL=http://127.0.0.1:$wk_port" \
  >"$work/world.out" 2>"$work/world.log" &
world_pid=$!
for _ in $(seq 1 180); do
  grep -q '^SANDBOX READY' "$work/world.out" && break
  kill -0 "$world_pid" 2>/dev/null || { echo "the sandbox world failed:" >&2; grep -v '^\s*at ' "$work/world.log" | tail -5 >&2; exit 1; }
  sleep 1
done
grep -q '^SANDBOX READY' "$work/world.out" || { echo "the sandbox world did not start in time" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$work/world/env"
set +a
export QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1

now_ms() { date +%s%3N; }

# measure <name> <jar> <port>: sets READY_MS, CPU_S (user+system CPU time the JVM used until ready: less
# sensitive than wall time to other load on the machine), STARTED_S (Quarkus' own "started in") and RSS_KIB
measure() {
  local name=$1 jar=$2 port=$3 log="$work/$1.log"
  local start
  start=$(now_ms)
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -Dquarkus.http.port="$port" -Dquarkus.management.port="$mg_port" \
    -Dquarkus.management.host=127.0.0.1 -jar "$jar" >"$log" 2>&1 &
  service_pid=$!
  READY_MS=""
  for _ in $(seq 1 2400); do
    if curl -fs -o /dev/null "http://127.0.0.1:$mg_port/q/health/ready"; then
      READY_MS=$(( $(now_ms) - start ))
      CPU_S=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$service_pid/stat")
      break
    fi
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.05
  done
  if [ -z "$READY_MS" ]; then
    echo "$name did not become ready; its log:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  sleep "$idle"
  RSS_KIB=$(awk '/^VmRSS:/ {print $2}' "/proc/$service_pid/status")
  STARTED_S=$(grep -o 'started in [0-9.]*s' "$log" | head -1 | grep -o '[0-9.]*' || echo "?")
  kill "$service_pid"
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
}

mib() { awk -v kib="$1" 'BEGIN {printf "%.0f", kib / 1024}'; }

if [ "$warmup" = 1 ]; then
  echo "Warm-up start of each service (migrations, file cache)..." >&2
  measured_idle=$idle
  idle=1
  measure oauth-gateway "$gateway_jar" "$gw_port"
  measure sync-worker "$worker_jar" "$wk_port"
  idle=$measured_idle
fi

declare -A ready_ms cpu_s rss_kib
echo
echo "Java: $(java -version 2>&1 | head -1); JAVA_OPTS='${JAVA_OPTS:-}'; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| service | run | start → ready (ms) | CPU until ready (s) | Quarkus \"started in\" (s) | idle RSS after ${idle} s (MiB) |"
echo "|---|---|---|---|---|---|"
for run in $(seq 1 "$runs"); do
  for service in oauth-gateway sync-worker; do
    if [ "$service" = oauth-gateway ]; then jar=$gateway_jar; port=$gw_port; else jar=$worker_jar; port=$wk_port; fi
    measure "$service" "$jar" "$port"
    ready_ms[$service]+="$READY_MS "
    cpu_s[$service]+="$CPU_S "
    rss_kib[$service]+="$RSS_KIB "
    echo "| $service | $run | $READY_MS | $CPU_S | $STARTED_S | $(mib "$RSS_KIB") |"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo
echo "| service | median start → ready (ms) | median CPU until ready (s) | median idle RSS (MiB) |"
echo "|---|---|---|---|"
for service in oauth-gateway sync-worker; do
  echo "| $service | $(echo "${ready_ms[$service]}" | median) | $(echo "${cpu_s[$service]}" | median) |" \
    "$(mib "$(echo "${rss_kib[$service]}" | median)") |"
done
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
