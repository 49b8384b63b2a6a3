# wikibot server image. Build:   podman build --format docker -t wikibot .   (or docker build -t wikibot .)
# AWS Lambda image:   podman build --format docker --target lambda -t wikibot-lambda .
# Run:     podman run -d -p 8080:8080 -v wikibot-data:/data wikibot
# Configuration: WIKIBOT_* environment variables, and/or a wikibot.toml mounted at /etc/wikibot/wikibot.toml
# (or at /data/wikibot.toml). See docs/deploy.md.
ARG BASE_IMAGE=node:22-bookworm-slim

# ── Production dependencies of the server only, native modules compiled here ─────────────────────
FROM ${BASE_IMAGE} AS deps
# better-sqlite3 is compiled from source against the base image's Node headers: no prebuilt binary is
# downloaded, so the build needs only Debian's mirror and the npm registry.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/wikibot/package.json packages/wikibot/
COPY packages/mcp/package.json packages/mcp/
# Lifecycle scripts stay off: the root's `prepare` would build, onnxruntime-node's would fetch CUDA.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace packages/wikibot \
 && npm rebuild better-sqlite3 --build-from-source
COPY deploy/image/prune-node-modules.sh /usr/local/bin/
RUN prune-node-modules.sh node_modules

# ── The build: TypeScript and the browser bundle ────────────────────────────────────────────────
FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/wikibot/package.json packages/wikibot/
COPY packages/mcp/package.json packages/mcp/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund --workspace packages/wikibot --include-workspace-root
COPY tsconfig.base.json ./
COPY packages/wikibot packages/wikibot
RUN npm run build --workspace packages/wikibot \
 && find packages/wikibot/dist \( -name '*.d.ts' -o -name '*.map' -o -name '.tsbuildinfo' \) -delete

# ── Runtime system: the base image with git and tini, less npm, headers and Perl ─────────────────
FROM ${BASE_IMAGE} AS system
COPY deploy/image/runtime-system.sh /usr/local/sbin/
RUN runtime-system.sh && rm /usr/local/sbin/runtime-system.sh

# ── The app: the system in one layer (so what it removed is gone), then the built server ─────────
FROM scratch AS app
COPY --from=system / /
WORKDIR /app
COPY --from=deps /src/node_modules node_modules
COPY --from=build /src/packages/wikibot/package.json packages/wikibot/
COPY --from=build /src/packages/wikibot/bin packages/wikibot/bin
COPY --from=build /src/packages/wikibot/dist packages/wikibot/dist
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production

# ── AWS Lambda (container image function): podman build --target lambda … (docs/deploy-aws.md) ───
# The entry is wikibot's own Runtime API client around the handler. Lambda runs the image as a user of
# its own on a read-only file system: /tmp is the only writable place (git's HOME, the index); git's
# configuration comes from the image (lambda-gitconfig: repositories owned by the EFS access point's uid).
FROM app AS lambda
COPY deploy/image/lambda-gitconfig /usr/local/etc/xdg/git/config
ENV HOME=/tmp \
    XDG_CONFIG_HOME=/usr/local/etc/xdg \
    WIKIBOT_DATA=/mnt/efs \
    WIKIBOT_INDEX_DIR=/tmp/wikibot-index
ENTRYPOINT ["node", "/app/packages/wikibot/bin/wikibot-lambda.js"]

# ── The server (the default target) ──────────────────────────────────────────────────────────────
FROM app
COPY deploy/image/wikibot.sh /usr/local/bin/wikibot
COPY deploy/image/healthcheck.mjs /usr/local/lib/wikibot/
ENV WIKIBOT_DATA=/data \
    WIKIBOT_HOST=0.0.0.0 \
    WIKIBOT_PORT=8080
USER 10001:10001
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/usr/local/lib/wikibot/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/wikibot"]
CMD ["serve"]
