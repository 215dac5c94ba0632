#!/usr/bin/env bash
# Builds the lagwatch image from the Dockerfile with podman, without pulling anything from a
# container registry (the debian:trixie-slim base is bootstrapped from the Debian mirror the
# host's apt uses, once, and cached), then runs it for real: read-only root filesystem, non-root,
# config mounted read-only, against a real Kafka broker over SASL/SCRAM-SHA-512 (the password a
# mounted secret file), scraped from the host.
#
#   tests/deploy/container.sh
#
# Environment:
#   LAGWATCH_CACHE   cache root (default ~/.cache/lagwatch): base rootfs tarball, podman storage
#   KAFKA_VERSION    broker version for tests/harness/kafka.sh (default: the harness's default)
#   LAGWATCH_IMAGE   tag of the built image (default localhost/lagwatch:test)
#   CI               "true" turns "this machine cannot run containers" from a SKIP into a failure
#
# Exits 0 when every check passed (or SKIP outside CI), 1 with the failed check otherwise.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly CACHE_ROOT="${LAGWATCH_CACHE:-${HOME}/.cache/lagwatch}"
readonly PODMAN_DIR="${CACHE_ROOT}/podman"
readonly SUITE="trixie"
readonly BASE_IMAGE="docker.io/library/debian:${SUITE}-slim"
readonly BASE_TARBALL="${CACHE_ROOT}/debian-${SUITE}-slim-rootfs.tar"
readonly IMAGE="${LAGWATCH_IMAGE:-localhost/lagwatch:test}"
# The Dockerfile's build-deps stage (toolchain and -dev packages) is tagged so that pruning
# keeps it; compiled layers of earlier sources are pruned.
readonly BUILD_DEPS_IMAGE="localhost/lagwatch-build-deps:cache"
readonly RUNTIME_UID="65532"
readonly CLUSTER="deploy-test"
readonly TOPIC="deploy-test-orders"
readonly GROUP="deploy-test-billing"
readonly BUILD_TIMEOUT_S=2400
readonly SCRAPE_TIMEOUT_S=90
readonly SCRAM_USER="lagwatch"

WORK_DIR=""
BUILD_CONTEXT=""
SCRAM_PASSWORD=""
SCRAM_BOOTSTRAP=""
KAFKA_DIR=""
CONTAINER=""
declare -a TIMINGS=()

