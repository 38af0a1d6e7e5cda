import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { MANUAL_ESCALATION_LIMIT, REPLY_INLINE_BYTES } from '../../workflows/limits';
import { stateQuery, type HandoffPacket } from '../../workflows/messages';
import { createConversationRig, waitForAlerts, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = 'tool-token-0123456789';
const REP = 'rep-token-dana-0123456789';
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  { id: 'key-dana', hash: hashApiKey(REP), scopes: ['rep'], repId: 'dana' },
];
const KB = 1000;

/** `bytes` of a reply that talks at length and never asks for anything (no trigger fires). */
function longReply(bytes: number, seed: number): string {
  const sentences = [
    'We read your note with the whole team last week.',
    'Our quarter has been busy with the warehouse move.',
    'Here is some background on how we work today.',
    'The regional offices each keep their own spreadsheets.',
    'Thanks again for reaching out and for the article.',
  ];
  let text = `Reply ${seed}. `;
  for (let i = seed; text.length < bytes; i++) text += `${sentences[i % sentences.length]} `;
  return text.slice(0, bytes);
}

describe('a conversation within its limits, through the HTTP API on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;

  const call = (app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const start = (id: string, extra: Record<string, unknown> = {}) => call(api, 'POST', '/v1/conversations', TOOL, { prospect: prospect(id), ...extra });
  const reply = (app: FastifyInstance, id: string, messageId: string, text: string) =>
    call(app, 'POST', `/v1/conversations/${id}/replies`, TOOL, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster, ledger: rig.ledger });
  });
  after(async () => {
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  test('a duration over 365 days is refused with a 400 naming the field, and nothing starts', async () => {
    const cadence = [
      { name: 'First touch', kind: 'first_touch', offset: '0 days' },
      { name: 'Much later', kind: 'follow_up', offset: '100000000 days' },
    ];
    const offset = await start('limits-0', { cadence });
    assert.equal(offset.statusCode, 400);
    assert.equal(offset.json().error.code, 'invalid_request');
    assert.equal(offset.json().error.message, 'body.cadence.1.offset: at most 365 days');
    const deadline = await start('limits-0', { claimDeadlines: { pricing: '100000000 days' } });
    assert.equal(deadline.statusCode, 400);
    assert.equal(deadline.json().error.message, 'body.claimDeadlines.pricing: at most 365 days');
    const delay = await call(api, 'POST', '/v1/conversations/limits-0/hand-back', REP, { delayMs: 400 * 86_400_000 });
    assert.equal(delay.statusCode, 400);
    assert.match(delay.json().error.message, /^body\.delayMs: at most 365 days/);
    assert.equal((await call(api, 'GET', '/v1/conversations/limits-0', TOOL)).statusCode, 404, 'no conversation was started');
    assert.equal((await start('limits-0', { cadence: [{ name: 'First touch', kind: 'first_touch', offset: '365 days' }] })).statusCode, 201, 'a year is allowed');
  });

  test('twenty-five replies of 100 KB, then a pricing question: it escalates, the alert is delivered, the state answers, and every body reads back whole', async () => {
    assert.equal((await start('limits-1')).statusCode, 201);
    const handle = env.client.workflow.getHandle('prospect-limits-1');
    const bodies = Array.from({ length: 25 }, (_, i) => longReply(100 * KB, i));
    for (const [i, text] of bodies.entries()) {
      const res = await reply(api, 'limits-1', `long-${i}`, text);
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json().bodyBytes, 100 * KB);
      assert.match(res.json().bodyRef, /^[0-9a-f]{64}$/);
    }
    await waitForState(handle, (s) => s.thread.filter((t) => t.author === 'prospect' && t.labels).length === 25, 'all 25 long replies classified');
    assert.equal((await reply(api, 'limits-1', 'pricing-1', 'What is the price per seat for 40 seats?')).statusCode, 202);

    const state = await waitForAlerts(handle, 'the tier-1 alert');
    assert.equal(state.stage, 'escalated');
    // The long replies needed a person (a low-priority task); the pricing question ended the task and escalated.
    const escalation = state.escalations.find((e) => !e.task);
    assert.equal(escalation?.reason, 'pricing');
    assert.equal(escalation?.triggeringMessageId, 'pricing-1');
    assert.equal(state.counts.replies, 26);
    const answered = JSON.stringify(await handle.query(stateQuery)).length;
    assert.ok(answered < 512 * 1024, `the state answer is ${answered} bytes`);
    const stored = state.thread.filter((t) => t.messageId.startsWith('long-'));
    assert.equal(stored.length, 25);
    assert.ok(stored.every((t) => t.truncated && t.bodyRef && t.bodyBytes === 100 * KB), 'each long reply names its stored body');

    const alerts = (await rig.alerts()).filter((a) => !(a.packet as HandoffPacket).task);
    assert.equal(alerts.length, 1);
    const packet = alerts[0]!.packet as HandoffPacket;
    assert.ok(JSON.stringify(packet).length < 512 * 1024, `the packet is ${JSON.stringify(packet).length} bytes`);
    assert.equal(packet.triggeringMessageId, 'pricing-1');
    assert.equal(packet.thread.find((t) => t.messageId === 'pricing-1')?.text, 'What is the price per seat for 40 seats?');
    const newest = packet.thread.find((t) => t.messageId === 'long-24');
    assert.equal(Buffer.byteLength(newest?.text ?? '', 'utf8'), REPLY_INLINE_BYTES, 'the newest long reply travels with its whole inline start');
    assert.ok(bodies[24]!.startsWith(newest!.text));

    for (const i of [0, 24]) {
      const whole = await call(api, 'GET', `/v1/conversations/limits-1/replies/long-${i}`, REP);
      assert.equal(whole.statusCode, 200);
      assert.equal(whole.json().reply.text, bodies[i]);
      assert.equal(whole.json().reply.bytes, 100 * KB);
    }
    // A short reply is read back from the ledger, whose batch goes out as the loop starts waiting for the claim: it
    // may trail the alert by that batch.
    const short = await eventually(async () => {
      const answer = await call(api, 'GET', '/v1/conversations/limits-1/replies/pricing-1', REP);
      return answer.statusCode === 200 && answer;
    }, 'the short reply in the ledger');
    assert.equal(short.json().reply.text, 'What is the price per seat for 40 seats?');
    assert.equal((await call(api, 'GET', '/v1/conversations/limits-1/replies/nope', REP)).statusCode, 404);

    const recorded = await eventually(async () => {
      const events = (await rig.ledger.query({ conversationId: 'prospect-limits-1', kinds: ['reply_classified'] })).filter((e) => e.messageId?.startsWith('long-'));
      return events.length === 25 && events;
    }, 'the 25 long replies in the ledger');
    assert.ok(recorded.every((e) => e.bodyRef && e.bodyBytes === 100 * KB && Buffer.byteLength(e.text ?? '', 'utf8') === REPLY_INLINE_BYTES));
  });

  test('a reply of exactly the inline limit travels whole; one byte more is stored and arrives by reference', async () => {
    await start('limits-2');
    const handle = env.client.workflow.getHandle('prospect-limits-2');
    const atLimit = longReply(REPLY_INLINE_BYTES, 1);
    const over = `${longReply(REPLY_INLINE_BYTES, 2)}€`;
    const whole = await reply(api, 'limits-2', 'at-limit', atLimit);
    assert.equal(whole.statusCode, 202);
    assert.equal(whole.json().bodyRef, undefined);
    const stored = await reply(api, 'limits-2', 'over', over);
    assert.equal(stored.json().bodyBytes, REPLY_INLINE_BYTES + 3);
    const state = await waitForState(handle, (s) => s.thread.filter((t) => t.author === 'prospect' && t.labels).length === 2, 'both replies');
    const [first, second] = ['at-limit', 'over'].map((id) => state.thread.find((t) => t.messageId === id)!);
    assert.equal(first!.bodyRef, undefined);
    assert.equal(second!.bodyRef, stored.json().bodyRef);
    assert.equal((await rig.ledger.replyBodies.get(stored.json().bodyRef))?.text, over);
  });

  test(`past ${MANUAL_ESCALATION_LIMIT} manual escalations the API answers 409 manual_escalation_limit, and the conversation keeps its count`, async () => {
    await start('limits-3');
    const handle = env.client.workflow.getHandle('prospect-limits-3');
    for (let i = 0; i < MANUAL_ESCALATION_LIMIT; i++) {
      const res = await call(api, 'POST', '/v1/conversations/limits-3/escalations', TOOL, { reason: `Called again (${i})` });
      assert.equal(res.statusCode, 202, `escalation ${i}: ${res.body}`);
    }
    const counted = await waitForState(handle, (s) => s.counts.manualEscalations === MANUAL_ESCALATION_LIMIT, 'every manual escalation counted');
    assert.equal(counted.escalations.length, 1, 'one escalation, the later ones joined to it');
    const refused = await call(api, 'POST', '/v1/conversations/limits-3/escalations', TOOL, { reason: 'Once more' });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'manual_escalation_limit');
    assert.equal(refused.json().error.details.limit, MANUAL_ESCALATION_LIMIT);
    const after = await handle.query(stateQuery);
    assert.equal(after.counts.manualEscalations, MANUAL_ESCALATION_LIMIT);
    assert.ok(Buffer.byteLength(after.escalations[0]?.manualNote ?? '', 'utf8') <= 16 * 1024, 'the joined notes stay bounded');
  });
});
