# syntax=docker/dockerfile:1
# Build stage: install everything (native sqlite3 is compiled here), compile the bot and the memory
# strategies of examples/ and plugins/ (into dist/examples, dist/plugins), then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY examples ./examples
COPY plugins ./plugins
RUN npm run build && npm prune --omit=dev && node scripts/image-package.mjs package.json

# Runtime stage: production dependencies and compiled code only, as a non-root user. package.json's
# scripts run the compiled entry points: npm start, npm run register, npm run knowledge:index and
# npm run replay all work in the image (docker compose run --rm bot npm run knowledge:index).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/package.json ./
# /app/plugins: mount compiled strategies here (MEMORY_PLUGINS=./plugins/my-memory.js); see plugins/README.md.
RUN mkdir -p /app/data /app/plugins && chown node:node /app/data /app/plugins
USER node
VOLUME ["/app/data"]
ENV HTTP_PORT=8080
# 8080: /healthz and /metrics. 3000: Slack's events endpoint in HTTP mode (PORT).
EXPOSE 8080 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
