#!/usr/bin/env bash
# A module's internal headers (exporter/<module>/internal/) are included only by that module's
# own sources and by tests and benchmarks; any other module that includes one fails this check.
#
#   bash scripts/check-internal-headers.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}"
violations=0
while IFS= read -r -d '' file; do
  owner="${file#exporter/}"
  owner="${owner%%/*}"
  # The grep pattern names what a line must look like; only another module's internal/ counts.
  while IFS= read -r line; do
    included="${line#*\"}"
    module="${included%%/*}"
    if [[ "${module}" != "${owner}" ]]; then
      echo "${file}: includes ${included%\"*}, internal to ${module}/" >&2
      violations=$((violations + 1))
    fi
  done < <(grep -E '^#include "[a-z_]+/internal/' "${file}" || true)
done < <(find exporter -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z)
if [[ "${violations}" -ne 0 ]]; then
  echo "internal headers: ${violations} include(s) from outside their module" >&2
  exit 1
fi
echo "internal headers: each included only by its own module"
