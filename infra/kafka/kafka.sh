#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, broker+controller in one JVM) without
# Docker: the broker's jars come from Maven Central (infra/kafka/pom.xml).
#
#   infra/kafka/kafka.sh fetch    resolve the jars once into the cache
#   infra/kafka/kafka.sh start    fetch if needed, format storage once, start,
#                                 wait until a metadata request succeeds
#   infra/kafka/kafka.sh stop     SIGTERM (SIGKILL after KAFKA_STOP_TIMEOUT)
#   infra/kafka/kafka.sh status   exit 0 if running and listening, 1 if not
#   infra/kafka/kafka.sh reset    stop and delete the data dir
#   infra/kafka/kafka.sh logs     tail the broker log
#
# Environment (all optional):
#   KAFKA_PORT             client port on 127.0.0.1            (9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port               (KAFKA_PORT+1)
#   KAFKA_DATA_DIR         data, config, logs, pid             (<repo>/.data/kafka-$KAFKA_PORT)
#   KAFKA_CACHE_DIR        jar cache root; jars in <it>/<version>/libs  (<repo>/.cache/kafka)
#   KAFKA_HEAP             JVM heap flags                      (-Xms256m -Xmx512m)
#   KAFKA_JVM_OPTS         extra JVM flags for the broker      (none)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness       (60)
#   KAFKA_STOP_TIMEOUT     seconds before SIGKILL              (30)
#   JAVA_HOME              Java 17+ (else `java` on PATH); Maven (`mvn`) for fetch
#   infra/kafka/kafka.sh help (or any command with --help) prints this and changes nothing.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
POM="$SCRIPT_DIR/pom.xml"

die() { echo "kafka.sh: $*" >&2; exit 1; }
log() { echo "kafka.sh: $*" >&2; }

KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\([^<]*\)</kafka\.version>.*:\1:p' "$POM" | head -n 1)
[[ -n "$KAFKA_VERSION" ]] || die "cannot read <kafka.version> from $POM"
KAFKA_MAJOR=${KAFKA_VERSION%%.*}