log() { echo "container.sh: $*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}
skip() {
  if [[ "${CI:-}" == "true" ]]; then
    fail "this machine cannot run containers ($*); a SKIP is not accepted with CI=true"
  fi
  log "SKIP: this machine cannot run containers: $*"
  exit 0
}

# Records how long the step that started at $2 took.
timed() {
  TIMINGS+=("$1: $((SECONDS - $2)) s")
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

cleanup() {
  local status=$?
  if [[ -n "${CONTAINER}" ]]; then
    if ((status != 0)); then
      log "last lines of the container's output:"
      timeout 30 podman logs --tail 40 "${CONTAINER}" >&2 2>&1 || true
    fi
    timeout 60 podman rm -f -t 5 "${CONTAINER}" >/dev/null 2>&1 || true
  fi
  if [[ -n "${KAFKA_DIR}" ]]; then
    "${REPO_ROOT}/tests/harness/kafka.sh" stop "${KAFKA_DIR}" || true
  fi
  if [[ -n "${WORK_DIR}" ]]; then
    rm -rf "${WORK_DIR}"
  fi
  exit "${status}"
}

ensure_tools() {
  local missing=() tool
  for tool in podman buildah runc debootstrap; do
    command -v "${tool}" >/dev/null || missing+=("${tool}")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} with apt"
  # Recommends are kept: podman's default network (needed by RUN apt-get) comes from them.
  if ! as_root apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 ||
    ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
      podman buildah runc debootstrap >&2; then
    skip "podman buildah runc debootstrap could not be installed"
  fi
}

# At most the host's hard limit: runc refuses to raise a limit above it.
bounded_limit() {
  local hard="$1" wanted="$2"
  if [[ "${hard}" == "unlimited" ]] || ((hard > wanted)); then
    echo "${wanted}"
  else
    echo "${hard}"
  fi
}

# Our own podman configuration: runc and cgroupfs (crun and systemd cgroups fail on hosts like
# CI's), ulimits within the host's, and images stored under the cache rather than /var/lib.
write_podman_config() {
  local nofile nproc
  nofile="$(bounded_limit "$(ulimit -Hn)" 65536)"
  nproc="$(bounded_limit "$(ulimit -Hu)" 4096)"
  mkdir -p "${PODMAN_DIR}"
  cat >"${PODMAN_DIR}/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  cat >"${PODMAN_DIR}/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "${PODMAN_DIR}/storage"
runroot = "${PODMAN_DIR}/run"
EOF
  export CONTAINERS_CONF="${PODMAN_DIR}/containers.conf"
  export CONTAINERS_STORAGE_CONF="${PODMAN_DIR}/storage.conf"
}

# Prints the first URI of a Debian (non-security) or security source of the host's apt.
host_apt_uri() {
  local want="$1" # "main" or "security"
  local files=()
  shopt -s nullglob
  files=(/etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  if ((${#files[@]} > 0)); then
    awk -v want="${want}" 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/) types = substr($i, 7)
          if ($i ~ /^URIs:/) uris = substr($i, 6)
          if ($i ~ /^Suites:/) suites = substr($i, 8)
        }
        if (types !~ /(^| )deb( |$)/) next
        is_security = (suites ~ /-security/)
        if ((want == "security") != is_security) next
        split(uris, list, " ")
        for (j in list) if (list[j] != "") { print list[j]; exit }
      }' "${files[@]}" | head -n 1
  fi
  if [[ -f /etc/apt/sources.list ]]; then
    awk -v want="${want}" '$1 == "deb" {
        uri = ""; suite = ""
        for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { uri = $i; suite = $(i + 1); break }
        if ((want == "security") == (suite ~ /-security/)) { print uri; exit }
      }' /etc/apt/sources.list
  fi
}

bootstrap_base_rootfs() {
  local mirror security rootfs started=${SECONDS}
  mirror="$(host_apt_uri main | head -n 1)"
  security="$(host_apt_uri security | head -n 1)"
  [[ -n "${mirror}" ]] || skip "no Debian mirror found in the host's apt sources"
  rootfs="${CACHE_ROOT}/rootfs-${SUITE}.partial"
  as_root rm -rf "${rootfs}"
  log "bootstrapping Debian ${SUITE} (minbase) from ${mirror}"
  if ! as_root debootstrap --variant=minbase "${SUITE}" "${rootfs}" "${mirror}" \
    >"${CACHE_ROOT}/debootstrap.log" 2>&1; then
    tail -n 20 "${CACHE_ROOT}/debootstrap.log" >&2
    as_root rm -rf "${rootfs}"
    skip "debootstrap could not bootstrap Debian ${SUITE}"
  fi
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' \
      "${mirror}" "${SUITE}" "${SUITE}"
    printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    if [[ -n "${security}" ]]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' \
        "${security}" "${SUITE}"
      printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
    fi
  } | as_root tee "${rootfs}/etc/apt/sources.list.d/debian.sources" >/dev/null
  as_root rm -f "${rootfs}/etc/apt/sources.list"
  # What makes a "slim" image: packages installed later leave out docs, man pages and
  # translations, and the ones already there are removed (copyright files are kept).
  as_root tee "${rootfs}/etc/dpkg/dpkg.cfg.d/90-slim" >/dev/null <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  as_root find "${rootfs}/usr/share/doc" -type f ! -name copyright -delete
  as_root rm -rf "${rootfs}"/usr/share/{man,info,locale,lintian}/* "${rootfs}"/var/lib/apt/lists/* \
    "${rootfs}"/var/cache/apt/* "${rootfs}"/var/log/*.log "${rootfs}"/var/log/apt/*
  as_root tar -C "${rootfs}" --numeric-owner -cf "${BASE_TARBALL}.partial" .
  mv "${BASE_TARBALL}.partial" "${BASE_TARBALL}"
  as_root rm -rf "${rootfs}"
  timed "bootstrap Debian base" "${started}"
}

ensure_base_image() {
  if podman image exists "${BASE_IMAGE}"; then
    return 0
  fi
  [[ -s "${BASE_TARBALL}" ]] || bootstrap_base_rootfs
  podman import --change 'CMD ["bash"]' "${BASE_TARBALL}" "${BASE_IMAGE}" >/dev/null ||
    skip "podman cannot import an image"
}

probe_container_runtime() {
  podman info >/dev/null 2>"${WORK_DIR}/podman-info.err" ||
    skip "podman info failed: $(head -c 400 "${WORK_DIR}/podman-info.err")"
  ensure_base_image
  timeout 120 podman run --rm --network none "${BASE_IMAGE}" true 2>"${WORK_DIR}/probe.err" ||
    skip "podman run failed: $(head -c 400 "${WORK_DIR}/probe.err")"
}

project_version() {
  sed -n 's/^project(lagwatch VERSION \([0-9.]*\).*/\1/p' "${REPO_ROOT}/CMakeLists.txt"
}

