import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEventActivities, eventDeliveryWorkflowId } from '../../../activities/events';
import { ConversationEventSchema, conversationEventFor } from '../../../src/events/conversationEvents';
import { verifyWebhookSignature } from '../../../src/alerts/webhook';
import type { LedgerEvent } from '../../../src/ledger/events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const base = { conversationId: 'prospect-42', prospectId: '42', company: 'Acme', at: '2026-03-02T10:04:00.000Z' };

describe('conversation events for outreach tools', () => {
  test('a claim in the ledger becomes conversation.claimed, with the ledger event id as its id', () => {
    const event = conversationEventFor({ ...base, eventId: 'prospect-42/esc-1/claimed', kind: 'claimed', escalation: 1, reason: 'pricing', trigger: 'pricing', repId: 'ana', tier: 1 });
    assert.deepEqual(event, {
      id: 'prospect-42/esc-1/claimed',
      type: 'conversation.claimed',
      occurredAt: base.at,
      conversation: { workflowId: 'prospect-42', prospectId: '42', company: 'Acme' },
      escalation: 1,
      reason: 'pricing',
      trigger: 'pricing',
      repId: 'ana',
    });
    assert.ok(ConversationEventSchema.safeParse(event).success);
  });

  test('ledger kinds a tool does not need (a classified reply, an alert) become no event, and never carry reply text', () => {
    const kinds: LedgerEvent['kind'][] = ['reply_classified', 'alerted', 'alert_failed', 're_escalated', 'reassigned', 'feedback', 'manual_trigger'];
    for (const kind of kinds) assert.equal(conversationEventFor({ ...base, eventId: `x/${kind}`, kind, text: 'secret reply' }), null, kind);
    const closed = conversationEventFor({ ...base, eventId: 'prospect-42/closed', kind: 'closed', outcome: 'won', text: 'secret reply' } as LedgerEvent);
    assert.equal(closed?.outcome, 'won');
    assert.ok(!JSON.stringify(closed).includes('secret'));
  });

  test('each event is delivered by a workflow of its own id, so a retried ledger append posts it once', () => {
    assert.equal(eventDeliveryWorkflowId('prospect-42/esc-1/claimed'), 'event-prospect-42/esc-1/claimed');
  });

  test('delivery posts the event signed, with its id; a receiver that refuses it for good is not retried', async () => {
    const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    let answer = 204;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
      const secret = 'events-secret-0123456789abcdef';
      const { deliverConversationEvent } = createEventActivities({ url, secret, timeoutMs: 5000 });
      const event = conversationEventFor({ ...base, eventId: 'prospect-42/esc-1/escalated', kind: 'escalated', escalation: 1, reason: 'pricing', trigger: 'pricing' })!;
      assert.deepEqual(await deliverConversationEvent(event), { status: 204 });
      const [first] = seen;
      assert.equal(first?.headers['x-handoff-event-id'], event.id);
      assert.ok(verifyWebhookSignature(first!.body, { timestamp: first!.headers['x-handoff-timestamp'] as string, signature: first!.headers['x-handoff-signature'] as string }, secret));
      answer = 400;
      await assert.rejects(deliverConversationEvent(event), (err: Error & { nonRetryable?: boolean; type?: string }) => err.type === 'EventRefused' && err.nonRetryable === true);
      answer = 503;
      await assert.rejects(deliverConversationEvent(event), (err: Error & { nonRetryable?: boolean }) => !err.nonRetryable);
    } finally {
      server.close();
    }
  });
});
