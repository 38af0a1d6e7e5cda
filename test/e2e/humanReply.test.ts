import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { colleagueProspectId } from '../../workflows/conversation/tasks';
import { assertAnswersAsDocumented } from '../helpers/contract';
import { apiOnDevServer } from '../helpers/apiRig';
import { waitForAlerts, waitForState } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';

const TOOL = 'tool-token-0123456789';
const REPS = ['dana', 'eli', 'fay', 'lee', 'max'];
const keyOf = (repId: string) => `rep-token-${repId}-0123456789`;
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  ...REPS.map((repId): ApiKey => ({ id: `key-${repId}`, hash: hashApiKey(keyOf(repId)), scopes: ['rep'], repId })),
];

describe('replies that need a person, through the HTTP API on the dev server', () => {
  const stack = apiOnDevServer(keys);

  /** Calls the API in process; every answer is held to the contract (a documented status, a body its schema accepts). */
  const call = async (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => {
    const res = await stack.api.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    assertAnswersAsDocumented(method, url, res.statusCode, res.body, res.headers['content-type'] as string | undefined);
    return res;
  };
  const reply = (id: string, messageId: string, text: string) =>
    call('POST', `/v1/conversations/${id}/replies`, TOOL, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });
  const handleOf = (id: string) => stack.env.client.workflow.getHandle(`prospect-${id}`);

  test('a small-talk reply becomes a low-priority task the state shows; its rep claims it and hands it back', async () => {
    assert.equal((await call('POST', '/v1/conversations', TOOL, { prospect: prospect('hr-task') })).statusCode, 201);
    const handle = handleOf('hr-task');
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
    assert.equal((await reply('hr-task', 'r-1', "Thanks, what's this about?")).statusCode, 202);
    const alerted = await waitForAlerts(handle, 'the task notice');
    const shown = (await call('GET', '/v1/conversations/hr-task', TOOL)).json().state;
    assert.equal(shown.stage, 'escalated');
    assert.deepEqual(shown.escalations[0].task, { kind: 'reply', priority: 'low' });
    assert.equal(shown.packet.task.kind, 'reply');
    const rep = alerted.ladder[0]!.assignees[0]!.repId;
    const listed = await eventually(async () => {
      const { escalations } = (await call('GET', '/v1/escalations?status=open&trigger=human_reply', TOOL)).json() as { escalations: { prospectId: string; trigger: string; nextActionTime: string | null }[] };
      return escalations.find((e) => e.prospectId === 'hr-task');
    }, 'the task among the open escalations');
    assert.deepEqual({ trigger: listed.trigger, nextActionTime: listed.nextActionTime }, { trigger: 'human_reply', nextActionTime: null });
    const claimed = await call('POST', '/v1/conversations/hr-task/claim', keyOf(rep), {});
    assert.equal(claimed.statusCode, 200);
    assert.equal(claimed.json().packet.task.kind, 'reply');
    const handedBack = await call('POST', '/v1/conversations/hr-task/hand-back', keyOf(rep), {});
    assert.equal(handedBack.json().state.stage, 'automating');
  });

  test('a start asking for acknowledgements answers the reply with one step and keeps automating', async () => {
    assert.equal((await call('POST', '/v1/conversations', TOOL, { prospect: prospect('hr-ack'), humanReply: 'acknowledge' })).statusCode, 201);
    const handle = handleOf('hr-ack');
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
    await reply('hr-ack', 'r-1', 'Got it, thanks!');
    await eventually(async () => (await stack.rig.sent()).some((s) => s.idempotencyKey === 'prospect-hr-ack/reply/r-1/acknowledgement'), 'the acknowledgement sent');
    const shown = await eventually(async () => {
      const state = (await call('GET', '/v1/conversations/hr-ack', TOOL)).json().state;
      return state.stage === 'automating' && state.thread.length === 3 && state;
    }, 'automating again with the acknowledgement in the thread');
    assert.equal(shown.escalations.length, 0);
  });

  test("a referral with an address starts the colleague's conversation; each shows the other", async () => {
    await call('POST', '/v1/conversations', TOOL, { prospect: prospect('hr-ref') });
    await waitForState(handleOf('hr-ref'), (s) => s.sent.length === 1, 'the first touch');
    await reply('hr-ref', 'r-1', "I'm not the right person. Please reach out to sam.ortiz@buyer.example, who runs procurement.");
    const colleagueId = colleagueProspectId('sam.ortiz@buyer.example');
    const referrer = await eventually(async () => {
      const state = (await call('GET', '/v1/conversations/hr-ref', TOOL)).json().state;
      return state.referrals?.length === 1 && state;
    }, 'the referral in the state');
    assert.equal(referrer.referrals[0].conversationId, `prospect-${colleagueId}`);
    const colleague = await eventually(async () => {
      const res = await call('GET', `/v1/conversations/${colleagueId}`, TOOL);
      return res.statusCode === 200 && res.json().state.sent.length === 1 && res.json().state;
    }, "the colleague's first touch");
    assert.equal(colleague.referredBy.conversationId, 'prospect-hr-ref');
    assert.equal(colleague.prospect.email, 'sam.ortiz@buyer.example');
  });
});