# A frozen copy of the build context (files git tracks or would track), so both builds see the
# same sources even while someone edits the tree, and the second reuses the first's layers.
snapshot_build_context() {
  BUILD_CONTEXT="${WORK_DIR}/context"
  mkdir -p "${BUILD_CONTEXT}"
  if git -C "${REPO_ROOT}" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "${REPO_ROOT}" ls-files -z --cached --others --exclude-standard |
      tar -C "${REPO_ROOT}" --null --ignore-failed-read -T - -cf - 2>/dev/null |
      tar -C "${BUILD_CONTEXT}" -xf - || fail "could not copy the build context"
  else
    cp -a "${REPO_ROOT}/." "${BUILD_CONTEXT}/"
  fi
}

build_image() {
  local started=${SECONDS} revision
  revision="$(git -C "${REPO_ROOT}" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  # Both builds get the same arguments, so the second reuses every layer of the first.
  snapshot_build_context
  local args=(--pull=never --layers -f "${BUILD_CONTEXT}/Dockerfile"
    --build-arg BUILD_JOBS=2
    --build-arg LAGWATCH_VERSION="$(project_version)"
    --build-arg LAGWATCH_REVISION="${revision}"
    --build-arg LAGWATCH_CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)")
  log "building ${IMAGE}"
  if ! timeout "${BUILD_TIMEOUT_S}" podman build "${args[@]}" --target build-deps \
    -t "${BUILD_DEPS_IMAGE}" "${BUILD_CONTEXT}" >"${WORK_DIR}/build.log" 2>&1; then
    tail -n 60 "${WORK_DIR}/build.log" >&2
    fail "podman build of the build-deps stage failed"
  fi
  if ! timeout "${BUILD_TIMEOUT_S}" podman build "${args[@]}" -t "${IMAGE}" "${BUILD_CONTEXT}" \
    >>"${WORK_DIR}/build.log" 2>&1; then
    tail -n 60 "${WORK_DIR}/build.log" >&2
    fail "podman build of the runtime image failed"
  fi
  timed "build image" "${started}"
}

# Fields of the image's config: non-root numeric user, port, entrypoint, command, labels.
check_image_metadata() {
  local user ports entrypoint cmd labels
  user="$(podman image inspect --format '{{.Config.User}}' "${IMAGE}")"
  ports="$(podman image inspect --format '{{json .Config.ExposedPorts}}' "${IMAGE}")"
  entrypoint="$(podman image inspect --format '{{json .Config.Entrypoint}}' "${IMAGE}")"
  cmd="$(podman image inspect --format '{{json .Config.Cmd}}' "${IMAGE}")"
  labels="$(podman image inspect --format '{{json .Config.Labels}}' "${IMAGE}")"
  [[ "${user}" == "${RUNTIME_UID}:${RUNTIME_UID}" ]] || fail "image user is '${user}'"
  [[ "${ports}" == *'"8793/tcp"'* ]] || fail "image does not expose 8793/tcp: ${ports}"
  [[ "${entrypoint}" == '["/usr/local/bin/lagwatch"]' ]] || fail "entrypoint is ${entrypoint}"
  [[ "${cmd}" == '["--config","/etc/lagwatch/lagwatch.toml"]' ]] || fail "cmd is ${cmd}"
  local label
  for label in title description version revision created; do
    [[ "${labels}" == *"\"org.opencontainers.image.${label}\""* ]] ||
      fail "OCI label org.opencontainers.image.${label} missing"
  done
  [[ "${labels}" == *"\"org.opencontainers.image.version\":\"$(project_version)\""* ]] ||
    fail "OCI version label is not $(project_version): ${labels}"
  # No config or secret may be baked in: the only lagwatch file is the binary.
  podman run --rm --network none --entrypoint /bin/sh "${IMAGE}" -c \
    'test ! -e /etc/lagwatch && test "$(id -u)" = 65532' ||
    fail "the image contains /etc/lagwatch or does not run as uid ${RUNTIME_UID}"
}

