# Shared by bench/run.sh and bench/peers/run.sh (sourced, not run): the broker, the workload
# plan and the small measuring helpers. The caller sets REPO, BENCH_BROKER, BROKER_DIR,
# BENCH_BROKER_JVM_OPTS, LOCAL_BROKER_PORT and the plan knobs (BENCH_TOPICS, BENCH_PARTITIONS,
# BENCH_GROUPS, MAX_PARTITIONS_PER_GROUP, MAX_RECORDS_PER_PARTITION, SEED) before calling these.

# SIGTERM, a bounded wait, then SIGKILL: a benchmark must never leave a process behind.
stop_pid() {
  local pid="$1" waited=0
  [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null || return 0
  kill -TERM "${pid}" 2>/dev/null || true
  while kill -0 "${pid}" 2>/dev/null && ((waited < 60)); do
    sleep 0.5
    waited=$((waited + 1))
  done
  kill -KILL "${pid}" 2>/dev/null || true
  wait "${pid}" 2>/dev/null || true
}

start_broker() {
  if [[ "${BENCH_BROKER}" == local ]]; then
    "${REPO}/bench/local_broker.sh" start "${LOCAL_BROKER_PORT}" >&2
    BOOTSTRAP="127.0.0.1:${LOCAL_BROKER_PORT}"
    KAFKA_LABEL="$(basename "$(ls "${BENCH_KAFKA_HOME:-/tmp/bench-kafka}"/libs/kafka_2.13-*.jar)" .jar)"
    return
  fi
  # 50 __consumer_offsets partitions, Kafka's default: group coordination is spread as on a
  # real cluster, not over the harness's 4 test partitions.
  LAGWATCH_KAFKA_OFFSETS_PARTITIONS=50 LAGWATCH_KAFKA_JVM_OPTS="${BENCH_BROKER_JVM_OPTS}" \
    "${REPO}/tests/harness/kafka.sh" start ${KAFKA_VERSION:+"${KAFKA_VERSION}"} "${BROKER_DIR}" >&2
  BOOTSTRAP="$(cat "${BROKER_DIR}/bootstrap")"
  KAFKA_LABEL="kafka $(cat "${BROKER_DIR}/version") (JVM ${BENCH_BROKER_JVM_OPTS})"
}

plan_args() {
  echo --bootstrap "${BOOTSTRAP}" --seed "${SEED}" --topics "${BENCH_TOPICS}" \
    --partitions "${BENCH_PARTITIONS}" --groups "${BENCH_GROUPS}" \
    --max-partitions-per-group "${MAX_PARTITIONS_PER_GROUP}" \
    --max-records-per-partition "${MAX_RECORDS_PER_PARTITION}"
}

# Nearest-rank median and p99 of the numbers on stdin: "median X, p99 Y, n N".
percentiles() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    m = int((NR * 50 + 99) / 100); p = int((NR * 99 + 99) / 100);
    printf "median %.3f, p99 %.3f, n %d", v[m], v[p], NR }'
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f MB", kb / 1024 }'; }

# A port nothing listens on: the machine is shared with other engineers' daemons.
free_port() {
  local port
  for ((port = 18800; port < 19000; port++)); do
    if [[ -z "$(ss -Hltn "sport = :${port}")" ]]; then
      echo "${port}"
      return 0
    fi
  done
  return 1
}

stop_broker() {
  if [[ "${BENCH_BROKER}" == local ]]; then
    "${REPO}/bench/local_broker.sh" stop "${LOCAL_BROKER_PORT}" || true
  else
    "${REPO}/tests/harness/kafka.sh" stop "${BROKER_DIR}" || true
  fi
}

# A lagwatch config for one measurement: NAME REGEX (whole group names) INTERVAL [SERVE_OFFSETS].
# Prints its path; the listen address is a free loopback port, written into the file.
write_config() {
  local name="$1" regex="$2" interval="$3" serve_offsets="${4:-true}"
  local file="${BENCH_WORK}/lagwatch-${name}.toml"
  cat >"${file}" <<EOF
# Written by $(basename "$(dirname "$0")")/$(basename "$0") for the "${name}" measurement.
[server]
listen_address = "127.0.0.1:$(free_port)"

[poll]
interval = "${interval}"
request_timeout = "60s"
max_in_flight = ${FLOOR_MAX_IN_FLIGHT:-32}

[[clusters]]
name = "bench"
bootstrap_servers = "${BOOTSTRAP}"

[clusters.groups]
allow = ['${regex}']

[clusters.consumer_offsets]
serve_offsets = ${serve_offsets}

[clusters.librdkafka]
# Request counts (lagwatch_kafka_requests_total) current to the second.
"statistics.interval.ms" = "1000"
EOF
  echo "${file}"
}
