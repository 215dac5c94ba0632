#!/usr/bin/env bash
# lagwatch side by side with the peers, on one broker and one workload:
#
#   bench/peers/run.sh
#
# Installs the peers at pinned versions into PEERS_CACHE (Go ones with `go install`, klag-exporter
# with `cargo install --locked`; a peer that cannot be installed is reported with the reason and
# the run goes on), starts the broker and creates the workload as bench/run.sh does (bench/lib.sh),
# with as many groups as the largest scale. Each scale is the first N groups of that workload
# (the exporters' group allow lists, the same filter on Kafka's own listing). Per scale, lagwatch
# and each installed peer run one after the other against the same broker and are measured alike:
#   - correctness: per-partition committed offset and lag against
#     `kafka-consumer-groups --describe --all-groups` (rows equal / differing / missing / extra);
#   - collection time: lagwatch_poll_duration_seconds, klag-exporter's poll time metric;
#   - CPU seconds per collection from /proc/PID/stat over COLLECTIONS collections, RSS;
#   - series count, scrape p50/p99 under SCRAPERS concurrent gzip clients;
#   - Kafka requests per collection where observable (lagwatch_kafka_requests_total).
# Nothing produces or commits during the measurement, so Kafka's answer stays the reference.
# Results: $BENCH_WORK/peers.md and stdout. Everything started is stopped on exit.
#
# Knobs (environment): BUILD_DIR (/tmp/build-bench), BENCH_WORK (/tmp/lagwatch-peers),
# PEER_SCALES ("50 1000 5000"; each <= 10000), PEERS_QUICK (0; 1 = scale 50 on a small workload,
# 2 collections), COLLECTIONS (5), SCRAPERS (8), SCRAPES_PER_CLIENT (5), KLAG_POLL_INTERVAL
# (15s; lagwatch polls every 5 s), PEERS_CACHE (~/.cache/lagwatch/peers), PEERS (lagwatch kafka_exporter kminion burrow klag), the broker and
# plan knobs of bench/run.sh (BENCH_BROKER, KAFKA_VERSION, BENCH_TOPICS (300),
# BENCH_PARTITIONS (3000), MAX_PARTITIONS_PER_GROUP (50), SEED (42), ...).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/build-bench}"
BENCH_WORK="${BENCH_WORK:-/tmp/lagwatch-peers}"
BENCH_BROKER="${BENCH_BROKER:-harness}"
BENCH_BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
LOCAL_BROKER_PORT="${LOCAL_BROKER_PORT:-19092}"
PEERS_QUICK="${PEERS_QUICK:-0}"
if ((PEERS_QUICK > 0)); then
  PEER_SCALES="${PEER_SCALES:-50}"
  COLLECTIONS="${COLLECTIONS:-2}"
  BENCH_TOPICS="${BENCH_TOPICS:-50}"
  BENCH_PARTITIONS="${BENCH_PARTITIONS:-300}"
fi
PEER_SCALES="${PEER_SCALES:-50 1000 5000}"
COLLECTIONS="${COLLECTIONS:-5}"
SCRAPERS="${SCRAPERS:-8}"
KLAG_POLL_INTERVAL="${KLAG_POLL_INTERVAL:-15s}"
SCRAPES_PER_CLIENT="${SCRAPES_PER_CLIENT:-5}"
PEERS_CACHE="${PEERS_CACHE:-${HOME}/.cache/lagwatch/peers}"
PEERS="${PEERS:-lagwatch kafka_exporter kminion burrow klag}"
BENCH_TOPICS="${BENCH_TOPICS:-300}"
BENCH_PARTITIONS="${BENCH_PARTITIONS:-3000}"
MAX_PARTITIONS_PER_GROUP="${MAX_PARTITIONS_PER_GROUP:-50}"
MAX_RECORDS_PER_PARTITION="${MAX_RECORDS_PER_PARTITION:-400}"
SEED="${SEED:-42}"
# The workload holds as many groups as the largest scale.
BENCH_GROUPS="$(tr ' ' '\n' <<<"${PEER_SCALES}" | sort -n | tail -n 1)"
# One collection (first one included) must finish within this; scrapes too.
COLLECTION_TIMEOUT_S=600

# Pinned peer versions. The Go module paths are the ones each project's go.mod declares.
KAFKA_EXPORTER_MODULE="github.com/danielqsj/kafka_exporter@v1.9.0"
KMINION_MODULE="github.com/redpanda-data/kminion/v2@v2.3.5"
BURROW_MODULE="github.com/linkedin/Burrow@v1.9.5"
KLAG_CRATE="klag-exporter"
KLAG_VERSION="0.1.29"

