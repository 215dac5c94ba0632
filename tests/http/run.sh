#!/usr/bin/env bash
# The endpoint tests against the real lagwatch binary (no broker needed): connection abuse (held
# idle and half-sent connections, oversized heads, pipelining, random bytes) and TLS and basic
# auth from a web configuration file, checked with curl and with a real Prometheus (Debian's
# `prometheus` binary) scraping it. About 50 s.
#   tests/http/run.sh          (LAGWATCH_BIN: default build/exporter/lagwatch)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PYTHONDONTWRITEBYTECODE=1
# 600 held connections and their reopening need descriptors on the client side too.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "${repo_root}/tests/http"
exec timeout --kill-after=10 300 python3 -m unittest -v test_http_abuse test_web_config \
  test_prometheus_scrape
