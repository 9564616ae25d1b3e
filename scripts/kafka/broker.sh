#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, broker+controller in one JVM) for tests, assembled from Maven Central.
#
#   bash scripts/kafka/broker.sh start   [--port 19092] [--controller-port 19093] [--dir DIR]
#   bash scripts/kafka/broker.sh stop    [same options]
#   bash scripts/kafka/broker.sh status  [same options]
#   bash scripts/kafka/broker.sh clean   [same options]   # stop and delete the instance's data
#
# `start` is idempotent: it resolves the jars into ~/.m2 (first time only), formats the log dir if it is new, starts
# the JVM in the background, waits until the broker answers a metadata request and prints the bootstrap address
# (host:port) as the last line of stdout. The data survives stop/start (tests stop the broker and expect their
# topics back); `clean` removes it. Several instances can run side by side on different ports.
#
# Environment (flags win): KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_STATE_DIR (default <repo>/.kafka, git-ignored),
# KAFKA_CACHE_DIR (resolved classpath, default <repo>/.kafka), KAFKA_VERSION (default 4.1.1), KAFKA_HEAP_OPTS (default -Xms256m -Xmx512m), KAFKA_START_TIMEOUT (seconds, 120).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"

cmd="${1:-}"
[ $# -gt 0 ] && shift
HOST=127.0.0.1
PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-}"
STATE_DIR="${KAFKA_STATE_DIR:-$REPO_DIR/.kafka}"
VERSION="${KAFKA_VERSION:-4.1.1}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --controller-port) CONTROLLER_PORT="$2"; shift 2 ;;
    --dir) STATE_DIR="$2"; shift 2 ;;
    *) echo "broker.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
CONTROLLER_PORT="${CONTROLLER_PORT:-$((PORT + 1))}"
INSTANCE_DIR="$STATE_DIR/broker-$PORT"
PID_FILE="$INSTANCE_DIR/kafka.pid"
LOG_FILE="$INSTANCE_DIR/server.log"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_DIR/.kafka}"
CLASSPATH_FILE="$CACHE_DIR/classpath-$VERSION.txt"
BOOTSTRAP="$HOST:$PORT"

log() { echo "kafka[$PORT]: $*" >&2; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Resolves the broker's jars (downloads into ~/.m2 once) and records the classpath.
resolve_classpath() {
  if [ -s "$CLASSPATH_FILE" ] && tr ':' '\n' <"$CLASSPATH_FILE" | while read -r jar; do [ -f "$jar" ] || exit 1; done; then
    return 0
  fi
  log "resolving org.apache.kafka:kafka_2.13:$VERSION and its runtime dependencies with Maven"
  mkdir -p "$CACHE_DIR"
  mvn -q -B -f "$SCRIPT_DIR/pom.xml" dependency:build-classpath -Dkafka.version="$VERSION" \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2
}

write_config() {
  cat >"$INSTANCE_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$INSTANCE_DIR/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.retention.hours=24
log.segment.bytes=16777216
EOF
}

# The JVM command line for one of Kafka's main classes, in the array JAVA_CMD.
java_cmd() {
  local main="$1"; shift
  # shellcheck disable=SC2206
  JAVA_CMD=(java $HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.showDateTime=true
    -Dorg.slf4j.simpleLogger.log.kafka.log=warn -Dorg.slf4j.simpleLogger.log.org.apache.kafka.storage=warn
    -cp "$(cat "$CLASSPATH_FILE")" "$main" "$@")
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT)) probe_rc
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the broker process exited during start-up; last lines of $LOG_FILE:"
      tail -n 30 "$LOG_FILE" >&2 || true
      return 1
    fi
    if port_open "$PORT"; then
      probe_rc=0
      node --no-warnings "$SCRIPT_DIR/probe.mjs" "$BOOTSTRAP" || probe_rc=$?
      [ "$probe_rc" -eq 0 ] && return 0
      # Without kafkajs installed (no pnpm install yet) an open port is the best available signal.
      if [ "$probe_rc" -eq 2 ]; then log "kafkajs not installed: readiness judged by the open port only"; return 0; fi
    fi
    sleep 0.5
  done
  log "not ready after ${START_TIMEOUT}s; see $LOG_FILE"
  return 1
}

start() {
  mkdir -p "$INSTANCE_DIR"
  exec 9>"$INSTANCE_DIR/.lock"
  flock 9
  local pid
  if pid="$(running_pid)"; then
    wait_ready "$pid"
    log "already running (pid $pid)"
    echo "$BOOTSTRAP"
    return 0
  fi
  if port_open "$PORT" || port_open "$CONTROLLER_PORT"; then
    log "port $PORT or $CONTROLLER_PORT is taken by another process"; return 1
  fi
  command -v java >/dev/null || { log "java not found (needs Java 17+)"; return 1; }
  local began=$SECONDS
  resolve_classpath
  write_config
  if [ ! -f "$INSTANCE_DIR/data/meta.properties" ]; then
    local cluster_id
    java_cmd kafka.tools.StorageTool random-uuid
    cluster_id="$("${JAVA_CMD[@]}" 2>/dev/null | tail -n 1)"
    java_cmd kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$INSTANCE_DIR/server.properties" --ignore-formatted
    "${JAVA_CMD[@]}" >>"$LOG_FILE" 2>&1
    log "formatted a new log dir (cluster $cluster_id)"
  fi
  # setsid: the broker outlives the shell that started it and gets none of the caller's terminal signals. Without job
  # control the background child is no group leader, so setsid execs in place and $! is the JVM's pid.
  java_cmd kafka.Kafka "$INSTANCE_DIR/server.properties"
  setsid "${JAVA_CMD[@]}" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_ready "$pid"
  log "ready in $((SECONDS - began))s (pid $pid, Kafka $VERSION, log $LOG_FILE)"
  echo "$BOOTSTRAP"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"; rm -f "$PID_FILE"; return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 45))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "no clean exit after 45s, killing"; kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  log "stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running pid=$pid bootstrap=$BOOTSTRAP dir=$INSTANCE_DIR"
  else
    echo "stopped bootstrap=$BOOTSTRAP dir=$INSTANCE_DIR"
    return 3
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  clean) stop; rm -rf "$INSTANCE_DIR"; log "removed $INSTANCE_DIR" ;;
  *) sed -n '2,16p' "$0" >&2; exit 64 ;;
esac
