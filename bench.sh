#!/usr/bin/env bash
# Builds the benchmark runner together with the bundles it measures, then runs it.
#   ./bench.sh                      all scenarios (see ./bench.sh --list)
#   ./bench.sh memory-noop amqp     a named subset
#   ./bench.sh --scale=0.1 --rounds=2 --warmup=1    a quick look
# The table goes to standard output, the rows also to benchmarks/target/results.json.
# BENCH_JAVA_OPTS replaces the JVM options (default: a fixed 2 GB heap); BENCH_SKIP_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")"
# the cold-start rows start the Felix distribution: build it too when they are asked for (or everything is)
MODULES=benchmarks
case " $* " in
  *" cold-start"*|"  ") MODULES=benchmarks,felix-launcher ;;
esac
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # to standard error, without colour codes: standard output is for the table
  mvn -B -q -Dstyle.color=never -pl "$MODULES" -am package -DskipTests 2>&1 | sed 's/\x1b\[[0-9;]*m//g' 1>&2
fi
# shellcheck disable=SC2086 # the options are a list of words
exec java ${BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -jar benchmarks/target/benchmarks.jar "$@"
