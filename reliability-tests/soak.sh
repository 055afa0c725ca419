#!/usr/bin/env bash
# Soak: the chaos load for a long time on one driver, with RSS, heap after GC, open fds and direct memory sampled
# every 10 s into a CSV and a PNG, and a verdict per series (flat or not). Not part of CI.
#
#   reliability-tests/soak.sh [minutes=10] [driver=io_uring|poll (default: automatic)] [out=reliability-tests/target/soak]
#
# Exit status 0 when every series is flat and no connection saw a mismatch or got stuck.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-10}
DRIVER=${2:-}
OUT=${3:-reliability-tests/target/soak}
mvn -q -B -pl reliability-tests -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/soak-classpath.txt
CP="reliability-tests/target/classes:$(cat reliability-tests/target/soak-classpath.txt)"
ARGS=(--minutes "$MINUTES" --out "$OUT")
if [ -n "$DRIVER" ]; then ARGS+=(--driver "$DRIVER"); fi
# A fixed, pre-touched heap: RSS then moves only with native memory (direct buffers, rings, stacks, JIT).
# JAVA_OPTS adds JVM options (e.g. -XX:NativeMemoryTracking=summary to see where native memory goes).
exec java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=1g -Djava.awt.headless=true ${JAVA_OPTS:-} -cp "$CP" dev.proactor.reliability.soak.Soak "${ARGS[@]}"
