#!/usr/bin/env bash
# Installs everything lagwatch needs to build, test and run its demo on Debian 12 / Ubuntu.
# Idempotent: when every package is present it touches neither apt nor the network, apart from
# pip checking the venv against tests/requirements.txt.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="${repo_root}/tests/.venv"
requirements="${repo_root}/tests/requirements.txt"

packages=(
  build-essential cmake ninja-build pkg-config git ccache openssl
  prometheus-cpp-dev libmicrohttpd-dev libgnutls28-dev libre2-dev libyaml-cpp-dev libcrypt-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcurl4-openssl-dev zlib1g-dev
  prometheus prometheus-alertmanager curl clang clang-format clang-tidy maven python3-venv
  # The secured broker's Kerberos realm (a loopback KDC) and librdkafka's GSSAPI client side:
  # Cyrus SASL's GSSAPI plugin and kinit.
  krb5-kdc krb5-admin-server krb5-user libsasl2-modules-gssapi-mit
  # The status page suite (tests/page) renders / in a real headless browser.
  chromium
)
# librdkafka >= 2.14.2 and toml++ >= 3.4: where the host's packages are older (Debian 12 and 13),
# scripts/build-deps.sh builds Debian's sources, which need these.
packages+=(libssl-dev libsasl2-dev liblz4-dev libzstd-dev rapidjson-dev dpkg-dev patch)
# Sanitizer runtimes are packaged under a versioned name that differs between distributions.
optional_packages=(libclang-rt-14-dev libclang-rt-dev)

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  else
    sudo "$@"
  fi
}

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

java_is_17_or_newer() {
  command -v java >/dev/null 2>&1 || return 1
  local major
  major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  [[ -n "${major}" && "${major}" -ge 17 ]]
}

apt_updated=0
apt_update_once() {
  if [[ "${apt_updated}" -eq 0 ]]; then
    as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt_updated=1
  fi
}

apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
}

missing=()
for pkg in "${packages[@]}"; do
  is_installed "${pkg}" || missing+=("${pkg}")
done
if ! java_is_17_or_newer; then
  missing+=(openjdk-17-jre-headless)
fi

if [[ "${#missing[@]}" -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  apt_update_once
  apt_install "${missing[@]}"
fi

have_optional=0
for pkg in "${optional_packages[@]}"; do
  if is_installed "${pkg}"; then
    have_optional=1
    break
  fi
done
if [[ "${have_optional}" -eq 0 ]]; then
  apt_update_once
  for pkg in "${optional_packages[@]}"; do
    if apt-cache show "${pkg}" >/dev/null 2>&1 && apt_install "${pkg}"; then
      have_optional=1
      break
    fi
  done
  if [[ "${have_optional}" -eq 0 ]]; then
    echo "install-deps: no clang runtime package found; sanitizer builds with clang may fail" >&2
  fi
fi

# The venv is rebuilt only when it is missing or broken; pip is skipped when the installed
# versions already match the pinned ones.
if [[ ! -x "${venv_dir}/bin/python" ]] || ! "${venv_dir}/bin/python" -c 'import sys' 2>/dev/null; then
  rm -rf "${venv_dir}"
  python3 -m venv "${venv_dir}"
fi
if ! "${venv_dir}/bin/python" - "${requirements}" <<'PY' 2>/dev/null; then
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
  "${venv_dir}/bin/python" -m pip install -q --disable-pip-version-check -r "${requirements}"
fi

bash "${repo_root}/scripts/build-deps.sh" >/dev/null

echo "install-deps: all dependencies present"
