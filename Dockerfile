# One image for the five services; docker-compose.yml picks the entry point.
# Stage `build` has the dev dependencies (TypeScript, the Prisma generator and
# migration engine); the compose `setup` service runs the npm scripts in it.
# The final stage has the production dependencies only. Every RUN fails the
# image when its command fails (test/tooling/docker.int-spec.ts checks it).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build
# The tree is installed and built: scripts/run.mjs (npm run topics:provision, seed, …) runs dist/ as is.
ENV DARMAN_PREPARED=1

FROM build AS production-dependencies
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 DARMAN_PREPARED=1
COPY --from=production-dependencies /app /app
# SERVICE is one of gateway, identity, claims, referrals, providers.
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/${SERVICE}/src/main.js"]
