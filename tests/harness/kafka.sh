#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft, broker+controller in one JVM) for tests and the demo,
# run from the jars Maven Central publishes, so no distribution tarball is needed.
#
#   kafka.sh fetch [VERSION]              gather the jars into the cache (reused when complete)
#   kafka.sh start [VERSION] DIR          format DIR and start a broker; writes DIR/bootstrap, DIR/pid
#   kafka.sh stop DIR                     SIGTERM, bounded wait, then SIGKILL
#   kafka.sh restart DIR                  stop, then start again on the same ports and data
#   kafka.sh consumer-groups DIR ARGS...  Kafka's own kafka-consumer-groups against that broker
#
# Versions: 4.3.1 (default) and 3.9.x. Cache: ${LAGWATCH_CACHE:-$HOME/.cache/lagwatch}/kafka-VERSION.
# Broker JVM options: LAGWATCH_KAFKA_JVM_OPTS (default "-Xms256m -Xmx512m -XX:+UseSerialGC
# -XX:TieredStopAtLevel=1", sized for tests).
# Extensions for a secured broker (tests/harness/secured_kafka.py), read by `start` and kept for
# `restart`: LAGWATCH_KAFKA_EXTRA_PROPERTIES (a file appended to server.properties, later keys
# win; @PORT@ and @CONTROLLER_PORT@ are replaced by the ports chosen here),
# LAGWATCH_KAFKA_FORMAT_ARGS (more storage format arguments, e.g. --add-scram ...; split on
# whitespace) and LAGWATCH_KAFKA_JVM_EXTRA (more JVM options, e.g. system properties).
set -euo pipefail

readonly DEFAULT_VERSION="4.3.1"
readonly START_TIMEOUT_S="${LAGWATCH_KAFKA_START_TIMEOUT:-90}"
readonly STOP_TIMEOUT_S=30
readonly CACHE_ROOT="${LAGWATCH_CACHE:-${HOME}/.cache/lagwatch}"

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

cache_dir() { echo "${CACHE_ROOT}/kafka-$1"; }
jars_dir() { echo "$(cache_dir "$1")/jars"; }

is_kafka3() { [[ "$1" == 3.* ]]; }

# Kafka 3.9 logs through slf4j 1.7 + reload4j; 4.x through log4j2 (bound to slf4j 1.7 by
# log4j-slf4j-impl). Without a backend the broker logs nothing and readiness cannot be seen.
logging_dependencies() {
  local version="$1"
  if is_kafka3 "${version}"; then
    dependency org.slf4j slf4j-reload4j 1.7.36
    dependency ch.qos.reload4j reload4j 1.2.25
  else
    local log4j2="2.25.4"
    dependency org.apache.logging.log4j log4j-slf4j-impl "${log4j2}"
    dependency org.apache.logging.log4j log4j-api "${log4j2}"
    dependency org.apache.logging.log4j log4j-core "${log4j2}"
  fi
}

dependency() {
  printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' \
    "$1" "$2" "$3"
}

write_pom() {
  local version="$1" pom="$2"
  {
    cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lagwatch.test</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <dependencies>
EOF
    dependency org.apache.kafka kafka_2.13 "${version}"
    dependency org.apache.kafka kafka-tools "${version}"
    logging_dependencies "${version}"
    cat <<EOF
  </dependencies>
</project>
EOF
  } >"${pom}"
}

cmd_fetch() {
  local version="${1:-${DEFAULT_VERSION}}"
  local dir jars
  dir="$(cache_dir "${version}")"
  jars="$(jars_dir "${version}")"
  # The marker is written last, so an interrupted download is redone rather than trusted.
  if [[ -f "${dir}/complete" ]]; then
    echo "${jars}"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (run scripts/install-deps.sh)"
  mkdir -p "${dir}"
  rm -rf "${jars}"
  write_pom "${version}" "${dir}/pom.xml"
  echo "kafka.sh: fetching Kafka ${version} jars into ${jars}" >&2
  (cd "${dir}" && mvn -B -q -Dstyle.color=never -f pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="${jars}") >&2 ||
    die "mvn could not fetch Kafka ${version}"
  compgen -G "${jars}/kafka_2.13-${version}.jar" >/dev/null || die "kafka_2.13-${version}.jar missing"
  compgen -G "${jars}/kafka-tools-${version}.jar" >/dev/null || die "kafka-tools-${version}.jar missing"
  touch "${dir}/complete"
  echo "${jars}"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_is_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

write_server_properties() {
  local dir="$1" port="$2" cport="$3" version="$4"
  cat >"${dir}/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${cport}
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dir}/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=${LAGWATCH_KAFKA_OFFSETS_PARTITIONS:-4}
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
EOF
  if ! is_kafka3 "${version}"; then
    cat >>"${dir}/server.properties" <<EOF
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
EOF
  fi
  if [[ -n "${LAGWATCH_KAFKA_EXTRA_PROPERTIES:-}" ]]; then
    [[ -f "${LAGWATCH_KAFKA_EXTRA_PROPERTIES}" ]] || die "${LAGWATCH_KAFKA_EXTRA_PROPERTIES} not found"
    sed -e "s/@PORT@/${port}/g" -e "s/@CONTROLLER_PORT@/${cport}/g" \
      "${LAGWATCH_KAFKA_EXTRA_PROPERTIES}" >>"${dir}/server.properties"
  fi
}

