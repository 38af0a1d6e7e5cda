/**
 * The ledger in PostgreSQL (`DATABASE_URL`), e.g. the database of `docker-compose.yml`.
 * `migrate()` creates the database itself when the server has none of that name (the compose file's Temporal
 * setup creates only Temporal's databases), then applies the migrations under an advisory lock so that two
 * workers starting together do not race.
 */
import pg from 'pg';
import { eraseProspectFromLedger } from './erasure';
import type { LedgerEvent } from './events';
import { type Migration, MIGRATIONS, SCHEMA_MIGRATIONS_TABLE } from './migrations';
import { createReplayCache } from './replay';
import { createMailThreads } from './mailThreads';
import { createReplyBodyStore } from './replyBodies';
import { createRepAvailabilityStore } from './repAvailability';
import { normaliseInstant, toRow } from './row';
import { numberPlaceholders, type SqlExecutor } from './sql';
import { createSuppressionList } from './suppression';
import { type AppendResult, type LedgerQuery, type LedgerStore, LedgerError } from './store';

/** Options of {@link createPostgresLedger}. */
export interface PostgresLedgerOptions {
  /** The migrations to apply (tests pass their own); default: the ledger's. */
  migrations?: readonly Migration[];
  /** Most connections the pool opens. Default 4. */
  maxConnections?: number;
}

// Arbitrary but fixed: the key of the advisory lock that serialises migrations.
const MIGRATION_LOCK_KEY = 804_271_339;

/** A connection URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * A PostgreSQL ledger reached at `databaseUrl` (`postgres://user:pass@host:port/db`). Call `migrate()` before use.
 * @throws LedgerError (`bad_location`) when the URL is not a PostgreSQL URL.
 */
export function createPostgresLedger(databaseUrl: string, options: PostgresLedgerOptions = {}): LedgerStore {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (err) {
    throw new LedgerError('DATABASE_URL is not a URL', 'bad_location', undefined, { cause: err });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new LedgerError(`DATABASE_URL must start with postgres:// (got ${url.protocol}//)`, 'bad_location');
  }
  const location = redactUrl(databaseUrl);
  const migrations = options.migrations ?? MIGRATIONS;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 4 });
  // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  async function connect(): Promise<pg.PoolClient> {
    try {
      return await pool.connect();
    } catch (err) {
      throw new LedgerError(`cannot reach the ledger database ${location}: ${(err as Error).message}`, 'unavailable', undefined, {
        cause: err,
      });
    }
  }

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Creates the database when the server says it does not exist (SQLSTATE 3D000). */
  async function ensureDatabase(): Promise<void> {
    const probe = new pg.Client({ connectionString: databaseUrl });
    try {
      await probe.connect();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '3D000') {
        throw new LedgerError(`cannot reach the ledger database ${location}: ${(err as Error).message}`, 'unavailable', undefined, {
          cause: err,
        });
      }
    } finally {
      await probe.end().catch(() => undefined);
    }
    const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const maintenance = new URL(databaseUrl);
    maintenance.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: maintenance.toString() });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } catch (err) {
      // 42P04: another process created it first.
      if ((err as { code?: string }).code !== '42P04') {
        throw new LedgerError(`cannot create the ledger database ${location}: ${(err as Error).message}`, 'unavailable', undefined, {
          cause: err,
        });
      }
    } finally {
      await admin.end().catch(() => undefined);
    }
  }

  const sql: SqlExecutor = {
    dialect: 'postgres',
    async all(statement, values = []) {
      const client = await connect();
      try {
        return (await client.query(numberPlaceholders(statement), [...values])).rows as Record<string, unknown>[];
      } finally {
        client.release();
      }
    },
    async run(statement, values = []) {
      const client = await connect();
      try {
        return (await client.query(numberPlaceholders(statement), [...values])).rowCount ?? 0;
      } finally {
        client.release();
      }
    },
    async batch(statements) {
      return transaction(async (client) => {
        const counts: number[] = [];
        for (const s of statements) counts.push((await client.query(numberPlaceholders(s.sql), [...s.values])).rowCount ?? 0);
        return counts;
      });
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
      await ensureDatabase();
      await transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query(SCHEMA_MIGRATIONS_TABLE);
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        const applied = new Set(rows.map((r) => Number(r.version)));
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
          for (const statement of migration.statements('postgres')) await client.query(statement);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
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
      const written = await transaction(async (client) => {
        let count = 0;
        for (const r of rows) {
          const result = await client.query(
            `INSERT INTO ledger_events
               (event_id, kind, conversation_id, prospect_id, at, escalation, reason, trigger_label, rules_version, event)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (event_id) DO NOTHING`,
            [r.eventId, r.kind, r.conversationId, r.prospectId, r.at, r.escalation, r.reason, r.trigger, r.rulesVersion, r.json],
          );
          count += result.rowCount ?? 0;
        }
        return count;
      });
      return { written, duplicates: rows.length - written };
    },

    async query(filter: LedgerQuery = {}): Promise<LedgerEvent[]> {
      const where: string[] = [];
      const values: unknown[] = [];
      if (filter.since !== undefined) {
        values.push(normaliseInstant(filter.since));
        where.push(`at >= $${values.length}`);
      }
      if (filter.kinds !== undefined) {
        if (filter.kinds.length === 0) return [];
        values.push([...filter.kinds]);
        where.push(`kind = ANY($${values.length})`);
      }
      if (filter.conversationId !== undefined) {
        values.push(filter.conversationId);
        where.push(`conversation_id = $${values.length}`);
      }
      if (filter.prospectId !== undefined) {
        values.push(filter.prospectId);
        where.push(`prospect_id = $${values.length}`);
      }
      const client = await connect();
      try {
        const { rows } = await client.query<{ event: LedgerEvent }>(
          `SELECT event FROM ledger_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, event_id`,
          values,
        );
        return rows.map((r) => r.event);
      } finally {
        client.release();
      }
    },

    async close() {
      await pool.end();
    },
  };
}
