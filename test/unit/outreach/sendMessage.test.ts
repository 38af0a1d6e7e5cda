import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createOutreachActivities } from '../../../activities/outreach';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import type { LedgerStore } from '../../../src/ledger/store';
import { TemplateComposer } from '../../../src/outreach/composer';
import { JournalCrmSink } from '../../../src/outreach/crm';
import { readJournal } from '../../../src/outreach/journal';
import { OutboxSender, type OutreachMessage, type SentEntry } from '../../../src/outreach/sender';
import { SuppressionFailures } from '../../../workflows/suppression';

// The mock environment logs activity failures; these tests assert them instead.
const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });

describe('the outreach send activity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-send-'));
  let ledger: LedgerStore;
  before(async () => {
    ledger = createSqliteLedger(path.join(dir, 'ledger.sqlite'));
    await ledger.migrate();
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const message = (to: string, key: string): OutreachMessage => ({
    idempotencyKey: key,
    conversationId: 'prospect-42',
    channel: 'email',
    to: { name: 'Jordan Lee', email: to },
    from: { name: 'Alex' },
    subject: 'Hello',
    body: 'A first touch.',
  });

  test('sends to an address that is not suppressed, and refuses one that is (by address, hash or domain) without sending', async () => {
    const { sendMessage } = createOutreachActivities({
      composer: new TemplateComposer(),
      sender: new OutboxSender(dir),
      crm: new JournalCrmSink(dir),
      suppressions: ledger.suppressions,
    });
    const sent = () => readJournal<SentEntry>(path.join(dir, 'sent.jsonl'));
    const receipt = (await quiet().run(sendMessage, message('jordan@buyer.example', 'k-1'))) as { duplicate: boolean };
    assert.equal(receipt.duplicate, false);

    await ledger.suppressions.add({ email: 'Jordan@Buyer.example', source: 'opt_out', prospectId: '42' });
    await ledger.suppressions.add({ email: 'hashed@buyer.example', hashOnly: true, source: 'erasure' });
    await ledger.suppressions.add({ domain: 'closed.example', source: 'manual' });
    for (const [to, kind] of [['JORDAN@buyer.example', 'email'], ['hashed@buyer.example', 'email_hash'], ['ana@eu.closed.example', 'domain']] as const) {
      await assert.rejects(quiet().run(sendMessage, message(to, `k-${to}`)), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, SuppressionFailures.AddressSuppressed);
        assert.equal(err.nonRetryable, true);
        assert.equal((err.details?.[0] as { kind: string }).kind, kind);
        assert.doesNotMatch(err.message, /@/, 'the failure never carries the address');
        return true;
      });
    }
    assert.deepEqual((await sent()).map((m) => m.idempotencyKey), ['k-1'], 'only the first message went out');
  });
});