check_version() {
  local output
  output="$(timeout 60 podman run --rm --network none --read-only --read-only-tmpfs=false \
    "${IMAGE}" --version 2>&1)" || fail "lagwatch --version failed in the container: ${output}"
  log "--version in the container: ${output}"
  [[ "${output}" == *"$(project_version)"* ]] ||
    fail "--version does not print the project version $(project_version)"
  # The image builds librdkafka from source (scripts/build-deps.sh): never Debian 13's 2.8.0,
  # which crashes on a re-created topic.
  local librdkafka
  librdkafka="$(sed -n 's/.*librdkafka \([0-9][0-9.]*\).*/\1/p' <<<"${output}")"
  [[ -n "${librdkafka}" ]] && printf '%s\n2.14.2\n' "${librdkafka}" | sort -V -C -r ||
    fail "the image's librdkafka is '${librdkafka}', not >= 2.14.2"
}

report_image_size() {
  local bytes
  bytes="$(podman image inspect --format '{{.Size}}' "${IMAGE}")"
  IMAGE_SIZE_MB="$(awk -v b="${bytes}" 'BEGIN { printf "%.1f", b / 1000000 }')"
  log "image ${IMAGE}: ${IMAGE_SIZE_MB} MB (${bytes} bytes)"
}

# The broker gets a SASL_PLAINTEXT listener for SCRAM-SHA-512 beside the PLAINTEXT one the
# test's own workload uses; the SCRAM user exists from the storage format on (KRaft).
start_kafka() {
  local started=${SECONDS} scram_port
  KAFKA_DIR="${WORK_DIR}/kafka"
  scram_port="$(free_port)"
  SCRAM_PASSWORD="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  cat >"${WORK_DIR}/scram.properties" <<EOF
listeners=PLAINTEXT://127.0.0.1:@PORT@,SCRAM://127.0.0.1:${scram_port},CONTROLLER://127.0.0.1:@CONTROLLER_PORT@
advertised.listeners=PLAINTEXT://127.0.0.1:@PORT@,SCRAM://127.0.0.1:${scram_port}
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SCRAM:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.scram.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.scram.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
EOF
  # shellcheck disable=SC2086 # an empty KAFKA_VERSION must vanish, not become an argument
  LAGWATCH_KAFKA_EXTRA_PROPERTIES="${WORK_DIR}/scram.properties" \
    LAGWATCH_KAFKA_FORMAT_ARGS="--add-scram SCRAM-SHA-512=[name=${SCRAM_USER},password=${SCRAM_PASSWORD}]" \
    "${REPO_ROOT}/tests/harness/kafka.sh" start ${KAFKA_VERSION:-} "${KAFKA_DIR}" ||
    fail "could not start Kafka with tests/harness/kafka.sh"
  BOOTSTRAP="$(cat "${KAFKA_DIR}/bootstrap")"
  SCRAM_BOOTSTRAP="127.0.0.1:${scram_port}"
  log "Kafka $(cat "${KAFKA_DIR}/version") with SCRAM-SHA-512 on ${SCRAM_BOOTSTRAP}"
  timed "start Kafka" "${started}"
}