# Writes the logging config for the broker (to FILE) or for a command-line tool (to stderr,
# warnings only, so its stdout stays parseable).
write_logging_config() {
  local version="$1" config="$2" target="$3"
  if is_kafka3 "${version}"; then
    if [[ "${target}" == stderr ]]; then
      cat >"${config}" <<EOF
log4j.rootLogger=WARN, err
log4j.appender.err=org.apache.log4j.ConsoleAppender
log4j.appender.err.Target=System.err
log4j.appender.err.layout=org.apache.log4j.PatternLayout
log4j.appender.err.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
    else
      cat >"${config}" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=${target}
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
    fi
  else
    if [[ "${target}" == stderr ]]; then
      cat >"${config}" <<EOF
status = warn
appender.err.type = Console
appender.err.name = err
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = err
EOF
    else
      cat >"${config}" <<EOF
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${target}
appender.file.append = true
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
EOF
    fi
  fi
}

logging_flag() {
  local version="$1" config="$2"
  if is_kafka3 "${version}"; then
    echo "-Dlog4j.configuration=file:${config}"
  else
    echo "-Dlog4j2.configurationFile=${config}"
  fi
}

read_state() {
  local dir="$1" key="$2"
  [[ -f "${dir}/${key}" ]] || die "${dir} holds no broker started by kafka.sh (missing ${key})"
  cat "${dir}/${key}"
}

pid_is_running() {
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null
}

