import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startConversation } from '../../src/conversations';
import { claimUpdate, replySignal, stateQuery } from '../../workflows/messages';
import { createConversationRig, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';
import { repActor } from '../helpers/actor';

async function listIds(env: TestWorkflowEnvironment, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

describe('conversations on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
  });
  after(async () => {
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  test('starting a prospect twice returns the running conversation instead of a second one', async () => {
    {
      const request = { prospect: prospect('twice-1') };
      const first = await startConversation(env.client, rig.config, request);
      const second = await startConversation(env.client, rig.config, request);
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.workflowId, 'prospect-twice-1');
      assert.equal((await first.handle.describe()).runId, (await second.handle.describe()).runId);
    }
  });

  test('an escalated pricing conversation is found by its search attributes until someone claims it', async () => {
    {
      const company = `Visible Co ${Date.now()}`;
      const { handle } = await startConversation(env.client, rig.config, { prospect: prospect('visible-1', { company }) });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, {
        messageId: 'v-1',
        channel: 'email',
        text: 'What is the price per seat for 30 seats?',
        receivedAt: new Date().toISOString(),
      });
      const state = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
      const unclaimed = `HandoffCompany = "${company}" AND HandoffStage = "escalated" AND HandoffTrigger = "pricing" AND HandoffTier = 1`;
      await eventually(async () => (await listIds(env, unclaimed)).length === 1, 'the escalated conversation in visibility');
      const rep = state.ladder[0]!.assignees[0]!.repId;
      const byAssignee = `HandoffCompany = "${company}" AND HandoffAssignee = "${rep}"`;
      assert.deepEqual(await listIds(env, byAssignee), ['prospect-visible-1']);

      await handle.executeUpdate(claimUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
      await eventually(async () => (await listIds(env, unclaimed)).length === 0, 'the claimed conversation to leave the unclaimed filter');
      await eventually(
        async () => (await listIds(env, `HandoffCompany = "${company}" AND HandoffStage = "claimed"`)).length === 1,
        'the claimed stage in visibility',
      );
      const described = await handle.describe();
      assert.match((await described.staticSummary()) ?? '', /Jordan Lee/);
      assert.equal((await handle.query(stateQuery)).owner, rep);
    }
  });
});
