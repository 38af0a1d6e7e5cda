import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { LedgerErrors, createLedgerActivities } from '../../../activities/ledger';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import type { LedgerStore } from '../../../src/ledger/store';
import { ledgerEvent } from './storeSuite';

// The mock environment logs activity failures; these tests assert them instead.
const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });

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
});
