# The worker and API image (one image, two commands: see docker-compose.yml).
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY contracts ./contracts
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY store ./store
COPY config ./config
COPY ops ./ops
COPY scripts/toolchain.mjs ./scripts/toolchain.mjs
COPY tsconfig.json ./
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/server.ts"]
