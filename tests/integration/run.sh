#!/usr/bin/env bash
# Runs the integration suite against a real Kafka broker of the given version.
#   tests/integration/run.sh [VERSION] [PYTEST ARGS...]     (VERSION: 4.3.1 default, or 3.9.2)
# Needs scripts/install-deps.sh (the venv) and a built lagwatch (LAGWATCH_BIN, default
# build/exporter/lagwatch).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="${1:-4.3.1}"
[[ $# -gt 0 ]] && shift

python="${repo_root}/tests/.venv/bin/python"
if [[ ! -x "${python}" ]]; then
  echo "run.sh: ${python} missing; run scripts/install-deps.sh first" >&2
  exit 1
fi

# Fetched up front so that a slow download is not charged to the first test's timeouts.
"${repo_root}/tests/harness/kafka.sh" fetch "${version}"

export LAGWATCH_KAFKA_VERSION="${version}"
export LAGWATCH_BIN="${LAGWATCH_BIN:-${repo_root}/build/exporter/lagwatch}"
export PYTHONDONTWRITEBYTECODE=1
cd "${repo_root}/tests/integration"
# The whole suite is bounded even if a wait inside it were not.
exec timeout --kill-after=30 "${LAGWATCH_IT_TIMEOUT:-2100}" "${python}" -m pytest "$@"
