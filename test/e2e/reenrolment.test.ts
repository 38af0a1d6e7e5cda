import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import { oneSendCadence, repKeyOf, TOOL_KEY, toolAndRepKeys } from '../helpers/apiKeys';
import { callAsDocumented } from '../helpers/contract';
import { createConversationRig, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = TOOL_KEY;
const keyOf = repKeyOf;
const keys = toolAndRepKeys;
const slowCadence = oneSendCadence;

describe('re-enrolling a prospect in a new campaign, through the API on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env, { campaigns: { autumn: { cadence: slowCadence }, winter: { cadence: slowCadence } } });
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster, ledger: rig.ledger });
  });
  after(async () => {
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => callAsDocumented(api, method, url, token, body);
  const start = (id: string, extra: Record<string, unknown> = {}, who = prospect(id)) =>
    call('POST', '/v1/conversations', TOOL, { prospect: who, cadence: slowCadence, ...extra });
  const reenrol = (id: string, campaign?: string, who = prospect(id)) =>
    call('POST', '/v1/conversations', TOOL, { prospect: who, reenrol: true, ...(campaign ? { campaign } : {}) });
  const reply = (id: string, messageId: string, text: string) =>
    call('POST', `/v1/conversations/${id}/replies`, TOOL, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });

  /** Escalates by a request for a person, claims it, and closes it lost: an end without an opt-out. */
  const closeLost = async (id: string) => {
    await reply(id, `${id}-r-1`, 'Can I talk to a real person about this?');
    const handle = env.client.workflow.getHandle(`prospect-${id}`);
    const state = await waitForState(handle, (s) => s.ladder.length === 1, `${id}: tier 1`);
    const rep = state.ladder[0]!.eligibleRepIds[0]!;
    assert.equal((await call('POST', `/v1/conversations/${id}/claim`, keyOf(rep), {})).statusCode, 200);
    assert.equal((await call('POST', `/v1/conversations/${id}/close`, keyOf(rep), { outcome: 'lost' })).statusCode, 200);
    await handle.result();
  };

  test('a prospect whose conversation ended is started again in a new campaign, and every run is found by the prospect', async () => {
    assert.equal((await start('re-1')).statusCode, 201);
    const whileRunning = await reenrol('re-1', 'autumn');
    assert.equal(whileRunning.statusCode, 409);
    assert.equal(whileRunning.json().error.code, 'conversation_running');
    assert.match(whileRunning.json().error.message, /prospect re-1 still has a conversation running \(prospect-re-1\)/);

    await closeLost('re-1');
    const noCampaign = await reenrol('re-1');
    assert.equal(noCampaign.statusCode, 400);
    assert.equal(noCampaign.json().error.code, 'campaign_required');

    const again = await reenrol('re-1', 'autumn');
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json().conversation, { prospectId: 're-1', workflowId: 'prospect-re-1~autumn', created: true, enrolment: 'autumn' });
    const twice = await reenrol('re-1', 'autumn');
    assert.equal(twice.json().conversation.created, false, 'a re-enrolment is idempotent by prospect and campaign');
    const elsewhere = await reenrol('re-1', 'winter');
    assert.equal(elsewhere.json().error.code, 'conversation_running', 'one conversation at a time');

    // The run is addressed by its reference, and the prospect's id now means it.
    const direct = await call('GET', '/v1/conversations/re-1~autumn', TOOL);
    assert.equal(direct.statusCode, 200);
    assert.equal(direct.json().state.conversationId, 'prospect-re-1~autumn');
    const current = await eventually(async () => {
      const shown = await call('GET', '/v1/conversations/re-1', TOOL);
      return shown.json().state?.conversationId === 'prospect-re-1~autumn' && shown.json().state;
    }, 'the prospect’s id naming the new conversation');
    assert.equal(current.stage, 'automating');
    assert.equal((await reply('re-1', 're-1-r-2', 'Thanks, noted.')).statusCode, 202);
    await waitForState(env.client.workflow.getHandle('prospect-re-1~autumn'), (s) => s.counts.replies === 1, 'the reply in the new conversation');

    const listed = await eventually(async () => {
      const answer = await call('GET', '/v1/conversations?prospectId=re-1', TOOL);
      return answer.json().conversations.length === 2 && answer.json().conversations;
    }, 'both conversations listed');
    assert.deepEqual(
      listed.map((c: { workflowId: string; enrolment: string | null; status: string }) => [c.workflowId, c.enrolment, c.status]),
      [
        ['prospect-re-1~autumn', 'autumn', 'running'],
        ['prospect-re-1', null, 'completed'],
      ],
    );
  });

  test('a prospect who opted out is never started again, even at a new address', async () => {
    assert.equal((await start('re-2')).statusCode, 201);
    await reply('re-2', 're-2-r-1', 'Please unsubscribe me, not interested.');
    await env.client.workflow.getHandle('prospect-re-2').result();
    const refused = await reenrol('re-2', 'autumn', prospect('re-2', { email: 'new-address@buyer.example' }));
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'opted_out');
    assert.match(refused.json().error.message, /prospect re-2 opted out \(in prospect-re-2\)/);
    const suppressed = await reenrol('re-2', 'autumn');
    assert.equal(suppressed.json().error.code, 'suppressed', 'the opted-out address is on the suppression list');
  });

  test('a prospect whose address is suppressed is refused, whatever ended their conversation', async () => {
    assert.equal((await start('re-3')).statusCode, 201);
    await closeLost('re-3');
    assert.equal((await call('POST', '/v1/suppressions', TOOL, { email: prospect('re-3').email })).statusCode, 201);
    const refused = await reenrol('re-3', 'autumn');
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'suppressed');
    const batch = await call('POST', '/v1/conversations/batch', TOOL, { items: [{ prospect: prospect('re-1'), reenrol: true, campaign: 'winter' }] });
    assert.equal(batch.json().results[0].status, 'refused');
    assert.equal(batch.json().results[0].refusal.code, 'conversation_running');
  });
});
