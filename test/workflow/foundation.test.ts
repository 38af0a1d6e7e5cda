import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { sleeperWorkflow } from '../fixtures/smokeWorkflows';

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await createTimeSkippingEnv();
  });
  after(async () => {
    await env?.teardown();
  });

  test('a workflow that sleeps 30 days completes, with 30 days of server time passed', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'smoke-sleep',
      workflowsPath: require.resolve('../fixtures/smokeWorkflows'),
    });
    const startedAt = await env.currentTimeMs();
    const slept = await worker.runUntil(
      env.client.workflow.execute(sleeperWorkflow, { taskQueue: 'smoke-sleep', workflowId: 'sleeper-30d', args: [30] }),
    );
    const elapsedDays = ((await env.currentTimeMs()) - startedAt) / 86_400_000;
    assert.equal(slept, 30);
    assert.ok(elapsedDays >= 30, `server time moved ${elapsedDays} days`);
  });
});
