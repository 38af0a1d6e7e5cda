import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AlertDeliveryError } from '../../../src/alerts/channel';
import { createWebhookChannel, verifyWebhookSignature } from '../../../src/alerts/webhook';
import { alert, type Receiver, rep, startReceiver } from './fixtures';

const SECRET = 'whsec-test-0123456789abcdef';
const SIGNED_AT = new Date('2025-06-05T14:12:06.000Z');

/** The receiver's own check, written from the documented algorithm rather than the channel's code. */
function independentlyVerified(body: string, timestamp: string, signature: string): boolean {
  const expected = createHmac('sha256', SECRET).update(timestamp).update('.').update(body).digest('hex');
  return signature === `v1=${expected}`;
}

describe('webhook channel', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.script({ status: 200 });
  });
  after(async () => {
    await receiver.close();
  });

  const channel = () => createWebhookChannel({ defaultUrl: receiver.url, secret: SECRET, timeoutMs: 5000, now: () => SIGNED_AT });

  test('posts the alert with the packet as JSON, signed over the timestamp and the raw body', async () => {
    const receipt = await channel().deliver(alert(), rep('ana'));
    const request = receiver.requests[0]!;
    const timestamp = request.headers['x-handoff-timestamp'] as string;
    const signature = request.headers['x-handoff-signature'] as string;
    assert.equal(timestamp, String(SIGNED_AT.getTime() / 1000));
    assert.ok(independentlyVerified(request.body, timestamp, signature));
    assert.equal(request.headers['idempotency-key'], 'prospect-dana-42/1/2/ana/slack');
    const body = JSON.parse(request.body) as { type: string; rep: { id: string }; packet: { thread: unknown[] }; claimUrl: string };
    assert.equal(body.type, 'handoff.alert');
    assert.equal(body.rep.id, 'ana');
    assert.equal(body.packet.thread.length, 3);
    assert.equal(body.claimUrl, 'https://handoff.example.com/claims/TOKEN');
    assert.equal(receipt.providerId, 'prospect-dana-42/1/2/ana/slack');
  });

  test('the exported verifier accepts a genuine request and refuses a tampered body or a stale timestamp', async () => {
    await channel().deliver(alert(), rep('ana'));
    const { body, headers } = receiver.requests[0]!;
    const received = { timestamp: headers['x-handoff-timestamp'] as string, signature: headers['x-handoff-signature'] as string };
    assert.equal(verifyWebhookSignature(body, received, SECRET, SIGNED_AT), true);
    assert.equal(verifyWebhookSignature(body.replace('Dana', 'Dina'), received, SECRET, SIGNED_AT), false);
    assert.equal(verifyWebhookSignature(body, received, SECRET, new Date(SIGNED_AT.getTime() + 10 * 60_000)), false);
  });

  test("a rep's own endpoint wins over the default", async () => {
    const own = await startReceiver();
    try {
      await channel().deliver(alert(), rep('ana', { webhookUrl: own.url }));
      assert.equal(own.requests.length, 1);
      assert.equal(receiver.requests.length, 0);
    } finally {
      await own.close();
    }
  });

  test('a 500 is retryable and the next attempt delivers the same idempotency key', async () => {
    receiver.script({ status: 500 }, { status: 200 });
    await assert.rejects(channel().deliver(alert(), rep('ana')), (err: unknown) => err instanceof AlertDeliveryError && !err.permanent);
    await channel().deliver(alert(), rep('ana'));
    assert.equal(receiver.requests.length, 2);
    assert.equal(receiver.requests[0]!.headers['idempotency-key'], receiver.requests[1]!.headers['idempotency-key']);
  });

  test('a 404 is permanent and a 408 is retryable', async () => {
    receiver.script({ status: 404 }, { status: 408 });
    await assert.rejects(channel().deliver(alert(), rep('ana')), (err: unknown) => err instanceof AlertDeliveryError && err.permanent);
    await assert.rejects(channel().deliver(alert(), rep('ana')), (err: unknown) => err instanceof AlertDeliveryError && !err.permanent);
  });

  test('an endpoint that refuses connections is retryable', async () => {
    const gone = await startReceiver();
    await gone.close();
    const unreachable = createWebhookChannel({ defaultUrl: gone.url, secret: SECRET, timeoutMs: 5000 });
    await assert.rejects(unreachable.deliver(alert(), rep('ana')), (err: unknown) => err instanceof AlertDeliveryError && !err.permanent);
  });

  test('a rep with no endpoint anywhere is a permanent failure', async () => {
    const nowhere = createWebhookChannel({ secret: SECRET, timeoutMs: 5000 });
    await assert.rejects(nowhere.deliver(alert(), rep('ben')), (err: unknown) => err instanceof AlertDeliveryError && err.permanent);
  });
});
