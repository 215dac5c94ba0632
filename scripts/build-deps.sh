#!/usr/bin/env bash
# Provides the library versions lagwatch needs when the host's own packages are older.
#
#   bash scripts/build-deps.sh            build (once) and print the prefix on the last line
#   bash scripts/build-deps.sh --prefix   print the prefix only (empty when none is needed)
#
# lagwatch needs librdkafka >= 2.8 (SCRAM with Kafka 4, OIDC through libcurl) and toml++ >= 3.4. Debian 13 ships them; Debian 12 does not, and Debian
# 13's binary packages need a newer glibc. On such a host this script fetches Debian 13's source
# package of librdkafka and toml++'s header package from the same Debian package
# registry the host already uses, builds a static librdkafka with the host's compiler, and installs
# both into a cached prefix that CMake picks up (LAGWATCH_DEPS_PREFIX). The build links it
# statically, so the resulting binary runs on the host with Debian 12's runtime packages only.
# The prefix is keyed by the pinned versions and this script's content: a change rebuilds it.
set -euo pipefail

readonly RDKAFKA_VERSION="2.8.0-1"
readonly TOMLPP_VERSION="3.4.0+ds-0.2+b1"
readonly SOURCE_SUITE="trixie"

script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cache_root="${LAGWATCH_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/lagwatch}"
key="$(sha256sum "${script}" | cut -c1-12)"
prefix="${cache_root}/deps-${SOURCE_SUITE}-${key}"
jobs="$(nproc 2>/dev/null || echo 2)"

log() { echo "build-deps: $*" >&2; }

# Debian 13 and newer ship the versions: nothing to build.
host_is_new_enough() {
  local version_id=""
  [[ -r /etc/os-release ]] && version_id="$(. /etc/os-release && echo "${VERSION_ID:-}")"
  [[ -n "${version_id}" && "${version_id%%.*}" =~ ^[0-9]+$ && "${version_id%%.*}" -ge 13 ]] &&
    [[ "$(. /etc/os-release && echo "${ID:-}")" == debian ]]
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
cat >"${work}/sources.list" <<EOF
deb [arch=$(dpkg --print-architecture)] ${uri} ${SOURCE_SUITE} main
deb-src ${uri} ${SOURCE_SUITE} main
EOF
# A private apt configuration: the host's own sources, lists and package state stay untouched.
apt_private=(-o "Dir::Etc::SourceList=${work}/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=${work}/lists" -o "Dir::State::status=${work}/status"
  -o "Dir::Cache=${work}" -o APT::Sandbox::User=root)
log "reading the ${SOURCE_SUITE} package lists"
apt-get "${apt_private[@]}" update -qq >/dev/null

cd "${work}/src"
log "fetching librdkafka ${RDKAFKA_VERSION} sources, toml++ ${TOMLPP_VERSION}"
# Sources only (no dpkg-source run): the upstream tarball plus Debian's patches, applied below.
# (apt may fail on a missing .dsc while the tarballs arrive: the files are checked below.)
apt-get "${apt_private[@]}" source --download-only "librdkafka=${RDKAFKA_VERSION}" >/dev/null 2>&1 || true
apt-get "${apt_private[@]}" download "libtomlplusplus-dev=${TOMLPP_VERSION}" >/dev/null

upstream() { echo "${1%%-*}"; }  # 2.8.0-1 -> 2.8.0
need() { [[ -f "$1" ]] || { log "missing download: $1"; exit 1; }; }
rdkafka_tar="librdkafka_$(upstream "${RDKAFKA_VERSION}").orig.tar.gz"
need "${rdkafka_tar}"

# Debian's quilt series, applied in order (the .dsc is not needed for that).
apply_debian_patches() {  # apply_debian_patches SOURCE_DIR DEBIAN_TARBALL
  local dir="$1" tarball="$2"
  tar -C "${dir}" -xf "${tarball}"
  [[ -f "${dir}/debian/patches/series" ]] || return 0
  local patch_name
  while read -r patch_name _; do
    [[ -z "${patch_name}" || "${patch_name}" == \#* ]] && continue
    patch -d "${dir}" -p1 -s <"${dir}/debian/patches/${patch_name}"
  done <"${dir}/debian/patches/series"
}

log "building librdkafka (static, with SSL, SASL, OAUTHBEARER/OIDC via libcurl, zstd, lz4)"
mkdir rdkafka && tar -C rdkafka --strip-components=1 -xzf "${rdkafka_tar}"
rdkafka_debian="librdkafka_${RDKAFKA_VERSION}.debian.tar.xz"
[[ -f "${rdkafka_debian}" ]] && apply_debian_patches rdkafka "${rdkafka_debian}"
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

printf 'librdkafka %s\ntoml++ %s\n' "${RDKAFKA_VERSION}" "${TOMLPP_VERSION}" >"${staging}/VERSIONS"
touch "${staging}/.complete"
# Prefixes of earlier pins or script versions are no longer used by anything.
for old in "${cache_root}"/deps-"${SOURCE_SUITE}"-*; do
  [[ "${old}" == "${prefix}" ]] || rm -rf "${old}"
done
log "installed into ${prefix}"
echo "${prefix}"