BIN="${BUILD_DIR}/bench"
LAGWATCH="${BUILD_DIR}/exporter/lagwatch"
BROKER_DIR="${BENCH_WORK}/broker"
LOG_DIR="${BENCH_WORK}/logs"
RESULTS="${BENCH_WORK}/peers.md"
STATUS="${BENCH_WORK}/install-status.tsv" # peer<TAB>installed|reason
CLK_TCK="$(getconf CLK_TCK)"
PEER_PID=""
PEER_URL=""

# shellcheck source=bench/lib.sh
source "${REPO}/bench/lib.sh"

log() { echo "peers/run.sh: $*" >&2; }

cleanup() {
  stop_pid "${PEER_PID}"
  stop_broker
}

# ------------------------------------------------------------------------------ installation

# go install of a pinned module; the reason is the go command's first error line.
install_go_peer() {
  local name="$1" module="$2" binary="$3" err
  if [[ -x "${PEERS_CACHE}/bin/${binary}" ]]; then
    printf '%s\tinstalled\n' "${name}" >>"${STATUS}"
    return
  fi
  if GOBIN="${PEERS_CACHE}/bin" GOFLAGS=-p=1 timeout 1200 go install "${module}" \
    >"${LOG_DIR}/install-${name}.log" 2>&1; then
    printf '%s\tinstalled\n' "${name}" >>"${STATUS}"
  else
    # The registry's host name stays out of the report.
    err="$(grep -m1 -iE 'error|forbidden|not available|cannot' "${LOG_DIR}/install-${name}.log" |
      sed -E 's#reading https?://[^ ]*: ##; s#https?://[^ ]*##g' | cut -c1-200)"
    printf '%s\tnot installed: `go install %s` failed: %s\n' "${name}" "${module}" "${err:-see log}" >>"${STATUS}"
  fi
}

install_peers() {
  : >"${STATUS}"
  mkdir -p "${PEERS_CACHE}/bin"
  install_go_peer kafka_exporter "${KAFKA_EXPORTER_MODULE}" kafka_exporter
  install_go_peer kminion "${KMINION_MODULE}" kminion
  install_go_peer burrow "${BURROW_MODULE}" Burrow
  if [[ -x "${PEERS_CACHE}/bin/klag-exporter" ]] &&
    "${PEERS_CACHE}/bin/klag-exporter" --version 2>/dev/null | grep -q "${KLAG_VERSION}"; then
    printf 'klag\tinstalled\n' >>"${STATUS}"
  elif CARGO_BUILD_JOBS=2 timeout 1800 cargo install --locked --version "${KLAG_VERSION}" \
    --root "${PEERS_CACHE}" "${KLAG_CRATE}" >"${LOG_DIR}/install-klag.log" 2>&1; then
    printf 'klag\tinstalled\n' >>"${STATUS}"
  else
    printf 'klag\tnot installed: `cargo install %s@%s` failed: %s\n' "${KLAG_CRATE}" "${KLAG_VERSION}" \
      "$(grep -m1 'error' "${LOG_DIR}/install-klag.log" | cut -c1-200)" >>"${STATUS}"
  fi
  cat "${STATUS}" >&2
}

install_status() { awk -F'\t' -v p="$1" '$1 == p { print $2 }' "${STATUS}"; }

# ------------------------------------------------------------------------------- the exporters

# Per exporter: how to start it (start_NAME CONFIG_REGEX -> sets PEER_PID, PEER_URL), the metric
# whose change marks a finished collection and the one holding its duration (with the factor to
# seconds), and the per-partition offset and lag series with their group label.
start_lagwatch() {
  local regex="$1" config
  config="$(write_config "peers-${SCALE}" "${regex}" 5s)"
  "${LAGWATCH}" --config "${config}" >"${LOG_DIR}/lagwatch-${SCALE}.log" 2>&1 &
  PEER_PID=$!
  PEER_URL="http://$(sed -n 's/^listen_address = "\(.*\)"/\1/p' "${config}")/metrics"
}
lagwatch_done_metric=lagwatch_last_successful_poll_timestamp_seconds
lagwatch_duration_metric=lagwatch_poll_duration_seconds
lagwatch_duration_scale=1
lagwatch_offset_metric=lagwatch_group_partition_committed_offset
lagwatch_lag_metric=lagwatch_group_partition_lag
lagwatch_group_label=group

