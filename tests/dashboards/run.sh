#!/usr/bin/env bash
# Checks the Grafana dashboards and Prometheus alert rules; exits non-zero on any failure.
#   tests/dashboards/run.sh            structure + promtool rules checks/tests + unit tests +
#                                      live check against the synthetic exporter (~20 s)
#   tests/dashboards/run.sh --offline  everything except the live synthetic check
# Needs python3 and Debian's prometheus package (promtool, prometheus). The live test against the
# real lagwatch and Kafka is tests/dashboards/test_live_dashboards.py (pytest, see its header).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PYTHONDONTWRITEBYTECODE=1
cd "${here}"

failed=0
step() {
  local name="$1"
  shift
  echo "== ${name}"
  # Each step is bounded even if a wait inside it were not.
  if ! timeout --kill-after=10 300 "$@"; then
    echo "== ${name}: FAILED"
    failed=$((failed + 1))
  fi
}

step "structure, metric names, PromQL syntax, promtool check/test rules" \
  python3 check_dashboards.py
step "checker unit tests" python3 -m unittest -q test_check_dashboards test_live_checks
if [[ "${1:-}" != "--offline" ]]; then
  step "live: every panel and alert on a real Prometheus with the synthetic exporter" \
    python3 live_test.py --synthetic
fi

if [[ "${failed}" -ne 0 ]]; then
  echo "dashboards: ${failed} step(s) failed"
  exit 1
fi
echo "dashboards: all steps passed"
