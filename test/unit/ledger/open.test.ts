import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { databaseUrlFromEnv, openLedger, sqliteLedgerFile } from '../../../src/ledger/open';
import { type TestPostgres, startTestPostgres } from '../../helpers/postgres';
import { ledgerEvent } from './storeSuite';

describe('openLedger', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-open-ledger-'));
  let server: TestPostgres;
  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without a database URL opens a migrated SQLite ledger in the data directory', async () => {
    const ledger = await openLedger({ dataDir: dir });
    try {
      assert.equal(ledger.location, path.join(dir, 'ledger.sqlite'));
      assert.ok(existsSync(sqliteLedgerFile(dir)));
      assert.deepEqual(await ledger.append([ledgerEvent('p/esc-1/escalated', 'escalated', '2025-03-04T09:00:00Z')]), { written: 1, duplicates: 0 });
    } finally {
      await ledger.close();
    }
  });

  test('with a database URL opens a migrated PostgreSQL ledger instead', async () => {
    const ledger = await openLedger({ dataDir: dir, databaseUrl: server.urlFor('handoff') });
    try {
      assert.match(ledger.location, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/handoff$/);
      assert.deepEqual(await ledger.append([ledgerEvent('p/esc-1/escalated', 'escalated', '2025-03-04T09:00:00Z')]), { written: 1, duplicates: 0 });
    } finally {
      await ledger.close();
    }
  });

  test('DATABASE_URL selects PostgreSQL; unset or blank leaves SQLite', () => {
    assert.equal(databaseUrlFromEnv({ DATABASE_URL: 'postgres://h/db' }), 'postgres://h/db');
    assert.equal(databaseUrlFromEnv({ DATABASE_URL: '  ' }), undefined);
    assert.equal(databaseUrlFromEnv({}), undefined);
  });
});
