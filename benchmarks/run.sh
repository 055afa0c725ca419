#!/usr/bin/env bash
# Side-by-side load test of the transports: HTTP plaintext (pipelined and not), TCP echo (64 B, 4 KiB, 64 KiB;
# 10,000 connections; two server event loops) and memory per idle connection.
# Server pinned to SERVER_CPU, load (wrk -t1 / EchoLoad / IdleConnections) pinned to LOAD_CPU; every transport's
# server runs (idle when not measured) for the whole phase, and each round measures the transports one after
# another in a rotated order. Prints Markdown tables of medians and ratios and draws results.png; everything
# lands in $OUT. Proactor servers also report their driver counters (kernel waits and submissions per request,
# completions per kernel wait) over each measurement.
#
#   benchmarks/run.sh                                # all available transports, defaults below
#   DURATION=5 ROUNDS=1 TRANSPORTS="nio epoll" WORKLOADS=echo benchmarks/run.sh
#
# Environment (defaults): DURATION=7 (s per measurement; the full default run takes about 40 min on a quiet
# machine), WARMUP=5 (s per server per phase), ROUNDS=3, TRANSPORTS (all that `--list` reports available),
# WORKLOADS="http-pipelined http echo echo-large echo-many echo-2loops idle",
# HTTP_CONNS="64 256", ECHO_CONNS="64 256", PIPELINE=16, ECHO_SIZE=64,
# ECHO_LARGE_SIZES="4096 65536" and ECHO_LARGE_CONNS=64 (echo-large), ECHO_MANY_CONNS=10000 (echo-many: one
# server loop), TWO_LOOP_THREADS=2, TWO_LOOP_CONNS=256 and TWO_LOOP_SERVER_CPUS=$SERVER_CPU (echo-2loops: the
# server's event loops share these CPUs; give it as many CPUs as loops on a bigger machine, e.g. "0,1" with
# LOAD_CPU=2), IDLE_CONNS=50000 and IDLE_ROUNDS=$ROUNDS (idle: capped by the open-files hard limit, see below),
# ECHO_CLIENT=epoll (the load's Netty transport), ECHO_CLIENT_WARMUP=2, SERVER_CPU=0, LOAD_CPU=1,
# SERVER_THREADS=1, SKIP_BUILD=0, SERVER_JVM_OPTS, LOAD_JVM_OPTS, IDLE_SERVER_JVM_OPTS (SERVER_JVM_OPTS plus
# -XX:+AlwaysPreTouch, so that RSS growth is off-heap memory only), BASE_PORT=18080,
# OUT=benchmarks/target/run-<timestamp>,
# QUIET_PCT=10 and QUIET_TIMEOUT=60: before each measurement wait (up to QUIET_TIMEOUT s) until other
# processes use less than QUIET_PCT % of a CPU; the CPU they took while measuring is reported per row.
# DISTURBED_PCT=20 and ATTEMPTS=3: a measurement during which other processes took more than DISTURBED_PCT %
# of a CPU is repeated, up to ATTEMPTS in all; the least disturbed attempt is kept.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-7}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
WORKLOADS=${WORKLOADS:-"http-pipelined http echo echo-large echo-many echo-2loops idle"}
HTTP_CONNS=${HTTP_CONNS:-"64 256"}
ECHO_CONNS=${ECHO_CONNS:-"64 256"}
PIPELINE=${PIPELINE:-16}
ECHO_SIZE=${ECHO_SIZE:-64}
ECHO_LARGE_SIZES=${ECHO_LARGE_SIZES:-"4096 65536"}
ECHO_LARGE_CONNS=${ECHO_LARGE_CONNS:-64}
ECHO_MANY_CONNS=${ECHO_MANY_CONNS:-10000}
TWO_LOOP_THREADS=${TWO_LOOP_THREADS:-2}
TWO_LOOP_CONNS=${TWO_LOOP_CONNS:-256}
IDLE_CONNS=${IDLE_CONNS:-50000}
ECHO_CLIENT=${ECHO_CLIENT:-epoll}
ECHO_CLIENT_WARMUP=${ECHO_CLIENT_WARMUP:-2}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
SERVER_THREADS=${SERVER_THREADS:-1}
TWO_LOOP_SERVER_CPUS=${TWO_LOOP_SERVER_CPUS:-$SERVER_CPU}
IDLE_ROUNDS=${IDLE_ROUNDS:-$ROUNDS}
SKIP_BUILD=${SKIP_BUILD:-0}
SERVER_JVM_OPTS=${SERVER_JVM_OPTS:-"-Xms512m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
LOAD_JVM_OPTS=${LOAD_JVM_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled"}
IDLE_SERVER_JVM_OPTS=${IDLE_SERVER_JVM_OPTS:-"$SERVER_JVM_OPTS -XX:+AlwaysPreTouch"}
BASE_PORT=${BASE_PORT:-18080}
QUIET_PCT=${QUIET_PCT:-10}
QUIET_TIMEOUT=${QUIET_TIMEOUT:-60}
DISTURBED_PCT=${DISTURBED_PCT:-20}
ATTEMPTS=${ATTEMPTS:-3}
OUT=${OUT:-benchmarks/target/run-$(date +%Y%m%d-%H%M%S)}
JAR=benchmarks/target/proactor-benchmarks.jar
LUA=benchmarks/pipeline.lua
WRK=${WRK:-wrk}
CLK_TCK=$(getconf CLK_TCK)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# What a fresh machine lacks, installed the way .ci/run does it (Debian/Ubuntu, as root): wrk and taskset.
need=()
[ "$WRK" = wrk ] && ! command -v wrk >/dev/null && need+=(wrk)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing: ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
command -v "$WRK" >/dev/null || die "wrk not found (apt-get install wrk, or set WRK=/path/to/wrk)"
command -v taskset >/dev/null || die "taskset not found (util-linux)"
command -v mvn >/dev/null || [ "$SKIP_BUILD" = 1 ] || die "mvn not found (apt-get install maven; Java 17 is needed too)"

# Every connection is a descriptor on both sides: raise the open-files limit for the servers and the load.
need_fds=$(( (ECHO_MANY_CONNS > IDLE_CONNS ? ECHO_MANY_CONNS : IDLE_CONNS) + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need_fds" ]; then
  ulimit -n "$need_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
FD_LIMIT=$(ulimit -n)
if [ "$FD_LIMIT" != unlimited ] && [ "$IDLE_CONNS" -gt $((FD_LIMIT - 1024)) ]; then
  log "open files are limited to $FD_LIMIT here (ulimit -Hn; raising it needs CAP_SYS_RESOURCE):" \
      "idle measures $((FD_LIMIT - 1024)) connections instead of $IDLE_CONNS"
  IDLE_CONNS=$((FD_LIMIT - 1024))
fi
if [ "$FD_LIMIT" != unlimited ] && [ "$ECHO_MANY_CONNS" -gt $((FD_LIMIT - 1024)) ]; then
  die "echo-many needs $ECHO_MANY_CONNS connections but open files are limited to $FD_LIMIT"
fi

if [ "$SKIP_BUILD" != 1 ]; then
  log "building: mvn -q -B -pl benchmarks -am package -DskipTests"
  mvn -q -B -pl benchmarks -am package -DskipTests
fi
[ -f "$JAR" ] || die "$JAR missing"
mkdir -p "$OUT"

if [ -z "${TRANSPORTS:-}" ]; then
  TRANSPORTS=$(java -cp "$JAR" dev.proactor.bench.BenchServer --list | awk '$2 == "available" {print $1}' | xargs)
  java -cp "$JAR" dev.proactor.bench.BenchServer --list | grep -v ' available$' | sed 's/^/  not measured: /' >&2 || true
fi
read -r -a TRANSPORT_LIST <<< "$TRANSPORTS"
[ ${#TRANSPORT_LIST[@]} -gt 0 ] || die "no transports to measure"

declare -A PID PORT STATS_PORT
RESULTS="$OUT/results.tsv"
MEMORY="$OUT/memory.tsv"
: > "$RESULTS"
: > "$MEMORY"

stop_all() { # TERM every server, then wait for all of them (KILL after 10 s)
  set +e
  local t pid pids=()
  for t in "${!PID[@]}"; do
    pids+=("${PID[$t]}")
    unset "PID[$t]"
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && log "server pid $pid ignored SIGTERM for 10 s: killing it" && kill -KILL "$pid"
  done
  return 0
}
trap stop_all EXIT
trap 'exit 130' INT TERM

cpu_ticks() { # utime + stime of a process, in clock ticks (fields after the parenthesised command name)
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

machine_busy_ticks() { # all CPUs: user nice system irq softirq steal
  awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

wait_quiet() { # the machine is shared: wait until other processes leave the CPUs (mostly) alone
  local waited=0 b0 b1 pct
  while :; do
    b0=$(machine_busy_ticks); sleep 0.5; b1=$(machine_busy_ticks)
    pct=$(( (b1 - b0) * 200 / CLK_TCK ))
    [ "$pct" -le "$QUIET_PCT" ] && return 0
    if [ "$waited" -ge "$QUIET_TIMEOUT" ]; then
      log "other processes still use ${pct}% CPU after ${waited}s of waiting: measuring anyway (see 'other CPU')"
      return 0
    fi
    [ "$waited" = 0 ] && log "other processes use ${pct}% CPU: waiting for quiet (up to ${QUIET_TIMEOUT}s)"
    waited=$((waited + 2)); sleep 1.5
  done
}

start_server() { # transport workload port [threads] [cpus] [jvm opts] [log name]
  local t=$1 workload=$2 port=$3 threads=${4:-$SERVER_THREADS} cpus=${5:-$SERVER_CPU} opts=${6:-$SERVER_JVM_OPTS}
  local serverlog="$OUT/server-${7:-$2}-$1.log"
  # shellcheck disable=SC2086
  taskset -c "$cpus" java $opts -cp "$JAR" dev.proactor.bench.BenchServer \
    --transport "$t" --workload "$workload" --port "$port" --threads "$threads" \
    --stats-port $((port + 1000)) >"$serverlog" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    if grep -qs '^READY' "$serverlog"; then
      PID[$t]=$pid
      PORT[$t]=$port
      STATS_PORT[$t]=$((port + 1000))
      log "$(grep '^READY' "$serverlog")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  cat "$serverlog" >&2
  die "server $t/$workload did not start (log: $serverlog)"
}

server_stats() { # stats port -> the server's STATS line (connections, memory, Proactor driver counters)
  local line=
  exec 9<>"/dev/tcp/127.0.0.1/$1" || return 0
  echo stats >&9
  IFS= read -r -t 10 line <&9 || true
  exec 9<&- 9>&-
  echo "$line"
}

stat_field() { # "key=value ..." key -> value (empty if absent)
  echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'
}

# Proactor driver counters between two STATS lines, per request: "kernelWaits/req submits/req completions/wait
# syscalls/req" (syscalls: kernel waits plus direct calls); "-1 -1 -1 -1" for a transport without them.
driver_counters() { # before after requests
  local w0 w1 s0 s1 c0 c1 d0 d1
  w0=$(stat_field "$1" kernelWaits); w1=$(stat_field "$2" kernelWaits)
  if [ -z "$w0" ] || [ -z "$w1" ]; then echo "-1 -1 -1 -1"; return; fi
  s0=$(stat_field "$1" submitted); s1=$(stat_field "$2" submitted)
  c0=$(stat_field "$1" completions); c1=$(stat_field "$2" completions)
  d0=$(stat_field "$1" directCalls); d1=$(stat_field "$2" directCalls)
  awk -v w=$((w1 - w0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v d=$((d1 - d0)) -v n="$3" \
      'BEGIN { printf "%.4f %.4f %.2f %.4f\n", w / n, s / n, (w > 0 ? c / w : 0), (w + d) / n }'
}

to_us() { # wrk latency such as 812.00us, 1.20ms, 2.00s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000;
                         else if (v ~ /s$/) print n * 1000000; else print n }'
}

# wrk against one server; appends a result line. Arguments: label conns pipeline(0 = none) transport round
measure_http() {
  local label=$1 conns=$2 pipeline=$3 t=$4 round=$5 duration=${6:-$DURATION} record=${7:-1}
  local pid=${PID[$t]} url="http://127.0.0.1:${PORT[$t]}/plaintext"
  local wrklog="$OUT/wrk-$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')-$conns-$t-$round.log"
  local args=(-t1 -c "$conns" -d "${duration}s" --latency)
  [ "$pipeline" -gt 0 ] && args+=(-s "$LUA" "$url" -- "$pipeline") || args+=("$url")
  local c0 c1 m0 m1 times st0 st1
  st0=$(server_stats "${STATS_PORT[$t]}")
  c0=$(cpu_ticks "$pid"); m0=$(machine_busy_ticks)
  times=$( { TIMEFORMAT='%U %S %R'; time taskset -c "$LOAD_CPU" "$WRK" "${args[@]}" >"$wrklog" 2>&1; } 2>&1 )
  c1=$(cpu_ticks "$pid"); m1=$(machine_busy_ticks)
  st1=$(server_stats "${STATS_PORT[$t]}")
  [ "$record" = 1 ] || return 0
  local requests rps p99 errors
  requests=$(awk '/ requests in / {print $1}' "$wrklog")
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$wrklog")
  p99=$(to_us "$(awk '$1 == "99%" {print $2}' "$wrklog")")
  [ "$pipeline" -gt 0 ] && p99=-1 # wrk's percentiles are broken under pipelining (wg/wrk#236, #354)
  errors=$(awk '/Socket errors:/ {gsub(",", ""); s += $4 + $6 + $8 + $10} /Non-2xx/ {s += $NF} END {print s + 0}' "$wrklog")
  [ -n "$requests" ] && [ "$requests" -gt 0 ] || { cat "$wrklog" >&2; die "wrk produced no requests ($wrklog)"; }
  read -r u s r <<< "$times"
  read -r waits submits batch syscalls <<< "$(driver_counters "$st0" "$st1" "$requests")"
  awk -v label="$label" -v conns="$conns" -v t="$t" -v round="$round" -v rps="$rps" -v p99="$p99" \
      -v ticks=$((c1 - c0)) -v hz="$CLK_TCK" -v req="$requests" -v u="$u" -v s="$s" -v r="$r" -v err="$errors" \
      -v machine=$((m1 - m0)) -v waits="$waits" -v submits="$submits" -v batch="$batch" -v syscalls="$syscalls" \
      'BEGIN { cpu = ticks / hz; other = machine / hz - cpu - u - s; if (other < 0) other = 0;
               printf "%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.3f\t%.1f\t%.1f\t%d\t%.1f\t%s\t%s\t%s\t%s\n", label, conns, t,
                      round, rps, p99, cpu * 1e6 / req, 100 * cpu / r, 100 * (u + s) / r, err, 100 * other / r,
                      waits, submits, batch, syscalls }' \
      >> "$RESULTS"
}

# EchoLoad against one server; appends a result line. Arguments: label conns size transport round
measure_echo() {
  local label=$1 conns=$2 size=$3 t=$4 round=$5 duration=${6:-$DURATION} record=${7:-1}
  local echolog="$OUT/echo-$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')-$conns-$t-$round.log"
  # shellcheck disable=SC2086
  taskset -c "$LOAD_CPU" java $LOAD_JVM_OPTS -cp "$JAR" dev.proactor.bench.EchoLoad --transport "$ECHO_CLIENT" \
    --port "${PORT[$t]}" --connections "$conns" --size "$size" --warmup "$ECHO_CLIENT_WARMUP" \
    --duration "$duration" --server-pid "${PID[$t]}" --server-stats-port "${STATS_PORT[$t]}" \
    >"$echolog" 2>&1 || { cat "$echolog" >&2; die "EchoLoad failed"; }
  [ "$record" = 1 ] || return 0
  local line
  line=$(grep '^RESULT' "$echolog") || { cat "$echolog" >&2; die "EchoLoad printed no RESULT ($echolog)"; }
  field() { local v; v=$(stat_field "$line" "$1"); echo "${v:--1}"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$conns" "$t" "$round" \
    "$(field msgPerSec)" "$(field p99Us)" "$(field serverCpuUsPerMsg)" "$(field serverCpuPct)" "$(field loadCpuPct)" \
    "$(field errors)" "$(field otherCpuPct)" "$(field serverKernelWaitsPerMsg)" "$(field serverSubmitsPerMsg)" \
    "$(field serverCompletionsPerWait)" "$(field serverSyscallsPerMsg)" >> "$RESULTS"
}

last_result() { # the line just measured, for the progress log
  tail -n 1 "$RESULTS" | awk -F'\t' '{printf "%s/s, p99 %s us, server %s us/op (%s%% CPU), load %s%% CPU, other %s%% CPU, errors %s",
                                        $5, $6, $7, $8, $9, $11, $10;
                                      if ($12 >= 0) printf ", %s kernel waits/op, %s driver syscalls/op, %s completions/wait", $12, $15, $14}'
}

# One transport's server alone (it holds every connection): memory per idle connection. Arguments: transport round
measure_idle() {
  local t=$1 round=$2 port=$((BASE_PORT + 300)) idlelog="$OUT/idle-$1-$2.log"
  start_server "$t" echo "$port" 1 "$SERVER_CPU" "$IDLE_SERVER_JVM_OPTS" "idle-$round"
  # shellcheck disable=SC2086
  taskset -c "$LOAD_CPU" java $LOAD_JVM_OPTS -cp "$JAR" dev.proactor.bench.IdleConnections --transport "$t" \
    --port "$port" --stats-port "${STATS_PORT[$t]}" --connections "$IDLE_CONNS" >"$idlelog" 2>&1 \
    || { cat "$idlelog" >&2; die "IdleConnections failed"; }
  stop_all
  local line
  line=$(grep '^RESULT' "$idlelog") || { cat "$idlelog" >&2; die "IdleConnections printed no RESULT ($idlelog)"; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$round" "$(stat_field "$line" connections)" \
    "$(stat_field "$line" heapBytesPerConn)" "$(stat_field "$line" rssBytesPerConn)" "$(stat_field "$line" rssMiB)" \
    "$(stat_field "$line" connectSeconds)" >> "$MEMORY"
  log "idle, round $round, $t: $(stat_field "$line" connections) connections," \
      "$(stat_field "$line" heapBytesPerConn) heap bytes and $(stat_field "$line" rssBytesPerConn) RSS bytes per connection"
}

rotated() { # the transports, starting at index $1 mod n: each round begins with a different one
  local n=${#TRANSPORT_LIST[@]} i
  for ((i = 0; i < n; i++)); do echo "${TRANSPORT_LIST[$(( ($1 + i) % n ))]}"; done
}

# rows: "phase|label|conns|parameter" (parameter: requests pipelined per write for http, message size for echo)
ROWS=()
IDLE=0
for w in $WORKLOADS; do
  case $w in
    http-pipelined) for c in $HTTP_CONNS; do ROWS+=("http|HTTP plaintext, $PIPELINE pipelined per write|$c|$PIPELINE"); done ;;
    http)           for c in $HTTP_CONNS; do ROWS+=("http|HTTP plaintext, not pipelined|$c|0"); done ;;
    echo)           for c in $ECHO_CONNS; do ROWS+=("echo|TCP echo, $ECHO_SIZE-byte ping-pong|$c|$ECHO_SIZE"); done ;;
    echo-large)     for size in $ECHO_LARGE_SIZES; do
                      ROWS+=("echo|TCP echo, $size-byte ping-pong|$ECHO_LARGE_CONNS|$size"); done ;;
    echo-many)      ROWS+=("echo|TCP echo, $ECHO_SIZE-byte ping-pong|$ECHO_MANY_CONNS|$ECHO_SIZE") ;;
    echo-2loops)    ROWS+=("echo2|TCP echo, $ECHO_SIZE-byte ping-pong, $TWO_LOOP_THREADS server loops|$TWO_LOOP_CONNS|$ECHO_SIZE") ;;
    idle)           IDLE=1 ;;
    *) die "unknown workload '$w' (http-pipelined, http, echo, echo-large, echo-many, echo-2loops, idle)" ;;
  esac
done

total=$(( ${#ROWS[@]} * ROUNDS * ${#TRANSPORT_LIST[@]} ))
done_count=0
started=$(date +%s)
for phase in http echo echo2; do
  phase_rows=()
  for row in "${ROWS[@]}"; do [ "${row%%|*}" = "$phase" ] && phase_rows+=("$row"); done
  [ ${#phase_rows[@]} -gt 0 ] || continue

  port=$BASE_PORT threads=$SERVER_THREADS cpus=$SERVER_CPU workload=$phase
  [ "$phase" = echo ] && port=$((BASE_PORT + 100))
  [ "$phase" = echo2 ] && port=$((BASE_PORT + 200)) threads=$TWO_LOOP_THREADS cpus=$TWO_LOOP_SERVER_CPUS workload=echo
  for t in "${TRANSPORT_LIST[@]}"; do
    start_server "$t" "$workload" "$port" "$threads" "$cpus" "$SERVER_JVM_OPTS" "$phase"
    port=$((port + 1))
  done
  for t in "${TRANSPORT_LIST[@]}"; do
    wait_quiet
    log "warming up $t ($phase, ${WARMUP}s)"
    if [ "$phase" = http ]; then
      measure_http warmup 256 "$PIPELINE" "$t" 0 "$WARMUP" 0
      measure_http warmup 64 0 "$t" 0 2 0
    else
      measure_echo warmup 256 "$ECHO_SIZE" "$t" 0 "$WARMUP" 0
    fi
  done

  for row in "${phase_rows[@]}"; do
    IFS='|' read -r kind label conns param <<< "$row"
    for ((round = 1; round <= ROUNDS; round++)); do
      while read -r t; do
        : > "$OUT/attempts.tsv"
        for ((attempt = 1; attempt <= ATTEMPTS; attempt++)); do
          wait_quiet
          if [ "$kind" = http ]; then
            measure_http "$label" "$conns" "$param" "$t" "$round"
          else
            measure_echo "$label" "$conns" "$param" "$t" "$round"
          fi
          tail -n 1 "$RESULTS" >> "$OUT/attempts.tsv"
          sed -i '$d' "$RESULTS"
          other=$(tail -n 1 "$OUT/attempts.tsv" | cut -f11)
          awk -v o="$other" -v max="$DISTURBED_PCT" 'BEGIN { exit !(o <= max) }' && break
          [ "$attempt" -lt "$ATTEMPTS" ] && log "$t disturbed (other processes took ${other}% CPU): measuring again"
        done
        sort -t $'\t' -k11,11g "$OUT/attempts.tsv" | head -n 1 >> "$RESULTS"
        done_count=$((done_count + 1))
        log "[$done_count/$total] $label, $conns conns, round $round, $t: $(last_result)"
      done < <(rotated $((round - 1)))
    done
  done
  stop_all
done

if [ "$IDLE" = 1 ]; then
  for ((round = 1; round <= IDLE_ROUNDS; round++)); do
    while read -r t; do
      wait_quiet
      measure_idle "$t" "$round"
    done < <(rotated $((round - 1)))
  done
fi

{
  echo "# Proactor benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Command: \`DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS TRANSPORTS=\"$TRANSPORTS\" WORKLOADS=\"$WORKLOADS\" benchmarks/run.sh\`"
  echo
  echo "Host: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), Linux $(uname -r);" \
       "$(java -version 2>&1 | head -1); server on CPU $SERVER_CPU with $SERVER_THREADS event loop thread(s)," \
       "load on CPU $LOAD_CPU (wrk -t1; EchoLoad on Netty $ECHO_CLIENT); ${DURATION}s per measurement," \
       "median of $ROUNDS rounds; wall time $(( $(date +%s) - started ))s."
  echo "Server CPU = utime+stime of the whole server JVM over the measured interval, divided by requests."
  echo "Open-files limit $FD_LIMIT; idle: $IDLE_CONNS connections per server, $IDLE_ROUNDS round(s)."
  echo
  echo "![throughput and CPU per request](results.png)"
  echo
  java -cp "$JAR" dev.proactor.bench.Report "$RESULTS" "$MEMORY"
} > "$OUT/results.md"
java -Djava.awt.headless=true -cp "$JAR" dev.proactor.bench.Chart "$RESULTS" "$OUT/results.png" "$MEMORY"
cat "$OUT/results.md"
log "raw results: $RESULTS and $MEMORY, chart $OUT/results.png, logs in $OUT"
