# syntax=docker/dockerfile:1
# The worker, API and web image: one image, four commands (docker-compose.yml): `node dist/api/server.js` (the default),
# `node dist/worker/main.js`, `node dist/worker/promote.js` (make this build the current Worker Deployment version),
# and `node dist/web/server.js` (the web service for practitioners and managers).
#
#   docker build --build-arg BUILD_ID=0.3.0-$(git rev-parse --short=12 HEAD) -t sentence-orchestrator:0.3.0 .
#
# BUILD_ID names the build in Temporal's Worker Deployment (README, "Worker Versioning"): two different builds must
# never share one, so the build stops without it (the build context carries no .git to name it from).
# Node 24: a supported LTS line (maintained to April 2028). The development machines and CI run Node 20 and up.
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Build: compile the TypeScript, bundle the workflow code ahead of time, write dist/build.json.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/bundle-workflows.ts scripts/toolchain.mjs ./scripts/
COPY contracts ./contracts
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY auth ./auth
COPY store ./store
COPY config ./config
COPY ops ./ops
COPY web ./web
ARG BUILD_ID
RUN test -n "$BUILD_ID" || { echo 'BUILD_ID is required: docker build --build-arg BUILD_ID=...' >&2; exit 1; }
RUN BUILD_ID="$BUILD_ID" node scripts/build.mjs

# 2. The production dependencies only (no TypeScript, tsx, test tools or embedded PostgreSQL).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# 3. Runtime: compiled JavaScript and production dependencies, run as the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist ./dist
USER node
# API (PORT), web (WEB_PORT), worker health (WORKER_HEALTH_PORT), worker SDK metrics (METRICS_PORT).
EXPOSE 3000 3001 8081 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "dist/ops/healthcheck.js"]
STOPSIGNAL SIGTERM
CMD ["node", "dist/api/server.js"]
