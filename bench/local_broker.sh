#!/usr/bin/env bash
# A throw-away single-node KRaft broker for the benchmarks, used only when the test harness
# (tests/harness/kafka.sh) is not available. Jars come from Maven through bench/kafka-pom.xml
# and are cached in $BENCH_KAFKA_HOME/libs.
#
#   bench/local_broker.sh start PORT   -> prints "bootstrap=127.0.0.1:PORT pid=PID dir=DIR"
#   bench/local_broker.sh stop PORT
#
# Sized for the scale workload: 10k+ partitions need a larger heap and many file descriptors.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_HOME="${BENCH_KAFKA_HOME:-/tmp/bench-kafka}"
LIBS="$KAFKA_HOME/libs"
START_TIMEOUT_S="${BENCH_BROKER_START_TIMEOUT_S:-120}"
STOP_TIMEOUT_S=60

fetch_jars() {
  if [[ -d "$LIBS" ]] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
    return
  fi
  mkdir -p "$KAFKA_HOME"
  cp "$BENCH_DIR/kafka-pom.xml" "$KAFKA_HOME/pom.xml"
  timeout 900 mvn -B -q -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS"
}

free_port_check() {
  local port="$1"
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use" >&2
    exit 1
  fi
}

start() {
  local port="$1"
  local cport=$((port + 1))
  local dir="$KAFKA_HOME/broker-$port"
  free_port_check "$port"
  free_port_check "$cport"
  fetch_jars
  rm -rf "$dir"
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.io.threads=4
num.network.threads=2
PROPS
  cat >"$dir/log4j.properties" <<'LOG'
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${kafka.logs.dir}/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.log.LogManager=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.cluster.Partition=WARN
log4j.logger.kafka.log.UnifiedLog=WARN
log4j.logger.kafka.log.LocalLog=WARN
LOG
  local cluster_id
  cluster_id="$(java -cp "$LIBS/*" -Dlog4j.configuration="file:$dir/log4j.properties" \
    kafka.tools.StorageTool random-uuid)"
  java -cp "$LIBS/*" -Dlog4j.configuration="file:$dir/log4j.properties" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" >"$dir/format.log"
  nohup java -Xms1g -Xmx1g -XX:+UseG1GC -Dkafka.logs.dir="$dir" \
    -Dlog4j.configuration="file:$dir/log4j.properties" -cp "$LIBS/*" \
    kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/pid"
  local waited=0
  until grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "broker exited during start-up; see $dir" >&2
      exit 1
    fi
    if ((waited >= START_TIMEOUT_S)); then
      echo "broker not started after ${START_TIMEOUT_S}s; see $dir" >&2
      kill "$pid" || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "bootstrap=127.0.0.1:$port pid=$pid dir=$dir"
}

stop() {
  local port="$1"
  local dir="$KAFKA_HOME/broker-$port"
  [[ -f "$dir/pid" ]] || return 0
  local pid
  pid="$(cat "$dir/pid")"
  kill "$pid" 2>/dev/null || return 0
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= STOP_TIMEOUT_S)); then
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) start "${2:?port}" ;;
  stop) stop "${2:?port}" ;;
  *)
    echo "usage: $0 start|stop PORT" >&2
    exit 2
    ;;
esac
