import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { AlertErrors, createAlertActivities, type DeliverAlertInput } from '../../../activities/alerts';
import { verifyClaimToken } from '../../../src/alerts/claimLink';
import { readOutbox, createOutboxChannel } from '../../../src/alerts/outbox';
import { createWebhookChannel } from '../../../src/alerts/webhook';
import { RosterStore } from '../../../src/routing/rosterStore';
import type { AlertChannels } from '../../../src/alerts/channel';
import { alertInput, alertRoster, type Receiver, startReceiver } from './fixtures';

const CLAIM_SECRET = 'claim-secret-0123456789abcdef-0123456789';
const NOW = new Date('2025-06-05T14:12:10.000Z');
const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';


const GRACE_MS = 5 * 60_000;

function isFailure(type: string, nonRetryable: boolean) {
  return (err: unknown) => {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    assert.equal(err.type, type);
    assert.equal(err.nonRetryable, nonRetryable);
    return true;
  };
}

describe('deliverAlert activity', () => {
  let receiver: Receiver;
  let dataDir: string;
  let logged: string[];
  let deliverAlert: (input: DeliverAlertInput) => Promise<unknown>;

  before(async () => {
    receiver = await startReceiver();
    dataDir = await mkdtemp(path.join(tmpdir(), 'handoff-deliver-'));
  });
  /** The activity over the given channels, run in a mock activity context that keeps failures off the console. */
  function activityWith(channels: AlertChannels, roster = alertRoster()): (input: DeliverAlertInput) => Promise<unknown> {
    const activities = createAlertActivities({
      roster: RosterStore.fixed(roster.roster),
      channels,
      uiUrl: 'http://localhost:8233',
      namespace: 'default',
      claimLinkBaseUrl: 'https://handoff.example.com/claims/',
      claimSecret: CLAIM_SECRET,
      claimLinkGraceMs: GRACE_MS,
      log: (line) => logged.push(line),
      now: () => NOW,
    });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
    return (i) => env.run(activities.deliverAlert, i);
  }

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.script({ status: 200 });
    logged = [];
    deliverAlert = activityWith({
      webhook: createWebhookChannel({ defaultUrl: receiver.url, secret: WEBHOOK_SECRET, timeoutMs: 5000 }),
      outbox: createOutboxChannel({ dataDir, log: () => undefined }),
    });
  });
  after(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The claims of the link the receiver got. */
  function receivedClaims(index = 0) {
    const body = JSON.parse(receiver.requests[index]!.body) as { claimUrl: string | null };
    assert.ok(body.claimUrl, 'the alert carries a claim link');
    const verified = verifyClaimToken(body.claimUrl.replace('https://handoff.example.com/claims/', ''), CLAIM_SECRET, NOW);
    assert.ok(verified.ok);
    return verified.claims;
  }

  test('delivers to a shared endpoint with a team link: bound to the conversation, escalation and rung, for no rep', async () => {
    const result = await deliverAlert(alertInput());
    assert.deepEqual(result, {
      channel: 'webhook',
      repId: 'ana',
      deliveredAt: NOW.toISOString(),
      providerId: 'prospect-dana-42/1/1/ana/webhook',
    });
    const body = JSON.parse(receiver.requests[0]!.body) as { conversationUrl: string };
    assert.equal(body.conversationUrl, 'http://localhost:8233/namespaces/default/workflows/prospect-dana-42');
    assert.deepEqual(receivedClaims(), {
      workflowId: 'prospect-dana-42',
      escalation: 1,
      rung: 1,
      tier: 1,
      repId: null,
      expiresAt: new Date(Date.parse('2025-06-05T14:42:05.000Z') + GRACE_MS),
    });
    assert.deepEqual(logged, [
      'alert delivered key=prospect-dana-42/1/1/ana/webhook workflow=prospect-dana-42 rep=ana channel=webhook tier=1',
    ]);
  });

  test('delivers to the rep’s own endpoint with a link that claims as them, until the rung’s deadline plus the grace', async () => {
    const own = activityWith(
      { webhook: createWebhookChannel({ secret: WEBHOOK_SECRET, timeoutMs: 5000 }) },
      alertRoster({ webhookUrl: receiver.url }),
    );
    await own(alertInput({ escalation: 2, rung: 3, tier: 2 }));
    assert.deepEqual(receivedClaims(), {
      workflowId: 'prospect-dana-42',
      escalation: 2,
      rung: 3,
      tier: 2,
      repId: 'ana',
      expiresAt: new Date(Date.parse('2025-06-05T14:42:05.000Z') + GRACE_MS),
    });
  });

  test('a reply forwarded to its owner, a reassignment, and an alert scheduled before links had rungs carry no link', async () => {
    await deliverAlert(alertInput({ purpose: 'forward' }));
    await deliverAlert(alertInput({ purpose: 'reassigned', idempotencyKey: 'prospect-dana-42/esc-1/reassigned-1/ana/webhook' }));
    await deliverAlert(alertInput({ escalation: undefined, rung: undefined }));
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as { claimUrl: string | null; purpose: string; title: string });
    assert.deepEqual(bodies.map((b) => [b.purpose, b.claimUrl]), [['forward', null], ['reassigned', null], ['claim', null]]);
    assert.match(bodies[1]!.title, /^Now yours · Pricing question/);
  });

  test('a receiver answering 500 then 200 fails the first attempt as retryable and takes the second', async () => {
    receiver.script({ status: 500 }, { status: 200 });
    await assert.rejects(deliverAlert(alertInput()), isFailure(AlertErrors.AlertDeliveryFailed, false));
    await deliverAlert(alertInput());
    assert.equal(receiver.requests.length, 2);
  });

  test('a receiver answering 404 fails as non-retryable so the workflow moves to the next channel', async () => {
    receiver.script({ status: 404 });
    await assert.rejects(deliverAlert(alertInput()), isFailure(AlertErrors.AlertUndeliverable, true));
    assert.ok(logged[0]?.includes('permanent=true status=404'));
  });

  test('a 429 with Retry-After asks Temporal to wait that long before the next attempt', async () => {
    receiver.script({ status: 429, headers: { 'retry-after': '12' } });
    await assert.rejects(deliverAlert(alertInput()), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.nonRetryable, false);
      assert.equal(err.nextRetryDelay, 12_000);
      return true;
    });
  });

  test('a rep with no address on the channel, a rep not in the roster and an unknown channel are non-retryable', async () => {
    const withoutDefaultEndpoint = activityWith({ webhook: createWebhookChannel({ secret: WEBHOOK_SECRET, timeoutMs: 5000 }) });
    await assert.rejects(withoutDefaultEndpoint(alertInput({ repId: 'ben' })), isFailure(AlertErrors.AlertUndeliverable, true));
    await assert.rejects(deliverAlert(alertInput({ repId: 'ghost' })), isFailure(AlertErrors.AlertUndeliverable, true));
    await assert.rejects(deliverAlert(alertInput({ channel: 'carrier-pigeon' })), isFailure(AlertErrors.AlertUndeliverable, true));
  });

  test('the outbox reports a retried alert as a duplicate and writes it once', async () => {
    const key = 'prospect-dana-42/1/1/ana/outbox';
    const first = await deliverAlert(alertInput({ channel: 'outbox', idempotencyKey: key }));
    const retried = await deliverAlert(alertInput({ channel: 'outbox', idempotencyKey: key }));
    assert.equal((first as { duplicate?: boolean }).duplicate, undefined);
    assert.equal((retried as { duplicate?: boolean }).duplicate, true);
    assert.equal((await readOutbox(dataDir)).filter((e) => e.idempotencyKey === key).length, 1);
  });
});