# A topic with 10 messages in each of 3 partitions and a group that committed 4, 7 and 10:
# lag 6, 3 and 0, 9 in total.
create_workload() {
  local python="${REPO_ROOT}/tests/.venv/bin/python"
  [[ -x "${python}" ]] || fail "tests/.venv is missing: run scripts/install-deps.sh"
  PYTHONPATH="${REPO_ROOT}/tests/harness" "${python}" - "${BOOTSTRAP}" "${TOPIC}" "${GROUP}" <<'PY' ||
import sys
import workload

bootstrap, topic, group = sys.argv[1:4]
workload.create_topic(bootstrap, topic, 3)
workload.produce(bootstrap, topic, {0: 10, 1: 10, 2: 10})
workload.commit_offsets(bootstrap, group, [(topic, 0, 4), (topic, 1, 7), (topic, 2, 10)])
PY
    fail "could not create the test topic and group"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

run_lagwatch_container() {
  HTTP_PORT="$(free_port)"
  mkdir -p "${WORK_DIR}/etc"
  # The password is a mounted secret file, read through a {file=...} reference.
  printf '%s\n' "${SCRAM_PASSWORD}" >"${WORK_DIR}/etc/kafka-password"
  cat >"${WORK_DIR}/etc/lagwatch.toml" <<EOF
[server]
listen_address = "127.0.0.1:${HTTP_PORT}"

[poll]
interval = "2s"
request_timeout = "5s"

[[clusters]]
name = "${CLUSTER}"
bootstrap_servers = "${SCRAM_BOOTSTRAP}"

[clusters.librdkafka]
"security.protocol" = "SASL_PLAINTEXT"
"sasl.mechanism" = "SCRAM-SHA-512"
"sasl.username" = "${SCRAM_USER}"
"sasl.password" = { file = "/etc/lagwatch/secrets/kafka-password" }
EOF
  # World-readable: the container's uid is not the owner of these host files.
  chmod 0755 "${WORK_DIR}/etc"
  chmod 0644 "${WORK_DIR}/etc/lagwatch.toml" "${WORK_DIR}/etc/kafka-password"
  CONTAINER="lagwatch-deploy-test-$$"
  # --read-only-tmpfs=false: not even /tmp or /run is writable, so a write anywhere fails.
  podman run -d --name "${CONTAINER}" --network host \
    --read-only --read-only-tmpfs=false \
    --user "${RUNTIME_UID}:${RUNTIME_UID}" --cap-drop ALL --security-opt no-new-privileges \
    -v "${WORK_DIR}/etc/lagwatch.toml:/etc/lagwatch/lagwatch.toml:ro" \
    -v "${WORK_DIR}/etc/kafka-password:/etc/lagwatch/secrets/kafka-password:ro" \
    "${IMAGE}" >/dev/null || fail "podman run of the lagwatch container failed"
}

container_is_running() {
  [[ "$(podman inspect --format '{{.State.Running}}' "${CONTAINER}" 2>/dev/null)" == "true" ]]
}

# Scrapes until every expected series is there (bounded), then checks health endpoints.
scrape_and_check() {
  local started=${SECONDS} deadline=$((SECONDS + SCRAPE_TIMEOUT_S)) metrics="${WORK_DIR}/metrics.txt"
  local base="http://127.0.0.1:${HTTP_PORT}"
  local expected=(
    "lagwatch_up{kafka_cluster=\"${CLUSTER}\"} 1"
    "lagwatch_group_partition_lag{kafka_cluster=\"${CLUSTER}\",group=\"${GROUP}\",topic=\"${TOPIC}\",partition=\"0\"} 6"
    "lagwatch_group_partition_lag{kafka_cluster=\"${CLUSTER}\",group=\"${GROUP}\",topic=\"${TOPIC}\",partition=\"1\"} 3"
    "lagwatch_group_partition_lag{kafka_cluster=\"${CLUSTER}\",group=\"${GROUP}\",topic=\"${TOPIC}\",partition=\"2\"} 0"
    "lagwatch_group_topic_lag{kafka_cluster=\"${CLUSTER}\",group=\"${GROUP}\",topic=\"${TOPIC}\"} 9"
  )
  while true; do
    container_is_running || fail "the lagwatch container exited"
    # Ready comes a poll after the first data: once __consumer_offsets has been replayed.
    if curl -fsS --max-time 5 -o "${metrics}" "${base}/metrics" 2>/dev/null &&
      python3 "${REPO_ROOT}/tests/deploy/check_metrics.py" "${metrics}" "${expected[@]}" 2>/dev/null &&
      curl -fsS --max-time 5 -o /dev/null "${base}/readyz" 2>/dev/null; then
      break
    fi
    if ((SECONDS >= deadline)); then
      if [[ -s "${metrics}" ]]; then
        python3 "${REPO_ROOT}/tests/deploy/check_metrics.py" "${metrics}" "${expected[@]}" || true
      fi
      fail "expected series on ${base}/metrics and 200 on /readyz not seen within ${SCRAPE_TIMEOUT_S}s"
    fi
    sleep 1
  done
  log "metrics from the container over SCRAM-SHA-512: lagwatch_up 1 and the group's lag 6/3/0 (topic 9); /readyz 200"
  local landing="${WORK_DIR}/landing.html"
  curl -fsS --max-time 5 -o "${landing}" "${base}/" || fail "GET / failed"
  if grep -qF "${SCRAM_PASSWORD}" "${metrics}" "${landing}" ||
    timeout 30 podman logs "${CONTAINER}" 2>&1 | grep -qF "${SCRAM_PASSWORD}"; then
    fail "the SCRAM password appears in the metrics, the landing page or the container's log"
  fi
  local path code
  for path in /healthz /; do
    code="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "${base}${path}")" || code="none"
    [[ "${code}" == "200" ]] || fail "GET ${path} answered ${code}, expected 200"
  done
  # Read from the host's /proc: the image has no ps for `podman top`.
  local pid uid
  pid="$(podman inspect --format '{{.State.Pid}}' "${CONTAINER}")"
  uid="$(awk '/^Uid:/ { print $2 }' "/proc/${pid}/status")"
  [[ "${uid}" == "${RUNTIME_UID}" ]] || fail "the daemon runs as uid '${uid}'"
  log "daemon resident memory: $(awk '/^VmRSS:/ { printf "%.1f MB", $2 / 1024 }' "/proc/${pid}/status")"
  timed "run and scrape" "${started}"
}

# Keeps storage bounded: only the base, the build-deps stage and the current image stay tagged.
# The storage is this script's own (storage.conf above), so nothing else's images are touched.
# Everything else (earlier builds, compiled layers of earlier sources) ends up dangling and is
# pruned; each pass frees the parents of what the previous one removed.
prune_storage() {
  local image pass removed
  timeout 300 podman container prune -f >/dev/null 2>&1 || true
  # Working containers an interrupted build left behind keep their images alive.
  timeout 300 buildah rm --all >/dev/null 2>&1 || true
  while read -r image; do
    case "${image}" in
      "${BASE_IMAGE}" | "${BUILD_DEPS_IMAGE}" | "${IMAGE}" | "<none>:<none>") ;;
      localhost/lagwatch*) timeout 120 podman untag "${image}" >/dev/null 2>&1 || true ;;
    esac
  done < <(podman images --format '{{.Repository}}:{{.Tag}}')
  for pass in 1 2 3 4 5 6 7 8 9 10; do
    removed="$(timeout 300 podman image prune -f 2>/dev/null || true)"
    [[ -n "${removed}" ]] || break
  done
  log "podman storage after pruning (${pass} passes): $(du -sh "${PODMAN_DIR}/storage" 2>/dev/null | cut -f1)"
}

main() {
  local started=${SECONDS}
  trap cleanup EXIT
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/lagwatch-container.XXXXXX")"
  mkdir -p "${CACHE_ROOT}"
  ensure_tools
  write_podman_config
  probe_container_runtime
  build_image
  prune_storage
  check_image_metadata
  check_version
  report_image_size
  start_kafka
  create_workload
  run_lagwatch_container
  scrape_and_check
  timed "total" "${started}"
  log "PASS: image ${IMAGE} (${IMAGE_SIZE_MB} MB) built and served metrics from a real Kafka"
  printf '  %s\n' "${TIMINGS[@]}" >&2
}

main "$@"
