# Gatehouse: multi-stage build, runs as the unprivileged `node` user, SQLite data in the /data volume.
# The commands are the ones test/deploy/deployment-files.test.ts runs: `npm ci` (which builds through the
# `prepare` script), `npm prune --omit=dev`, then `node bin/gatehouse.mjs serve` with the ENV below.
#   docker build -t gatehouse .
#   docker run -p 8080:8080 -v gatehouse-data:/data gatehouse
# On the first start the administrator's password is printed once: docker logs <container>.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
RUN npm ci
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# V8's young generation at most 4 MB per semi-space (16 by default): ~25 MB less RSS under load for ~5 % of
# throughput (docs/deployment.md, Memory). The unit file, compose and `npm start` set the same.
ENV NODE_OPTIONS=--max-semi-space-size=4
ENV GATEHOUSE_HOST=0.0.0.0
ENV GATEHOUSE_PORT=8080
ENV DATABASE_URL=sqlite:/data/gatehouse.sqlite
ENV GATEHOUSE_MAIL_DIR=/data/mail
ENV GATEHOUSE_PUBLIC_FILES_DIR=/data/files
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/readyz').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "bin/gatehouse.mjs", "serve"]
