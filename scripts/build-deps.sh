#!/usr/bin/env bash
# Provides the library versions lagwatch needs when the host's own packages are older.
#
#   bash scripts/build-deps.sh            build (once) and print the prefix on the last line
#   bash scripts/build-deps.sh --prefix   print the prefix only (empty when none is needed)
#
# lagwatch needs librdkafka >= 2.14.2 and toml++ >= 3.4. librdkafka 2.8.0 (Debian 13's) already
# does SCRAM with Kafka 4 and OIDC through libcurl, but its metadata cache crashes the process
# when a topic is deleted and created again under its name (a new topic ID: the entry indexed
# by ID keeps pointing at the freed one), which tests/integration/test_random_workload.py hit in
# about half of its runs. Debian's 2.14.2 (forky, the next release) has the fix; Debian 12 and 13
# ship older ones, and newer suites' binary packages need a newer glibc. So on such a host this
# script fetches Debian's source package of librdkafka and toml++ 3.4's header package from the
# same Debian package registry the host already uses, builds a static librdkafka with the host's
# compiler, and installs both into a cached prefix that CMake picks up (LAGWATCH_DEPS_PREFIX).
# The build links it statically, so the binary runs with the host's own runtime packages only.
# The prefix is keyed by the pinned versions and this script's content: a change rebuilds it.
set -euo pipefail

readonly RDKAFKA_VERSION="2.14.2-1"
readonly RDKAFKA_SUITE="forky"
readonly TOMLPP_VERSION="3.4.0+ds-0.2+b1"
readonly TOMLPP_SUITE="trixie"
readonly MIN_RDKAFKA="2.14.2"
readonly MIN_TOMLPP="3.4.0"

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cache_root="${LAGWATCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/lagwatch}"
key="$(sha256sum "${script}" | cut -c1-12)"
prefix="${cache_root}/deps-${key}"
jobs="$(nproc 2>/dev/null || echo 2)"

log() { echo "build-deps: $*" >&2; }

# The host's own packages are used when they are new enough (pkg-config knows their versions).
host_is_new_enough() {
  command -v pkg-config >/dev/null &&
    pkg-config --atleast-version="${MIN_RDKAFKA}" rdkafka 2>/dev/null &&
    pkg-config --atleast-version="${MIN_TOMLPP}" tomlplusplus 2>/dev/null
}

if [[ "${1:-}" == --prefix ]]; then
  if host_is_new_enough; then echo ""; else echo "${prefix}"; fi
  exit 0
fi

if host_is_new_enough; then
  log "this host's own packages are recent enough; nothing to build"
  echo ""
  exit 0
fi

if [[ -f "${prefix}/.complete" ]]; then
  log "using ${prefix}"
  echo "${prefix}"
  exit 0
fi

# The registry the host already uses, read from its own apt sources.
debian_uri() {
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)"
  fi
  if [[ -z "${uri}" && -r /etc/apt/sources.list ]]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  [[ -n "${uri}" ]] || { log "no Debian package source found in /etc/apt"; return 1; }
  echo "${uri%/}"
}

work="$(mktemp -d "${TMPDIR:-/tmp}/lagwatch-deps.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
# Built in place: the pkg-config and CMake files name the prefix. Only .complete marks it usable.
rm -rf "${prefix}"
staging="${prefix}"
mkdir -p "${staging}" "${work}/lists/partial" "${work}/archives/partial" "${work}/src"
: >"${work}/status"

uri="$(debian_uri)"
# Debian 13 trusts its archive keys through sources' Signed-By only, so name the keyring.
options="arch=$(dpkg --print-architecture)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r "${keyring}" ]] && options+=" signed-by=${keyring}"
cat >"${work}/sources.list" <<EOF
deb [${options}] ${uri} ${TOMLPP_SUITE} main
deb-src [${options}] ${uri} ${RDKAFKA_SUITE} main
EOF
# A private apt configuration: the host's own sources, lists and package state stay untouched.
apt_private=(-o "Dir::Etc::SourceList=${work}/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=${work}/lists" -o "Dir::State::status=${work}/status"
  -o "Dir::Cache=${work}" -o APT::Sandbox::User=root
  # A testing suite's Release expires within days (Valid-Until) and mirrors or snapshots lag
  # behind; the signature is still checked, and a stale list cannot give an older librdkafka
  # than the pin (checked below), so its age is not.
  -o Acquire::Check-Valid-Until=false)
