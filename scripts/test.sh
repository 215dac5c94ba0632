#!/usr/bin/env bash
# Runs the whole lagwatch test suite on a fresh Debian 12 / Ubuntu machine, installing what it
# needs first: unit tests (plain, ASan+UBSan, TSan), a bounded fuzz run of the
# __consumer_offsets decoder, integration tests on real Kafka 4.3.1 and 3.9.2 brokers, the
# status page in headless chromium, the dashboards and alert rules against a real Prometheus,
# the Helm chart and the container image.
#
#   bash scripts/test.sh                 everything
#   LAGWATCH_SUITES="unit integration"   only some suites (unit tidy asan tsan fuzz http
#                                        integration page dashboards chart container)
#   LAGWATCH_FUZZ_SECONDS=60             length of the fuzz run
#
# Every suite runs even when an earlier one failed; the last line says how many passed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}"
suites="${LAGWATCH_SUITES:-unit tidy asan tsan fuzz http integration page dashboards chart container}"
jobs="$(nproc 2>/dev/null || echo 2)"
passed=0
failed=0
failed_names=()

step() {
  local name="$1"
  shift
  echo
  echo "=== ${name} ==="
  local started=${SECONDS}
  if "$@"; then
    echo "=== ${name}: passed ($((SECONDS - started)) s) ==="
    passed=$((passed + 1))
  else
    echo "=== ${name}: FAILED ($((SECONDS - started)) s) ==="
    failed=$((failed + 1))
    failed_names+=("${name}")
  fi
}

wants() { [[ " ${suites} " == *" $1 "* ]]; }

build() {  # build DIR CMAKE_ARGS... [--target TARGETS...]
  local dir="$1"
  shift
  local cmake_args=() targets=()
  while (($# > 0)); do
    if [[ "$1" == --target ]]; then
      shift
      targets=("$@")
      break
    fi
    cmake_args+=("$1")
    shift
  done
  mkdir -p "${dir}"
  # Compiler results are cached across runs and clones (keyed by content, paths made relative).
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "${root}" -B "${dir}" -G Ninja -DLAGWATCH_WERROR=ON "${launcher[@]}" "${cmake_args[@]}" \
    >"${dir}/configure.log" 2>&1 || { cat "${dir}/configure.log"; return 1; }
  cmake --build "${dir}" -j "${jobs}" ${targets[@]:+--target "${targets[@]}"}
}

unit_tests() {  # unit_tests DIR
  ctest --test-dir "$1" --output-on-failure --no-tests=error --timeout 300 -j "${jobs}"
}

bash scripts/install-deps.sh || { echo "installing dependencies failed"; exit 1; }
export CCACHE_BASEDIR="${root}" CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-3G}"

if wants unit || wants tidy || wants http || wants integration || wants page || wants dashboards ||
  wants chart || wants container; then
  step "build" build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
wants unit && step "unit tests" unit_tests build
wants tidy && step "internal headers stay inside their module" bash scripts/check-internal-headers.sh
wants tidy && step "clang-tidy (exporter/, checks in .clang-tidy)" bash scripts/clang-tidy.sh build
if wants asan; then
  step "build (ASan+UBSan)" build build-asan -DCMAKE_BUILD_TYPE=Debug -DLAGWATCH_SANITIZE=ON \
    -DLAGWATCH_BENCH=OFF
  step "unit tests (ASan+UBSan)" unit_tests build-asan
fi
if wants tsan; then
  # The threads as the daemon runs them: the HTTP server serving while content is published;
  # the exposition shared by pollers and scrapes; the poll loop on its own thread with its
  # std::async, against a fake cluster, publishing while /metrics is scraped over loopback.
  # Not test_kafka: librdkafka starts its threads with C11 thrd_create, which GCC's TSan does not
  # intercept, and the first allocation on such a thread crashes in TSan's allocator.
  tsan_tests=(test_http test_metrics test_poll)
  tsan() {
    build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLAGWATCH_TSAN=ON -DLAGWATCH_BENCH=OFF \
      --target "${tsan_tests[@]}" || return 1
    local t
    for t in "${tsan_tests[@]}"; do
      TSAN_OPTIONS="halt_on_error=1" "build-tsan/tests/${t}" || return 1
    done
  }
  step "unit tests of threaded modules (TSan)" tsan
fi
if wants fuzz && [[ -f tests/fuzz/run.sh ]]; then
  step "fuzz (__consumer_offsets decoder, config parser, HTTP request decisions)" bash tests/fuzz/run.sh "${LAGWATCH_FUZZ_SECONDS:-60}"
fi
export LAGWATCH_BIN="${root}/build/exporter/lagwatch"
if wants http; then
  step "HTTP endpoint: connection abuse, TLS and basic auth, a real Prometheus scraping over HTTPS" bash tests/http/run.sh
fi
if wants integration; then
  step "integration (Kafka 4.3.1)" bash tests/integration/run.sh 4.3.1
  step "integration (Kafka 3.9.2)" bash tests/integration/run.sh 3.9.2
fi
if wants page; then
  step "status page in headless chromium (screenshot in build/page-artifacts)" bash tests/page/run.sh
fi
if wants dashboards && [[ -f tests/dashboards/run.sh ]]; then
  step "dashboards and alert rules" bash tests/dashboards/run.sh
fi
if wants chart && [[ -f tests/deploy/chart.sh ]]; then
  step "helm chart" bash tests/deploy/chart.sh
fi
if wants container && [[ -f tests/deploy/container.sh ]]; then
  step "container image" bash tests/deploy/container.sh
fi

echo
if ((failed > 0)); then
  echo "failed suites: ${failed_names[*]}"
fi
echo "suites: ${passed} passed, ${failed} failed"
((failed == 0))
