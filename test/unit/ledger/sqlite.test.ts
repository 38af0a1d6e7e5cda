import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Database } from 'node-sqlite3-wasm';
import { MIGRATIONS } from '../../../src/ledger/migrations';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import { ledgerEvent, ledgerStoreSuite } from './storeSuite';

const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-'));
let files = 0;

ledgerStoreSuite({
  name: 'SQLite',
  async freshLocation() {
    return path.join(dir, `ledger-${++files}`, 'ledger.sqlite');
  },
  open: (file, migrations) => createSqliteLedger(file, migrations ? { migrations } : {}),
  async tables(file) {
    const db = new Database(file, { readOnly: true });
    try {
      return db.all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name));
    } finally {
      db.close();
    }
  },
  async tearDown() {
    rmSync(dir, { recursive: true, force: true });
  },
});

describe('the SQLite ledger file', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-file-')), 'nested', 'ledger.sqlite');
  after(() => rmSync(path.dirname(path.dirname(file)), { recursive: true, force: true }));

  test('is a real SQLite database file, created with its directory, with the events in an indexed table', async () => {
    const ledger = createSqliteLedger(file);
    await ledger.migrate();
    await ledger.append([ledgerEvent('prospect-42/esc-1/escalated', 'escalated', '2025-03-04T09:00:00Z', { escalation: 1, reason: 'pricing' })]);
    await ledger.close();
    assert.equal(readFileSync(file).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    const db = new Database(file, { readOnly: true });
    try {
      assert.deepEqual(db.all('SELECT event_id, kind, conversation_id, at, escalation, reason FROM ledger_events'), [
        {
          event_id: 'prospect-42/esc-1/escalated',
          kind: 'escalated',
          conversation_id: 'prospect-42',
          at: '2025-03-04T09:00:00.000Z',
          escalation: 1,
          reason: 'pricing',
        },
      ]);
      assert.deepEqual(
        db.all('SELECT version, name FROM schema_migrations ORDER BY version'),
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
      const plan = db.all("EXPLAIN QUERY PLAN SELECT event FROM ledger_events WHERE at >= '2025-03-01' ORDER BY at");
      assert.match(JSON.stringify(plan), /ledger_events_at/);
    } finally {
      db.close();
    }
  });
});
