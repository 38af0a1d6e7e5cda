/**
 * The suppression list: addresses and domains that automation never contacts again, kept in the ledger database
 * so it outlives Temporal's retention of finished conversations. Written on every opt-out, by admins through the
 * API, and by erasure, which keeps only a SHA-256 hash of the address. Checked before a conversation starts and
 * before every automated send.
 *
 * Addresses are stored normalised (trimmed, lowercase); a hash is of the normalised address, so a hash-only
 * entry matches the address however it was written. A subaddress (`dana+q3@acme.com`) reaches the same mailbox as
 * its address (`dana@acme.com`): an entry for either suppresses both, and every other tag of it.
 */
import { createHash } from 'node:crypto';
import { isoFromColumn, type SqlExecutor, type SqlStatement } from './sql';
import { LedgerError } from './store';

/** What an entry holds: an address, only its hash, or a whole domain. */
export type SuppressionKind = 'email' | 'email_hash' | 'domain';

/**
 * Why an entry was written: the prospect opted out (by reply or the unsubscribe link), someone added it, the
 * prospect was erased, or mail to the address bounced.
 */
export type SuppressionSource = 'opt_out' | 'manual' | 'erasure' | 'bounce';

/** One entry of the list. */
export interface Suppression {
  kind: SuppressionKind;
  /** The normalised address, `sha256:<hex>` of it, or the domain. */
  value: string;
  reason: string | null;
  source: SuppressionSource;
  /** The prospect whose opt-out or erasure wrote it, when one did. */
  prospectId: string | null;
  createdAt: string;
}

/** What to suppress: one address (optionally as its hash only) or one domain. */
export type SuppressionRequest = {
  reason?: string;
  source: SuppressionSource;
  prospectId?: string;
} & ({ email: string; hashOnly?: boolean } | { domain: string } | { emailHash: string });

/** The list, as both ledger stores provide it. */
export interface SuppressionList {
  /**
   * Adds an entry (an entry already there is kept as it was). A hash-only address also removes a plain entry of
   * the same address, in the same transaction.
   * @throws LedgerError (`invalid_suppression`) when the address or domain is malformed.
   */
  add(request: SuppressionRequest): Promise<{ suppression: Suppression; created: boolean }>;
  /** The entry that suppresses this address (its own, its hash's, or its domain's or a parent domain's), or null. */
  match(email: string): Promise<Suppression | null>;
  /** Entries, newest first, and how many there are in all. */
  list(page?: { limit?: number; offset?: number }): Promise<{ entries: Suppression[]; total: number }>;
  /** Plain addresses a prospect's opt-out (or an admin, naming the prospect) put on the list. */
  addressesOf(prospectId: string): Promise<string[]>;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const LOCAL_PART = /^[^\s@]{1,64}$/;

/** An address as the list stores it. @throws LedgerError (`invalid_suppression`) when it is not an address. */
export function normaliseEmail(email: string): string {
  const value = email.trim().toLowerCase();
  const at = value.lastIndexOf('@');
  if (at < 1 || !LOCAL_PART.test(value.slice(0, at)) || !DOMAIN.test(value.slice(at + 1))) {
    throw new LedgerError('not an email address (expected name@domain)', 'invalid_suppression');
  }
  return value;
}

/** A domain as the list stores it (a leading `@` is dropped). @throws LedgerError (`invalid_suppression`). */
export function normaliseDomain(domain: string): string {
  const value = domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  if (!DOMAIN.test(value)) throw new LedgerError(`not a domain: "${value.slice(0, 80)}" (expected e.g. example.com)`, 'invalid_suppression');
  return value;
}

/**
 * The address without its subaddress tag (`dana+q3@acme.com` → `dana@acme.com`), or null when it has none. Mail
 * systems deliver a tagged address to the untagged mailbox, so the list treats them as one.
 */
export function withoutSubaddress(address: string): string | null {
  const at = address.lastIndexOf('@');
  const plus = address.indexOf('+');
  if (plus < 1 || plus > at) return null;
  return address.slice(0, plus) + address.slice(at);
}

/** `sha256:<hex>` of the normalised address: what erasure keeps. */
export function hashEmail(email: string): string {
  return `sha256:${createHash('sha256').update(normaliseEmail(email)).digest('hex')}`;
}

/** The address's domain and its parent domains (`eu.acme.com`, `acme.com`), never a bare top-level domain. */
export function domainsOf(email: string): string[] {
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const labels = domain.split('.');
  const domains: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) domains.push(labels.slice(i).join('.'));
  return domains;
}

const COLUMNS = 'kind, value, reason, source, prospect_id, created_at';

