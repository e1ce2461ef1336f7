# syntax=docker/dockerfile:1
#
# rcm in a container: one binary, run as `rcm worker`, `rcm serve` or
# `rcm demo seed` (see docker-compose.yml), configured with RCM_* variables.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/rcm ./cmd/rcm

FROM alpine:3.22
# tzdata: the regimes' time zones (Asia/Ho_Chi_Minh); ca-certificates: SMTP
# and PostgreSQL over TLS.
RUN apk add --no-cache ca-certificates tzdata \
    && addgroup -S -g 10001 rcm \
    && adduser -S -D -H -u 10001 -G rcm -h /var/lib/rcm rcm \
    && install -d -o rcm -g rcm -m 0750 /var/lib/rcm
COPY --from=build /out/rcm /usr/local/bin/rcm
USER 10001:10001
WORKDIR /var/lib/rcm
ENV RCM_DATA_DIR=/var/lib/rcm
EXPOSE 8080
ENTRYPOINT ["rcm"]
CMD ["--help"]