log "reading the ${TOMLPP_SUITE} and ${RDKAFKA_SUITE} package lists"
apt-get "${apt_private[@]}" update -qq >/dev/null

cd "${work}/src"
log "fetching librdkafka ${RDKAFKA_VERSION} sources, toml++ ${TOMLPP_VERSION}"
# Sources only (no dpkg-source run): the upstream tarball, which builds with its vendored
# libraries. (apt may fail on a missing .dsc while the tarballs arrive: the files are checked.)
apt-get "${apt_private[@]}" source --download-only "librdkafka=${RDKAFKA_VERSION}" >/dev/null 2>&1 || true
rdkafka_version="${RDKAFKA_VERSION}"
upstream() { local v="${1%-*}"; echo "${v#*:}"; }  # 2.14.2-1 -> 2.14.2
if [[ ! -f "librdkafka_$(upstream "${rdkafka_version}").orig.tar.gz" ]]; then
  # A testing suite moves on and its old versions leave the registry: take the one it serves
  # now when that is not older than the pin, and say so.
  rdkafka_version="$(apt-cache "${apt_private[@]}" showsrc librdkafka 2>/dev/null |
    awk '/^Version:/ {print $2}' | sort -V | tail -n 1)"
  if [[ -z "${rdkafka_version}" ]] || ! dpkg --compare-versions "${rdkafka_version}" ge "${RDKAFKA_VERSION}"; then
    log "librdkafka ${RDKAFKA_VERSION} is no longer served by ${RDKAFKA_SUITE} (it has '${rdkafka_version}')"
    exit 1
  fi
  log "librdkafka ${RDKAFKA_VERSION} is gone from ${RDKAFKA_SUITE}; using its ${rdkafka_version}"
  apt-get "${apt_private[@]}" source --download-only "librdkafka=${rdkafka_version}" >/dev/null 2>&1 || true
fi
apt-get "${apt_private[@]}" download "libtomlplusplus-dev=${TOMLPP_VERSION}" >/dev/null

need() { [[ -f "$1" ]] || { log "missing download: $1"; exit 1; }; }
rdkafka_tar="librdkafka_$(upstream "${rdkafka_version}").orig.tar.gz"
need "${rdkafka_tar}"

log "building librdkafka (static, with SSL, SASL, OAUTHBEARER/OIDC via libcurl, zstd, lz4)"
mkdir rdkafka && tar -C rdkafka --strip-components=1 -xzf "${rdkafka_tar}"
# Debian's patches are not applied: for 2.14.2 they only swap the vendored cJSON and nanopb for
# Debian's packages, which needs debian/rules to regenerate the OpenTelemetry sources first.
(
  cd rdkafka
  ./configure --prefix="${staging}" --libdir="${staging}/lib" --enable-ssl --enable-gssapi \
    --enable-curl --enable-zstd --enable-lz4-ext --disable-debug-symbols >lagwatch-configure.out 2>&1 ||
    { cat lagwatch-configure.out >&2; exit 1; }
  for feature in SSL SASL_CYRUS SASL_SCRAM SASL_OAUTHBEARER OAUTHBEARER_OIDC CURL ZSTD; do
    grep -Eq "^#define WITH_${feature} 1" config.h || { log "librdkafka lacks ${feature}"; exit 1; }
  done
  make -C src -j "${jobs}" lib >make.log 2>&1 || { tail -50 make.log >&2; exit 1; }
  make -C src install >>make.log 2>&1 || { tail -50 make.log >&2; exit 1; }
)
# Static linking only: the shared objects would need the prefix at run time.
rm -f "${staging}"/lib/librdkafka*.so*

log "unpacking toml++ headers"
mkdir tomlpp && dpkg-deb -x libtomlplusplus-dev_*.deb tomlpp
cp -a tomlpp/usr/include/toml++ "${staging}/include/"
# The package's CMake files name its shared library; lagwatch uses toml++ header-only instead.
echo "${TOMLPP_VERSION}" >"${staging}/include/toml++/DEBIAN_VERSION"

printf 'librdkafka %s\ntoml++ %s\n' "${rdkafka_version}" "${TOMLPP_VERSION}" >"${staging}/VERSIONS"
touch "${staging}/.complete"
# Prefixes of earlier pins or script versions are no longer used by anything.
for old in "${cache_root}"/deps-*; do
  [[ "${old}" == "${prefix}" ]] || rm -rf "${old}"
done
log "installed into ${prefix}"
echo "${prefix}"
