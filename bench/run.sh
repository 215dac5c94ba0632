#!/usr/bin/env bash
# The lagwatch scale benchmark in one command:
#
#   bench/run.sh
#
# Builds lagwatch and the bench programs, starts a fresh broker (tests/harness/kafka.sh), creates
# the scale workload (1,000 topics, 10,000 partitions, 5,000 groups, ~127k group-partitions),
# keeps a few groups with live members, then measures in one run:
#   1. render + gzip of the exposition (bench/render, Google Benchmark, no broker);
#   2. the floor (bench/floor: only the requests a poll cannot avoid) over FLOOR_CYCLES cycles;
#   3. lagwatch on the full workload: poll cycle per cycle (lagwatch_poll_duration_seconds),
#      CPU per cycle (/proc/PID/stat), scrape latency (1, 8 and 16 clients, plain and gzip), RSS;
#   4. the same daemon while groups are created and deleted continuously (RSS before and after);
#   5. lagwatch restricted to the groups of SERIES_GROUPS_REGEX (~100k series): poll, scrapes, RSS;
#   6. the sidecar case (one group): RSS and CPU.
# The broker is stopped on exit. Results go to $BENCH_WORK/results.md and stdout.
#
# Knobs (environment): BUILD_DIR (/tmp/build-bench), BENCH_WORK (/tmp/lagwatch-bench),
# KAFKA_VERSION (harness default), BENCH_BROKER (harness | local: bench/local_broker.sh),
# BENCH_BROKER_JVM_OPTS (-Xms1g -Xmx1g -XX:+UseG1GC: the full JIT, unlike the test harness),
# BENCH_TOPICS (1000), BENCH_PARTITIONS (10000), BENCH_GROUPS (5000), MAX_PARTITIONS_PER_GROUP (50),
# MAX_RECORDS_PER_PARTITION (400), SEED (42), ACTIVE_GROUPS (5), FLOOR_CYCLES (10),
# FLOOR_MAX_IN_FLIGHT (32, also lagwatch's max_in_flight), FLOOR_ADMIN_CYCLES (3; the floor
# again with the admin DescribeConsumerGroups, for comparison; 0 skips), DAEMON_CYCLES (10),
# CHURN_SECONDS (240; 0 skips churn), CHURN_RATE (20 groups/s),
# SERIES_GROUPS_REGEX ('.*-00[0-4][0-9][0-9]': the first 500 groups, ~100k series; lagwatch
# matches the whole name), SIDECAR_GROUP_REGEX ('.*-00000': one group with live members),
# SIDECAR_SECONDS (60), STREAM_COMPARE (1: lagwatch on the full workload also with
# serve_offsets = false, i.e. one OffsetFetch per group as before the stream served offsets),
# KEEP_BROKER (0; 1 leaves the broker and its workload running for profiling),
# FULL_SCRAPES_PER_CLIENT (3), SCRAPES_PER_CLIENT (10), SCRAPE_CLIENTS ("1 8 16": concurrent
# scrapers of each scrape measurement; 8 is the target's), SAMPLE_PERIOD (2 s between self-metric
# samples; cycles that end between two samples count for CPU but not for the percentiles),
# SETTLE_TIMEOUT_S (900: the full workload is measured once lagwatch has read the records of
# the old committed offsets, at most this long after 3 cycles measured while it reads them; 0
# measures at once).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/build-bench}"
BENCH_WORK="${BENCH_WORK:-/tmp/lagwatch-bench}"
BENCH_BROKER="${BENCH_BROKER:-harness}"
BENCH_BROKER_JVM_OPTS="${BENCH_BROKER_JVM_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC}"
BENCH_TOPICS="${BENCH_TOPICS:-1000}"
BENCH_PARTITIONS="${BENCH_PARTITIONS:-10000}"
BENCH_GROUPS="${BENCH_GROUPS:-5000}"
MAX_PARTITIONS_PER_GROUP="${MAX_PARTITIONS_PER_GROUP:-50}"
MAX_RECORDS_PER_PARTITION="${MAX_RECORDS_PER_PARTITION:-400}"
SEED="${SEED:-42}"
ACTIVE_GROUPS="${ACTIVE_GROUPS:-5}"
FLOOR_CYCLES="${FLOOR_CYCLES:-10}"
FLOOR_MAX_IN_FLIGHT="${FLOOR_MAX_IN_FLIGHT:-32}"
FLOOR_ADMIN_CYCLES="${FLOOR_ADMIN_CYCLES:-3}"
DAEMON_CYCLES="${DAEMON_CYCLES:-10}"
CHURN_SECONDS="${CHURN_SECONDS:-240}"
CHURN_RATE="${CHURN_RATE:-20}"
SERIES_GROUPS_REGEX="${SERIES_GROUPS_REGEX:-.*-00[0-4][0-9][0-9]}"
SIDECAR_GROUP_REGEX="${SIDECAR_GROUP_REGEX:-.*-00000}"
SIDECAR_SECONDS="${SIDECAR_SECONDS:-60}"
STREAM_COMPARE="${STREAM_COMPARE:-1}"
FULL_SCRAPES_PER_CLIENT="${FULL_SCRAPES_PER_CLIENT:-3}"
SCRAPES_PER_CLIENT="${SCRAPES_PER_CLIENT:-10}"
LOCAL_BROKER_PORT="${LOCAL_BROKER_PORT:-19092}"
KEEP_BROKER="${KEEP_BROKER:-0}"
SAMPLE_PERIOD="${SAMPLE_PERIOD:-2}"
SCRAPE_CLIENTS="${SCRAPE_CLIENTS:-1 8 16}"
SETTLE_TIMEOUT_S="${SETTLE_TIMEOUT_S:-900}"
# A poll of the full workload must finish within this (first poll included).
DAEMON_CYCLE_TIMEOUT_S=600

