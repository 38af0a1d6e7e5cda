import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openLedger } from '../../../src/ledger/open';
import { countOpenClaims, openClaimsFromLedger } from '../../../src/ledger/openClaims';
import { ledgerEvent } from './storeSuite';

const event = (conversation: string, what: string, kind: Parameters<typeof ledgerEvent>[1], at: string, repId?: string) =>
  ledgerEvent(`${conversation}/${what}`, kind, at, { conversationId: conversation, ...(repId ? { repId } : {}) });

describe('open claims per rep, from the ledger', () => {
  test('a claim counts for its rep until it is handed back, closed or opted out; a reassignment moves it', () => {
    const counts = countOpenClaims([
      event('p-1', 'claimed', 'claimed', '2025-06-10T09:00:00Z', 'ana'),
      event('p-2', 'claimed', 'claimed', '2025-06-10T09:01:00Z', 'ana'),
      event('p-3', 'claimed', 'claimed', '2025-06-10T09:02:00Z', 'ana'),
      event('p-4', 'claimed', 'claimed', '2025-06-10T09:03:00Z', 'ben'),
      event('p-1', 'handed-back', 'handed_back', '2025-06-10T10:00:00Z', 'ana'),
      event('p-2', 'closed', 'closed', '2025-06-10T10:00:00Z'),
      event('p-3', 'reassigned', 'reassigned', '2025-06-10T11:00:00Z', 'ben'),
      event('p-5', 'claimed', 'claimed', '2025-06-10T11:00:00Z', 'carla'),
      event('p-5', 'opted-out', 'opted_out', '2025-06-10T12:00:00Z'),
    ]);
    assert.deepEqual(counts, { ben: 2 });
  });

  test('events are read in time order whatever order they come in', () => {
    const counts = countOpenClaims([
      event('p-1', 'claimed-again', 'claimed', '2025-06-11T09:00:00Z', 'ana'),
      event('p-1', 'handed-back', 'handed_back', '2025-06-10T10:00:00Z', 'ana'),
      event('p-1', 'claimed', 'claimed', '2025-06-10T09:00:00Z', 'ana'),
    ]);
    assert.deepEqual(counts, { ana: 1 });
  });

  test('the routing lookup reads a SQLite ledger once for a burst of reps and counts what is open there', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-open-claims-'));
    const ledger = await openLedger({ dataDir: dir });
    try {
      const recent = new Date(Date.now() - 3_600_000).toISOString();
      await ledger.append([event('p-1', 'claimed', 'claimed', recent, 'ana'), event('p-2', 'claimed', 'claimed', recent, 'ana')]);
      let queries = 0;
      const lookup = openClaimsFromLedger({
        query: (filter) => {
          queries++;
          return ledger.query(filter);
        },
      });
      assert.deepEqual(await Promise.all(['ana', 'ben'].map(lookup)), [2, 0]);
      assert.equal(queries, 1);
    } finally {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
