#!/usr/bin/env bash
# The HTTP abuse test against the real lagwatch binary (no broker needed): held idle and
# half-sent connections, oversized heads, pipelining, random bytes. About 15 s.
#   tests/http/run.sh          (LAGWATCH_BIN: default build/exporter/lagwatch)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PYTHONDONTWRITEBYTECODE=1
# 600 held connections and their reopening need descriptors on the client side too.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec timeout --kill-after=10 300 python3 "${repo_root}/tests/http/test_http_abuse.py"
