#!/usr/bin/env bash
# The runner the scenario scripts share (run-bulk.sh, run-patch.sh): builds the jars when missing, compiles
# bench/src into a temporary directory, runs one driver class there and keeps the directory when asked
# (--keep) or when the run failed.
#
#   bench/run-java.sh <DriverClass> <invocation to record> [driver options...] [--keep]
#
# The driver gets --work <dir> --invocation "<invocation>" and the options; it prints its figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

driver="${1:?usage: bench/run-java.sh <DriverClass> <invocation> [options...] [--keep]}"
invocation="${2:?usage: bench/run-java.sh <DriverClass> <invocation> [options...] [--keep]}"
shift 2
keep=false
args=()
for a in "$@"; do
  if [ "$a" = --keep ]; then keep=true; else args+=("$a"); fi
done

command -v javac >/dev/null || { echo "run-java.sh: a JDK 17 (javac) is needed" >&2; exit 1; }
if [ ! -f deploy/sandbox/target/sandbox.jar ] || [ ! -d deploy/sandbox/target/lib ] \
   || [ ! -f oauth-gateway/target/quarkus-app/quarkus-run.jar ] || [ ! -f sync-worker/target/quarkus-app/quarkus-run.jar ]; then
  echo "Building the services and the sandbox..."
  ./mvnw -B -q package -DskipTests -pl deploy/sandbox,sync-worker,oauth-gateway -am
fi

work="$(mktemp -d /tmp/storefront-bench-"$(echo "$driver" | tr 'A-Z' 'a-z')".XXXXXX)"
cleanup() { if [ "$keep" = true ]; then echo "Kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

cp='deploy/sandbox/target/sandbox.jar:deploy/sandbox/target/lib/*'
mkdir -p "$work/classes"
javac -nowarn -d "$work/classes" -cp "$cp" bench/src/*.java >"$work/javac.log" 2>&1 \
  || { cat "$work/javac.log" >&2; echo "run-java.sh: bench/src did not compile" >&2; exit 1; }
echo "Data and logs: $work" >&2
set +e
java -cp "$work/classes:$cp" "$driver" --work "$work" --invocation "$invocation" "${args[@]}"
status=$?
set -e
if [ $status -ne 0 ]; then keep=true; echo "run-java.sh: $driver failed (exit $status)" >&2; fi
exit $status
