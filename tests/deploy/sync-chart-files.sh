#!/usr/bin/env bash
# Helm can only read files inside the chart, so the chart carries copies of the repository's
# Grafana dashboards and alert rules. This script makes the copies; with --check it changes
# nothing and fails when a copy differs from its source, is missing, or has no source any more.
#
#   tests/deploy/sync-chart-files.sh           copy dashboards/*.json and the alert rules
#   tests/deploy/sync-chart-files.sh --check   exit 1 (listing the differences) if out of date
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly CHART_FILES="${REPO_ROOT}/helm/lagwatch/files"
readonly RULES_SOURCE="${REPO_ROOT}/dashboards/alerts/lagwatch-rules.yaml"

mode="sync"
case "${1:-}" in
  "") ;;
  --check) mode="check" ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

# Pairs "source|copy" of every file the chart must carry.
expected_pairs() {
  local source
  for source in "${REPO_ROOT}"/dashboards/*.json; do
    [[ -e "${source}" ]] || continue
    echo "${source}|${CHART_FILES}/dashboards/$(basename "${source}")"
  done
  if [[ -e "${RULES_SOURCE}" ]]; then
    echo "${RULES_SOURCE}|${CHART_FILES}/lagwatch-rules.yaml"
  fi
}

problems=0
report() {
  echo "sync-chart-files: $*" >&2
  problems=$((problems + 1))
}

declare -A wanted=()
while IFS='|' read -r source copy; do
  wanted["${copy}"]=1
  if [[ "${mode}" == "sync" ]]; then
    mkdir -p "$(dirname "${copy}")"
    cmp -s "${source}" "${copy}" || cp "${source}" "${copy}"
  elif [[ ! -e "${copy}" ]]; then
    report "missing ${copy#"${REPO_ROOT}"/} (copy of ${source#"${REPO_ROOT}"/})"
  elif ! cmp -s "${source}" "${copy}"; then
    report "${copy#"${REPO_ROOT}"/} differs from ${source#"${REPO_ROOT}"/}"
  fi
done < <(expected_pairs)

[[ -e "${RULES_SOURCE}" ]] || report "no ${RULES_SOURCE#"${REPO_ROOT}"/} to copy"
compgen -G "${REPO_ROOT}/dashboards/*.json" >/dev/null || report "no dashboards/*.json to copy"

# Copies whose source is gone would keep shipping a deleted dashboard.
while IFS= read -r -d '' copy; do
  [[ -n "${wanted["${copy}"]:-}" ]] && continue
  if [[ "${mode}" == "sync" ]]; then
    rm -f "${copy}"
  else
    report "${copy#"${REPO_ROOT}"/} has no source any more"
  fi
done < <(find "${CHART_FILES}" -type f \( -name '*.json' -o -name '*.yaml' \) -print0 2>/dev/null)

if ((problems > 0)); then
  [[ "${mode}" == "check" ]] && echo "sync-chart-files: run tests/deploy/sync-chart-files.sh" >&2
  exit 1
fi
if [[ "${mode}" == "check" ]]; then
  echo "sync-chart-files: the chart's copies are up to date" >&2
else
  echo "sync-chart-files: copied into ${CHART_FILES#"${REPO_ROOT}"/}" >&2
fi