BIN="${BUILD_DIR}/bench"
LAGWATCH="${BUILD_DIR}/exporter/lagwatch"
BROKER_DIR="${BENCH_WORK}/broker"
RESULTS="${BENCH_WORK}/results.md"
ROWS="${BENCH_WORK}/rows.md"
LOG_DIR="${BENCH_WORK}/logs"
STAGE_FILE="${BENCH_WORK}/stages-last.txt"  # stage durations of the last self_sample
MEMBERS_PID=""
CHURN_PID=""
DAEMON_PID=""
DAEMON_URL=""
CLK_TCK="$(getconf CLK_TCK)"
# The broker, the workload plan and the measuring helpers, shared with bench/peers/run.sh.
# shellcheck source=bench/lib.sh
source "${REPO}/bench/lib.sh"

log() { echo "run.sh: $*" >&2; }
row() { echo "| $1 | $2 |" >>"${ROWS}"; }


cleanup() {
  stop_pid "${DAEMON_PID}"
  stop_pid "${CHURN_PID}"
  stop_pid "${MEMBERS_PID}"
  if ((KEEP_BROKER > 0)) && [[ -n "${BOOTSTRAP:-}" ]]; then
    log "broker left running at ${BOOTSTRAP} (KEEP_BROKER=1); stop it with:" \
      "tests/harness/kafka.sh stop ${BROKER_DIR}"
    return
  fi
  stop_broker
}

build() {
  log "building into ${BUILD_DIR}"
  cmake -S "${REPO}" -B "${BUILD_DIR}" -DLAGWATCH_TESTS=OFF >"${LOG_DIR}/cmake.log"
  cmake --build "${BUILD_DIR}" -j2 --target lagwatch lagwatch_bench_workload lagwatch_bench_floor \
    lagwatch_bench_scrape_load lagwatch_bench_render >"${LOG_DIR}/build.log"
}



loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# ------------------------------------------------------------------------------- measurements


# "stage seconds" lines -> "stage median, ..." in the order stages first appear (nearest rank).
stage_medians() {
  awk '{ if (!($1 in n)) order[++k] = $1; v[$1, ++n[$1]] = $2 }
    END { for (i = 1; i <= k; i++) { s = order[i]; m = n[s]
      for (a = 1; a <= m; a++) x[a] = v[s, a]
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (x[b] < x[a]) { t = x[a]; x[a] = x[b]; x[b] = t }
      printf "%s%s %.3f", (i > 1 ? ", " : ""), s, x[int((m + 1) / 2)] } }'
}


