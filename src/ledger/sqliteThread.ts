/**
 * The SQLite ledger's own thread: it holds the database and runs every statement, one request at a time, in the
 * order they were sent. The WebAssembly build of SQLite does its file work (its lock directory, the journal,
 * each commit's `fsync`) synchronously; here that blocks only this thread, never the worker's event loop that
 * carries workflow tasks and activities. `sqlite.ts` is the other side.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { Database } from 'node-sqlite3-wasm';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { SCHEMA_MIGRATIONS_TABLE } from './migrations';
import type { SqlStatement, SqlValue } from './sql';
import { recogniseOwnLocks } from './sqliteOwnLock';

/** What the thread is started with. */
export interface SqliteThreadData {
  location: string;
  busyTimeoutMs: number;
}

/** A migration as the thread applies it: its statements already written for SQLite. */
export interface ThreadMigration {
  version: number;
  name: string;
  statements: string[];
}

/** One request to the thread. */
export type SqliteRequest =
  | { op: 'all'; sql: string; values: readonly SqlValue[] }
  | { op: 'run'; sql: string; values: readonly SqlValue[] }
  | { op: 'batch'; statements: readonly SqlStatement[] }
  | { op: 'migrate'; migrations: readonly ThreadMigration[] }
  | { op: 'close' };

/** A failure as it crosses back: a `LedgerError`'s code when the thread knows it, else only the message. */
export interface SqliteFailure {
  message: string;
  code?: 'unavailable' | 'schema_too_new';
}

/** The thread's answer to request `id`. */
export type SqliteResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SqliteFailure };

class ThreadFailure extends Error {
  constructor(
    message: string,
    readonly code: SqliteFailure['code'],
  ) {
    super(message);
  }
}

function open({ location, busyTimeoutMs }: SqliteThreadData): Database {
  try {
    mkdirSync(path.dirname(location), { recursive: true, mode: DATA_DIR_MODE });
    const db = new Database(location);
    // SQLite creates the file with the process's umask; the ledger holds prospects' words.
    chmodSync(location, DATA_FILE_MODE);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    return db;
  } catch (err) {
    throw new ThreadFailure(`cannot open the ledger file ${location}: ${(err as Error).message}`, 'unavailable');
  }
}

function transaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function migrate(db: Database, location: string, migrations: readonly ThreadMigration[]): void {
  transaction(db, () => {
    db.exec(SCHEMA_MIGRATIONS_TABLE);
    const applied = new Set(db.all('SELECT version FROM schema_migrations').map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new ThreadFailure(`the ledger ${location} has schema version ${newest}, newer than this Handoff knows (${known})`, 'schema_too_new');
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) db.exec(statement);
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, new Date().toISOString()]);
    }
  });
}

function serve(port: NonNullable<typeof parentPort>, data: SqliteThreadData): void {
  let db: Database | null = null;
  const database = (): Database => (db ??= open(data));
  const handle = (request: SqliteRequest): unknown => {
    switch (request.op) {
      case 'all':
        return database().all(request.sql, [...request.values]);
      case 'run':
        return database().run(request.sql, [...request.values]).changes;
      case 'batch': {
        const d = database();
        return transaction(d, () => request.statements.map((s) => d.run(s.sql, [...s.values]).changes));
      }
      case 'migrate':
        return migrate(database(), data.location, request.migrations);
      case 'close':
        if (db?.isOpen) db.close();
        db = null;
        return undefined;
    }
  };
  port.on('message', ({ id, request }: { id: number; request: SqliteRequest }) => {
    let response: SqliteResponse;
    try {
      response = { id, ok: true, result: handle(request) };
    } catch (err) {
      const code = err instanceof ThreadFailure ? err.code : undefined;
      response = { id, ok: false, error: { message: err instanceof Error ? err.message : String(err), ...(code ? { code } : {}) } };
    }
    port.postMessage(response);
  });
}

if (parentPort) {
  // Before the first open: a journal a killed writer left is then rolled back rather than read as committed.
  recogniseOwnLocks();
  serve(parentPort, workerData as SqliteThreadData);
}
