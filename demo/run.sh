#!/usr/bin/env bash
# The local demo in one command: builds what it needs (the demo module and the modules it uses;
# offline once Maven's cache has them), then runs it. Options pass through, e.g.
#   demo/run.sh --rate 100 --duration 60
#   demo/run.sh --dataset ../shared/datasets/ml-100k/u.data --rate 200
#   demo/run.sh --help
# Paths in the options are relative to the directory run.sh is called from, as with java -jar.
# Ctrl-C stops everything it started, the Kafka broker JVM included.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo: '$tool' is not on PATH; the demo needs a JDK 17+ and Maven 3.8+" >&2; exit 2; }
done
# Maven runs in the project's root; the demo in the caller's directory, so that a relative
# --dataset means what the caller typed.
(cd "$root" && mvn -B -q -pl demo -am package -DskipTests)
exec java -jar "$root/demo/target/demo.jar" "$@"
