import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createDevServerEnv } from '../helpers/temporal';
import { eventually } from '../helpers/eventually';
import { finishSignal, taggedWorkflow } from '../fixtures/smokeWorkflows';

describe('the dev server', () => {
  let env: TestWorkflowEnvironment;
  before(async () => {
    env = await createDevServerEnv();
  });
  after(async () => {
    await env?.teardown();
  });

  test('a workflow is found through visibility by a custom search attribute', async () => {
    const company = `Acme-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'smoke-visibility',
      dataConverter: env.options.client.dataConverter,
      workflowsPath: require.resolve('../fixtures/smokeWorkflows'),
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(taggedWorkflow, {
        taskQueue: 'smoke-visibility',
        workflowId: `tagged-${randomUUID()}`,
        args: [company],
      });
      const found = await eventually(async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query: `HandoffCompany = "${company}"` })) ids.push(wf.workflowId);
        return ids.length > 0 && ids;
      }, `a workflow tagged ${company} in visibility`);
      assert.deepEqual(found, [handle.workflowId]);
      await handle.signal(finishSignal);
      await handle.result();
    });
  });
});