start_klag() {
  local regex="$1" config="${BENCH_WORK}/klag.toml" port
  port="$(free_port)"
  # klag-exporter abandons a collection after min(poll_interval, 30 s) below 10 s, else after
  # poll_interval - 5 s: at 5 s every collection of 5,000 groups timed out here.
  # Partition granularity: per-partition series, as the others export. Anchored: klag-exporter
  # matches anywhere in the name, lagwatch the whole name.
  cat >"${config}" <<EOF
# Written by bench/peers/run.sh.
[exporter]
poll_interval = "${KLAG_POLL_INTERVAL}"
http_port = ${port}
http_host = "127.0.0.1"
granularity = "partition"

[[clusters]]
name = "bench"
bootstrap_servers = "${BOOTSTRAP}"
group_whitelist = ['^${regex}\$']
group_blacklist = []
topic_whitelist = [".*"]
topic_blacklist = ["^__.*"]
EOF
  "${PEERS_CACHE}/bin/klag-exporter" --config "${config}" >"${LOG_DIR}/klag-${SCALE}.log" 2>&1 &
  PEER_PID=$!
  PEER_URL="http://127.0.0.1:${port}/metrics"
}
klag_done_metric=kafka_lag_exporter_last_update_timestamp_seconds
klag_duration_metric=kafka_consumergroup_poll_time_ms
klag_duration_scale=0.001
klag_offset_metric=kafka_consumergroup_group_offset
klag_lag_metric=kafka_consumergroup_group_lag
klag_group_label=group

# The Go peers could not be installed from the reachable registries when this was written, so
# no start command could be tried; one is added once a pinned version installs.
has_starter() { declare -F "start_$1" >/dev/null; }
var() { local name="$1_$2"; echo "${!name}"; }

# ------------------------------------------------------------------------------- measurements

body() { curl -sf --compressed --max-time "${COLLECTION_TIMEOUT_S}" "${PEER_URL}"; }

# The first sample value of METRIC in BODY_FILE (summed over label sets when there are several).
metric_value() {
  awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $NF; n++ } END { if (n) printf "%.6f\n", s }' "$2"
}

# "group topic partition offset lag" rows from an exposition for the offset and lag metrics.
exporter_rows() {
  local file="$1" offset="$2" lag="$3" group_label="$4"
  awk -v om="${offset}" -v lm="${lag}" -v gl="${group_label}" '
    function label(l,   re) { re = l "=\"[^\"]*\""
      if (match($0, re)) return substr($0, RSTART + length(l) + 2, RLENGTH - length(l) - 3); return "" }
    index($0, om "{") == 1 || index($0, lm "{") == 1 {
      key = label(gl) " " label("topic") " " label("partition")
      if (index($0, om "{") == 1) o[key] = $NF + 0; else l[key] = $NF + 0; keys[key] = 1 }
    END { for (k in keys) print k, (k in o ? o[k] : "-"), (k in l ? l[k] : "-") }' "${file}" | sort
}

# Kafka's own view: "group topic partition offset lag" for committed partitions of matching groups.
reference_rows() {
  local regex="$1"
  awk -v re="^(${regex})\$" 'NF >= 6 && $1 != "GROUP" && $1 ~ re && $4 ~ /^[0-9]+$/ {
    print $1, $2, $3, $4, $6 }' "${BENCH_WORK}/describe.txt" | sort
}

# "equal / differing / missing / extra" of exporter rows against the reference rows.
compare_rows() {
  awk 'NR == FNR { ref[$1 " " $2 " " $3] = $4 " " $5; next }
    { k = $1 " " $2 " " $3; seen[k] = 1
      if (!(k in ref)) extra++; else if (ref[k] == $4 " " $5) equal++; else diff++ }
    END { for (k in ref) if (!(k in seen)) missing++
      printf "%d equal / %d differ / %d missing / %d extra (of %d)", equal, diff, missing, extra, length(ref) }' "$1" "$2"
}

# "API TOTAL" lines of lagwatch_kafka_requests_total, summed over handles.
request_total() { awk '/^lagwatch_kafka_requests_total[{]/ { t += $NF } END { print t + 0 }' "$1"; }

# Waits (bounded) until DONE_METRIC changes from WAS; prints the new value.
wait_collection() {
  local done_metric="$1" was="$2" deadline=$((SECONDS + COLLECTION_TIMEOUT_S)) now
  while ((SECONDS < deadline)); do
    kill -0 "${PEER_PID}" 2>/dev/null || return 1
    if body >"${BENCH_WORK}/body.txt" 2>/dev/null; then
      now="$(metric_value "${done_metric}" "${BENCH_WORK}/body.txt")"
      if [[ -n "${now}" && "${now}" != "${was}" && "${now}" != 0.000000 ]]; then
        echo "${now}"
        return 0
      fi
    fi
    sleep 1
  done
  return 1
}

