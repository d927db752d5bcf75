# Leadcatcher, self-hosted: the Node 22 + SQLite server with the built widget, for a VPS in Russia
# (152-FZ art. 18 p. 5) or anywhere without Cloudflare. Guide: docs/self-hosting.md.
#
#   docker build -t leadcatcher .
#   docker run -d --name leadcatcher --env-file leadcatcher.env -v leadcatcher-data:/data \
#     -p 127.0.0.1:8787:8787 --restart unless-stopped --stop-timeout 30 leadcatcher
#
# The server needs Node 22.20 or newer (node:sqlite binding ?1-style parameters by position);
# node:22-slim is the latest 22.x.

# ---- build: install the toolchain, build dist/widget and dist/server/server.mjs ----
FROM node:22-slim AS build
WORKDIR /src

COPY package.json package-lock.json ./
# The registry the lock file was made against lacks some other platforms' optional packages
# (workerd's macOS/Windows builds), and `npm ci` can call the lock file out of sync for that alone.
# Only that case falls back to `npm install --no-save` (the locked versions, lock file untouched),
# as .ci/run does; any other failure stops the build. No install scripts: the build needs none.
RUN set -eu; \
    status=0; \
    npm ci --no-audit --no-fund --ignore-scripts > /tmp/npm-ci.log 2>&1 || status=$?; \
    cat /tmp/npm-ci.log; \
    if [ "$status" -ne 0 ]; then \
      missing="$(grep -E '^npm error Missing: ' /tmp/npm-ci.log || true)"; \
      if [ -n "$missing" ] && ! printf '%s\n' "$missing" | grep -qvE -- '-(darwin|win32|windows|freebsd|openbsd|netbsd|sunos|aix|android)-'; then \
        echo "npm ci: only other platforms' optional packages are missing from the lock file; using npm install --no-save"; \
        npm install --no-save --no-audit --no-fund --ignore-scripts; \
      else \
        echo "npm ci failed (exit $status)"; \
        exit "$status"; \
      fi; \
    fi

COPY . .
RUN npm run build

# ---- runtime: Node and the built files only (server.mjs has its libraries bundled) ----
FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8787
WORKDIR /app

# A user of its own (uid/gid 10001); /data is created here so a new named volume inherits its owner.
# A bind-mounted host folder must be given to that uid: chown 10001:10001 <folder>.
RUN groupadd --system --gid 10001 leadcatcher \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin leadcatcher \
 && mkdir -p /data \
 && chown 10001:10001 /data \
 && chmod 0700 /data

# Owned by root and read-only for the server's user. server.mjs finds worker/migrations and
# dist/widget by walking up from its own folder, so the layout is the repository's.
COPY --from=build /src/dist/ ./dist/
COPY --from=build /src/worker/migrations/ ./worker/migrations/

USER 10001:10001
VOLUME /data
EXPOSE 8787

# 200 only when the database answers, the migrations are current and the scheduler ticks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# SIGTERM: stop accepting, let attempts under way finish for up to SHUTDOWN_GRACE_MS (10 s by
# default, as long as docker stop waits by default: give it more with --stop-timeout / stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "--disable-warning=ExperimentalWarning", "--enable-source-maps", "dist/server/server.mjs"]
