import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Database } from 'node-sqlite3-wasm';
import { MIGRATIONS } from '../../../src/ledger/migrations';
import { clearStaleLock, createSqliteLedger } from '../../../src/ledger/sqlite';
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

describe('a SQLite ledger whose writer died in the middle of a commit', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Leaves `crashed/ledger.sqlite` as a process killed mid-commit leaves it: one event committed, then a transaction
   * that deleted it and wrote far more than SQLite's page cache holds, so uncommitted pages already sit in the
   * database file and the originals only in the hot journal beside it.
   */
  async function ledgerLeftByACrash(): Promise<string> {
    const live = path.join(dir, 'live', 'ledger.sqlite');
    const ledger = createSqliteLedger(live);
    await ledger.migrate();
    await ledger.append([ledgerEvent('prospect-42/esc-1/escalated', 'escalated', '2025-03-04T09:00:00Z', { escalation: 1, reason: 'pricing' })]);
    await ledger.close();
    const crashed = path.join(dir, 'crashed', 'ledger.sqlite');
    mkdirSync(path.dirname(crashed), { recursive: true });
    const writer = new Database(live);
    try {
      writer.exec('PRAGMA cache_size = 8');
      writer.exec('BEGIN IMMEDIATE');
      writer.exec('DELETE FROM ledger_events');
      writer.exec('CREATE TABLE filler (x BLOB)');
      for (let i = 0; i < 400; i++) writer.run('INSERT INTO filler VALUES (randomblob(1000))');
      assert.ok(existsSync(`${live}-journal`), 'the transaction has a journal on disk');
      copyFileSync(live, crashed);
      copyFileSync(`${live}-journal`, `${crashed}-journal`);
      writer.exec('ROLLBACK');
    } finally {
      writer.close();
    }
    return crashed;
  }

  test('is rolled back to its last commit when it is opened again', async () => {
    const crashed = await ledgerLeftByACrash();
    const ledger = createSqliteLedger(crashed);
    try {
      await ledger.migrate();
      assert.deepEqual(
        (await ledger.query()).map((e) => e.eventId),
        ['prospect-42/esc-1/escalated'],
      );
    } finally {
      await ledger.close();
    }
    assert.equal(existsSync(`${crashed}-journal`), false, 'the hot journal was played back and removed');
    const db = new Database(crashed, { readOnly: true });
    try {
      assert.deepEqual(db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      assert.deepEqual(db.all("SELECT name FROM sqlite_master WHERE name = 'filler'"), []);
    } finally {
      db.close();
    }
  });
});

describe('clearing a stale ledger lock before opening', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const ledgerFile = () => path.join(dir, `ledger-${++n}.sqlite`);
  const quiet = () => undefined;

  test('removes at once a lock older than the stale age, and says so', async () => {
    const file = ledgerFile();
    mkdirSync(`${file}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, longAgo, longAgo);
    const said: string[] = [];
    assert.equal(await clearStaleLock(file, 3000, (line) => said.push(line)), true);
    assert.equal(existsSync(`${file}.lock`), false);
    assert.match(said.join('\n'), /removed a stale lock/);
  });

  test('waits for a fresh lock that nobody releases to grow stale, then removes it', async () => {
    const file = ledgerFile();
    mkdirSync(`${file}.lock`);
    assert.equal(await clearStaleLock(file, 200, quiet), true);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  test('leaves a lock its holder releases, and finds nothing to remove', async () => {
    const file = ledgerFile();
    mkdirSync(`${file}.lock`);
    setTimeout(() => rmdirSync(`${file}.lock`), 50);
    assert.equal(await clearStaleLock(file, 1000, quiet), false);
  });

  test('never removes the locks of live processes taking turns, however long they keep it busy', async () => {
    const file = ledgerFile();
    const lock = `${file}.lock`;
    mkdirSync(lock);
    let turns = 0;
    const turnTaking = setInterval(() => {
      rmdirSync(lock);
      mkdirSync(lock);
      turns++;
    }, 40);
    try {
      // A stale age far above the holders' turns, so a busy machine's late timer cannot make a live lock look stale.
      assert.equal(await clearStaleLock(file, 1000, quiet), false);
      assert.ok(turns >= 5, `the holders took ${turns} turns meanwhile`);
      assert.equal(existsSync(lock), true);
    } finally {
      clearInterval(turnTaking);
      rmSync(lock, { recursive: true, force: true });
    }
  });
});
