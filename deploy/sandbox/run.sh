#!/usr/bin/env bash
# Runs Storefront Sync on this machine with no account and no Docker:
# embedded PostgreSQL, an S3 server (objects under ./.sandbox/spaces), the Shopify and Facebook
# simulators, and both services. Ctrl-C stops everything it started; a second run reuses the data.
#
#   deploy/sandbox/run.sh          the sandbox world
#   deploy/sandbox/run.sh --world  the sandbox world only: run the services yourself with
#                                  ./mvnw quarkus:dev -pl oauth-gateway -am (and sync-worker), which read .sandbox/env
#   deploy/sandbox/run.sh --real   real Shopify, Facebook and Spaces from ./.env (embedded database kept)
#
# Environment: SANDBOX_DIR (default ./.sandbox) holds data, settings and logs; SANDBOX_PORT_OFFSET
# (default 0) shifts every port (8080, 8081, their management ports 9080, 9081, 8090, 8091, 9000, 55432)
# to run next to another copy. Heap caps (-Xmx): SANDBOX_GATEWAY_HEAP (384m) and SANDBOX_WORKER_HEAP (1200m),
# production's (deploy/digitalocean/app.yaml), and SANDBOX_WORLD_HEAP (1g) for the simulators.
# Runs with macOS' /bin/bash 3.2: no bash-4 features (wait -n, associative arrays, mapfile, ${x,,}).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
mode=sandbox
case "${1:-}" in
  "") ;;
  --real) mode=real ;;
  --world) mode=world ;;
  -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
  *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

sandbox_dir="${SANDBOX_DIR:-$root/.sandbox}"
mkdir -p "$sandbox_dir"
sandbox_dir="$(cd "$sandbox_dir" && pwd)"
# How the walkthrough names the sandbox directory: relative to the repository when inside it.
sb="${sandbox_dir#"$root"/}"
off="${SANDBOX_PORT_OFFSET:-0}"
[[ "$off" =~ ^[0-9]+$ ]] || { echo "run.sh: SANDBOX_PORT_OFFSET must be a number, not '$off'" >&2; exit 2; }
gateway_heap="${SANDBOX_GATEWAY_HEAP:-384m}" worker_heap="${SANDBOX_WORKER_HEAP:-1200m}" world_heap="${SANDBOX_WORLD_HEAP:-1g}"
for heap in "$gateway_heap" "$worker_heap" "$world_heap"; do
  [[ "$heap" =~ ^[0-9]+[kKmMgG]?$ ]] || { echo "run.sh: a heap size is like 512m or 1g, not '$heap'" >&2; exit 2; }
done
gateway_port=$((8080 + off)) worker_port=$((8081 + off))
gw=http://127.0.0.1:$gateway_port
wk=http://127.0.0.1:$worker_port
# Health, metrics and the OpenAPI document are on each service's management port, as in production.
gwm=http://127.0.0.1:$((9080 + off))
wkm=http://127.0.0.1:$((9081 + off))
logs="$sandbox_dir/logs"
mkdir -p "$logs"
pids=()

stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo
    echo "Stopping..."
    for ((i=${#pids[@]}-1; i>=0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap 'stop_all; exit 130' INT TERM
trap stop_all EXIT

required_real=(SHOPIFY_API_KEY SHOPIFY_API_SECRET SHOPIFY_REDIRECT_URI SHOPIFY_WEBHOOK_ADDRESS
  FACEBOOK_APP_ID FACEBOOK_APP_SECRET FACEBOOK_REDIRECT_URI FACEBOOK_WEBHOOK_ADDRESS FACEBOOK_VERIFY_TOKEN
  STATE_TOKEN_SECRET TOKEN_ENCRYPTION_KEY SPACES_ACCESS_KEY SPACES_SECRET_KEY SPACES_BUCKET
  JWT_PRIVATE_KEY JWT_PUBLIC_KEY ADMIN_API_KEY)
if [ "$mode" = real ]; then
  [ -f .env ] || { echo "run.sh --real: no .env here; copy .env.example to .env and fill it in" >&2; exit 1; }
  set -a; . ./.env; set +a
  missing=()
  for v in "${required_real[@]}"; do [ -n "${!v:-}" ] || missing+=("$v"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh --real: .env is missing: ${missing[*]}" >&2
    exit 1
  fi
fi

# Build what is missing (the wrapper fetches Maven itself).
if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f oauth-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f sync-worker/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building (first run only)..."
  ./mvnw -B -q package -DskipTests
fi

# The embedded PostgreSQL comes as one binaries jar per OS and architecture; without the one for this machine
# the world would stop with a stack trace, so say it here.
pg_platform() { # the zonky embedded-postgres classifier of this machine, e.g. linux-amd64, darwin-arm64v8
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;; Darwin) os=darwin ;; MINGW*|MSYS*|CYGWIN*) os=windows ;; *) os="$(uname -s)" ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=amd64 ;; arm64|aarch64) arch=arm64v8 ;; i386|i686) arch=i386 ;; *) arch="$(uname -m)" ;;
  esac
  echo "$os-$arch"
}
platform="$(pg_platform)"
if ! ls deploy/sandbox/target/lib/embedded-postgres-binaries-"$platform"-*.jar >/dev/null 2>&1; then
  have="$(ls deploy/sandbox/target/lib 2>/dev/null | sed -n 's/^embedded-postgres-binaries-\(.*\)-[0-9][0-9.]*\.jar$/\1/p' | tr '\n' ' ')"
  cat >&2 <<EOT
