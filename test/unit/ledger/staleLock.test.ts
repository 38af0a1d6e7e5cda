import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openLedger, sqliteLedgerFile } from '../../../src/ledger/open';

describe('a SQLite ledger left locked by a process that was killed', () => {
  test('opens again: the stale lock is removed and appends go through', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'handoff-ledger-lock-'));
    const first = await openLedger({ dataDir });
    await first.close();
    const lock = `${sqliteLedgerFile(dataDir)}.lock`;
    mkdirSync(lock);
    const reopened = await openLedger({ dataDir });
    try {
      assert.equal(existsSync(lock), false);
      const result = await reopened.append([
        { eventId: 'c-1/closed', kind: 'closed', conversationId: 'c-1', prospectId: '1', company: 'Acme', at: new Date().toISOString(), outcome: 'won' },
      ]);
      assert.equal(result.written, 1);
    } finally {
      await reopened.close();
    }
  });
});
