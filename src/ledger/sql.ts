/**
 * The small SQL surface the ledger's newer tables (suppressions, reply signatures, erasure) are written against,
 * so their SQL is written once for both stores. Statements use `?` placeholders; the PostgreSQL store numbers
 * them (`$1`, `$2`, …). Only plain values travel: strings, numbers and null.
 */
import type { Dialect } from './migrations';

/** A value bound to a placeholder. */
export type SqlValue = string | number | null;

/** One statement with its values. */
export interface SqlStatement {
  sql: string;
  values: readonly SqlValue[];
}

/** Runs SQL on one ledger database. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows of a query, columns by name. */
  all(sql: string, values?: readonly SqlValue[]): Promise<Record<string, unknown>[]>;
  /** Runs one statement; resolves with the number of rows it changed. */
  run(sql: string, values?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs statements in one transaction, all or none; resolves with each one's changed-row count. Takes a list
   * rather than a callback: the SQLite store runs the whole transaction in one synchronous step, so nothing else
   * on its connection can start inside it.
   */
  batch(statements: readonly SqlStatement[]): Promise<number[]>;
}

/** `?` placeholders as PostgreSQL's numbered ones. The ledger's own SQL has no `?` inside literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A time column's value as an ISO string (PostgreSQL returns `Date`s, SQLite the stored text). */
export function isoFromColumn(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A JSON column's value as an object (PostgreSQL parses JSONB, SQLite returns the stored text). */
export function jsonFromColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
