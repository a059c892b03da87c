#!/bin/sh
# Builds what is missing or out of date, then starts OSGi Jobs with the default memory pipeline.
#   ./run.sh                    the Gogo console (Ctrl-D or 'shutdown' to stop)
#   ./run.sh --no-console       no console; Ctrl-C or SIGTERM stops it
#   ./run.sh --script FILE      run Gogo commands, then stop (exit status 1 if one fails)
#   ./run.sh --build ...        rebuild first, even if nothing changed
# Needs Java 17+ and Maven 3.8+. The distribution is felix-launcher/target/osgi-jobs (also as .tar.gz and .zip).
set -e
cd "$(dirname "$0")"
DIST=felix-launcher/target/osgi-jobs
STAMP="$DIST/lib/jobs-launcher.jar"

build=no
if [ "$1" = "--build" ]; then
  build=yes
  shift
elif [ ! -f "$STAMP" ]; then
  build=yes
elif [ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name pom.xml -o -name bnd.bnd -o -path '*/src/dist/*' \) -newer "$STAMP" -print \
      | head -n 1)" ]; then
  build=yes
fi

if [ "$build" = yes ]; then
  echo "run.sh: building the distribution (mvn install -DskipTests -pl felix-launcher -am)..." >&2
  mvn -B -q -Dstyle.color=never install -DskipTests -pl felix-launcher -am
fi
exec "$DIST/bin/jobs" "$@"
