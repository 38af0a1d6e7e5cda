/**
 * Reps' availability as set through the API (`PUT /v1/reps/{repId}/availability`) or the CLI (`handoff rep away`),
 * kept in the ledger database every API and worker process shares, so routing sees a change at its next
 * decision. The roster file stays the source of everything else (hours, skills, teams, capacity).
 */
import { isoFromColumn, type SqlExecutor } from './sql';

/** Why a rep is not taking escalations. */
export const UNAVAILABLE_STATUSES = ['away', 'out_of_office'] as const;
export type UnavailableStatus = (typeof UNAVAILABLE_STATUSES)[number];

/** One rep's availability entry. */
export interface RepAvailability {
  repId: string;
  status: UnavailableStatus;
  /** When it ends by itself (ISO); null: until set back. */
  until: string | null;
  note: string | null;
  /** Who set it (an API key id). */
  setBy: string;
  setAt: string;
}

/** The availability entries, in the ledger database (`rep_availability`, migration 4). */
export interface RepAvailabilityStore {
  /** Marks a rep away or out of office (replacing an earlier entry). */
  set(entry: Omit<RepAvailability, 'setAt'> & { setAt?: string }): Promise<RepAvailability>;
  /** The rep is available again; true when an entry was removed. */
  clear(repId: string): Promise<boolean>;
  /** The rep's entry, or null when none (or when it has ended by `at`). */
  get(repId: string, at?: Date): Promise<RepAvailability | null>;
  /** Every entry still in force at `at`. */
  inForce(at: Date): Promise<RepAvailability[]>;
}

const COLUMNS = 'rep_id, status, until_at, note, set_by, set_at';

function entryFrom(row: Record<string, unknown>): RepAvailability {
  return {
    repId: String(row.rep_id),
    status: String(row.status) as UnavailableStatus,
    until: row.until_at === null || row.until_at === undefined ? null : isoFromColumn(row.until_at),
    note: row.note === null || row.note === undefined ? null : String(row.note),
    setBy: String(row.set_by),
    setAt: isoFromColumn(row.set_at),
  };
}

/** True when the entry still holds at `at`. */
export function inForceAt(entry: Pick<RepAvailability, 'until'>, at: Date): boolean {
  return entry.until === null || Date.parse(entry.until) > at.getTime();
}

/** The availability store over the ledger's SQL. */
export function createRepAvailabilityStore(sql: SqlExecutor): RepAvailabilityStore {
  return {
    async set(entry) {
      const stored: RepAvailability = { ...entry, setAt: entry.setAt ?? new Date().toISOString() };
      await sql.run(
        `INSERT INTO rep_availability (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (rep_id) DO UPDATE SET status = excluded.status, until_at = excluded.until_at, note = excluded.note,
           set_by = excluded.set_by, set_at = excluded.set_at`,
        [stored.repId, stored.status, stored.until, stored.note, stored.setBy, stored.setAt],
      );
      return stored;
    },
    async clear(repId) {
      return (await sql.run('DELETE FROM rep_availability WHERE rep_id = ?', [repId])) > 0;
    },
    async get(repId, at = new Date()) {
      const rows = await sql.all(`SELECT ${COLUMNS} FROM rep_availability WHERE rep_id = ?`, [repId]);
      const entry = rows[0] ? entryFrom(rows[0]) : null;
      return entry && inForceAt(entry, at) ? entry : null;
    },
    async inForce(at) {
      const rows = await sql.all(`SELECT ${COLUMNS} FROM rep_availability ORDER BY rep_id`);
      return rows.map(entryFrom).filter((e) => inForceAt(e, at));
    },
  };
}