run.sh: this machine is $platform, and the build has no embedded PostgreSQL binary for it
        (deploy/sandbox/target/lib has: ${have:-none}).
        Add the dependency io.zonky.test.postgres:embedded-postgres-binaries-$platform (the version of
        the jars above) to deploy/sandbox/pom.xml and rebuild (./mvnw -B -q package -DskipTests), or, on an
        Apple silicon Mac, run an x86_64 JDK under Rosetta 2.
EOT
  exit 1
fi

# The simulated store gets Shopify Plus rate limits (10,000 points, 1,000/s) so the first full sync
# takes seconds; SIM_SHOPIFY_BUCKET_SIZE=1000 SIM_SHOPIFY_RESTORE_RATE=100 gives a standard plan's.
export SIM_SHOPIFY_BUCKET_SIZE="${SIM_SHOPIFY_BUCKET_SIZE:-10000}" SIM_SHOPIFY_RESTORE_RATE="${SIM_SHOPIFY_RESTORE_RATE:-1000}"
components=postgres,s3,shopify,facebook
[ "$mode" = real ] && components=postgres
echo "Starting the sandbox world ($components)..."
: > "$logs/world.out"
java -Xmx"$world_heap" -cp "deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*" io.storefrontsync.sandbox.SandboxMain \
  --dir "$sandbox_dir" --components "$components" \
  --postgres-port $((55432 + off)) --s3-port $((9000 + off)) --shopify-port $((8090 + off)) --facebook-port $((8091 + off)) \
  --set "GATEWAY_URL=$gw" --set "SYNC_WORKER_URL=$wk" >"$logs/world.out" 2>"$logs/world.log" &
pids+=($!)
for _ in $(seq 1 180); do
  grep -q '^SANDBOX READY' "$logs/world.out" && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The sandbox world failed to start; see $logs/world.log" >&2; tail -20 "$logs/world.log" >&2; exit 1; }
  sleep 1
done
grep -q '^SANDBOX READY' "$logs/world.out" || { echo "The sandbox world did not start in time; see $logs/world.log" >&2; exit 1; }

# The world's settings; in --real mode .env wins for everything but the database.
set -a
. "$sandbox_dir/env"
if [ "$mode" = real ]; then db="$DATABASE_URL"; . ./.env; DATABASE_URL="$db"; fi
set +a