function fromRow(row: Record<string, unknown>): Suppression {
  return {
    kind: row.kind as SuppressionKind,
    value: String(row.value),
    reason: row.reason === null || row.reason === undefined ? null : String(row.reason),
    source: row.source as SuppressionSource,
    prospectId: row.prospect_id === null || row.prospect_id === undefined ? null : String(row.prospect_id),
    createdAt: isoFromColumn(row.created_at),
  };
}

/** The statements that put an entry on the list (and, for a hash-only address, take its plain entry off). */
export function suppressionStatements(request: SuppressionRequest, now: Date): { kind: SuppressionKind; value: string; statements: SqlStatement[] } {
  let kind: SuppressionKind;
  let value: string;
  const statements: SqlStatement[] = [];
  if ('domain' in request) {
    kind = 'domain';
    value = normaliseDomain(request.domain);
  } else if ('emailHash' in request) {
    // An unsubscribe link names the address by its hash only.
    if (!/^sha256:[0-9a-f]{64}$/.test(request.emailHash)) throw new LedgerError('not an address hash (expected sha256:<64 hex digits>)', 'invalid_suppression');
    kind = 'email_hash';
    value = request.emailHash;
  } else {
    const address = normaliseEmail(request.email);
    // A tagged address's mailbox goes on the list too, in the same form, so every tag of it is suppressed.
    const mailbox = withoutSubaddress(address);
    const addresses = mailbox ? [address, mailbox] : [address];
    kind = request.hashOnly ? 'email_hash' : 'email';
    value = request.hashOnly ? hashEmail(address) : address;
    for (const each of addresses.slice(1)) statements.push(insertStatement(request, kind, request.hashOnly ? hashEmail(each) : each, now));
    if (request.hashOnly) {
      for (const each of addresses) statements.push({ sql: "DELETE FROM suppressions WHERE kind = 'email' AND value = ?", values: [each] });
    }
  }
  statements.unshift(insertStatement(request, kind, value, now));
  return { kind, value, statements };
}

function insertStatement(request: SuppressionRequest, kind: SuppressionKind, value: string, now: Date): SqlStatement {
  return {
    sql: `INSERT INTO suppressions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, value) DO NOTHING`,
    values: [kind, value, request.reason?.slice(0, 500) ?? null, request.source, request.prospectId ?? null, now.toISOString()],
  };
}

/** The suppression list on a ledger database (the `suppressions` table of migration 2). */
export function createSuppressionList(sql: SqlExecutor, now: () => Date = () => new Date()): SuppressionList {
  const find = async (kind: SuppressionKind, value: string): Promise<Suppression> => {
    const rows = await sql.all(`SELECT ${COLUMNS} FROM suppressions WHERE kind = ? AND value = ?`, [kind, value]);
    return fromRow(rows[0]!);
  };
  return {
    async add(request) {
      const { kind, value, statements } = suppressionStatements(request, now());
      const [inserted] = await sql.batch(statements);
      return { suppression: await find(kind, value), created: inserted === 1 };
    },

    async match(email) {
      const address = email.trim().toLowerCase();
      const domains = domainsOf(address);
      const mailbox = withoutSubaddress(address);
      const addresses = mailbox ? [address, mailbox] : [address];
      const hashes: string[] = [];
      for (const each of addresses) {
        try {
          hashes.push(hashEmail(each));
        } catch {
          // Not a well-formed address: only its plain form can match.
        }
      }
      const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');
      const rows = await sql.all(
        `SELECT ${COLUMNS} FROM suppressions
         WHERE (kind = 'email' AND value IN (${list(addresses)}))
            ${hashes.length ? `OR (kind = 'email_hash' AND value IN (${list(hashes)}))` : ''}
            ${domains.length ? `OR (kind = 'domain' AND value IN (${list(domains)}))` : ''}
         ORDER BY created_at, kind LIMIT 1`,
        [...addresses, ...hashes, ...domains],
      );
      return rows[0] ? fromRow(rows[0]) : null;
    },

    async list(page = {}) {
      const limit = Math.max(1, Math.min(page.limit ?? 100, 1000));
      const offset = Math.max(0, page.offset ?? 0);
      const rows = await sql.all(`SELECT ${COLUMNS} FROM suppressions ORDER BY created_at DESC, kind, value LIMIT ? OFFSET ?`, [limit, offset]);
      const [count] = await sql.all('SELECT COUNT(*) AS n FROM suppressions');
      return { entries: rows.map(fromRow), total: Number(count?.n ?? 0) };
    },

    async addressesOf(prospectId) {
      const rows = await sql.all("SELECT value FROM suppressions WHERE kind = 'email' AND prospect_id = ? ORDER BY value", [prospectId]);
      return rows.map((r) => String(r.value));
    },
  };
}
