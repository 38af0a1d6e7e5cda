# The Handoff app (worker + API) for a production Temporal cluster: see docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY tsconfig.json ./
# The worker keeps its workflow bundle here (src/workflowBundleCache.ts); the app's user must be able to write it.
RUN mkdir -p node_modules/.cache/handoff && chown node:node node_modules/.cache/handoff
USER node
EXPOSE 3000
# TEMPORAL_ADDRESS must be set: the app connects to the cluster and starts no server of its own.
CMD ["node", "bin/handoff.cjs", "start"]
