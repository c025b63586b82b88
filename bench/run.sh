#!/usr/bin/env bash
# The benchmarks in one command each, on a fresh machine (Java 17+ and Maven 3.8+, nothing
# installed or running): builds bench and the modules it uses in one reactor, so they need not be
# in the local Maven repository, then runs one entry point with the JVM options it needs.
#
#   bench/run.sh e2e [options]            end-to-end report (EndToEndBenchmark; options in BenchOptions)
#   bench/run.sh jmh [JMH options]        JMH kernels, e.g. `bench/run.sh jmh SgdStep` (`-l` lists them)
#   bench/run.sh replay PATH/u.data [..]  offline prequential replay of a MovieLens file (OfflineReplay)
#   bench/run.sh filter-blocks [options]  the dedupe check's RocksDB work as a store grows (FilterBlockBenchmark)
#
# The committed report (bench/results/report.md) is
#   bench/run.sh e2e --events 1000000 --dataset ../shared/datasets/ml-100k/u.data --accuracy-partitions 1,4
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 ]] || usage
what=$1; shift
case "$what" in
  e2e)           main=dev.streamrec.bench.e2e.EndToEndBenchmark
                 jvm=(-Xmx3g -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error) ;;
  jmh)           main=org.openjdk.jmh.Main; jvm=() ;;
  replay)        main=dev.streamrec.bench.OfflineReplay; jvm=(-Xmx2g) ;;
  filter-blocks) main=dev.streamrec.bench.rocksdb.FilterBlockBenchmark; jvm=(-Xmx2g) ;;
  -h|--help)     usage ;;
  *)             echo "bench/run.sh: unknown benchmark '$what' (e2e, jmh, replay, filter-blocks)" >&2; exit 2 ;;
esac
for tool in java mvn; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh: '$tool' is not on PATH" >&2; exit 2; }
done

# One reactor builds the sibling modules and writes each module's class path (relative to the
# module) with those siblings resolved to their fresh jars.
mvn -B -q -ntp -pl bench -am -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
# demo.jar's manifest would pull the whole demo's lib/ (the read side's HTTP stack included) onto
# the class path; only its classes are wanted (InProcessKafka), as bench/pom.xml's exclusion says.
deps=$(sed 's#[^:]*/demo/target/demo\.jar#demo/target/classes#' bench/target/cp.txt)
exec java --add-modules=jdk.incubator.vector "${jvm[@]}" -cp "bench/target/classes:$deps" "$main" "$@"
