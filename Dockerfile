# lagwatch container image.
#
# Every stage starts from debian:trixie-slim (Debian 13). Its toml++ 3.4 is used as packaged;
# librdkafka is built (static) from Debian's 2.14.2 source package by scripts/build-deps.sh, as
# on a Debian 12 host, because Debian 13's 2.8.0 crashes when a topic is re-created. The runtime
# stage installs exactly the shared libraries the binary was linked against.
# tests/deploy/container.sh builds this file with podman/buildah without pulling.
#
# Build args (all optional):
#   LAGWATCH_VERSION, LAGWATCH_REVISION, LAGWATCH_CREATED  fill the OCI labels
#   BUILD_JOBS                                            parallel compile jobs (default 2)

# The toolchain and -dev packages, a stage of its own so it can be tagged and kept as a cache
# while the compiled layers of old sources are pruned.
FROM debian:trixie-slim AS build-deps

ARG DEBIAN_FRONTEND=noninteractive

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ make cmake ninja-build pkg-config binutils dpkg-dev \
      prometheus-cpp-dev libmicrohttpd-dev libtomlplusplus-dev zlib1g-dev \
      libre2-dev libyaml-cpp-dev libgnutls28-dev libcrypt-dev \
      libssl-dev libsasl2-dev libcurl4-openssl-dev liblz4-dev libzstd-dev \
 && rm -rf /var/lib/apt/lists/*

# Only the script: a source change leaves this layer (the librdkafka build) cached.
COPY scripts/build-deps.sh /deps/build-deps.sh
RUN LAGWATCH_CACHE=/deps bash /deps/build-deps.sh | tail -n 1 > /deps/prefix \
 && test -f "$(cat /deps/prefix)/.complete"


FROM build-deps AS build

ARG BUILD_JOBS=2
WORKDIR /src
COPY . .

# .git is not in the build context, so the revision is handed in (CMake takes a preset
# LAGWATCH_REVISION instead of asking git).
ARG LAGWATCH_REVISION=unknown
# The runtime stage installs the packages that own the shared libraries the binary links, as
# found here (names differ between Debian releases, so they are not written down by hand).
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAGWATCH_DEPS_PREFIX="$(cat /deps/prefix)" \
      -DLAGWATCH_TESTS=OFF -DLAGWATCH_BENCH=OFF -DLAGWATCH_REVISION="${LAGWATCH_REVISION}" \
 && cmake --build /build --target lagwatch -j "${BUILD_JOBS}" \
 && install -D -m 0755 -s /build/exporter/lagwatch /out/usr/local/bin/lagwatch \
 && /out/usr/local/bin/lagwatch --version \
 && for lib in $(ldd /out/usr/local/bin/lagwatch | awk '$3 ~ /^\// {print $3}'); do \
      dpkg -S "${lib}" 2>/dev/null || dpkg -S "$(realpath "${lib}")"; \
    done | cut -d: -f1 | sort -u > /runtime-packages.txt \
 && cat /runtime-packages.txt


FROM debian:trixie-slim

ARG DEBIAN_FRONTEND=noninteractive

# ca-certificates lets SASL_SSL/SSL clusters with publicly signed certificates work without a
# mounted CA file (librdkafka falls back to OpenSSL's default paths). Kerberos (SASL/GSSAPI) needs
# Cyrus SASL's GSSAPI plugin, which is loaded at run time (so ldd cannot see it), and kinit, which
# librdkafka runs to get and renew tickets from the keytab.
COPY --from=build /runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libsasl2-modules-gssapi-mit \
      krb5-user $(cat /tmp/runtime-packages.txt) \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
      /tmp/runtime-packages.txt

COPY --from=build /out/ /

# Fail the build, not the first start in production, when a shared library is missing.
RUN if ldd /usr/local/bin/lagwatch | grep 'not found'; then exit 1; fi \
 && /usr/local/bin/lagwatch --version

# A fixed numeric id so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 65532:65532

# Last, so a new version or date only rebuilds this metadata, never the layers above.
ARG LAGWATCH_VERSION=unknown
ARG LAGWATCH_REVISION=unknown
ARG LAGWATCH_CREATED=unknown
# URL of the source repository (source, url and documentation labels).
ARG LAGWATCH_SOURCE=unknown
LABEL org.opencontainers.image.title="lagwatch" \
      org.opencontainers.image.description="Prometheus exporter for Apache Kafka consumer group lag, polled in the background" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="${LAGWATCH_SOURCE}" \
      org.opencontainers.image.url="${LAGWATCH_SOURCE}" \
      org.opencontainers.image.documentation="${LAGWATCH_SOURCE}" \
      org.opencontainers.image.version="${LAGWATCH_VERSION}" \
      org.opencontainers.image.revision="${LAGWATCH_REVISION}" \
      org.opencontainers.image.created="${LAGWATCH_CREATED}" \
      org.opencontainers.image.base.name="debian:trixie-slim"

# /healthz answers 200 while the process serves, whatever Kafka does; --probe needs no curl.
# Docker-format images only (podman/buildah: --format docker); Kubernetes ignores it and uses
# the chart's probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/lagwatch", "--probe", "http://127.0.0.1:8793/healthz"]
EXPOSE 8793
ENTRYPOINT ["/usr/local/bin/lagwatch"]
CMD ["--config", "/etc/lagwatch/lagwatch.toml"]