# SCRAPERS concurrent clients, fresh connections: "p50 X / p99 Y ms (N ok, M failed), B bytes".
scrape_load() {
  "${BIN}/lagwatch_bench_scrape_load" --url "${PEER_URL}" --clients "${SCRAPERS}" \
    --requests $((SCRAPERS * SCRAPES_PER_CLIENT)) "$@" --timeout-ms $((COLLECTION_TIMEOUT_S * 1000)) \
    >"${BENCH_WORK}/scrape.log" 2>&1 || true
  awk -F'\t' '$1 == "scrape" { sub(/^median /, "", $5); sub(/^p99 /, "", $6); sub(/^requests /, "", $4)
    sub(/^body /, "", $9); print "p50 " $5 " / p99 " $6 " (" $4 "), mean " $9 }' "${BENCH_WORK}/scrape.log"
}

# One exporter at one scale: one table row.
measure_peer() {
  local peer="$1" regex="$2" status
  status="$(install_status "${peer}")"
  [[ "${peer}" == lagwatch ]] && status=installed
  if [[ "${status}" != installed ]]; then
    echo "| ${SCALE} | ${peer} | ${status} | | | | | | |" >>"${ROWS}"
    return
  fi
  if ! has_starter "${peer}"; then
    echo "| ${SCALE} | ${peer} | installed, but no start command here yet | | | | | | |" >>"${ROWS}"
    return
  fi
  log "${peer} at ${SCALE} groups"
  "start_${peer}" "${regex}"
  local done_metric mark ticks0 ticks1 req0 req1 durations=() i d
  done_metric="$(var "${peer}" done_metric)"
  # The first collection warms caches (metadata, coordinators): not counted.
  if ! mark="$(wait_collection "${done_metric}" "")"; then
    echo "| ${SCALE} | ${peer} | no collection within ${COLLECTION_TIMEOUT_S} s | | | | | | |" >>"${ROWS}"
    tail -n 20 "${LOG_DIR}/${peer}-${SCALE}.log" >&2 || true
    stop_pid "${PEER_PID}"
    PEER_PID=""
    return
  fi
  mark="$(wait_collection "${done_metric}" "${mark}" || echo "${mark}")"
  ticks0="$(cpu_ticks "${PEER_PID}")"
  req0="$(request_total "${BENCH_WORK}/body.txt")"
  for ((i = 0; i < COLLECTIONS; i++)); do
    mark="$(wait_collection "${done_metric}" "${mark}")" || break
    d="$(metric_value "$(var "${peer}" duration_metric)" "${BENCH_WORK}/body.txt")"
    durations+=("$(awk -v d="${d:-0}" -v f="$(var "${peer}" duration_scale)" 'BEGIN { print d * f }')")
  done
  if ! kill -0 "${PEER_PID}" 2>/dev/null; then
    echo "| ${SCALE} | ${peer} | exited during the measurement (see its log) | | | | | | |" >>"${ROWS}"
    PEER_PID=""
    return
  fi
  ticks1="$(cpu_ticks "${PEER_PID}")"
  # lagwatch's statistics come every second: let the last collection's requests be counted.
  sleep 2
  body >"${BENCH_WORK}/body.txt"
  req1="$(request_total "${BENCH_WORK}/body.txt")"
  local n="${#durations[@]}" cpu requests series rows correctness scrape rss
  cpu="$(awk -v t=$((ticks1 - ticks0)) -v hz="${CLK_TCK}" -v n="${n}" 'BEGIN { printf "%.3f", n ? t / hz / n : 0 }')"
  if [[ "${peer}" == lagwatch ]]; then
    requests="$(awk -v d=$((${req1%.*} - ${req0%.*})) -v n="${n}" 'BEGIN { printf "%.0f", n ? d / n : 0 }')"
  else
    requests="not observable"
  fi
  # Series and the plain size of one full body: a scraper's mean body far below it means
  # pages were served without (all) the series.
  series="$(grep -vc '^#' "${BENCH_WORK}/body.txt" || true), $(wc -c <"${BENCH_WORK}/body.txt") bytes plain"
  rows="${BENCH_WORK}/rows-${peer}-${SCALE}.txt"
  exporter_rows "${BENCH_WORK}/body.txt" "$(var "${peer}" offset_metric)" "$(var "${peer}" lag_metric)" \
    "$(var "${peer}" group_label)" >"${rows}"
  correctness="$(compare_rows "${BENCH_WORK}/reference-${SCALE}.txt" "${rows}")"
  scrape="$(scrape_load --gzip)"
  # An exporter that never compresses fails every gzip request: time it plain and say so.
  if grep -q 'asked for gzip, got plain' "${BENCH_WORK}/scrape.log"; then
    scrape="never gzip; plain: $(scrape_load)"
  fi
  rss="$(mb "$(rss_kb "${PEER_PID}")") ($(mb "$(hwm_kb "${PEER_PID}")"))"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${SCALE}" "${peer}" "${correctness}" \
    "$(printf '%s\n' "${durations[@]}" | percentiles)" "${cpu} (${n})" "${requests}" "${series}" \
    "${scrape}" "${rss}" >>"${ROWS}"
  stop_pid "${PEER_PID}"
  PEER_PID=""
}

