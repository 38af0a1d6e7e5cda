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

/** The ledger location from the environment: `DATABASE_URL` (until the config module carries it). */
export function databaseUrlFromEnv(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env.DATABASE_URL;
  return value === undefined || value.trim() === '' ? undefined : value;
}
