import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { createClaimToken, verifyClaimToken } from '../../src/alerts/claimLink';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import type { LedgerEvent } from '../../src/ledger/events';
import type { CrmTouch } from '../../src/outreach/crm';
import { readJournal } from '../../src/outreach/journal';
import { stateQuery, type ConversationState } from '../../workflows/messages';
import { createConversationRig, waitForAlerts, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = 'tool-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const UNBOUND = 'unbound-rep-token-0123456789';
const REPS = ['dana', 'eli', 'fay', 'lee', 'max'];
/** Each rep's own key (max is the test roster's manager). */
const keyOf = (repId: string) => `rep-token-${repId}-0123456789`;
const keys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL), scopes: ['tool'] },
  { id: 'ops', hash: hashApiKey(ADMIN), scopes: ['admin'] },
  { id: 'shared-reps', hash: hashApiKey(UNBOUND), scopes: ['rep'] },
  ...REPS.map((repId): ApiKey => ({ id: `key-${repId}`, hash: hashApiKey(keyOf(repId)), scopes: ['rep'], repId })),
];
const SKILLED = ['dana', 'eli', 'fay'];


describe('reps act only as themselves, and claim links only their rep can use', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster });
  });
  after(async () => {
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const post = (url: string, token: string | null, body: unknown = {}, headers: Record<string, string> = {}) =>
    api.inject({
      method: 'POST',
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
  const act = (id: string, action: string, token: string | null, body: unknown = {}) => post(`/v1/conversations/${id}/${action}`, token, body);
  /** Posts the claim page's form as a browser would. */
  const submitForm = (link: string, form: Record<string, string>) =>
    api.inject({
      method: 'POST',
      url: link,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams(form).toString(),
    });

  /** Starts a conversation, sends a pricing reply and waits until tier 1 is alerted; returns the tier-1 rep. */
  async function escalated(id: string, claimDeadlines?: Record<string, string>): Promise<{ owner: string; state: ConversationState }> {
    const started = await post('/v1/conversations', TOOL, { prospect: prospect(id), ...(claimDeadlines ? { claimDeadlines } : {}) });
    assert.equal(started.statusCode, 201, started.body);
    const replied = await post(`/v1/conversations/${id}/replies`, TOOL, { messageId: 'm-1', channel: 'email', text: 'What would 40 seats cost us per year?', receivedAt: new Date().toISOString() });
    assert.equal(replied.statusCode, 202);
    const state = await waitForAlerts(env.client.workflow.getHandle(`prospect-${id}`), 'tier 1 alerted');
    return { owner: state.ladder[0]!.assignees[0]!.repId, state };
  }

  const handleOf = (id: string) => env.client.workflow.getHandle(`prospect-${id}`);
  const ledgerEvent = (id: string, kind: LedgerEvent['kind']) =>
    eventually(async () => (await rig.ledger.query({ conversationId: `prospect-${id}` })).find((e) => e.kind === kind), `the ${kind} event in the ledger`);
  /** The link path of the outbox alert for a rung (the outbox is shared, so its links are team links). */
  const outboxLink = (id: string, rung: number) =>
    eventually(async () => {
      const entry = (await rig.alerts()).find((a) => a.workflowId === `prospect-${id}` && a.idempotencyKey.includes(`/esc-1/rung-${rung}/`));
      return entry?.claimUrl ? new URL(entry.claimUrl).pathname : undefined;
    }, `the rung-${rung} alert in the outbox`);
  const ownLink = (id: string, repId: string, escalation: number, rung: number, expiresAt = new Date(Date.now() + 10 * 60_000)) =>
    `/v1/claim-links/${createClaimToken({ workflowId: `prospect-${id}`, escalation, rung, tier: 1, repId, expiresAt }, rig.deps.alerts.claimSecret)}`;

  test('a rep’s key acts only as its rep; a key bound to nobody, or an admin key naming nobody, claims nothing', async () => {
    const { owner } = await escalated('rules-1');
    const other = SKILLED.find((r) => r !== owner)!;
    const asOther = await act('rules-1', 'claim', keyOf(owner), { repId: other });
    assert.equal(asOther.statusCode, 403);
    assert.equal(asOther.json().error.code, 'not_your_rep');
    assert.equal(asOther.json().error.message, `this key (key-${owner}) acts as ${owner}; it cannot act as ${other}`);
    const unbound = await act('rules-1', 'claim', UNBOUND, { repId: owner });
    assert.equal(unbound.statusCode, 403);
    assert.equal(unbound.json().error.code, 'key_not_bound');
    assert.equal((await act('rules-1', 'claim', ADMIN, {})).json().error.code, 'rep_required');
    assert.equal((await act('rules-1', 'claim', ADMIN, { repId: 'zed' })).json().error.code, 'unknown_rep');
    assert.equal((await handleOf('rules-1').query(stateQuery)).stage, 'escalated', 'nothing was claimed');

    const onBehalf = await act('rules-1', 'claim', ADMIN, { repId: owner });
    assert.equal(onBehalf.statusCode, 200);
    assert.equal(onBehalf.json().claimedBy, owner);
    const claimed = await ledgerEvent('rules-1', 'claimed');
    assert.deepEqual(claimed.actor, { via: 'api_key', keyId: 'ops', repId: owner, onBehalfOf: true, manager: false });
  });

  test('only the owner or a manager closes or hands back; feedback comes from a rep who was asked', async () => {
    const { owner } = await escalated('rules-2');
    const other = SKILLED.find((r) => r !== owner)!;
    assert.equal((await act('rules-2', 'claim', keyOf(owner))).statusCode, 200);
    const closed = await act('rules-2', 'close', keyOf(other), { outcome: 'won' });
    assert.equal(closed.statusCode, 403);
    assert.deepEqual(closed.json().error, {
      code: 'not_owner',
      message: `only the owner (${owner}) or a manager may close this conversation`,
      details: { owner, repId: other },
    });
    const handedBack = await act('rules-2', 'hand-back', keyOf(other));
    assert.equal(handedBack.statusCode, 403);
    assert.equal(handedBack.json().error.message, `only the owner (${owner}) or a manager may hand back this conversation`);
    const stranger = await act('rules-2', 'feedback', keyOf('lee'), { verdict: 'not_needed' });
    assert.equal(stranger.statusCode, 403);
    assert.equal(stranger.json().error.code, 'not_involved');

    assert.equal((await act('rules-2', 'feedback', keyOf(owner), { verdict: 'needed' })).statusCode, 200);
    assert.equal((await ledgerEvent('rules-2', 'feedback')).actor?.repId, owner);
    const byManager = await act('rules-2', 'hand-back', keyOf('max'));
    assert.equal(byManager.statusCode, 200);
    assert.equal(byManager.json().state.stage, 'automating');
    const handBackEvent = await ledgerEvent('rules-2', 'handed_back');
    assert.deepEqual({ repId: handBackEvent.repId, actor: handBackEvent.actor?.repId, manager: handBackEvent.actor?.manager }, { repId: owner, actor: 'max', manager: true });
    const unowned = await act('rules-2', 'close', keyOf(owner), { outcome: 'lost' });
    assert.equal(unowned.json().error.message, 'only a manager may close this conversation: nobody owns it');
    assert.equal((await act('rules-2', 'close', keyOf('max'), { outcome: 'lost' })).json().state.stage, 'closed');
  });

  test('a reassignment needs the owner or a manager and a new owner the roster lets take it; the new owner, the ledger and the CRM hear of it', async () => {
    const { owner } = await escalated('rules-3');
    const next = SKILLED.find((r) => r !== owner)!;
    const bystander = SKILLED.find((r) => r !== owner && r !== next)!;
    assert.equal((await act('rules-3', 'claim', keyOf(owner))).statusCode, 200);

    const taken = await act('rules-3', 'reassign', keyOf(bystander), { repId: bystander });
    assert.equal(taken.statusCode, 403);
    assert.equal(taken.json().error.code, 'not_owner');
    const unskilled = await act('rules-3', 'reassign', keyOf(owner), { repId: 'lee' });
    assert.equal(unskilled.statusCode, 403);
    assert.equal(unskilled.json().error.code, 'not_eligible');
    assert.equal(
      unskilled.json().error.message,
      'lee may not take this pricing escalation at tier 1: up to that tier it goes to the account owner (none) or a rep with the pricing skill in team core, or a manager',
    );
    const unknown = await act('rules-3', 'reassign', keyOf(owner), { repId: 'zed' });
    assert.deepEqual([unknown.statusCode, unknown.json().error.message], [403, 'zed is not in the roster']);
    const byOther = await act('rules-3', 'reassign', keyOf(owner), { repId: next, by: bystander });
    assert.equal(byOther.json().error.code, 'not_your_rep');

    const moved = await act('rules-3', 'reassign', keyOf(owner), { repId: next });
    assert.equal(moved.statusCode, 200);
    assert.equal(moved.json().state.owner, next);
    const alert = await eventually(async () => (await rig.alerts()).find((a) => a.workflowId === 'prospect-rules-3' && a.purpose === 'reassigned'), 'the new owner’s alert');
    assert.equal(alert.repId, next);
    assert.equal(alert.claimUrl, null);
    const event = await ledgerEvent('rules-3', 'reassigned');
    assert.deepEqual({ repId: event.repId, fromRepId: event.fromRepId, actor: event.actor }, {
      repId: next,
      fromRepId: owner,
      actor: { via: 'api_key', keyId: `key-${owner}`, repId: owner, onBehalfOf: false, manager: false },
    });
    const touch = await eventually(
      async () => (await readJournal<CrmTouch>(path.join(rig.dataDir, 'crm.jsonl'))).find((t) => t.conversationId === 'prospect-rules-3' && t.kind === 'reassigned'),
      'the reassignment in the CRM',
    );
    assert.equal(touch.summary, `Reassigned from ${owner} to ${next}`);
    const formerOwnerCloses = await act('rules-3', 'close', keyOf(owner), { outcome: 'won' });
    assert.equal(formerOwnerCloses.json().error.message, `only the owner (${next}) or a manager may close this conversation`);
    assert.equal((await act('rules-3', 'close', keyOf(next), { outcome: 'won' })).statusCode, 200);
  });

  test('a team link from a shared channel claims only as the rep whose own key the page is given', async () => {
    const { owner } = await escalated('rules-4');
    const link = await outboxLink('rules-4', 1);
    const verified = verifyClaimToken(link.split('/').pop()!, rig.deps.alerts.claimSecret);
    assert.ok(verified.ok);
    assert.deepEqual({ escalation: verified.claims.escalation, rung: verified.claims.rung, repId: verified.claims.repId }, { escalation: 1, rung: 1, repId: null });

    const page = await api.inject({ method: 'GET', url: link });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<input id="apiKey" name="apiKey" type="password"/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    const anonymous = await post(link, null);
    assert.equal(anonymous.statusCode, 401);
    assert.match(anonymous.json().error.message, /claims only as the rep whose own API key is given/);
    const admin = await submitForm(link, { apiKey: ADMIN });
    assert.equal(admin.statusCode, 403);
    assert.match(admin.body, /bound to no rep/);
    const ineligible = await post(link, keyOf('lee'));
    assert.equal(ineligible.json().error.code, 'not_eligible');

    const claimed = await submitForm(link, { apiKey: keyOf(owner) });
    assert.equal(claimed.statusCode, 200, claimed.body);
    assert.match(claimed.headers['content-type'] as string, /^text\/html/);
    assert.match(claimed.body, /Jordan Lee \(Buyer Co\) is yours/);
    assert.equal((await ledgerEvent('rules-4', 'claimed')).actor?.keyId, `key-${owner}`);
  });

  test('a rep’s own link claims as that rep; once expired it is refused on the page and on the claim', async () => {
    const { owner } = await escalated('rules-5');
    const expired = ownLink('rules-5', owner, 1, 1, new Date(Date.now() - 1000));
    const page = await api.inject({ method: 'GET', url: expired });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /claim link expired at/);
    const refused = await post(expired, null);
    assert.equal(refused.json().error.code, 'claim_link_expired');

    const claimed = await post(ownLink('rules-5', owner, 1, 1), null);
    assert.equal(claimed.statusCode, 200);
    assert.equal(claimed.json().claimedBy, owner);
    assert.deepEqual((await ledgerEvent('rules-5', 'claimed')).actor, { via: 'claim_link', keyId: null, repId: owner, onBehalfOf: false, manager: false });
  });

  test('a link from an earlier rung stops claiming once the escalation climbs', async () => {
    await escalated('rules-6', { pricing: '2s' });
    const firstRung = await outboxLink('rules-6', 1);
    await waitForState(handleOf('rules-6'), (s) => s.ladder.length >= 2, 'tier 2');
    const stale = await post(firstRung, keyOf('max'));
    assert.equal(stale.statusCode, 403);
    assert.equal(stale.json().error.code, 'claim_link_superseded');
    assert.match(stale.json().error.message, /^this claim link is for rung 1 \(tier 1\); the escalation has moved on to rung \d+ \(tier \d+\): use the newest alert, or claim with your own key$/);
    const page = await api.inject({ method: 'GET', url: firstRung });
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /moved on to rung/);
    assert.equal((await act('rules-6', 'claim', keyOf('max'))).statusCode, 200, 'the rep’s own key still claims');
  });

  test('after a hand-back the old link no longer claims, and after a new escalation it says so', async () => {
    const { owner } = await escalated('rules-7');
    const first = ownLink('rules-7', owner, 1, 1);
    assert.equal((await post(first, null)).statusCode, 200);
    assert.equal((await act('rules-7', 'hand-back', keyOf(owner))).statusCode, 200);
    const handedBack = await post(first, null);
    assert.equal(handedBack.statusCode, 403);
    assert.equal(handedBack.json().error.message, 'escalation 1 was handed back to automation: this claim link no longer claims it');

    await post('/v1/conversations/rules-7/replies', TOOL, { messageId: 'm-2', channel: 'email', text: 'Can you send a quote for 60 seats?', receivedAt: new Date().toISOString() });
    await waitForState(handleOf('rules-7'), (s) => s.escalations.length === 2 && s.ladder.length === 1, 'the second escalation');
    const again = await waitForAlerts(handleOf('rules-7'), 'the second escalation alerted');
    const superseded = await post(first, null);
    assert.equal(superseded.statusCode, 403);
    assert.match(superseded.json().error.message, /^this claim link is for escalation 1, which is over \(handed back\); the conversation has escalated again since/);
    const second = ownLink('rules-7', again.ladder[0]!.assignees[0]!.repId, 2, 1);
    assert.equal((await post(second, null)).statusCode, 200);
  });
});