# The first N groups of the plan: names end in a five-digit index below N (N <= 10000).
scale_regex() {
  local n="$1"
  case "${n}" in
    50) echo '.*-000[0-4][0-9]' ;;
    1000) echo '.*-00[0-9][0-9][0-9]' ;;
    5000) echo '.*-0[0-4][0-9][0-9][0-9]' ;;
    10000) echo '.*-[0-9][0-9][0-9][0-9][0-9]' ;;
    *) log "scale ${n}: only 50, 1000, 5000 and 10000 have a group filter" && return 1 ;;
  esac
}

# ---------------------------------------------------------------------------------------- main

main() {
  mkdir -p "${BENCH_WORK}" "${LOG_DIR}"
  ROWS="${BENCH_WORK}/peer-rows.md"
  : >"${ROWS}"
  trap cleanup EXIT
  log "building into ${BUILD_DIR}"
  cmake -S "${REPO}" -B "${BUILD_DIR}" -DLAGWATCH_TESTS=OFF >"${LOG_DIR}/cmake.log"
  cmake --build "${BUILD_DIR}" -j2 --target lagwatch lagwatch_bench_workload \
    lagwatch_bench_scrape_load >"${LOG_DIR}/build.log"
  log "installing the peers into ${PEERS_CACHE}"
  install_peers

  start_broker
  log "broker at ${BOOTSTRAP}; workload with ${BENCH_GROUPS} groups"
  # shellcheck disable=SC2046 # plan_args is a list of words by design
  "${BIN}/lagwatch_bench_workload" create $(plan_args) --timeout-ms 1200000 \
    >"${LOG_DIR}/workload.log" 2>&1
  log "Kafka's own listing"
  timeout "${COLLECTION_TIMEOUT_S}" "${REPO}/tests/harness/kafka.sh" consumer-groups "${BROKER_DIR}" \
    --describe --all-groups >"${BENCH_WORK}/describe.txt" 2>"${LOG_DIR}/describe.log" || true

  local peer regex
  for SCALE in ${PEER_SCALES}; do
    regex="$(scale_regex "${SCALE}")"
    reference_rows "${regex}" >"${BENCH_WORK}/reference-${SCALE}.txt"
    log "scale ${SCALE}: $(wc -l <"${BENCH_WORK}/reference-${SCALE}.txt") committed partitions"
    for peer in ${PEERS}; do measure_peer "${peer}" "${regex}"; done
  done

  {
    echo "# lagwatch side by side with the peers"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(uname -sr); $(cat "${BROKER_DIR}/version" 2>/dev/null | sed 's/^/Kafka /'), one broker on loopback;" \
      "workload: ${BENCH_TOPICS} topics, ${BENCH_PARTITIONS} partitions, ${BENCH_GROUPS} groups, seed ${SEED}; no production or commits while measuring;" \
      "lagwatch $(git -C "${REPO}" rev-parse --short=12 HEAD 2>/dev/null || echo unknown);" \
      "peers pinned: kafka_exporter ${KAFKA_EXPORTER_MODULE##*@}, KMinion ${KMINION_MODULE##*@}, Burrow ${BURROW_MODULE##*@}, klag-exporter ${KLAG_VERSION}."
    echo
    echo "| groups | exporter | rows vs kafka-consumer-groups (equal / differ / missing / extra) | collection s | CPU s per collection (n) | Kafka requests per collection | series | ${SCRAPERS} gzip scrapers (mean body) | RSS (peak) |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    cat "${ROWS}"
  } >"${RESULTS}"
  cat "${RESULTS}"
}

main "$@"
