#!/usr/bin/env bash
# Builds the fuzz targets (clang, libFuzzer, ASan+UBSan): fuzz_offsets for the `__consumer_offsets`
# decoder, fuzz_config for the config parser and fuzz_http for the HTTP request decisions. Replays
# every saved regression of each, then fuzzes each for a third of the time budget. Exits non-zero
# on a crash, leak or UB report in any.
#   tests/fuzz/run.sh [seconds]   (default 60 in total; each target gets max(1, seconds / 3))
# Environment: FUZZ_BUILD_DIR (default build-fuzz in this repo: a directory outside it could hold
# another checkout's configuration), FUZZ_SOURCE_DIR (default: this repo).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
readonly script_dir repo_root
readonly seconds="${1:-60}"
readonly build_dir="${FUZZ_BUILD_DIR:-${repo_root}/build-fuzz}"
readonly source_dir="${FUZZ_SOURCE_DIR:-${repo_root}}"
readonly offsets_seed_dir="${script_dir}/corpus"
readonly offsets_regression_dir="${script_dir}/regressions"
readonly config_regression_dir="${script_dir}/regressions/config"
readonly http_regression_dir="${script_dir}/regressions/http"
readonly config_testdata_dir="${repo_root}/tests/testdata/config"

if ! [[ "${seconds}" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds > 0]" >&2
  exit 2
fi
per_target=$((seconds / 3))
((per_target > 0)) || per_target=1
readonly per_target
for tool in clang clang++ cmake ninja timeout; do
  command -v "${tool}" >/dev/null || { echo "missing ${tool}" >&2; exit 2; }
done

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S "${source_dir}" -B "${build_dir}" -G Ninja \
  -DLAGWATCH_FUZZ=ON -DLAGWATCH_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "${build_dir}" --target fuzz_offsets fuzz_offsets_seeds fuzz_config fuzz_http -j2

find_binary() {
  find "${build_dir}" -type f -name "$1" -perm -u+x | head -n 1
}
offsets_fuzzer="$(find_binary fuzz_offsets)"
seeder="$(find_binary fuzz_offsets_seeds)"
config_fuzzer="$(find_binary fuzz_config)"
http_fuzzer="$(find_binary fuzz_http)"
if [[ -z "${offsets_fuzzer}" || -z "${seeder}" || -z "${config_fuzzer}" || -z "${http_fuzzer}" ]]; then
  echo "fuzz binaries not found in ${build_dir}" >&2
  exit 1
fi

# Seeds are regenerated from the unit-test records, so they follow any change to the samples.
"${seeder}" "${offsets_seed_dir}"

# New inputs go to a scratch directory; the checked-in seeds stay as they are.
work_dir="$(mktemp -d /tmp/fuzz-run.XXXXXX)"
trap 'rm -rf "${work_dir}"' EXIT

# The config fuzzer starts from every sample config file, good and bad.
config_seed_dir="${work_dir}/config-seeds"
mkdir -p "${config_seed_dir}"
cp "${config_testdata_dir}"/good/*.toml "${config_seed_dir}/"
for bad in "${config_testdata_dir}"/bad/*.toml; do
  cp "${bad}" "${config_seed_dir}/bad_$(basename "${bad}")"
done
cp "${repo_root}/config/lagwatch.example.toml" "${config_seed_dir}/"

# The HTTP fuzzer's input is a request target, a NUL byte, an Accept-Encoding or Authorization
# value.
http_seed_dir="${work_dir}/http-seeds"
mkdir -p "${http_seed_dir}"
http_seeds=(
  '/metrics\0gzip' '/metrics?x=1\0gzip;q=0.5, identity;q=0.8' '/metrics%00.html\0*;q=0'
  '/metrics/\0GZIP, br' '/healthz\0x-gzip;q=1.000' '/\0identity;q=0, *' '/readyz\0notgzip'
  '/\0Basic YWxpY2U6c2VjcmV0' '/metrics\0basic  YTpiOmM='
)
for i in "${!http_seeds[@]}"; do
  printf '%b' "${http_seeds[$i]}" >"${http_seed_dir}/seed-${i}"
done

# Crashes found earlier run first: each file (dotfiles and subdirectories aside) is executed once
# and must pass. Standard input is closed so that a config naming { file = "/dev/stdin" } cannot
# block.
replay_regressions() {
  local fuzzer="$1" directory="$2"
  local -a inputs=()
  [[ -d "${directory}" ]] || return 0
  mapfile -t inputs < <(find "${directory}" -mindepth 1 -maxdepth 1 -type f ! -name '.*' | sort)
  if ((${#inputs[@]} > 0)); then
    echo "$(basename "${fuzzer}"): replaying ${#inputs[@]} regression input(s)"
    timeout 300 "${fuzzer}" "${inputs[@]}" </dev/null
  fi
}

# fuzz NAME FUZZER REGRESSION_DIR WHAT_TO_FIX [libFuzzer options...] -- SEED_DIR...
fuzz() {
  local name="$1" fuzzer="$2" regression_dir="$3" what_to_fix="$4"
  shift 4
  local -a options=()
  while (($# > 0)) && [[ "$1" != "--" ]]; do
    options+=("$1")
    shift
  done
  shift
  local target_dir="${work_dir}/${name}"
  mkdir -p "${target_dir}/corpus" "${target_dir}/artifacts"
  local exit_code=0
  timeout "$((per_target + 120))" "${fuzzer}" \
    -max_total_time="${per_target}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="${target_dir}/artifacts/" "${options[@]}" \
    "${target_dir}/corpus" "$@" </dev/null || exit_code=$?
  if ((exit_code != 0)); then
    local keep_dir
    keep_dir="$(mktemp -d "/tmp/fuzz-${name}-crash.XXXXXX")"
    cp -r "${target_dir}/artifacts/." "${keep_dir}/"
    echo "${name}: fuzzer failed (exit ${exit_code}); crashing inputs kept in ${keep_dir}." >&2
    echo "Copy them into ${regression_dir}/ and fix ${what_to_fix}." >&2
    return "${exit_code}"
  fi
  echo "${name}: fuzzing ${per_target}s: no crash"
}

# Every target always runs, so one failure does not hide another's; the first failure's status
# is the exit status.
status=0
record_failure() { ((status != 0)) || status="$1"; }
replay_regressions "${offsets_fuzzer}" "${offsets_regression_dir}" || record_failure $?
replay_regressions "${config_fuzzer}" "${config_regression_dir}" || record_failure $?
replay_regressions "${http_fuzzer}" "${http_regression_dir}" || record_failure $?
fuzz offsets "${offsets_fuzzer}" "${offsets_regression_dir}" "the decoder" \
  -max_len=4096 -- "${offsets_seed_dir}" || record_failure $?
fuzz config "${config_fuzzer}" "${config_regression_dir}" "the config parser" \
  -max_len=8192 -dict="${script_dir}/config.dict" -- "${config_seed_dir}" || record_failure $?
fuzz http "${http_fuzzer}" "${http_regression_dir}" "the HTTP request decisions" \
  -max_len=4096 -dict="${script_dir}/http.dict" -- "${http_seed_dir}" || record_failure $?
exit "${status}"
