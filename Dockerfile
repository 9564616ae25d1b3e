# syntax=docker/dockerfile:1
# The authentication service image: a build stage with the whole workspace, a runtime stage with only the
# server's compiled code and production dependencies, run as the unprivileged `node` user.
#
#   docker build -t authsvc .
#   docker run --rm -p 127.0.0.1:50051:50051 -e AUTH_ALLOW_INSECURE_EMBEDDED=true authsvc
#       embedded mode (PGlite and generated keys in /var/lib/authsvc), a try-out: without the variable it refuses to
#       serve on the container's 0.0.0.0 (exit 2); give it AUTH_JWT_KEYS_FILE and a refresh-token secret, or
#       AUTH_DATABASE_URL (full mode, as docker-compose.yml does), to run it for real.
#
# Checked by scripts/ci/lint-dockerfile.sh (no Docker engine on the CI machines; see docs/operations.md).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
# pnpm at the version of package.json's packageManager, from the npm registry (no corepack download at run time).
ARG PNPM_VERSION=10.34.8
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /src

# Dependencies first, from the lockfile alone: this layer is reused until pnpm-lock.yaml changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store pnpm fetch --frozen-lockfile

COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/root/.local/share/pnpm/store pnpm install --offline --frozen-lockfile

# Compile the server and every workspace package it depends on (tsc, in dependency order), then copy it out with
# its production dependencies only: workspace packages as their built `dist`, no devDependencies, no sources.
RUN pnpm --filter "@authsvc/grpc-server..." run build \
 && pnpm --filter @authsvc/grpc-server deploy --prod --legacy /out \
 && rm -rf /out/src /out/test /out/tsconfig*.json /out/vitest.config.ts /out/buf.gen.yaml

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM/SIGINT to node (whose handlers drain the server: see docs/operations.md) and
# reaps zombies. From Debian's archive, like everything else in this stage: no binary downloaded from elsewhere.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

# gRPC on the container's interface (what -p forwards to); the HTTP side port, whose /metrics has no authentication,
# stays on the container's loopback unless AUTH_HTTP_HOST says otherwise (docker-compose.yml does, publishing it on
# the host's loopback only).
ENV NODE_ENV=production \
    AUTH_DATA_DIR=/var/lib/authsvc \
    AUTH_GRPC_HOST=0.0.0.0 \
    AUTH_GRPC_PORT=50051 \
    AUTH_HTTP_PORT=9464

WORKDIR /app
# The code belongs to root and is read-only for the service; only the data and secrets folders are its own.
COPY --from=build /out /app
RUN mkdir -p /var/lib/authsvc /var/lib/authsvc-secrets \
 && chown node:node /var/lib/authsvc /var/lib/authsvc-secrets \
 && chmod 0700 /var/lib/authsvc /var/lib/authsvc-secrets

USER node
VOLUME ["/var/lib/authsvc"]
# gRPC API; HTTP side port (Prometheus /metrics, /.well-known/jwks.json, /livez, /readyz); Connect and gRPC-Web
# (only when AUTH_WEB_PORT is set).
EXPOSE 50051 9464 8080

# grpc.health.v1 Check on the configured port: exit 0 only when SERVING (NOT_SERVING while a dependency is down).
# It reads AUTH_* and AUTH_CONFIG like the server; a server started with `serve --config <file>` needs AUTH_CONFIG
# or this probe overridden with `--config <file>` (docs/operations.md).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/cli/healthcheck.command.js"]

# node-options.env: the V8 heap bounds every start command uses (a NODE_OPTIONS given to the container replaces them).
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--env-file=node-options.env", "dist/main.js"]
CMD ["serve"]
