#!/usr/bin/env bash
# The status page in a real browser: Kafka (the integration harness), lagwatch watching two
# clusters with two groups, then headless chromium takes a screenshot (kept under
# build/page-artifacts, or LAGWATCH_PAGE_ARTIFACTS) and its DOM is checked. About a minute.
# Needs scripts/install-deps.sh (chromium, tests/.venv, the Kafka jars) and a built lagwatch
# (LAGWATCH_BIN, default build/exporter/lagwatch).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${here}/../.." && pwd)"
python="${repo_root}/tests/.venv/bin/python"
if [[ ! -x "${python}" ]]; then
  echo "run.sh: ${python} missing; run scripts/install-deps.sh first" >&2
  exit 1
fi
if ! command -v chromium >/dev/null 2>&1; then
  echo "run.sh: chromium missing; run scripts/install-deps.sh first" >&2
  exit 1
fi
export LAGWATCH_KAFKA_VERSION="${LAGWATCH_KAFKA_VERSION:-4.3.1}"
# Fetched up front so that a slow download is not charged to the test's waits.
"${repo_root}/tests/harness/kafka.sh" fetch "${LAGWATCH_KAFKA_VERSION}" >/dev/null
export LAGWATCH_BIN="${LAGWATCH_BIN:-${repo_root}/build/exporter/lagwatch}"
export PYTHONDONTWRITEBYTECODE=1
cd "${here}"
exec timeout --kill-after=15 "${LAGWATCH_PAGE_TIMEOUT:-240}" "${python}" -m pytest "$@"
