/**
 * The HTTP API in process over a conversation worker on its own dev server, for a `describe` block: registers the
 * `before` that starts them and the `after` that stops them, and hands back what the tests call.
 */
import { after, before } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createConversationRig, type ConversationRig } from './conversation';
import { createDevServerEnv } from './temporal';

/** What the tests of a block reach once `before` has run. */
export interface ApiRig {
  env: TestWorkflowEnvironment;
  rig: ConversationRig;
  api: FastifyInstance;
}

/** Starts a dev server, a conversation worker and the API (with `keys`) before the block's tests; stops them after. */
export function apiOnDevServer(keys: ApiKey[]): ApiRig {
  const parts = {} as ApiRig;
  let running: Promise<void> | undefined;
  before(async () => {
    parts.env = await createDevServerEnv();
    parts.rig = await createConversationRig(parts.env);
    running = parts.rig.worker.run();
    const { alerts } = parts.rig.deps;
    parts.api = buildApi({ client: parts.env.client, config: parts.rig.config, keys, claimSecret: alerts.claimSecret, roster: alerts.roster, ledger: parts.rig.ledger });
  });
  after(async () => {
    parts.rig?.worker.shutdown();
    await running;
    await parts.env?.teardown();
  });
  return parts;
}