start_service() { # name jar port management-url heap
  # Readable log lines locally; production logs are JSON.
  QUARKUS_LOG_CONSOLE_JSON_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$3" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="${4##*:}" \
    java -Xmx"$5" -jar "$2" >"$logs/$1.log" 2>&1 &
  pids+=($!)
}
if [ "$mode" = world ]; then
  # The services' own ports are in application.properties, not in the env file: shifted ones go on the command line.
  gateway_flags="" worker_flags=""
  if [ "$off" -ne 0 ]; then
    gateway_flags=" -Dquarkus.http.port=$gateway_port -Dquarkus.management.port=${gwm##*:}"
    worker_flags=" -Dquarkus.http.port=$worker_port -Dquarkus.management.port=${wkm##*:}"
  fi
  cat <<EOT

The sandbox world is running (PostgreSQL, S3 server, Shopify and Facebook simulators); settings in $sb/env.
Start the services in dev mode (live reload), each in its own terminal, from $root:
  ./mvnw quarkus:dev -pl oauth-gateway -am$gateway_flags     # $gw, management $gwm
  ./mvnw quarkus:dev -pl sync-worker -am$worker_flags       # $wk, management $wkm
They read $sb/env (SandboxEnvConfigSourceFactory, dev profile only; an exported variable wins).

Press Ctrl-C to stop the world.
EOT
  while kill -0 "${pids[0]}" 2>/dev/null; do sleep 1; done
  echo "The sandbox world exited on its own; see $logs/world.log" >&2
  exit 1
fi

start_service oauth-gateway oauth-gateway/target/quarkus-app/quarkus-run.jar "$gateway_port" "$gwm" "$gateway_heap"
start_service sync-worker sync-worker/target/quarkus-app/quarkus-run.jar "$worker_port" "$wkm" "$worker_heap"

wait_ready() { # name url
  for _ in $(seq 1 120); do
    curl -fsS "$2/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "$1 did not become ready; see $logs/$1.log" >&2
  tail -30 "$logs/$1.log" >&2
  exit 1
}
wait_ready oauth-gateway "$gwm"
wait_ready sync-worker "$wkm"
cat <<EOT

Storefront Sync is running ($mode mode).
  oauth-gateway   $gw   (management: $gwm/q/health/ready, $gwm/q/metrics, API docs $gwm/q/openapi)
  sync-worker     $wk   (management: $wkm/q/health/ready, $wkm/q/metrics, API docs $wkm/q/openapi)
EOT
if [ "$mode" = sandbox ]; then
shop=demo-shop.myshopify.com
cat <<EOT
  PostgreSQL      ${DATABASE_URL}
  S3 (Spaces)     ${SPACES_ENDPOINT}   bucket ${SPACES_BUCKET}, files under $sb/spaces/${SPACES_BUCKET}/
  Shopify sim     ${SHOPIFY_SIMULATOR_URL}   store $shop
  Facebook sim    ${FACEBOOK_GRAPH_URL}   one user, two Pages
  Settings (the names of .env.example): $sb/env        Logs: $sb/logs/

Walkthrough (copy-paste in another terminal, from $root):

 1. Install the app on the simulated store (the simulator approves; the first full sync starts at once).
    In a browser: $gw/shopify/demo-shop/login   (it ends on the status page, whose link connects the
    Facebook Pages; $gw/status shows it again later)   or with curl, keeping the session cookie:
      curl -sL -c $sb/cookies -b $sb/cookies $gw/shopify/demo-shop/login; echo
    -> {"user_uuid":"...","webhook_result":{"status":"success"},"sync_result":{"status":"success"}}
    The database and Spaces keep their data between runs, but the simulators start fresh and forget
    the tokens they issued: after a restart, install again (same user uuid) before syncing.

 2. Connect the Facebook Pages of the simulated user (same cookie jar, so the same user):
      curl -sL -c $sb/cookies -b $sb/cookies $gw/facebook/login; echo

 3. Watch the JSON land (every product, all pages of the catalog):
      find $sb/spaces/${SPACES_BUCKET}/users -name '*.json'

 4. Change the store: the simulator edits products and sends signed webhooks to the gateway;
    a burst is coalesced into one sync:
      curl -s -X POST ${SHOPIFY_SIMULATOR_URL}/_sim/shops/$shop/events -H 'Content-Type: application/json' \\
           -d '{"topic":"products/update","count":25}'; echo
    and a Page:  curl -s ${FACEBOOK_GRAPH_URL}/_sim/user; echo   (lists the page ids), then
      curl -s -X POST ${FACEBOOK_GRAPH_URL}/_sim/pages/<page_id>/events -H 'Content-Type: application/json' -d '{"field":"name"}'; echo

 5. Operator API: mint an admin JWT (valid 1 h), resync a user, read a job:
      set -a; . $sb/env; set +a
      TOKEN=\$(curl -s -X POST -H "X-Admin-Api-Key: \$ADMIN_API_KEY" $gw/admin/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
      curl -s -X POST $wk/resync -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
           -d '{"userId":"<user_uuid from step 1>"}'; echo
      curl -s $wk/jobs/<job id> -H "Authorization: Bearer \$TOKEN"; echo
    Progress of a sync: the job above, or  tail -f $sb/logs/sync-worker.log
EOT
fi
echo
echo "Press Ctrl-C to stop everything."
# Until one of them exits (bash 3.2 has no wait -n).
while :; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A process exited on its own; see $logs" >&2; exit 1; }
  done
  sleep 1
done