KAFKA_PORT=${KAFKA_PORT:-9092}
[[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
[[ "$KAFKA_CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_CONTROLLER_PORT must be a number"
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
KAFKA_DATA_DIR=${KAFKA_DATA_DIR:-$REPO_ROOT/.data/kafka-$KAFKA_PORT}
[[ "$KAFKA_DATA_DIR" = /* ]] || KAFKA_DATA_DIR="$PWD/$KAFKA_DATA_DIR"
KAFKA_DATA_DIR=${KAFKA_DATA_DIR%/}
KAFKA_CACHE_DIR=${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka}
KAFKA_HEAP=${KAFKA_HEAP:--Xms256m -Xmx512m}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-60}
KAFKA_STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}

VERSION_DIR="$KAFKA_CACHE_DIR/$KAFKA_VERSION"
LIBS="$VERSION_DIR/libs"
MARKER="$VERSION_DIR/.complete"
PROPS="$KAFKA_DATA_DIR/server.properties"
LOG_DIRS="$KAFKA_DATA_DIR/kraft"
PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
OUT_FILE="$KAFKA_DATA_DIR/kafka.out"
BROKER_LOG="$KAFKA_DATA_DIR/broker.log"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

JAVA=java
[[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME:-}/bin/java" ]] && JAVA="$JAVA_HOME/bin/java"

if ((KAFKA_MAJOR >= 4)); then
  LOG_CONFIG="$SCRIPT_DIR/log4j2.xml"
  LOG_OPTS=("-Dlog4j2.configurationFile=$LOG_CONFIG" "-Dkafka.logs.dir=$KAFKA_DATA_DIR")
else
  LOG_CONFIG="$SCRIPT_DIR/log4j.properties"
  LOG_OPTS=("-Dlog4j.configuration=file:$LOG_CONFIG" "-Dkafka.logs.dir=$KAFKA_DATA_DIR")
fi

# --- helpers ---------------------------------------------------------------

# Serialise start/stop/reset (and fetch) between concurrent callers. The lock
# fd (9) must not leak into the broker, or the lock would live as long as it.
lock() {
  command -v flock > /dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$1")"
  exec 9> "$1"
  flock -w "$((KAFKA_START_TIMEOUT + KAFKA_STOP_TIMEOUT + 60))" 9 || die "timed out waiting for lock $1"
}

check_java() {
  command -v "$JAVA" > /dev/null 2>&1 || die "java not found (need Java 17+; set JAVA_HOME or PATH)"
  local v
  v=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  [[ -n "$v" && "$v" -ge 17 ]] || die "Java 17+ required, found: $("$JAVA" -version 2>&1 | head -n 1)"
}

tcp_open() { # host port
  (exec 3<> "/dev/tcp/$1/$2") > /dev/null 2>&1
}

# Is $1 a live (non-zombie) broker process started for this data dir?
is_our_broker() {
  local pid=$1 args stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2> /dev/null || return 1
  stat=$(ps -o stat= -p "$pid" 2> /dev/null || true)
  [[ "$stat" != Z* ]] || return 1
  args=$(ps -ww -o args= -p "$pid" 2> /dev/null || true)
  [[ "$args" == *"kafka.Kafka $PROPS"* ]]
}

# Pid of this data dir's broker (pid file first, else a process whose command
# line names this data dir's server.properties); empty if none is running.
broker_pid() {
  local pid=""
  [[ -f "$PID_FILE" ]] && pid=$(tr -dc '0-9' < "$PID_FILE")
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  pid=$(ps -ww -eo pid=,args= 2> /dev/null | awk -v p="kafka.Kafka $PROPS" 'index($0, p) { print $1; exit }')
  if [[ -n "$pid" ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  return 0
}

file_size() { if [[ -f "$1" ]]; then wc -c < "$1" | tr -d ' '; else echo 0; fi; }
MARK_BROKER_LOG=0 MARK_OUT_FILE=0
mark_logs() { MARK_BROKER_LOG=$(file_size "$BROKER_LOG"); MARK_OUT_FILE=$(file_size "$OUT_FILE"); }

# Tail of what the broker wrote since mark_logs (whole files if never marked).
print_logs() {
  local f mark
  for f in "$BROKER_LOG" "$OUT_FILE"; do
    mark=$MARK_OUT_FILE
    [[ "$f" == "$BROKER_LOG" ]] && mark=$MARK_BROKER_LOG
    (($(file_size "$f") >= mark)) || mark=0 # rolled over
    (($(file_size "$f") > mark)) || continue
    echo "----- $f (last 40 lines of this attempt) -----" >&2
    tail -c +"$((mark + 1))" "$f" | tail -n 40 >&2
  done
}

random_cluster_id() { # 16 random bytes, base64url without padding, not starting with '-'
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ "$id" != -* && ${#id} -eq 22 ]] && { echo "$id"; return; }
  done
}

write_properties() {
  mkdir -p "$KAFKA_DATA_DIR" "$LOG_DIRS"
  cat > "$PROPS.tmp" << EOF
# Generated by infra/kafka/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$LOG_DIRS

auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0

log.retention.hours=24
log.retention.bytes=268435456
log.segment.bytes=67108864
log.retention.check.interval.ms=300000

# sized for a 2-core dev/CI machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=33554432
EOF
  mv "$PROPS.tmp" "$PROPS"
}

# --- subcommands -----------------------------------------------------------

cmd_fetch() {
  local stamp
  stamp="$KAFKA_VERSION $(cksum < "$POM" | tr -s ' ' ':')"
  if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$stamp" ]]; then
    return 0
  fi
  command -v mvn > /dev/null 2>&1 || die "mvn not found (Maven is needed once to fetch Kafka $KAFKA_VERSION)"
  mkdir -p "$VERSION_DIR"
  (
    lock "$VERSION_DIR/.lock"
    if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$stamp" ]]; then exit 0; fi
    log "fetching Kafka $KAFKA_VERSION jars into $LIBS"
    rm -rf "$LIBS.tmp" "$MARKER"
    local t0=$SECONDS
    if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" \
      < /dev/null > "$VERSION_DIR/fetch.log" 2>&1 9>&-; then
      sed 's/\x1b\[[0-9;]*m//g' "$VERSION_DIR/fetch.log" | tail -n 40 >&2
      rm -rf "$LIBS.tmp"
      die "mvn dependency:copy-dependencies failed (full output: $VERSION_DIR/fetch.log)"
    fi
    [[ -f "$LIBS.tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
    # swap with two renames: a broker already running from $LIBS keeps working
    rm -rf "$LIBS.old"
    [[ -d "$LIBS" ]] && mv "$LIBS" "$LIBS.old"
    mv "$LIBS.tmp" "$LIBS"
    rm -rf "$LIBS.old"
    echo "$stamp" > "$MARKER"
    log "fetched $(ls "$LIBS" | wc -l | tr -d ' ') jars in $((SECONDS - t0))s"
  )
}

# Wait until the port answers and a metadata request succeeds. Returns 1 with
# the reason on stderr when the broker exits or the timeout passes.
wait_ready() {
  local pid=$1 deadline=$((SECONDS + KAFKA_START_TIMEOUT)) remaining out
  until tcp_open 127.0.0.1 "$KAFKA_PORT"; do
    if ! is_our_broker "$pid"; then
      log "broker (pid $pid) exited during startup"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "port $KAFKA_PORT not answering after ${KAFKA_START_TIMEOUT}s"
      return 1
    fi
    sleep 0.3
  done
  remaining=$((deadline - SECONDS))
  ((remaining >= 5)) || remaining=5
  if out=$("$JAVA" -Xshare:auto -XX:TieredStopAtLevel=1 -Xmx64m -Dlog4j2.level=OFF \
    -cp "$LIBS/*" "$SCRIPT_DIR/KafkaReady.java" "$BOOTSTRAP" "$((remaining * 1000))" \
    2> /dev/null 9>&- < /dev/null); then
    return 0
  fi
  log "metadata request to $BOOTSTRAP failed: ${out:-probe failed to run}"
  return 1
}

cmd_start() {
  check_java
  [[ -f "$LOG_CONFIG" ]] || die "missing $LOG_CONFIG"
  cmd_fetch
  mkdir -p "$KAFKA_DATA_DIR"
  lock "$KAFKA_DATA_DIR.lock"

  local pid
  pid=$(broker_pid)
  if [[ -n "$pid" ]]; then
    if wait_ready "$pid"; then
      log "already running (pid $pid) on $BOOTSTRAP"
      return 0
    fi
    print_logs
    die "a broker (pid $pid) runs for $KAFKA_DATA_DIR but is not healthy; try: $0 stop"
  fi
  rm -f "$PID_FILE"

  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if tcp_open 127.0.0.1 "$p"; then
      die "port $p on 127.0.0.1 is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
    fi
  done

  write_properties
  mark_logs
  if [[ ! -f "$LOG_DIRS/meta.properties" ]]; then
    local cid
    cid=$(random_cluster_id)
    log "formatting KRaft storage in $LOG_DIRS (cluster id $cid)"
    if ! "$JAVA" -Xmx256m "${LOG_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool \
      format -t "$cid" -c "$PROPS" < /dev/null >> "$OUT_FILE" 2>&1 9>&-; then
      print_logs
      die "formatting storage failed"
    fi
  fi

  local t0=$SECONDS setsid_cmd=()
  command -v setsid > /dev/null 2>&1 && setsid_cmd=(setsid)
  echo "===== $(date '+%Y-%m-%dT%H:%M:%S') starting Kafka $KAFKA_VERSION on $BOOTSTRAP" >> "$OUT_FILE"
  # shellcheck disable=SC2086  # KAFKA_HEAP / KAFKA_JVM_OPTS are flag lists
  nohup ${setsid_cmd[@]+"${setsid_cmd[@]}"} "$JAVA" $KAFKA_HEAP \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    $KAFKA_JVM_OPTS "${LOG_OPTS[@]}" -cp "$LIBS/*" kafka.Kafka "$PROPS" \
    < /dev/null >> "$OUT_FILE" 2>&1 9>&- &
  pid=$!
  echo "$pid" > "$PID_FILE"

  if ! wait_ready "$pid"; then
    print_logs
    kill -KILL "$pid" 2> /dev/null || true
    rm -f "$PID_FILE"
    die "Kafka did not become ready on $BOOTSTRAP (data: $KAFKA_DATA_DIR); broker stopped"
  fi
  log "Kafka $KAFKA_VERSION ready on $BOOTSTRAP (pid $pid, ${SECONDS}s total, $((SECONDS - t0))s after launch, data $KAFKA_DATA_DIR)"
}

cmd_stop() {
  mkdir -p "$(dirname "$KAFKA_DATA_DIR")"
  lock "$KAFKA_DATA_DIR.lock"
  local pid waited=0
  pid=$(broker_pid)
  if [[ -z "$pid" ]]; then
    rm -f "$PID_FILE"
    log "not running ($BOOTSTRAP, $KAFKA_DATA_DIR)"
    return 0
  fi
  kill -TERM "$pid" 2> /dev/null || true
  while is_our_broker "$pid"; do
    if ((waited >= KAFKA_STOP_TIMEOUT * 5)); then
      log "pid $pid still alive after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2> /dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

cmd_status() {
  local pid
  pid=$(broker_pid)
  if [[ -n "$pid" ]] && tcp_open 127.0.0.1 "$KAFKA_PORT"; then
    echo "running: Kafka $KAFKA_VERSION pid $pid on $BOOTSTRAP (data $KAFKA_DATA_DIR)"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    echo "starting or unhealthy: pid $pid, port $KAFKA_PORT not answering (data $KAFKA_DATA_DIR)"
  else
    echo "not running ($BOOTSTRAP, data $KAFKA_DATA_DIR)"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  local d=$KAFKA_DATA_DIR
  case "$d" in
    "" | / | "$HOME" | "$REPO_ROOT" | "$REPO_ROOT/.data" | "$SCRIPT_DIR"*) die "refusing to delete '$d'" ;;
  esac
  if [[ -d "$d" ]]; then
    if [[ -n "$(ls -A "$d")" && ! -f "$d/server.properties" && ! -d "$d/kraft" ]]; then
      die "refusing to delete '$d': it does not look like a kafka.sh data dir"
    fi
    rm -rf "$d"
  fi
  rm -f "$d.lock"
  log "deleted $d"
}

cmd_logs() {
  [[ -f "$BROKER_LOG" ]] || die "no log at $BROKER_LOG"
  tail -n "${1:-100}" "$BROKER_LOG"
}

usage() {
  sed -n '2,/^[^#]/p' "$0" | sed -n 's/^# \{0,1\}//p'
  # help still proves the script can run: the files start needs are where it expects them
  local f
  for f in "$POM" "$LOG_CONFIG" "$SCRIPT_DIR/KafkaReady.java"; do
    [[ -f "$f" ]] || die "missing $f"
  done
}

# `<command> --help` (e.g. `npm run kafka:start -- --help`) prints the usage and does nothing else.
for arg in "$@"; do
  [[ "$arg" == -h || "$arg" == --help ]] && set -- help
done

case "${1:-}" in
  fetch) check_java; cmd_fetch; log "Kafka $KAFKA_VERSION jars in $LIBS" ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  logs) shift; cmd_logs "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
