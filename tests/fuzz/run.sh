#!/usr/bin/env bash
# Builds the `__consumer_offsets` fuzz target (clang, libFuzzer, ASan+UBSan), replays every saved
# regression, then fuzzes for a bounded time. Exits non-zero on a crash, leak or UB report.
#   tests/fuzz/run.sh [seconds]   (default 60)
# Environment: FUZZ_BUILD_DIR (default /tmp/build-fuzz), FUZZ_SOURCE_DIR (default: this repo).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
readonly script_dir repo_root
readonly seconds="${1:-60}"
readonly build_dir="${FUZZ_BUILD_DIR:-/tmp/build-fuzz}"
readonly source_dir="${FUZZ_SOURCE_DIR:-${repo_root}}"
readonly seed_dir="${script_dir}/corpus"
readonly regression_dir="${script_dir}/regressions"

if ! [[ "${seconds}" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds > 0]" >&2
  exit 2
fi
for tool in clang clang++ cmake ninja timeout; do
  command -v "${tool}" >/dev/null || { echo "missing ${tool}" >&2; exit 2; }
done

if [[ ! -f "${build_dir}/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "${source_dir}" -B "${build_dir}" -G Ninja \
    -DLAGWATCH_FUZZ=ON -DLAGWATCH_BENCH=OFF
fi
cmake --build "${build_dir}" --target fuzz_offsets fuzz_offsets_seeds -j2

fuzzer="$(find "${build_dir}" -type f -name fuzz_offsets -perm -u+x | head -n 1)"
seeder="$(find "${build_dir}" -type f -name fuzz_offsets_seeds -perm -u+x | head -n 1)"
[[ -n "${fuzzer}" && -n "${seeder}" ]] || { echo "fuzz binaries not found in ${build_dir}" >&2; exit 1; }

# Seeds are regenerated from the unit-test records, so they follow any change to the samples.
"${seeder}" "${seed_dir}"

# Crashes found earlier run first: each file is executed once and must pass.
shopt -s nullglob
regressions=("${regression_dir}"/*)
shopt -u nullglob
if ((${#regressions[@]} > 0)); then
  echo "replaying ${#regressions[@]} regression input(s)"
  timeout 300 "${fuzzer}" "${regressions[@]}"
fi

# New inputs go to a scratch directory; the checked-in seeds stay as they are.
work_dir="$(mktemp -d /tmp/fuzz-offsets.XXXXXX)"
trap 'rm -rf "${work_dir}"' EXIT
mkdir -p "${work_dir}/corpus" "${work_dir}/artifacts"

status=0
timeout "$((seconds + 120))" "${fuzzer}" \
  -max_total_time="${seconds}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="${work_dir}/artifacts/" \
  "${work_dir}/corpus" "${seed_dir}" || status=$?

if ((status != 0)); then
  keep_dir="$(mktemp -d /tmp/fuzz-offsets-crash.XXXXXX)"
  cp -r "${work_dir}/artifacts/." "${keep_dir}/"
  echo "fuzzer failed (exit ${status}); crashing inputs kept in ${keep_dir}." >&2
  echo "Copy them into ${regression_dir}/ and fix the decoder." >&2
  exit "${status}"
fi
echo "fuzzing ${seconds}s: no crash"
