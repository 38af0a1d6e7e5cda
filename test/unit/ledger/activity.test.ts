import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createBookkeepingActivities, deliveredBatch } from '../../../activities/bookkeeping';
import { LedgerErrors, createLedgerActivities } from '../../../activities/ledger';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import type { LedgerStore } from '../../../src/ledger/store';
import type { CrmTouch } from '../../../src/outreach/crm';
import { ledgerEvent } from './storeSuite';

// The mock environment logs activity failures; these tests assert them instead.
const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });

function touch(key: string, kind: CrmTouch['kind']): CrmTouch {
  return { idempotencyKey: `prospect-42/${key}`, conversationId: 'prospect-42', prospectId: '42', kind, at: '2025-03-04T09:00:02Z', summary: kind };
}

describe('the ledger activity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-activity-'));
  let ledger: LedgerStore;
  const lines: string[] = [];
  before(async () => {
    ledger = createSqliteLedger(path.join(dir, 'ledger.sqlite'));
    await ledger.migrate();
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const reply = ledgerEvent('prospect-42/msg-1/classified', 'reply_classified', '2025-03-04T09:00:00Z', {
    messageId: 'msg-1',
    text: 'Can I talk to a person about pricing?',
    labels: ['human_request', 'pricing'],
    escalate: true,
  });
  const escalated = ledgerEvent('prospect-42/esc-1/escalated', 'escalated', '2025-03-04T09:00:01Z', { escalation: 1, reason: 'human_request' });

  test('records events, and a retried attempt with the same events counts them as duplicates', async () => {
    const { recordLedgerEvents } = createLedgerActivities({ ledger, log: (line) => lines.push(line) });
    const env = quiet();
    assert.deepEqual(await env.run(recordLedgerEvents, [reply, escalated]), { written: 2, duplicates: 0 });
    assert.deepEqual(await env.run(recordLedgerEvents, [reply, escalated]), { written: 0, duplicates: 2 });
    assert.equal((await ledger.query({ conversationId: 'prospect-42' })).length, 2);
  });

  test('logs ids and counts, never the reply text', () => {
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.match(line, /prospect-42/);
      assert.doesNotMatch(line, /talk to a person/);
    }
  });

  test('an invalid event fails without retries, naming the event', async () => {
    const { recordLedgerEvents } = createLedgerActivities({ ledger });
    const bad = { ...escalated, eventId: 'prospect-42/esc-2/escalated', kind: 'exploded' as never };
    await assert.rejects(quiet().run(recordLedgerEvents, [bad]), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure);
      assert.equal(err.type, LedgerErrors.InvalidLedgerEvent);
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /prospect-42\/esc-2\/escalated/);
      return true;
    });
  });

  test('a database failure is thrown as it is, so the retry policy retries it', async () => {
    const failing: Pick<LedgerStore, 'append'> = { append: () => Promise.reject(new Error('connection reset')) };
    const { recordLedgerEvents } = createLedgerActivities({ ledger: failing });
    await assert.rejects(quiet().run(recordLedgerEvents, [reply]), (err: unknown) => {
      assert.ok(!(err instanceof ApplicationFailure));
      assert.match((err as Error).message, /connection reset/);
      return true;
    });
  });

  describe('and the bookkeeping activity over it (ledger events and CRM touches in one)', () => {
    const classified = ledgerEvent('prospect-42/msg-9/classified', 'reply_classified', '2025-03-04T09:00:00Z', { messageId: 'msg-9', text: 'What does it cost?', labels: ['pricing'], escalate: true });
    const escalated = ledgerEvent('prospect-42/esc-9/escalated', 'escalated', '2025-03-04T09:00:01Z', { escalation: 1, reason: 'pricing' });

    test('appends the batch of events, then logs the touches in order; a retry writes nothing twice', async () => {
      const logged: CrmTouch[] = [];
      const { recordBookkeeping } = createBookkeepingActivities({ ...createLedgerActivities({ ledger }), logTouch: async (t) => void logged.push(t) });
      const batch = { events: [classified, escalated], touches: [touch('reply-msg-1', 'reply_received'), touch('claimed', 'claimed')] };
      assert.deepEqual(await quiet().run(recordBookkeeping, batch), { written: 2, duplicates: 0 });
      assert.deepEqual(await quiet().run(recordBookkeeping, batch), { written: 0, duplicates: 2 });
      assert.deepEqual((await ledger.query({ conversationId: 'prospect-42', kinds: ['reply_classified', 'escalated'] })).map((e) => e.eventId).filter((id) => id.includes('9')), ['prospect-42/msg-9/classified', 'prospect-42/esc-9/escalated']);
      assert.deepEqual(logged.map((t) => t.kind), ['reply_received', 'claimed', 'reply_received', 'claimed']);
    });

    test('a batch of touches alone logs them without touching the ledger', async () => {
      const logged: CrmTouch[] = [];
      const appends: unknown[] = [];
      const { recordBookkeeping } = createBookkeepingActivities({ recordLedgerEvents: async (events) => (appends.push(events), { written: 0, duplicates: 0 }), logTouch: async (t) => void logged.push(t) });
      await quiet().run(recordBookkeeping, { events: [], touches: [touch('round-0/step-0', 'email_sent')] });
      assert.equal(appends.length, 0);
      assert.deepEqual(logged.map((t) => t.idempotencyKey), ['prospect-42/round-0/step-0']);
    });

    test('an invalid event fails the batch for good, but its touches are logged first', async () => {
      const logged: CrmTouch[] = [];
      const { recordBookkeeping } = createBookkeepingActivities({ ...createLedgerActivities({ ledger }), logTouch: async (t) => void logged.push(t) });
      const bad = { ...escalated, eventId: 'prospect-42/esc-10/escalated', kind: 'exploded' as never };
      await assert.rejects(quiet().run(recordBookkeeping, { events: [bad], touches: [touch('closed', 'closed')] }), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, LedgerErrors.InvalidLedgerEvent);
        assert.equal(err.nonRetryable, true);
        return true;
      });
      assert.deepEqual(logged.map((t) => t.kind), ['closed']);
    });

    test('what a delivered alert carried is recorded before its own alerted event, timed by the delivery but never before the conversation moved', () => {
      const { eventId: _id, kind: _kind, at: _at, ...ofConversation } = escalated;
      const carried = {
        events: [classified, escalated],
        touches: [touch('reply-msg-9', 'reply_received')],
        alerted: { ...ofConversation, eventId: 'prospect-42/esc-9/rung-1/alerted/ana', kind: 'alerted' as const, repId: 'ana', channel: 'outbox', tier: 1 },
        replyAt: '2025-03-04T09:00:00Z',
        notBefore: '2025-03-04T09:00:01.500Z',
      };
      const batch = deliveredBatch(carried, '2025-03-04T09:00:02.250Z');
      assert.deepEqual(batch.events.map((e) => e.kind), ['reply_classified', 'escalated', 'alerted']);
      assert.deepEqual(batch.touches, carried.touches);
      assert.deepEqual([batch.events[2]!.at, batch.events[2]!.replyToAlertMs], ['2025-03-04T09:00:02.250Z', 2250]);
      // A worker clock behind the conversation's: the event keeps the conversation's order.
      const behind = deliveredBatch(carried, '2025-03-04T09:00:01.000Z').events[2]!;
      assert.deepEqual([behind.at, behind.replyToAlertMs], ['2025-03-04T09:00:01.500Z', 1000]);
    });

    test('a CRM that fails fails the activity, so the retry policy tries the batch again', async () => {
      const { recordBookkeeping } = createBookkeepingActivities({ ...createLedgerActivities({ ledger }), logTouch: () => Promise.reject(new Error('CRM answered 503')) });
      await assert.rejects(quiet().run(recordBookkeeping, { events: [classified], touches: [touch('reply-msg-1', 'reply_received')] }), /CRM answered 503/);
    });
  });
});