format_storage() {
  local dir="$1" version="$2" jars="$3"
  local cluster_id
  cluster_id="$(java -cp "${jars}/*" "$(logging_flag "${version}" "${dir}/tools-log.properties")" \
    kafka.tools.StorageTool random-uuid)"
  echo "${cluster_id}" >"${dir}/cluster_id"
  local extra=()
  read -r -a extra <<<"${LAGWATCH_KAFKA_FORMAT_ARGS:-}"
  java -cp "${jars}/*" "$(logging_flag "${version}" "${dir}/tools-log.properties")" \
    kafka.tools.StorageTool format -t "${cluster_id}" -c "${dir}/server.properties" \
    ${extra[@]+"${extra[@]}"} >"${dir}/format.log" 2>&1 || {
    cat "${dir}/format.log" >&2
    die "formatting the storage in ${dir}/data failed"
  }
}

# Starts the JVM for an already configured and formatted DIR and waits until it serves.
launch() {
  local dir="$1"
  local version port jars log_offset pid deadline
  version="$(read_state "${dir}" version)"
  port="$(read_state "${dir}" port)"
  jars="$(jars_dir "${version}")"
  # Readiness is judged only from log lines written by this start, not by an earlier one.
  touch "${dir}/broker.log"
  log_offset="$(stat -c %s "${dir}/broker.log")"
  # setsid: the broker must outlive the shell that started it and ignore its terminal's Ctrl-C.
  # LAGWATCH_KAFKA_JVM_OPTS replaces the small-footprint defaults (e.g. a bigger heap and the full
  # JIT for the scale benchmark); word-split on purpose so it can hold several options.
  local jvm_opts="${LAGWATCH_KAFKA_JVM_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
  local jvm_extra=""
  [[ -f "${dir}/jvm_extra" ]] && jvm_extra="$(cat "${dir}/jvm_extra")"
  # shellcheck disable=SC2086
  setsid java ${jvm_opts} ${jvm_extra} \
    -Djava.awt.headless=true "$(logging_flag "${version}" "${dir}/broker-log.properties")" \
    -cp "${jars}/*" kafka.Kafka "${dir}/server.properties" \
    >>"${dir}/stdout.log" 2>&1 </dev/null &
  pid=$!
  echo "${pid}" >"${dir}/pid"
  deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if ! pid_is_running "${pid}"; then
      tail -n 40 "${dir}/broker.log" "${dir}/stdout.log" >&2 || true
      die "broker exited during start-up (logs in ${dir})"
    fi
    if tail -c "+$((log_offset + 1))" "${dir}/broker.log" | grep -q 'Kafka Server started' &&
      port_is_open "${port}"; then
      echo "127.0.0.1:${port}" >"${dir}/bootstrap"
      echo "kafka.sh: Kafka ${version} up at 127.0.0.1:${port} (pid ${pid})" >&2
      return 0
    fi
    sleep 0.5
  done
  tail -n 40 "${dir}/broker.log" >&2 || true
  kill -KILL "${pid}" 2>/dev/null || true
  die "broker not ready within ${START_TIMEOUT_S}s (logs in ${dir})"
}

cmd_start() {
  local version dir jars port cport
  if [[ $# -ge 2 ]]; then
    version="$1"
    dir="$2"
  elif [[ $# -eq 1 ]]; then
    version="${DEFAULT_VERSION}"
    dir="$1"
  else
    die "usage: kafka.sh start [VERSION] DIR"
  fi
  mkdir -p "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if [[ -f "${dir}/pid" ]] && pid_is_running "$(cat "${dir}/pid")"; then
    die "a broker is already running from ${dir} (pid $(cat "${dir}/pid"))"
  fi
  jars="$(cmd_fetch "${version}")"
  [[ -d "${jars}" ]] || die "no jars for ${version}"
  rm -rf "${dir}/data" "${dir}/bootstrap" "${dir}/broker.log" "${dir}/stdout.log"
  port="$(free_port)"
  cport="$(free_port)"
  while [[ "${cport}" == "${port}" ]]; do cport="$(free_port)"; done
  echo "${version}" >"${dir}/version"
  echo "${port}" >"${dir}/port"
  echo "${cport}" >"${dir}/controller_port"
  echo "${LAGWATCH_KAFKA_JVM_EXTRA:-}" >"${dir}/jvm_extra"
  write_server_properties "${dir}" "${port}" "${cport}" "${version}"
  write_logging_config "${version}" "${dir}/broker-log.properties" "${dir}/broker.log"
  write_logging_config "${version}" "${dir}/tools-log.properties" stderr
  format_storage "${dir}" "${version}" "${jars}"
  launch "${dir}"
}

cmd_stop() {
  [[ $# -eq 1 ]] || die "usage: kafka.sh stop DIR"
  local dir="$1" pid deadline
  [[ -f "${dir}/pid" ]] || return 0
  pid="$(cat "${dir}/pid")"
  rm -f "${dir}/bootstrap"
  if pid_is_running "${pid}"; then
    kill -TERM "${pid}" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT_S))
    while pid_is_running "${pid}" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if pid_is_running "${pid}"; then
      echo "kafka.sh: broker ${pid} ignored SIGTERM for ${STOP_TIMEOUT_S}s, killing it" >&2
      kill -KILL "${pid}" 2>/dev/null || true
      deadline=$((SECONDS + 10))
      while pid_is_running "${pid}" && ((SECONDS < deadline)); do sleep 0.2; done
    fi
  fi
  rm -f "${dir}/pid"
}

cmd_restart() {
  [[ $# -eq 1 ]] || die "usage: kafka.sh restart DIR"
  local dir
  dir="$(cd "$1" && pwd)"
  read_state "${dir}" version >/dev/null
  cmd_stop "${dir}"
  launch "${dir}"
}

# The command's class moved between releases; pick whichever the jars provide.
consumer_group_class() {
  local jars="$1" class
  for class in org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
    kafka.admin.ConsumerGroupCommand; do
    local entry="${class//.//}.class"
    local jar
    for jar in "${jars}"/kafka-tools-*.jar "${jars}"/kafka_2.13-*.jar; do
      # Zip entry names are stored uncompressed, so a byte search finds the class.
      if LC_ALL=C grep -qaF "${entry}" "${jar}"; then
        echo "${class}"
        return 0
      fi
    done
  done
  die "no ConsumerGroupCommand class in ${jars}"
}

cmd_consumer_groups() {
  [[ $# -ge 1 ]] || die "usage: kafka.sh consumer-groups DIR ARGS..."
  local dir="$1"
  shift
  local version jars bootstrap
  version="$(read_state "${dir}" version)"
  bootstrap="$(read_state "${dir}" bootstrap)"
  jars="$(jars_dir "${version}")"
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    "$(logging_flag "${version}" "${dir}/tools-log.properties")" -cp "${jars}/*" \
    "$(consumer_group_class "${jars}")" --bootstrap-server "${bootstrap}" "$@"
}

main() {
  [[ $# -ge 1 ]] || die "usage: kafka.sh fetch|start|stop|restart|consumer-groups ..."
  local command="$1"
  shift
  case "${command}" in
    fetch) cmd_fetch "$@" >/dev/null ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    restart) cmd_restart "$@" ;;
    consumer-groups) cmd_consumer_groups "$@" ;;
    *) die "unknown command ${command}" ;;
  esac
}

main "$@"
