/**
 * The HTTP API. For now: `GET /healthz`, which answers 200 only when Temporal is reachable and the worker polls.
 */
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';

/** What the API needs to answer. */
export interface ApiDeps {
  client: Client;
  /** The local worker's state, when this process runs one. */
  workerState?: () => string;
}

/** Builds the API (not yet listening). */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  app.get('/healthz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    let healthy = true;
    try {
      await deps.client.workflowService.getSystemInfo({});
      checks.temporal = 'ok';
    } catch (err) {
      healthy = false;
      checks.temporal = `unreachable: ${(err as Error).message}`;
    }
    if (deps.workerState) {
      const state = deps.workerState();
      checks.worker = state;
      if (state !== 'RUNNING') healthy = false;
    }
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks });
  });
  return app;
}
