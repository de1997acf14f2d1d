# syntax=docker/dockerfile:1
# The Go sidecar image: one static binary on distroless, running `sidecar serve` as a non-root user.
#
#   docker build --build-arg VERSION=$(git describe --always) -t zb-sidecar .
#   docker run --rm --env-file .env -p 8080:8080 zb-sidecar
#
# Configuration comes from the environment (.env.example lists every variable). The image also runs the
# other subcommands: `docker run --rm --env-file .env zb-sidecar seed --preset demo`.
#
# Health: distroless has no shell or curl, so there is no Docker HEALTHCHECK here. Let the orchestrator
# probe over HTTP instead: liveness GET /healthz (the process answers), readiness GET /readyz (database
# reachable and migrations at least the version baked in below; 503 while draining on shutdown).
# Give the container a stop grace period longer than SHUTDOWN_TIMEOUT (default 20s).

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
# migrationVersion = the newest supabase/migrations/<version>_<name>.sql: /readyz waits for it.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    set -eu; \
    migration="$(ls supabase/migrations/ | sed -nE 's/^([0-9]+)_.*\.sql$/\1/p' | sort | tail -n 1)"; \
    echo "building sidecar ${VERSION}, migration ${migration:-none}"; \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION} -X main.migrationVersion=${migration}" \
        -o /out/sidecar ./sidecar/cmd/sidecar

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sidecar /usr/local/bin/sidecar
USER nonroot:nonroot
ENV HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sidecar"]
CMD ["serve"]
