#!/usr/bin/env bash
# Checks the Grafana dashboards and Prometheus alert rules; exits non-zero on any failure.
#   tests/dashboards/run.sh            everything below (about 2 minutes)
#   tests/dashboards/run.sh --no-kafka everything except the live test on real Kafka + lagwatch
#   tests/dashboards/run.sh --offline  only structure, promtool rules checks/tests, unit tests
# Steps:
#   1. structure, metric names (docs/metrics.md), PromQL syntax, promtool check/test rules
#   2. unit tests of the checkers
#   3. live, synthetic: a real Prometheus scrapes two synthetic_exporter.py replicas (~20 s);
#      the inhibit rules of docs/runbooks.md on a real Alertmanager (~2 s)
#   4. live, real: Kafka 4.3.1 + lagwatch + Prometheus, every panel and alert
#      (test_live_dashboards.py, ~1-2 minutes)
# Needs python3 and Debian's prometheus and prometheus-alertmanager packages; step 4 also needs
# scripts/install-deps.sh (tests/.venv, the Kafka jars) and a built lagwatch (LAGWATCH_BIN,
# default build/exporter/lagwatch).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
mode="${1:-all}"
case "${mode}" in
  all | --no-kafka | --offline) ;;
  *)
    echo "usage: $0 [--no-kafka | --offline]" >&2
    exit 2
    ;;
esac
export PYTHONDONTWRITEBYTECODE=1
cd "${here}"

failed=0
step() {
  local name="$1" limit="$2"
  shift 2
  echo "== ${name}"
  local started=${SECONDS}
  # Each step is bounded even if a wait inside it were not.
  if ! timeout --kill-after=15 "${limit}" "$@"; then
    echo "== ${name}: FAILED ($((SECONDS - started)) s)"
    failed=$((failed + 1))
    return 0
  fi
  echo "== ${name}: passed ($((SECONDS - started)) s)"
}

live_real() {
  local python="${repo_root}/tests/.venv/bin/python"
  if [[ ! -x "${python}" ]]; then
    echo "${python} missing; run scripts/install-deps.sh first" >&2
    return 1
  fi
  export LAGWATCH_BIN="${LAGWATCH_BIN:-${repo_root}/build/exporter/lagwatch}"
  if [[ ! -x "${LAGWATCH_BIN}" ]]; then
    echo "lagwatch binary ${LAGWATCH_BIN} missing: build it or set LAGWATCH_BIN" >&2
    return 1
  fi
  # The workload has a KIP-848 group, so the broker is Kafka 4. Fetched up front so that a slow
  # download is not charged to the test's own waits.
  export LAGWATCH_KAFKA_VERSION=4.3.1
  "${repo_root}/tests/harness/kafka.sh" fetch "${LAGWATCH_KAFKA_VERSION}" >/dev/null
  "${python}" -m pytest -s test_live_dashboards.py
}
# `timeout` runs programs, not functions: the step runs it in a child bash.
export -f live_real
export repo_root

step "structure, metric names, PromQL syntax, promtool check/test rules" 300 \
  python3 check_dashboards.py
step "checker unit tests" 120 python3 -m unittest -q test_check_dashboards test_live_checks
if [[ "${mode}" != "--offline" ]]; then
  step "live, synthetic exporter: every panel and alert on a real Prometheus" 180 \
    python3 live_test.py --synthetic
  step "inhibit rules of docs/runbooks.md on a real Alertmanager" 90 python3 inhibit_test.py
fi
if [[ "${mode}" == "all" ]]; then
  step "live, Kafka 4.3.1 + lagwatch: every panel and alert on a real Prometheus" 420 \
    bash -c 'set -euo pipefail; live_real'
fi

if [[ "${failed}" -ne 0 ]]; then
  echo "dashboards: ${failed} step(s) failed"
  exit 1
fi
echo "dashboards: all steps passed"
