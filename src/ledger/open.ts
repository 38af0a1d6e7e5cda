/**
 * Choosing and opening the ledger store: PostgreSQL when a database URL is given, else a SQLite file in the
 * data directory. Returns the store migrated and ready.
 */
import path from 'node:path';
import { createPostgresLedger } from './postgres';
import { clearStaleLock, createSqliteLedger } from './sqlite';
import type { LedgerStore } from './store';

/** Where the ledger lives. */
export interface LedgerLocation {
  /** The data directory; the SQLite ledger is `<dataDir>/ledger.sqlite`. */
  dataDir: string;
  /** A PostgreSQL URL; when set, the ledger is there instead. */
  databaseUrl?: string;
}

/** The SQLite ledger's file in a data directory. */
export function sqliteLedgerFile(dataDir: string): string {
  return path.join(dataDir, 'ledger.sqlite');
}

/**
 * Opens the ledger and applies pending migrations.
 * @throws LedgerError when the database cannot be reached, the URL is malformed, or the schema is newer.
 */
export async function openLedger(location: LedgerLocation): Promise<LedgerStore> {
  const url = location.databaseUrl?.trim();
  if (!url) await clearStaleLock(sqliteLedgerFile(location.dataDir));
  const store = url ? createPostgresLedger(url) : createSqliteLedger(sqliteLedgerFile(location.dataDir));
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}

const shared = new Map<string, { store: Promise<LedgerStore>; holders: number }>();

/**
 * The process's one connection to a ledger: the worker's activities and the API of the same process share it
 * (two SQLite connections in one process would only wait on each other's file lock). Each caller gets a handle
 * whose `close()` releases its hold; the ledger closes when the last holder releases it.
 * @throws LedgerError as {@link openLedger}; a failed open is not remembered, so the next call tries again.
 */
export async function openSharedLedger(location: LedgerLocation): Promise<LedgerStore> {
  const url = location.databaseUrl?.trim();
  const key = url || path.resolve(sqliteLedgerFile(location.dataDir));
  let entry = shared.get(key);
  if (!entry) {
    const created = { store: openLedger(location), holders: 0 };
    entry = created;
    shared.set(key, created);
    created.store.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
  }
  const held = entry;
  // Counted before the wait, so a holder releasing meanwhile does not close it under this caller.
  held.holders++;
  let store: LedgerStore;
  try {
    store = await held.store;
  } catch (err) {
    held.holders--;
    throw err;
  }
  let released = false;
  return {
    location: store.location,
    suppressions: store.suppressions,
    replays: store.replays,
    replyBodies: store.replyBodies,
    availability: store.availability,
    mail: store.mail,
    migrate: () => store.migrate(),
    append: (events) => store.append(events),
    query: (filter) => store.query(filter),
    eraseProspect: (prospectId, emails) => store.eraseProspect(prospectId, emails),
    async close() {
      if (released) return;
      released = true;
      held.holders--;
      if (held.holders === 0 && shared.get(key) === held) {
        shared.delete(key);
        await store.close();
      }
    },
  };
}

/** The ledger location from the environment: `DATABASE_URL` (until the config module carries it). */
export function databaseUrlFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env.DATABASE_URL;
  return value === undefined || value.trim() === '' ? undefined : value;
}
