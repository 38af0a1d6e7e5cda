/**
 * The ledger in a SQLite file (the default store, `<dataDir>/ledger.sqlite`).
 *
 * SQLite runs as WebAssembly (`node-sqlite3-wasm`): real SQLite writing a real database file through Node's fs,
 * with nothing to compile or download at install time. Hazard: that build locks the file with a `<file>.lock`
 * directory instead of POSIX locks, so a process killed in the middle of a statement can leave the lock behind
 * (every later access then fails as busy until it is removed), and the `sqlite3` CLI does not see that lock:
 * read the file with the CLI only while Handoff is stopped or for a read-only look. `openLedger` clears such a
 * stale lock ({@link clearStaleLock}) before it opens the file.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { eraseProspectFromLedger } from './erasure';
import type { LedgerEvent } from './events';
import { type Migration, MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from './migrations';
import { createReplayCache } from './replay';
import { createMailThreads } from './mailThreads';
import { createReplyBodyStore } from './replyBodies';
import { createRepAvailabilityStore } from './repAvailability';
import { normaliseInstant, toRow } from './row';
import type { SqlExecutor } from './sql';
import { createSuppressionList } from './suppression';
import { type AppendResult, type LedgerQuery, type LedgerStore, LedgerError } from './store';

/** Options of {@link createSqliteLedger}. */
export interface SqliteLedgerOptions {
  /** The migrations to apply (tests pass their own); default: the ledger's. */
  migrations?: readonly Migration[];
  /** How long a statement waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Removes a lock directory left by a process that died in the middle of a statement. Statements on the ledger
 * take milliseconds, so a lock that stays put for `staleAfterMs` belongs to nobody: it waits that long for a
 * live holder to finish, then removes it. Returns whether it removed one.
 */
export async function clearStaleLock(file: string, staleAfterMs = 3000, log: (line: string) => void = console.warn): Promise<boolean> {
  const lock = `${path.resolve(file)}.lock`;
  const deadline = Date.now() + staleAfterMs;
  for (;;) {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(lock)).mtimeMs;
    } catch {
      return false; // no lock, or it was released
    }
    if (Date.now() - mtimeMs >= staleAfterMs || Date.now() >= deadline) {
      await rm(lock, { recursive: true, force: true });
      log(`ledger: removed a stale lock left by a stopped process (${lock})`);
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens (creating it and its directory when missing) a SQLite ledger file. Call `migrate()` before use. */
export function createSqliteLedger(file: string, options: SqliteLedgerOptions = {}): LedgerStore {
  const location = path.resolve(file);
  let db: Database;
  try {
    mkdirSync(path.dirname(location), { recursive: true, mode: DATA_DIR_MODE });
    db = new Database(location);
    // SQLite creates the file with the process's umask; the ledger holds prospects' words.
    chmodSync(location, DATA_FILE_MODE);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  } catch (err) {
    throw new LedgerError(`cannot open the ledger file ${location}: ${(err as Error).message}`, 'unavailable', undefined, {
      cause: err,
    });
  }
  const migrations = options.migrations ?? MIGRATIONS;

  function transaction<T>(work: () => T): T {
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

  const sql: SqlExecutor = {
    dialect: 'sqlite',
    async all(statement, values = []) {
      return db.all(statement, [...values]) as Record<string, unknown>[];
    },
    async run(statement, values = []) {
      return db.run(statement, [...values]).changes;
    },
    async batch(statements) {
      return transaction(() => statements.map((s) => db.run(s.sql, [...s.values]).changes));
    },
  };

  return {
    location,
    suppressions: createSuppressionList(sql),
    replays: createReplayCache(sql),
    eraseProspect: (prospectId, emails) => eraseProspectFromLedger(sql, prospectId, emails),
    replyBodies: createReplyBodyStore(sql),
    availability: createRepAvailabilityStore(sql),
    mail: createMailThreads(sql),
    async migrate() {
      transaction(() => {
        db.exec(SCHEMA_MIGRATIONS_TABLE);
        const applied = new Set(
          db.all('SELECT version FROM schema_migrations').map((row) => Number(row.version)),
        );
        const newest = Math.max(0, ...applied);
        const known = Math.max(0, ...migrations.map((m) => m.version));
        if (newest > known) {
          throw new LedgerError(
            `the ledger ${location} has schema version ${newest}, newer than this Handoff knows (${known})`,
            'schema_too_new',
          );
        }
        for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
          if (applied.has(migration.version)) continue;
          for (const statement of migration.statements('sqlite')) db.exec(statement);
          db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
            migration.version,
            migration.name,
            new Date().toISOString(),
          ]);
        }
      });
    },

    async append(events: readonly LedgerEvent[]): Promise<AppendResult> {
      const rows = events.map(toRow);
      if (rows.length === 0) return { written: 0, duplicates: 0 };
      const written = transaction(() => {
        let count = 0;
        for (const r of rows) {
          const result = db.run(
            `INSERT INTO ledger_events
               (event_id, kind, conversation_id, prospect_id, at, escalation, reason, trigger_label, rules_version, event)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (event_id) DO NOTHING`,
            [r.eventId, r.kind, r.conversationId, r.prospectId, r.at, r.escalation, r.reason, r.trigger, r.rulesVersion, r.json],
          );
          count += result.changes;
        }
        return count;
      });
      return { written, duplicates: rows.length - written };
    },

    async query(filter: LedgerQuery = {}): Promise<LedgerEvent[]> {
      const where: string[] = [];
      const values: (string | number)[] = [];
      if (filter.since !== undefined) {
        where.push('at >= ?');
        values.push(normaliseInstant(filter.since));
      }
      if (filter.kinds !== undefined) {
        if (filter.kinds.length === 0) return [];
        where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
        values.push(...filter.kinds);
      }
      if (filter.conversationId !== undefined) {
        where.push('conversation_id = ?');
        values.push(filter.conversationId);
      }
      if (filter.prospectId !== undefined) {
        where.push('prospect_id = ?');
        values.push(filter.prospectId);
      }
      const sql = `SELECT event FROM ledger_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, event_id`;
      const rows = db.all(sql, values);
      return rows.map((row) => JSON.parse(String(row.event)) as LedgerEvent);
    },

    async close() {
      if (db.isOpen) db.close();
    },
  };
}
