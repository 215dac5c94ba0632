#!/usr/bin/env bash
# Checks the Helm chart helm/lagwatch offline: helm lint, helm template for every values file in
# tests/deploy/values/, every rendered object validated against the Kubernetes schemas, the
# rendered config accepted by the real `lagwatch --check-config`, and the chart's copies of the
# dashboards and alert rules identical to the repository's (tests/deploy/chart_checks.py); the
# ServiceMonitor, PodMonitor and PrometheusRule validated against the prometheus-operator CRD
# schemas; then the chart's target-down alert firing on a real Prometheus
# (tests/deploy/target_down_test.py).
#
#   tests/deploy/chart.sh
#
# Environment:
#   LAGWATCH_BIN     the lagwatch binary (default build/exporter/lagwatch)
#   LAGWATCH_CACHE   cache root (default ~/.cache/lagwatch): helm binary, Python venv
#
# Helm is not packaged by Debian: it is built once from the Go module proxy with `go install`.
# The CRD schemas come from the prometheus-operator Go module of the same proxy
# (`go mod download`, its example/prometheus-operator-crd directory).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly CACHE_ROOT="${LAGWATCH_CACHE:-${HOME}/.cache/lagwatch}"
readonly HELM_VERSION="v3.22.0"
readonly HELM_DIR="${CACHE_ROOT}/helm-${HELM_VERSION}"
readonly HELM="${HELM_DIR}/helm"
readonly VENV="${CACHE_ROOT}/deploy-venv"
readonly REQUIREMENTS="${REPO_ROOT}/tests/deploy/requirements.txt"
readonly LAGWATCH_BIN="${LAGWATCH_BIN:-${REPO_ROOT}/build/exporter/lagwatch}"
readonly OPERATOR_MODULE="github.com/prometheus-operator/prometheus-operator@v0.79.2"

log() { echo "chart.sh: $*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}

ensure_helm() {
  if [[ -x "${HELM}" ]] && "${HELM}" version --short >/dev/null 2>&1; then
    return 0
  fi
  command -v go >/dev/null || fail "go is needed to build helm ${HELM_VERSION}"
  log "building helm ${HELM_VERSION} with go install (once; cached in ${HELM_DIR})"
  mkdir -p "${HELM_DIR}"
  (cd "${HELM_DIR}" && GOBIN="${HELM_DIR}" GOFLAGS=-mod=mod timeout 1800 \
    go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}") >&2 ||
    fail "go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION} failed"
}

# Prints the directory of the CRD YAML files of the prometheus-operator module.
crd_dir() {
  local dir
  dir="$(cd "${CACHE_ROOT}" && GOFLAGS=-mod=mod timeout 600 go mod download -json "${OPERATOR_MODULE}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')" ||
    fail "go mod download ${OPERATOR_MODULE} failed"
  [[ -f "${dir}/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" ]] ||
    fail "no CRDs in ${dir}/example/prometheus-operator-crd"
  echo "${dir}/example/prometheus-operator-crd"
}

# The venv is reused while its packages match the pinned versions.
ensure_venv() {
  if [[ ! -x "${VENV}/bin/python" ]] || ! "${VENV}/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "${VENV}"
    python3 -m venv "${VENV}" || fail "could not create a venv in ${VENV} (python3-venv missing?)"
  fi
  if ! "${VENV}/bin/python" - "${REQUIREMENTS}" <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version, PackageNotFoundError
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, _, pinned = line.partition("==")
    try:
        if version(name) != pinned:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
    "${VENV}/bin/python" -m pip install -q --disable-pip-version-check -r "${REQUIREMENTS}" >&2 ||
      fail "pip could not install ${REQUIREMENTS}"
  fi
}

lint() {
  local values
  "${HELM}" lint --strict "${REPO_ROOT}/helm/lagwatch" >&2 || fail "helm lint failed"
  for values in "${REPO_ROOT}"/tests/deploy/values/*.yaml; do
    [[ "$(basename "${values}")" == sidecar-*.yaml ]] && continue
    "${HELM}" lint --strict --kube-version 1.28.0 "${REPO_ROOT}/helm/lagwatch" -f "${values}" >/dev/null 2>&1 || {
      "${HELM}" lint --strict --kube-version 1.28.0 "${REPO_ROOT}/helm/lagwatch" -f "${values}" >&2 || true
      fail "helm lint with $(basename "${values}") failed"
    }
  done
}

main() {
  local started=${SECONDS}
  [[ -x "${LAGWATCH_BIN}" ]] ||
    fail "no lagwatch binary at ${LAGWATCH_BIN} (build it, or set LAGWATCH_BIN)"
  bash "${REPO_ROOT}/tests/deploy/sync-chart-files.sh" --check ||
    fail "the chart's copies of dashboards/alert rules are out of date"
  ensure_helm
  ensure_venv
  lint
  "${VENV}/bin/python" "${REPO_ROOT}/tests/deploy/chart_checks.py" \
    --helm "${HELM}" --lagwatch-bin "${LAGWATCH_BIN}" --crd-dir "$(crd_dir)" ||
    fail "chart checks failed (listed above)"
  command -v prometheus >/dev/null || fail "prometheus (Debian package) is needed for the target-down test"
  timeout --kill-after=15 300 "${VENV}/bin/python" "${REPO_ROOT}/tests/deploy/target_down_test.py" \
    --helm "${HELM}" --lagwatch-bin "${LAGWATCH_BIN}" || fail "the chart's target-down alert did not fire"
  log "PASS in $((SECONDS - started)) s"
}

main "$@"
