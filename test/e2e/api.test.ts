import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { openApiDocument } from '../../src/api/openapi';
import { buildApi } from '../../src/api/server';
import { signRequest } from '../../src/api/signature';
import { openLedger } from '../../src/ledger/open';
import { createClaimToken } from '../../src/alerts/claimLink';
import { callAsDocumented } from '../helpers/contract';
import { conversationWorkflowId } from '../../workflows/messages';
import { createConversationRig, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';
import { stateQuery } from '../../workflows/messages';

const TOOL = 'tool-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const SIGNING = 'reply-signing-secret-0123456789';
const REPS = ['dana', 'eli', 'fay', 'lee', 'max'];
/** Each rep's own key. */
const keyOf = (repId: string) => `rep-token-${repId}-0123456789`;
const REP = keyOf('dana');
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  ...REPS.map((repId): ApiKey => ({ id: `key-${repId}`, hash: hashApiKey(keyOf(repId)), scopes: ['rep'], repId })),
  { id: 'ops', hash: hashApiKey(ADMIN), scopes: ['admin'] },
];

describe('the HTTP API against a running conversation worker', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let signedApi: FastifyInstance;

  /** Calls the API in process; every answer is held to the contract (a documented status, a body its schema accepts). */
  const call = callAsDocumented;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    const claimSecret = rig.deps.alerts.claimSecret;
    const roster = rig.deps.alerts.roster;
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret, roster, workerState: () => rig.worker.getState(), ledger: rig.ledger });
    signedApi = buildApi({ client: env.client, config: signedConfig(), keys, claimSecret, roster, ledger: rig.ledger });
  });
  const signedConfig = () => ({ ...rig.config, api: { ...rig.config.api, replySigningSecret: SIGNING } });
  after(async () => {
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const start = (id: string) => call(api, 'POST', '/v1/conversations', TOOL, { prospect: prospect(id) });
  const reply = (id: string, messageId: string, text: string) =>
    call(api, 'POST', `/v1/conversations/${id}/replies`, TOOL, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });

  test('a rep set away through the API is passed over by routing at once, and only they, a manager or an admin may set it', async () => {
    const away = await call(api, 'PUT', '/v1/reps/dana/availability', REP, { status: 'away', note: 'at the dentist' });
    assert.equal(away.statusCode, 200);
    assert.equal(away.json().availability.status, 'away');
    assert.equal((await call(api, 'PUT', '/v1/reps/dana/availability', keyOf('eli'), { status: 'available' })).json().error.code, 'not_your_rep');
    assert.equal((await call(api, 'PUT', '/v1/reps/zed/availability', ADMIN, { status: 'away' })).statusCode, 404);
    assert.equal((await call(api, 'PUT', '/v1/reps/dana/availability', REP, { status: 'away', until: '2001-01-01T00:00:00Z' })).statusCode, 400);

    // dana owns owned.example's accounts: with her away, the pricing reply goes to someone else, and the rung says why.
    assert.equal((await call(api, 'POST', '/v1/conversations', TOOL, { prospect: prospect('api-away-1', { email: 'buyer@owned.example' }) })).statusCode, 201);
    await reply('api-away-1', 'm-away-1', 'What is the price per seat for 40 seats?');
    const handle = env.client.workflow.getHandle(conversationWorkflowId('api-away-1'));
    const state = await waitForState(handle, (s) => s.ladder.some((r) => r.outcome === 'pending' && r.assignees.length > 0), 'a rung with assignees');
    const rungs = state.ladder;
    assert.ok(rungs.every((r) => !r.assignees.some((a) => a.repId === 'dana')), 'dana is not alerted');
    assert.ok(rungs.some((r) => r.passedOver?.some((p) => p.repId === 'dana' && p.reason === 'away')), 'the rung records that dana was passed over as away');

    const back = await call(api, 'PUT', '/v1/reps/dana/availability', ADMIN, { status: 'available' });
    assert.equal(back.json().availability.status, 'available');
    assert.equal((await call(api, 'GET', '/v1/reps/dana/availability', TOOL)).json().availability.status, 'available');
  });

  test('a conversation starts with 201, and starting it again answers 200 with the same conversation', async () => {
    const first = await start('api-1');
    assert.equal(first.statusCode, 201);
    const again = await start('api-1');
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().conversation, { prospectId: 'api-1', workflowId: 'prospect-api-1', created: false });
  });

  test('a reply is accepted with 202, a repeated message id changes nothing, and an unknown prospect is 404', async () => {
    await start('api-2');
    assert.equal((await reply('api-2', 'r-1', 'Thanks for the note.')).statusCode, 202);
    assert.equal((await reply('api-2', 'r-1', 'Thanks for the note.')).statusCode, 202);
    const handle = env.client.workflow.getHandle('prospect-api-2');
    const state = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === 'r-1' && t.labels), 'the reply');
    assert.equal(state.thread.filter((t) => t.author === 'prospect').length, 1);
    const missing = await reply('nobody-here', 'r-1', 'hello');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
  });

  test('a short reply to a running conversation is signalled with no look-up before it', async () => {
    await start('api-2b');
    const asked: string[] = [];
    const counting = new Client({
      connection: env.client.connection,
      interceptors: {
        workflow: [
          {
            describe: (input, next) => (asked.push(`describe ${input.workflowExecution.workflowId}`), next(input)),
            signal: (input, next) => (asked.push(`signal ${input.workflowExecution.workflowId}`), next(input)),
          },
        ],
      },
    });
    const counted = buildApi({ client: counting, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster, ledger: rig.ledger });
    const sent = await call(counted, 'POST', '/v1/conversations/api-2b/replies', TOOL, { messageId: 'r-1', channel: 'email', text: 'Thanks, noted.', receivedAt: new Date().toISOString() });
    assert.equal(sent.statusCode, 202);
    assert.deepEqual(asked, ['signal prospect-api-2b']);
    await waitForState(env.client.workflow.getHandle('prospect-api-2b'), (s) => s.thread.some((t) => t.messageId === 'r-1' && t.labels), 'the reply read');
  });

  test('a suggested reply answers the prospect’s latest reply, for reps and tools; an unknown prospect is 404', async () => {
    await start('api-suggest-1');
    await reply('api-suggest-1', 'r-1', 'How does this work with our CRM?\n\n> earlier mail');
    await waitForState(env.client.workflow.getHandle('prospect-api-suggest-1'), (s) => s.thread.some((t) => t.messageId === 'r-1'), 'the reply');
    const asRep = await call(api, 'GET', '/v1/conversations/api-suggest-1/suggested-reply', REP);
    assert.equal(asRep.statusCode, 200);
    assert.equal(asRep.json().suggestedReply.source, 'template');
    assert.ok(asRep.json().suggestedReply.text.includes('On "How does this work with our CRM?"'), asRep.json().suggestedReply.text);
    assert.equal((await call(api, 'GET', '/v1/conversations/api-suggest-1/suggested-reply', TOOL)).statusCode, 200);
    const missing = await call(api, 'GET', '/v1/conversations/nobody-here/suggested-reply', REP);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');
  });

  test('claiming with a rep’s own key returns the packet, a second rep gets 409 naming the holder, and an ineligible rep gets 403', async () => {
    await start('api-3');
    await reply('api-3', 'r-1', 'Can I talk to a real person about this?');
    const handle = env.client.workflow.getHandle('prospect-api-3');
    const state = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
    const eligible = state.ladder[0]!.eligibleRepIds;
    const outsider = ['dana', 'eli', 'fay', 'lee'].find((r) => !eligible.includes(r))!;
    const refused = await call(api, 'POST', '/v1/conversations/api-3/claim', keyOf(outsider), {});
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'not_eligible');
    const won = await call(api, 'POST', '/v1/conversations/api-3/claim', keyOf(eligible[0]!), {});
    assert.equal(won.statusCode, 200);
    assert.equal(won.json().packet.reason, 'human_request');
    assert.equal(won.json().claimedBy, eligible[0]);
    const lost = await call(api, 'POST', '/v1/conversations/api-3/claim', keyOf('max'), {});
    assert.equal(lost.statusCode, 409);
    assert.equal(lost.json().error.code, 'already_claimed');
    assert.equal(lost.json().error.details.holder, eligible[0]);

    const feedback = await call(api, 'POST', '/v1/conversations/api-3/feedback', keyOf(eligible[0]!), { verdict: 'needed' });
    assert.equal(feedback.statusCode, 200);
    const handBack = await call(api, 'POST', '/v1/conversations/api-3/hand-back', keyOf(eligible[0]!), {});
    assert.equal(handBack.json().state.stage, 'automating');
    const closed = await call(api, 'POST', '/v1/conversations/api-3/close', keyOf('max'), { outcome: 'lost' });
    assert.equal(closed.json().state.stage, 'closed');
    await env.client.workflow.getHandle('prospect-api-3').result();
    const afterClose = await reply('api-3', 'r-2', 'one more thing');
    assert.equal(afterClose.statusCode, 409);
    assert.equal(afterClose.json().error.code, 'conversation_over');
  });

  test('the owner records a booked meeting: the state lists it at stage meeting_booked, its invite downloads as .ics, and others are refused', async () => {
    await start('api-meeting');
    await reply('api-meeting', 'r-1', 'Can I talk to a real person about this?');
    const handle = env.client.workflow.getHandle('prospect-api-meeting');
    const state = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
    const owner = state.ladder[0]!.eligibleRepIds[0]!;
    const other = ['dana', 'eli', 'fay'].find((r) => r !== owner)!;
    const startsAt = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 60_000) * 60_000).toISOString();

    const beforeClaim = await call(api, 'POST', '/v1/conversations/api-meeting/meetings', keyOf(owner), { startsAt });
    assert.equal(beforeClaim.statusCode, 409);
    assert.equal(beforeClaim.json().error.code, 'not_claimed');
    assert.equal((await call(api, 'POST', '/v1/conversations/api-meeting/claim', keyOf(owner), {})).statusCode, 200);

    const invalid = await call(api, 'POST', '/v1/conversations/api-meeting/meetings', keyOf(owner), { startsAt: 'tomorrow at ten' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.json().error.message, /^body\.startsAt/);
    const notOwner = await call(api, 'POST', '/v1/conversations/api-meeting/meetings', keyOf(other), { startsAt });
    assert.equal(notOwner.statusCode, 403);
    assert.equal(notOwner.json().error.code, 'not_owner');
    const asSomeoneElse = await call(api, 'POST', '/v1/conversations/api-meeting/meetings', keyOf(owner), { startsAt, repId: other });
    assert.equal(asSomeoneElse.statusCode, 403);

    const booked = await call(api, 'POST', '/v1/conversations/api-meeting/meetings', keyOf(owner), { startsAt, note: 'pricing walk-through' });
    assert.equal(booked.statusCode, 200);
    assert.equal(booked.json().state.stage, 'meeting_booked');
    assert.deepEqual(
      booked.json().state.meetings.map((m: { number: number; startsAt: string; durationMinutes: number; repId: string }) => [m.number, m.startsAt, m.durationMinutes, m.repId]),
      [[1, startsAt, 30, owner]],
    );

    const invite = await call(api, 'GET', '/v1/conversations/api-meeting/meetings/1/invite.ics', keyOf(owner));
    assert.equal(invite.statusCode, 200);
    assert.match(invite.headers['content-type'] as string, /^text\/calendar/);
    const lines = invite.body.replace(/\r\n /g, ''); // long lines are folded (RFC 5545)
    assert.match(lines, /UID:prospect-api-meeting-meeting-1@handoff\r\n/);
    assert.match(lines, new RegExp(`DTSTART:${startsAt.replace(/[-:]/g, '').replace(/\.000/, '')}\r\n`));
    assert.match(lines, new RegExp(`ORGANIZER;CN=[^:]+:mailto:${owner}@example\\.com`));
    assert.match(lines, /ATTENDEE;[^\r]*:mailto:jordan\.api-meeting@buyer\.example/);
    const missing = await call(api, 'GET', '/v1/conversations/api-meeting/meetings/2/invite.ics', keyOf(owner));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'no meeting 2 in the conversation with api-meeting (it has 1)');

    const listed = await eventually(async () => {
      const res = await call(api, 'GET', '/v1/escalations?status=claimed', keyOf(owner));
      return res.json().escalations.some((e: { prospectId: string }) => e.prospectId === 'api-meeting') ? res : undefined;
    }, 'the conversation with a meeting listed among claimed escalations');
    assert.equal(listed.statusCode, 200);
    assert.equal((await call(api, 'POST', '/v1/conversations/api-meeting/close', keyOf(owner), { outcome: 'won' })).json().state.stage, 'closed');
  });

  test('a manual escalation is accepted with 202 and listed among open escalations from visibility', async () => {
    await start('api-4');
    const res = await call(api, 'POST', '/v1/conversations/api-4/escalations', TOOL, { reason: 'Called the office asking for pricing', trigger: 'pricing' });
    assert.equal(res.statusCode, 202);
    const handle = env.client.workflow.getHandle('prospect-api-4');
    await waitForState(handle, (s) => s.ladder.length === 1, 'the manual escalation');
    const listed = await eventually(async () => {
      const escalations: { prospectId: string; trigger: string }[] = (await call(api, 'GET', '/v1/escalations?status=open&trigger=manual', REP)).json().escalations;
      return escalations.some((e) => e.prospectId === 'api-4') && escalations;
    }, 'api-4 among the open escalations');
    assert.ok(listed.some((e) => e.prospectId === 'api-4' && e.trigger === 'manual'));
    const shown = await call(api, 'GET', '/v1/conversations/api-4', TOOL);
    assert.equal(shown.json().state.stage, 'escalated');
  });

  test('a rep’s own claim link claims for its rep; a forged or altered one is refused', async () => {
    await start('api-5');
    await reply('api-5', 'r-1', 'Please send over a proposal for 50 users.');
    const handle = env.client.workflow.getHandle('prospect-api-5');
    const state = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
    const repId = state.ladder[0]!.assignees[0]!.repId;
    const claims = { workflowId: 'prospect-api-5', escalation: 1, rung: 1, repId, tier: 1, expiresAt: new Date(Date.now() + 60_000) };
    const link = createClaimToken(claims, rig.deps.alerts.claimSecret);
    const forged = createClaimToken(claims, 'another-secret-that-is-long-enough-0123');
    const altered = link.slice(0, 5) + (link[5] === 'A' ? 'B' : 'A') + link.slice(6);
    assert.equal((await call(api, 'POST', `/v1/claim-links/${forged}`, null)).statusCode, 403);
    assert.equal((await call(api, 'POST', `/v1/claim-links/${altered}`, null)).statusCode, 403);
    assert.equal((await call(api, 'GET', `/v1/claim-links/${link}`, null)).statusCode, 200, 'GET only shows a confirmation');
    assert.equal((await handle.query(stateQuery)).stage, 'escalated');
    const claimed = await call(api, 'POST', `/v1/claim-links/${link}`, null);
    assert.equal(claimed.statusCode, 200);
    assert.equal((await handle.query(stateQuery)).owner, repId);
  });

  test('no token is 401, a token without the scope is 403, and the two are never confused', async () => {
    const none = await call(api, 'POST', '/v1/conversations', null, { prospect: prospect('api-6') });
    assert.equal(none.statusCode, 401);
    const unknown = await call(api, 'POST', '/v1/conversations', 'not-a-key', { prospect: prospect('api-6') });
    assert.equal(unknown.statusCode, 401);
    const wrongScope = await call(api, 'POST', '/v1/conversations', REP, { prospect: prospect('api-6') });
    assert.equal(wrongScope.statusCode, 403);
    assert.equal(wrongScope.json().error.code, 'forbidden');
  });

  test('hostile bodies get 4xx errors that name the field, and nothing is started', async () => {
    const wrongType = await call(api, 'POST', '/v1/conversations', TOOL, { prospect: { ...prospect('api-7'), email: 42 } });
    assert.equal(wrongType.statusCode, 400);
    assert.match(wrongType.json().error.message, /body\.prospect\.email/);
    const unknownField = await call(api, 'POST', '/v1/conversations', TOOL, { prospect: prospect('api-7'), discount: '90%' });
    assert.equal(unknownField.statusCode, 400);
    assert.match(JSON.stringify(unknownField.json().error.details), /discount/);
    const notJson = await call(api, 'POST', '/v1/conversations', TOOL, '{"prospect": ');
    assert.equal(notJson.statusCode, 400);
    assert.equal(notJson.json().error.code, 'invalid_json');
    const huge = await call(api, 'POST', '/v1/conversations/api-7/replies', TOOL, { messageId: 'x', channel: 'email', text: 'a'.repeat(300_000), receivedAt: new Date().toISOString() });
    assert.equal(huge.statusCode, 413);
    const badId = await call(api, 'GET', '/v1/conversations/has%20space', TOOL);
    assert.equal(badId.statusCode, 400);
    assert.equal((await call(api, 'GET', '/v1/conversations/api-7', TOOL)).statusCode, 404, 'no conversation was started');
  });

  /** A signed reply request: the signature covers the method, the path and the body. */
  const signed = (path: string, messageId: string, options: { secret?: string; ts?: string; signFor?: string } = {}) => {
    const body = JSON.stringify({ messageId, channel: 'email', text: 'Sounds good.', receivedAt: new Date().toISOString() });
    const ts = options.ts ?? String(Math.floor(Date.now() / 1000));
    const signature = signRequest(options.secret ?? SIGNING, ts, { method: 'POST', path: options.signFor ?? path, body });
    return { body, headers: { 'x-handoff-timestamp': ts, 'x-handoff-signature': signature } };
  };

  test('signed reply ingestion takes v2 signatures over method, path and body, and refuses forged, moved, v1 and replayed ones', async () => {
    await start('api-8');
    await start('api-8b');
    const url = '/v1/conversations/api-8/replies';
    const unsigned = await call(signedApi, 'POST', url, TOOL, signed(url, 's-1').body);
    assert.equal(unsigned.statusCode, 401);
    assert.equal(unsigned.json().error.code, 'signature_required');

    const forged = signed(url, 's-1', { secret: 'wrong-secret-0123456789' });
    const refused = await call(signedApi, 'POST', url, TOOL, forged.body, forged.headers);
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error.code, 'signature_invalid');

    const good = signed(url, 's-1');
    const moved = await call(signedApi, 'POST', '/v1/conversations/api-8b/replies', TOOL, good.body, good.headers);
    assert.equal(moved.statusCode, 401, 'a body signed for one prospect is refused on another prospect\'s path');
    assert.equal(moved.json().error.code, 'signature_invalid');

    const ts = good.headers['x-handoff-timestamp'];
    const v1 = `v1=${createHmac('sha256', SIGNING).update(`${ts}.${good.body}`).digest('hex')}`;
    const old = await call(signedApi, 'POST', url, TOOL, good.body, { 'x-handoff-timestamp': ts, 'x-handoff-signature': v1 });
    assert.equal(old.statusCode, 401);
    assert.equal(old.json().error.code, 'signature_scheme');
    assert.match(old.json().error.message, /v2=/);

    assert.equal((await call(signedApi, 'POST', url, TOOL, good.body, good.headers)).statusCode, 202);
    const replayed = await call(signedApi, 'POST', url, TOOL, good.body, good.headers);
    assert.equal(replayed.statusCode, 409);
    assert.equal(replayed.json().error.code, 'replayed');

    const stale = signed(url, 's-2', { ts: String(Math.floor(Date.now() / 1000) - 3600) });
    const late = await call(signedApi, 'POST', url, TOOL, stale.body, stale.headers);
    assert.equal(late.statusCode, 401);
    assert.equal(late.json().error.code, 'signature_expired');
    const handle = env.client.workflow.getHandle('prospect-api-8');
    await waitForState(handle, (s) => s.thread.some((t) => t.messageId === 's-1'), 'the signed reply');
    assert.ok(!(await handle.query(stateQuery)).thread.some((t) => t.messageId === 's-2'));
    assert.ok(!(await env.client.workflow.getHandle('prospect-api-8b').query(stateQuery)).thread.some((t) => t.messageId === 's-1'));
  });

  test('a signed request is accepted by one of two API processes on the same ledger, and still refused after a restart', async () => {
    await start('api-10');
    const claimSecret = rig.deps.alerts.claimSecret;
    const instance = async () => {
      const ledger = await openLedger({ dataDir: rig.dataDir });
      return { ledger, app: buildApi({ client: env.client, config: signedConfig(), keys, claimSecret, ledger }) };
    };
    const [first, second] = [await instance(), await instance()];
    const url = '/v1/conversations/api-10/replies';
    const request = signed(url, 'twice-1');
    assert.equal((await call(first.app, 'POST', url, TOOL, request.body, request.headers)).statusCode, 202);
    const elsewhere = await call(second.app, 'POST', url, TOOL, request.body, request.headers);
    assert.equal(elsewhere.statusCode, 409);
    assert.equal(elsewhere.json().error.code, 'replayed');
    for (const { app, ledger } of [first, second]) {
      await app.close();
      await ledger.close();
    }
    const restarted = await instance();
    try {
      const again = await call(restarted.app, 'POST', url, TOOL, request.body, request.headers);
      assert.equal(again.statusCode, 409, 'a restarted API still knows the signature');
      const fresh = signed(url, 'twice-2');
      assert.equal((await call(restarted.app, 'POST', url, TOOL, fresh.body, fresh.headers)).statusCode, 202);
    } finally {
      await restarted.app.close();
      await restarted.ledger.close();
    }
  });

  test('suppressions are added by tools and admins, listed for admins only, and a suppressed prospect is never started', async () => {
    const added = await call(api, 'POST', '/v1/suppressions', TOOL, { email: ' Blocked.Person@Buyer.example', reason: 'asked by phone' });
    assert.equal(added.statusCode, 201);
    assert.deepEqual(added.json().suppression.email, 'blocked.person@buyer.example');
    const again = await call(api, 'POST', '/v1/suppressions', ADMIN, { email: 'blocked.person@buyer.example' });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().created, false);
    assert.equal((await call(api, 'POST', '/v1/suppressions', TOOL, { domain: '@competitor.example' })).statusCode, 201);
    assert.equal((await call(api, 'POST', '/v1/suppressions', REP, { domain: 'rep.example' })).statusCode, 403);

    const both = await call(api, 'POST', '/v1/suppressions', TOOL, { email: 'a@b.example', domain: 'b.example' });
    assert.equal(both.statusCode, 400);
    assert.match(both.json().error.message, /exactly one of email and domain/);
    const notAnAddress = await call(api, 'POST', '/v1/suppressions', TOOL, { email: 'nobody' });
    assert.equal(notAnAddress.statusCode, 400);
    assert.match(notAnAddress.json().error.message, /^body\.email: not an email address/);
    const unknownField = await call(api, 'POST', '/v1/suppressions', TOOL, { email: 'a@b.example', until: 'forever' });
    assert.equal(unknownField.statusCode, 400);

    for (const [id, email] of [['api-11', 'BLOCKED.PERSON@buyer.example'], ['api-12', 'ana@eu.competitor.example']] as const) {
      const refused = await call(api, 'POST', '/v1/conversations', TOOL, { prospect: prospect(id, { email }) });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().error.code, 'suppressed');
      await assert.rejects(env.client.workflow.getHandle(`prospect-${id}`).describe(), WorkflowNotFoundError);
    }

    assert.equal((await call(api, 'GET', '/v1/suppressions', TOOL)).statusCode, 403);
    const listed = await call(api, 'GET', '/v1/suppressions?limit=500', ADMIN);
    assert.equal(listed.statusCode, 200);
    const entries = listed.json().suppressions as { email?: string; domain?: string; source: string; reason: string }[];
    assert.deepEqual(entries.find((e) => e.email === 'blocked.person@buyer.example')?.reason, 'asked by phone');
    assert.deepEqual(entries.find((e) => e.domain === 'competitor.example')?.source, 'manual');
    assert.equal(listed.json().total, entries.length);
  });

  test('a batch answers per item: created, existing, suppressed and invalid naming the field; sent again, what it started is existing', async () => {
    assert.equal((await start('batch-old')).statusCode, 201);
    assert.equal((await call(api, 'POST', '/v1/suppressions', TOOL, { email: 'opted.out@batch.example' })).statusCode, 201);
    const items = [
      { prospect: prospect('batch-new-1') },
      { prospect: prospect('batch-old') },
      { prospect: prospect('batch-suppressed', { email: 'Opted.Out@batch.example' }) },
      { prospect: { ...prospect('batch-bad-email'), email: 'not an address' } },
      { prospect: prospect('batch-new-2') },
      { prospect: { name: 'No Id', email: 'no.id@batch.example', company: 'X' } },
    ];
    const first = await call(api, 'POST', '/v1/conversations/batch', TOOL, { items });
    assert.equal(first.statusCode, 200, first.body);
    const answer = first.json() as { results: { index: number; status: string; prospectId: string | null; workflowId?: string; fields?: { field: string }[] }[]; counts: Record<string, number> };
    assert.deepEqual(
      answer.results.map((r) => [r.index, r.status, r.prospectId]),
      [
        [0, 'created', 'batch-new-1'],
        [1, 'existing', 'batch-old'],
        [2, 'suppressed', 'batch-suppressed'],
        [3, 'invalid', 'batch-bad-email'],
        [4, 'created', 'batch-new-2'],
        [5, 'invalid', null],
      ],
    );
    assert.deepEqual(answer.results[3]!.fields?.map((f) => f.field), ['prospect.email']);
    assert.deepEqual(answer.results[5]!.fields?.map((f) => f.field), ['prospect.id']);
    assert.deepEqual(answer.counts, { created: 2, existing: 1, suppressed: 1, invalid: 2, refused: 0 });
    assert.equal(answer.results[0]!.workflowId, 'prospect-batch-new-1');
    await env.client.workflow.getHandle('prospect-batch-new-2').describe();
    await assert.rejects(env.client.workflow.getHandle('prospect-batch-suppressed').describe(), WorkflowNotFoundError);

    const again = (await call(api, 'POST', '/v1/conversations/batch', TOOL, { items })).json() as typeof answer;
    assert.deepEqual(again.counts, { created: 0, existing: 3, suppressed: 1, invalid: 2, refused: 0 });

    const tooMany = await call(api, 'POST', '/v1/conversations/batch', TOOL, { items: Array.from({ length: 1001 }, () => items[0]) });
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.json().error.message, /^body\.items: /);
    assert.equal((await call(api, 'POST', '/v1/conversations/batch', REP, { items })).statusCode, 403);
  });

  test('the OpenAPI document describes every route, and the API answers over a real socket', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    assert.ok(doc.paths['/v1/conversations']?.post);
    assert.ok(doc.paths['/v1/conversations/{prospectId}/claim']?.post);
    assert.ok(doc.paths['/v1/suppressions']?.post && doc.paths['/v1/suppressions']?.get);
    assert.ok(doc.paths['/v1/prospects/{prospectId}']?.delete);
    const address = await api.listen({ host: '127.0.0.1', port: 0 });
    try {
      const health = await fetch(`${address}/healthz`);
      assert.equal(health.status, 200);
      const res = await fetch(`${address}/v1/conversations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prospect: prospect('api-9') }),
      });
      assert.equal(res.status, 201);
      const openapi = (await (await fetch(`${address}/openapi.json`)).json()) as { openapi: string };
      assert.equal(openapi.openapi, '3.1.0');
      const metrics = await (await fetch(`${address}/metrics`)).text();
      assert.match(metrics, /handoff_time_to_claim_seconds/);
    } finally {
      await api.close();
    }
  });
});
