# Linli in one container: embedded broker, API, dashboard, SQLite under /data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY devices devices
COPY gateway gateway
COPY server server
COPY dashboard dashboard
COPY tsconfig.json ./

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production LINLI_HOST=0.0.0.0 LINLI_DATA_DIR=/data
COPY --from=build /app /app
# The server runs as `node`: the data directory must be its own before the volume is mounted there
# (a named volume takes the owner of the image's directory; left to VOLUME, /data would be root's).
# 0700: residents' personal data; the server also tightens a looser folder at boot.
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
VOLUME /data
EXPOSE 3000 1883 9320
USER node
CMD ["node", "--import", "tsx", "server/main.ts"]
