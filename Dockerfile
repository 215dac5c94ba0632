# lagwatch container image.
#
# Every stage starts from debian:bookworm-slim so the runtime libraries are exactly the ones the
# binary was linked against (Debian 12's librdkafka 2.0.2, prometheus-cpp 1.0.1, civetweb 1.15,
# toml++ 3.3). tests/deploy/container.sh builds this file with podman/buildah without pulling.
#
# Build args (all optional):
#   LAGWATCH_VERSION, LAGWATCH_REVISION, LAGWATCH_CREATED  fill the OCI labels
#   BUILD_JOBS                                            parallel compile jobs (default 2)

# The toolchain and -dev packages, a stage of its own so it can be tagged and kept as a cache
# while the compiled layers of old sources are pruned.
FROM debian:bookworm-slim AS build-deps

ARG DEBIAN_FRONTEND=noninteractive

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config binutils \
      librdkafka-dev prometheus-cpp-dev libcivetweb-dev libtomlplusplus-dev libre2-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*


FROM build-deps AS build

ARG BUILD_JOBS=2
WORKDIR /src
COPY . .

# .git is not in the build context, so the revision is handed in (used once CMakeLists.txt
# honours a preset LAGWATCH_REVISION instead of always asking git).
ARG LAGWATCH_REVISION=unknown
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DLAGWATCH_TESTS=OFF -DLAGWATCH_BENCH=OFF -DLAGWATCH_REVISION="${LAGWATCH_REVISION}" \
 && cmake --build /build --target lagwatch -j "${BUILD_JOBS}" \
 && install -D -m 0755 -s /build/exporter/lagwatch /out/usr/local/bin/lagwatch \
 && /out/usr/local/bin/lagwatch --version


FROM debian:bookworm-slim

ARG DEBIAN_FRONTEND=noninteractive

# Runtime packages found with `ldd lagwatch` + `dpkg -S` on the build stage's binary.
# ca-certificates lets SASL_SSL/SSL clusters with publicly signed certificates work without a
# mounted CA file (librdkafka falls back to OpenSSL's default paths).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      librdkafka1 libprometheus-cpp-core1.0 libcivetweb1 libtomlplusplus3 libre2-9 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log

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
LABEL org.opencontainers.image.title="lagwatch" \
      org.opencontainers.image.description="Prometheus exporter for Apache Kafka consumer group lag, polled in the background" \
      org.opencontainers.image.version="${LAGWATCH_VERSION}" \
      org.opencontainers.image.revision="${LAGWATCH_REVISION}" \
      org.opencontainers.image.created="${LAGWATCH_CREATED}" \
      org.opencontainers.image.base.name="debian:bookworm-slim"

EXPOSE 8793
ENTRYPOINT ["/usr/local/bin/lagwatch"]
CMD ["--config", "/etc/lagwatch/lagwatch.toml"]
