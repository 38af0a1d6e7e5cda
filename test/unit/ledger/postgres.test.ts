import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { MIGRATIONS } from '../../../src/ledger/migrations';
import { createPostgresLedger, redactUrl } from '../../../src/ledger/postgres';
import { LedgerError } from '../../../src/ledger/store';
import { type TestPostgres, startTestPostgres } from '../../helpers/postgres';
import { ledgerEvent, ledgerStoreSuite } from './storeSuite';

let server: TestPostgres | undefined;
let databases = 0;
const running = (): TestPostgres => {
  if (!server) throw new Error('the test PostgreSQL is not running');
  return server;
};

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    return rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}

ledgerStoreSuite({
  name: 'PostgreSQL',
  async setUp() {
    server ??= await startTestPostgres();
  },
  async tearDown() {
    await server?.stop();
    server = undefined;
  },
  freshLocation: async () => running().createDatabase(`ledger_${++databases}`),
  open: (url, migrations) => createPostgresLedger(url, migrations ? { migrations } : {}),
  tables,
});

describe('the PostgreSQL ledger store', () => {
  let own: TestPostgres;
  before(async () => {
    own = await startTestPostgres();
  });
  after(async () => own.stop());

  test('creates its database when the server has none of that name', async () => {
    const url = own.urlFor('handoff');
    const ledger = createPostgresLedger(url);
    try {
      await ledger.migrate();
      assert.deepEqual(await ledger.append([ledgerEvent('p/esc-1/escalated', 'escalated', '2025-03-04T09:00:00Z')]), {
        written: 1,
        duplicates: 0,
      });
      assert.ok((await tables(url)).includes('ledger_events'));
    } finally {
      await ledger.close();
    }
  });

  test('two stores migrating the same database at once both succeed and apply each migration once', async () => {
    const url = await own.createDatabase('racing');
    const a = createPostgresLedger(url);
    const b = createPostgresLedger(url);
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      await client.end();
      assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('an unreachable database is reported without its password', async () => {
    const ledger = createPostgresLedger('postgres://handoff:s3cret@127.0.0.1:1/handoff');
    try {
      await assert.rejects(ledger.migrate(), (err: unknown) => {
        assert.ok(err instanceof LedgerError);
        assert.equal(err.code, 'unavailable');
        assert.doesNotMatch(err.message, /s3cret/);
        assert.match(err.message, /127\.0\.0\.1:1/);
        return true;
      });
    } finally {
      await ledger.close();
    }
  });

  test('a URL that is not PostgreSQL is refused up front', () => {
    assert.throws(() => createPostgresLedger('mysql://x@localhost/db'), (err: unknown) => err instanceof LedgerError && err.code === 'bad_location');
    assert.equal(redactUrl('postgres://u:pw@h:5432/db'), 'postgres://u:***@h:5432/db');
  });
});
