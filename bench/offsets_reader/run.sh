#!/usr/bin/env bash
# Benchmarks the `__consumer_offsets` reader:
#   1. fills the topic of a fresh single-node broker (50 partitions, like a default cluster) with
#      GROUPS x ROUNDS x PARTITIONS offset commits (commit_load.py),
#   2. times a fresh OffsetsTopicReader until it has caught up: records/s, RSS, state check,
#   3. measures the pure decode + apply rate on synthetic records (Google Benchmark).
#
#   bench/offsets_reader/run.sh [GROUPS ROUNDS PARTITIONS]     (default 200 20 50 = 200k records)
#
# Environment: KAFKA_VERSION (4.3.1), BUILD_DIR (build/bench-offsets-reader), JOBS (2),
# BOOTSTRAP (use a running broker instead of starting one; its topic may already hold records).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="${repo_root}/bench/offsets_reader"
groups="${1:-200}"
rounds="${2:-20}"
partitions="${3:-50}"
build_dir="${BUILD_DIR:-${repo_root}/build/bench-offsets-reader}"
python="${repo_root}/tests/.venv/bin/python"
kafka_sh="${repo_root}/tests/harness/kafka.sh"
readonly CATCH_UP_TIMEOUT_S=900
readonly LOAD_TIMEOUT_S=1800

[[ -x "${python}" ]] || { echo "run.sh: ${python} missing; run scripts/install-deps.sh" >&2; exit 1; }

echo "== build (${build_dir})"
cmake -S "${here}" -B "${build_dir}" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "${build_dir}" -j "${JOBS:-2}" \
  --target lagwatch_bench_reader_catch_up lagwatch_bench_decode_apply >/dev/null

broker_dir=""
cleanup() {
  if [[ -n "${broker_dir}" ]]; then
    "${kafka_sh}" stop "${broker_dir}" || true
    rm -rf "${broker_dir}"
  fi
}
trap cleanup EXIT

bootstrap="${BOOTSTRAP:-}"
if [[ -z "${bootstrap}" ]]; then
  broker_dir="$(mktemp -d /tmp/lagwatch-offsets-bench.XXXXXX)"
  echo "== broker (Kafka ${KAFKA_VERSION:-4.3.1}, 50 offsets partitions)"
  LAGWATCH_KAFKA_OFFSETS_PARTITIONS=50 "${kafka_sh}" start "${KAFKA_VERSION:-4.3.1}" "${broker_dir}/kafka"
  bootstrap="$(cat "${broker_dir}/kafka/bootstrap")"
fi

prefix="bench-$(date +%s)"
echo "== load: ${groups} groups x ${rounds} commits x ${partitions} partitions"
load_started=${SECONDS}
records="$(timeout "${LOAD_TIMEOUT_S}" "${python}" "${here}/commit_load.py" "${bootstrap}" \
  "${prefix}-topic" "${prefix}" "${groups}" "${rounds}" "${partitions}")"
echo "wrote ${records} commit records in $((SECONDS - load_started)) s"

echo "== catch-up of a fresh reader"
timeout $((CATCH_UP_TIMEOUT_S + 60)) "${build_dir}/lagwatch_bench_reader_catch_up" "${bootstrap}" \
  "${prefix}" "${groups}" "${partitions}" "${rounds}" "${CATCH_UP_TIMEOUT_S}" 2> >(grep -v ' level=info ' >&2)

echo "== decode + apply (synthetic, no Kafka)"
timeout 300 "${build_dir}/lagwatch_bench_decode_apply" --benchmark_min_time=1
