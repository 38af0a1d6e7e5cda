/**
 * The ledger in a SQLite file (the default store, `<dataDir>/ledger.sqlite`).
 *
 * SQLite runs as WebAssembly (`node-sqlite3-wasm`): real SQLite writing a real database file through Node's fs,
 * with nothing to compile or download at install time. Hazard: that build locks the file with a `<file>.lock`
 * directory instead of POSIX locks, so a process killed in the middle of a statement can leave the lock behind
 * (every later access then fails as busy until it is removed), and the `sqlite3` CLI does not see that lock:
 * read the file with the CLI only while Handoff is stopped or for a read-only look. `openLedger` clears such a
 * stale lock ({@link clearStaleLock}) before it opens the file.
 *
 * That build also does its file work synchronously (the lock directory, the journal, each commit's `fsync`), so
 * the database lives in a thread of its own (`sqliteThread.ts`): statements run there one at a time, in the order
 * they were asked for, and the process's event loop never waits on the disk.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { eraseProspectFromLedger } from './erasure';
import type { LedgerEvent } from './events';
import { type Migration, MIGRATIONS } from './migrations';
import { createReplayCache } from './replay';
import { createMailThreads } from './mailThreads';
import { createReplyBodyStore } from './replyBodies';
import { createRepAvailabilityStore } from './repAvailability';
import { normaliseInstant, toRow } from './row';
import type { SqlExecutor, SqlStatement, SqlValue } from './sql';
import type { SqliteRequest, SqliteResponse, SqliteThreadData } from './sqliteThread';
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
 * take milliseconds, so a lock directory older than `staleAfterMs` belongs to nobody. A live holder's lock is never
 * removed: each lock is a new directory, so while live processes take turns the one there stays young, and after
 * waiting twice `staleAfterMs` this gives up and leaves the waiting to SQLite's busy timeout. A journal the dead
 * process left is rolled back by the next connection that opens the file (see `sqliteOwnLock.ts`).
 * Returns whether it removed one.
 */
export async function clearStaleLock(file: string, staleAfterMs = 3000, log: (line: string) => void = console.warn): Promise<boolean> {
  const lock = `${path.resolve(file)}.lock`;
  const deadline = Date.now() + 2 * staleAfterMs;
  for (;;) {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(lock)).mtimeMs;
    } catch {
      return false; // no lock, or it was released
    }
    if (Date.now() - mtimeMs >= staleAfterMs) {
      await rm(lock, { recursive: true, force: true });
      log(`ledger: removed a stale lock left by a stopped process (${lock})`);
      return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(100, staleAfterMs / 4)));
  }
}

const THREAD_FILE = path.join(__dirname, 'sqliteThread.ts');

/**
 * The other side of the ledger's thread: sends each request and resolves its answer. The thread is started on the
 * first request (and again after it stopped), and keeps the process alive only while a request is in flight.
 */
class SqliteThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();

  constructor(private readonly data: SqliteThreadData) {}

  request<T>(request: SqliteRequest): Promise<T> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  /** Closes the database and stops the thread. */
  async stop(): Promise<void> {
    if (!this.worker) return;
    await this.request({ op: 'close' });
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(THREAD_FILE, {
      workerData: this.data,
      // The thread compiles the TypeScript sources the same way the process does.
      execArgv: ['--require', require.resolve('tsx/cjs')],
    });
    worker.unref();
    worker.on('message', (response: SqliteResponse) => {
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      if (response.ok) waiting.resolve(response.result);
      else if (response.error.code) waiting.reject(new LedgerError(response.error.message, response.error.code));
      else waiting.reject(new Error(response.error.message));
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id);
        waiting.reject(new LedgerError(`the ledger's SQLite thread stopped: ${err.message}`, 'unavailable', undefined, { cause: err }));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    return worker;
  }
}

/**
 * Opens (creating it and its directory when missing, on first use) a SQLite ledger file. Call `migrate()` before
 * use; a file that cannot be opened fails there with a `LedgerError` (`unavailable`).
 */
export function createSqliteLedger(file: string, options: SqliteLedgerOptions = {}): LedgerStore {
  const location = path.resolve(file);
  const thread = new SqliteThread({ location, busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
  const migrations = options.migrations ?? MIGRATIONS;
  const all = (statement: string, values: readonly SqlValue[] = []) => thread.request<Record<string, unknown>[]>({ op: 'all', sql: statement, values });
  const batch = (statements: readonly SqlStatement[]) => thread.request<number[]>({ op: 'batch', statements });

  const sql: SqlExecutor = {
    dialect: 'sqlite',
    all,
    run: (statement, values = []) => thread.request<number>({ op: 'run', sql: statement, values }),
    batch,
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
      await thread.request({
        op: 'migrate',
        migrations: migrations.map((m) => ({ version: m.version, name: m.name, statements: m.statements('sqlite') })),
      });
    },

    async append(events: readonly LedgerEvent[]): Promise<AppendResult> {
      const rows = events.map(toRow);
      if (rows.length === 0) return { written: 0, duplicates: 0 };
      const changes = await batch(
        rows.map((r) => ({
          sql: `INSERT INTO ledger_events
                  (event_id, kind, conversation_id, prospect_id, at, escalation, reason, trigger_label, rules_version, event)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING`,
          values: [r.eventId, r.kind, r.conversationId, r.prospectId, r.at, r.escalation, r.reason, r.trigger, r.rulesVersion, r.json],
        })),
      );
      const written = changes.reduce((sum, n) => sum + n, 0);
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
      const rows = await all(sql, values);
      return rows.map((row) => JSON.parse(String(row.event)) as LedgerEvent);
    },

    close: () => thread.stop(),
  };
}
