#!/bin/sh
# Measures cold start: from the JVM process start to "default pipeline consuming", as the launcher's
# "OSGi Jobs ready in N ms" line reports it (ProcessHandle start time, so JVM start included).
#   felix-launcher/cold-start.sh [runs]     (default 11; build the distribution first: ./run.sh --build -c list)
# Prints the sorted times and the median, for the first start (empty data/) and for later starts, with and
# without the class data sharing archive; the load average is printed too, since other work skews the figures.
set -e
DIST="$(cd "$(dirname "$0")" && pwd)/target/osgi-jobs"
RUNS=${1:-11}
[ -x "$DIST/bin/jobs" ] || { echo "no distribution in $DIST: build it first" >&2; exit 2; }

ready_ms() {
  "$DIST/bin/jobs" -c "jobs:list" 2>&1 | sed -n 's/.*OSGi Jobs ready in \([0-9]*\) ms.*/\1/p'
}

report() {
  sort -n | awk -v what="$1" '{ v[NR] = $1 } END {
    line = ""; for (i = 1; i <= NR; i++) line = line " " v[i];
    printf "%-34s median %5d ms  (%s )\n", what, v[int((NR + 1) / 2)], line }'
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do rm -rf "$DIST/data"; ready_ms; done | report "first start (empty data/)"
for i in $(seq 1 "$RUNS"); do ready_ms; done | report "later starts (CDS archive)"
export JOBS_CDS=false
for i in $(seq 1 "$RUNS"); do ready_ms; done | report "later starts (JOBS_CDS=false)"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
