# syntax=docker/dockerfile:1
# Two stages: production dependencies are installed in the first, the second is the small runtime image
# (no npm cache, no dev dependencies, sources owned by root and read-only to the unprivileged `node` user).

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY drizzle ./drizzle
COPY providers.example.yaml ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# node runs the TypeScript entry points through tsx's loader in one process, so SIGTERM reaches the app itself.
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["src/node/main-api.ts"]