# "API TOTAL" lines of lagwatch_kafka_requests_total, summed over handles.
request_totals() {
  curl -sf --max-time 120 "${DAEMON_URL}" | tail -c 1000000 | awk '
    /^lagwatch_kafka_requests_total[{]/ {
      if (match($0, /api="[A-Za-z]+"/)) t[substr($0, RSTART + 5, RLENGTH - 6)] += $NF }
    END { for (a in t) print a, t[a] }' | sort
}

# Per-API requests per cycle between two request_totals outputs over N cycles.
requests_per_cycle() {
  local before="$1" after="$2" cycles="$3"
  awk -v n="${cycles}" 'NR == FNR { b[$1] = $2; next }
    { d = $2 - b[$1]; if (d > 0) { out = out sprintf("%s%s %.1f", sep, $1, d / n); sep = ", "; total += d } }
    END { printf "%.1f total: %s", total / n, out }' <(echo "${before}") <(echo "${after}")
}

# "TIMESTAMP DURATION CYCLES SERIES" from the self metrics at the end of the body. lagwatch
# serves a body it rendered at the end of its poll, so a sample costs it only the sending; the
# plain body is read (no decompression here) because this shares the machine's two cores.
self_sample() {
  curl -sf --max-time 120 "${DAEMON_URL}" | tail -c 1000000 | awk '
    /^lagwatch_last_successful_poll_timestamp_seconds[{ ]/ { ts = $NF }
    /^lagwatch_poll_duration_seconds[{ ]/ { d = $NF }
    /^lagwatch_poll_stage_attempts_total[{ ].*stage="list_groups"/ { c = $NF }
    /^lagwatch_exposition_series[{ ]/ { s = $NF }
    /^lagwatch_poll_stage_duration_seconds[{]/ {
      if (match($0, /stage="[a-z_]+"/)) stages = stages substr($0, RSTART + 7, RLENGTH - 8) " " $NF "\n" }
    END { if (ts != "") print ts, d, c, s; printf "%s", stages > stage_file }' stage_file="${STAGE_FILE}"
}



# The records lagwatch has read for lag in seconds so far (the record_timestamps stage's attempts).
records_read() {
  curl -sf --max-time 120 "${DAEMON_URL}" | tail -c 1000000 |
    awk '/^lagwatch_poll_stage_attempts_total[{].*stage="record_timestamps"/ { n = $NF }
      END { print n + 0 }'
}

# After a start every committed offset older than the watermark history is dated by reading its
# record, exact_max_samples (1,000) per poll: the first minutes of a big workload are that
# backlog, not the steady state. Waits (bounded by SETTLE_TIMEOUT_S) until two samples a poll
# apart show no new read, and reports how long the backlog took.
settle_record_reads() {
  local label="$1" started=${SECONDS} before after
  local deadline=$((SECONDS + SETTLE_TIMEOUT_S))
  before="$(records_read)"
  while ((SECONDS < deadline)); do
    sleep 5
    after="$(records_read)"
    if [[ "${after}" == "${before}" ]]; then
      row "${label}: record reads after the start (backlog of old offsets)" \
        "${after} records in $((SECONDS - started)) s"
      return 0
    fi
    before="${after}"
  done
  row "${label}: record reads after the start (backlog of old offsets)" \
    "still reading after ${SETTLE_TIMEOUT_S} s (${after} records): measured while reading"
}

# Starts lagwatch with CONFIG and waits (bounded) for its first successful poll.
start_daemon() {
  local name="$1" config="$2"
  "${LAGWATCH}" --config "${config}" >"${LOG_DIR}/lagwatch-${name}.log" 2>&1 &
  DAEMON_PID=$!
  DAEMON_URL=""
  local deadline=$((SECONDS + DAEMON_CYCLE_TIMEOUT_S)) sample port
  while ((SECONDS < deadline)); do
    kill -0 "${DAEMON_PID}" 2>/dev/null || {
      tail -n 20 "${LOG_DIR}/lagwatch-${name}.log" >&2
      return 1
    }
    if [[ -z "${DAEMON_URL}" ]]; then
      port="$(sed -n 's/.*serving on .* (port \([0-9]*\)).*/\1/p' "${LOG_DIR}/lagwatch-${name}.log")"
      [[ -n "${port}" ]] && DAEMON_URL="http://127.0.0.1:${port}/metrics"
      sleep 0.2
      continue
    fi
    sample="$(self_sample || true)"
    if [[ -n "${sample}" && "${sample%% *}" != 0 ]]; then
      log "lagwatch (${name}) polled once: ${sample}"
      return 0
    fi
    sleep 1
  done
  log "lagwatch (${name}) did not complete a poll within ${DAEMON_CYCLE_TIMEOUT_S}s"
  return 1
}

stop_daemon() {
  stop_pid "${DAEMON_PID}"
  DAEMON_PID=""
}

# Samples lagwatch_poll_duration_seconds once per cycle for N cycles (bounded); CPU per cycle is
# the /proc/PID/stat delta over the cycles counted by the list_groups attempts (one per cycle).
measure_cycles() {
  local label="$1" cycles="$2"
  local durations="${BENCH_WORK}/durations-${label// /-}.txt"
  local stages="${BENCH_WORK}/stages-${label// /-}.txt"
  : >"${durations}"
  : >"${stages}"
  local first last sample ts c0 c1 ticks0 ticks1 seen=0 series="" requests0="" requests1=""
  first="$(self_sample)"
  last="${first%% *}"
  # Start at a cycle boundary so the CPU delta covers whole cycles.
  local deadline=$((SECONDS + DAEMON_CYCLE_TIMEOUT_S * (cycles + 1)))
  ticks0=""
  while ((SECONDS < deadline)) && ((seen < cycles)); do
    sleep "${SAMPLE_PERIOD}"
    sample="$(self_sample || true)"
    [[ -n "${sample}" ]] || continue
    read -r ts duration c series <<<"${sample}"
    [[ "${ts}" != "${last}" ]] || continue
    last="${ts}"
    if [[ -z "${ticks0}" ]]; then
      ticks0="$(cpu_ticks "${DAEMON_PID}")"
      c0="${c}"
      requests0="$(request_totals || true)"
      continue
    fi
    echo "${duration}" >>"${durations}"
    cat "${STAGE_FILE}" >>"${stages}"
    seen=$((seen + 1))
  done
  ticks1="$(cpu_ticks "${DAEMON_PID}")"
  c1="${c:-0}"
  # Statistics are emitted every second: wait for the last cycles' requests to be counted.
  sleep 2
  requests1="$(request_totals || true)"
  local counted=$((${c1%.*} - ${c0%.*}))
  row "${label}: poll cycle (s, ${seen} sampled)" "$(percentiles <"${durations}")"
  if ((counted > 0)); then
    row "${label}: CPU per cycle" "$(awk -v t=$((ticks1 - ticks0)) -v hz="${CLK_TCK}" -v n="${counted}" \
      'BEGIN { printf "%.3f s (%d cycles)", t / hz / n, n }')"
  fi
  if ((counted > 0)) && [[ -n "${requests1}" ]]; then
    row "${label}: Kafka requests per cycle" "$(requests_per_cycle "${requests0}" "${requests1}" "${counted}")"
  fi
  row "${label}: poll stages, median s" "$(stage_medians <"${stages}")"
  row "${label}: series exported" "${series:-n/a}"
  row "${label}: RSS after ${seen} cycles (peak)" "$(mb "$(rss_kb "${DAEMON_PID}")") ($(mb "$(hwm_kb "${DAEMON_PID}")"))"
}

measure_scrapes() {
  local label="$1" per_client="$2" clients gzip_flag line
  for clients in ${SCRAPE_CLIENTS}; do
    for gzip_flag in "" --gzip; do
      line="$("${BIN}/lagwatch_bench_scrape_load" --url "${DAEMON_URL}" --clients "${clients}" \
        --requests $((clients * per_client)) ${gzip_flag} --timeout-ms 120000 || true)"
      echo "${line}" >&2
      row "${label}: scrape, ${clients} client(s)${gzip_flag:+, gzip}" \
        "$(echo "${line}" | cut -f4- | tr '\t' ' ')"
    done
  done
}

render_rows() {
  "${BIN}/lagwatch_bench_render" --benchmark_filter=BM_RenderComposeGzip \
    --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    >"${LOG_DIR}/render.log" 2>&1
  awk '/^BM_RenderComposeGzip\/[0-9]+_median/ {
    split($1, a, "/"); split(a[2], b, "_");
    printf "| render + compose + gzip, %s group-partitions (median of 5) | %s ms wall, %s ms CPU, %s %s %s |\n",
      b[1], $2, $4, $7, $8, $9 }' "${LOG_DIR}/render.log" >>"${ROWS}"
}

floor_rows() {
  # "floor<TAB>stage<TAB>median ...": one table row per stage.
  awk -F'\t' -v what="$1" '$1 == "floor" && $3 ~ /median/ {
    gsub(/ +/, " ", $2); print "| " what " " $2 " | " $3 ", " $4 ", " $6 " |" }' "$2" >>"${ROWS}"
  grep -m1 '^cycle   0 requests' "$2" | sed "s/^cycle   0 requests: /| $1 requests per cycle | /; s/\$/ |/" >>"${ROWS}" || true
  awk -F'\t' -v what="$1" '$1 == "floor" && $2 ~ /^cpu/ { print "| " what " CPU per cycle | " $3 " |" }' "$2" >>"${ROWS}"
}

run_floor() {
  local label="$1" logfile="$2" cycles="$3" describe_api="$4"
  # --overlap: lagwatch runs describe and offset fetches side by side too.
  "${BIN}/lagwatch_bench_floor" --bootstrap "${BOOTSTRAP}" --cycles "${cycles}" \
    --describe-api "${describe_api}" --max-in-flight "${FLOOR_MAX_IN_FLIGHT}" --overlap \
    --count-requests >"${logfile}" 2>&1 ||
    log "floor reported errors (see ${logfile})"
  cat "${logfile}" >&2
  floor_rows "${label}" "${logfile}"
}

# ---------------------------------------------------------------------------------------- main

main() {
  mkdir -p "${BENCH_WORK}" "${LOG_DIR}"
  : >"${ROWS}"
  trap cleanup EXIT
  build
  log "render benchmark"
  render_rows

  start_broker
  log "broker at ${BOOTSTRAP}"
  # shellcheck disable=SC2046 # plan_args is a list of words by design
  "${BIN}/lagwatch_bench_workload" create $(plan_args) --timeout-ms 600000 | tee "${LOG_DIR}/workload.log" >&2

  # Live members for the rest of the run (bounded; stopped on exit).
  # shellcheck disable=SC2046
  "${BIN}/lagwatch_bench_workload" members $(plan_args) --active-groups "${ACTIVE_GROUPS}" \
    --seconds 3600 >"${LOG_DIR}/members.log" 2>&1 &
  MEMBERS_PID=$!
  sleep 10 # let the member groups finish their first rebalance

  row "load average before the floor" "$(loadavg)"
  run_floor "floor" "${LOG_DIR}/floor.log" "${FLOOR_CYCLES}" broker
  if ((FLOOR_ADMIN_CYCLES > 0)); then
    # The request pattern lagwatch used before: DescribeConsumerGroups, i.e. per group one
    # FindCoordinator and one DescribeGroups. For comparison only.
    run_floor "floor with admin describe" "${LOG_DIR}/floor-admin.log" "${FLOOR_ADMIN_CYCLES}" admin
  fi

  if ((STREAM_COMPARE > 0)); then
    log "lagwatch on the full workload, one OffsetFetch per group (serve_offsets = false)"
    row "load average before lagwatch (OffsetFetch)" "$(loadavg)"
    start_daemon fetch "$(write_config fetch '.*' 1s false)"
    measure_cycles "lagwatch full workload, OffsetFetch per group" "${DAEMON_CYCLES}"
    stop_daemon
  fi

  log "lagwatch on the full workload"
  row "load average before lagwatch (full)" "$(loadavg)"
  start_daemon full "$(write_config full '.*' 1s)"
  if ((SETTLE_TIMEOUT_S > 0)); then
    measure_cycles "lagwatch full workload, first polls (reading the backlog)" 3
    settle_record_reads "lagwatch full workload"
  fi
  measure_cycles "lagwatch full workload" "${DAEMON_CYCLES}"

  # Churn before the scrape load, so RSS compares poll state only, not the buffers 16
  # concurrent scrapes of a large body leave in the allocator.
  if ((CHURN_SECONDS > 0)); then
    log "churn for ${CHURN_SECONDS}s at ${CHURN_RATE} groups/s"
    local rss_start rss_trail=""
    rss_start="$(rss_kb "${DAEMON_PID}")"
    # shellcheck disable=SC2046
    "${BIN}/lagwatch_bench_workload" churn $(plan_args) --rate "${CHURN_RATE}" \
      --seconds "${CHURN_SECONDS}" >"${LOG_DIR}/churn.log" 2>&1 &
    CHURN_PID=$!
    while kill -0 "${CHURN_PID}" 2>/dev/null; do
      rss_trail+="$(awk -v kb="$(rss_kb "${DAEMON_PID}")" 'BEGIN { printf "%.0f ", kb / 1024 }')"
      sleep 30
    done
    wait "${CHURN_PID}" || log "churn reported failures (see ${LOG_DIR}/churn.log)"
    CHURN_PID=""
    # More cycles so the deleted groups have left lagwatch's state.
    measure_cycles "lagwatch after churn" 3
    row "churn" "$(tr '\t' ' ' <"${LOG_DIR}/churn.log" | tail -n 1)"
    row "lagwatch full workload: RSS at churn start / end (3 cycles after)" \
      "$(mb "${rss_start}") / $(mb "$(rss_kb "${DAEMON_PID}")")"
    row "lagwatch full workload: RSS every 30 s during churn (MB)" "${rss_trail}"
  fi
  measure_scrapes "lagwatch full workload" "${FULL_SCRAPES_PER_CLIENT}"
  row "lagwatch full workload: RSS after the scrape load (peak)" \
    "$(mb "$(rss_kb "${DAEMON_PID}")") ($(mb "$(hwm_kb "${DAEMON_PID}")"))"
  stop_daemon

  log "lagwatch on ~100k series (${SERIES_GROUPS_REGEX})"
  start_daemon series "$(write_config series "${SERIES_GROUPS_REGEX}" 1s)"
  measure_cycles "lagwatch 100k series" "${DAEMON_CYCLES}"
  measure_scrapes "lagwatch 100k series" "${SCRAPES_PER_CLIENT}"
  stop_daemon

  log "sidecar (${SIDECAR_GROUP_REGEX}) for ${SIDECAR_SECONDS}s"
  start_daemon sidecar "$(write_config sidecar "${SIDECAR_GROUP_REGEX}" 15s)"
  local ticks0 ticks1
  ticks0="$(cpu_ticks "${DAEMON_PID}")"
  sleep "${SIDECAR_SECONDS}"
  ticks1="$(cpu_ticks "${DAEMON_PID}")"
  row "sidecar (one group, 15 s interval): RSS (peak)" "$(mb "$(rss_kb "${DAEMON_PID}")") ($(mb "$(hwm_kb "${DAEMON_PID}")"))"
  row "sidecar: CPU" "$(awk -v t=$((ticks1 - ticks0)) -v hz="${CLK_TCK}" -v s="${SIDECAR_SECONDS}" \
    'BEGIN { printf "%.3f s over %d s (%.2f%% of a core)", t / hz, s, 100 * t / hz / s }')"
  row "sidecar: series exported" "$(self_sample | cut -d' ' -f4)"
  stop_daemon
  row "load average at the end" "$(loadavg)"

  {
    echo "# lagwatch scale benchmark"
    echo
    echo "| item | value |"
    echo "| --- | --- |"
    echo "| date | $(date -u '+%Y-%m-%d %H:%M:%S UTC') |"
    echo "| machine | $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr) |"
    echo "| versions | ${KAFKA_LABEL}, librdkafka $("${LAGWATCH}" --version | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p'), lagwatch $(git -C "${REPO}" rev-parse --short=12 HEAD 2>/dev/null || echo unknown) (+ working tree) |"
    echo "| workload | ${BENCH_TOPICS} topics, ${BENCH_PARTITIONS} partitions, ${BENCH_GROUPS} groups (max ${MAX_PARTITIONS_PER_GROUP} partitions each), seed ${SEED}, ${ACTIVE_GROUPS} groups with live members |"
    awk -F'\t' '$1 == "workload" { gsub(/ +/, " ", $2); gsub(/^ +/, "", $3);
      print "| generator " $2 " | " $3 (length($4) ? ", " $4 : "") " |" }' "${LOG_DIR}/workload.log"
    cat "${ROWS}"
  } >"${RESULTS}"
  cat "${RESULTS}"
}

main "$@"
