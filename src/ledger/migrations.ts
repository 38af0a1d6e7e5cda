/**
 * The ledger's versioned schema: an ordered list of migrations, shared by both stores. Each store records the
 * versions it applied in `schema_migrations` and applies the rest in order, in one transaction.
 * Append new migrations at the end with the next version; never edit one that has shipped.
 */

/** The SQL dialects the ledger runs on. */
export type Dialect = 'sqlite' | 'postgres';

/** One schema change. `statements` gives its SQL for a dialect (most of it is shared). */
export interface Migration {
  version: number;
  name: string;
  statements(dialect: Dialect): string[];
}

/** Column types that differ between the dialects. */
function types(dialect: Dialect): { time: string; json: string } {
  return dialect === 'postgres' ? { time: 'TIMESTAMPTZ', json: 'JSONB' } : { time: 'TEXT', json: 'TEXT' };
}

/** The ledger's migrations, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger events',
    statements: (dialect) => {
      const t = types(dialect);
      return [
        // The whole event is kept as JSON; the columns beside it are what queries filter and sort on.
        // SQLite keeps `at` as a normalised ISO string (UTC, milliseconds), which sorts as time does.
        `CREATE TABLE ledger_events (
          event_id TEXT PRIMARY KEY,
          kind TEXT NOT NULL,
          conversation_id TEXT NOT NULL,
          prospect_id TEXT NOT NULL,
          at ${t.time} NOT NULL,
          escalation INTEGER,
          reason TEXT,
          trigger_label TEXT,
          rules_version TEXT,
          event ${t.json} NOT NULL
        )`,
        'CREATE INDEX ledger_events_at ON ledger_events (at)',
        'CREATE INDEX ledger_events_kind_at ON ledger_events (kind, at)',
        'CREATE INDEX ledger_events_conversation ON ledger_events (conversation_id, at)',
      ];
    },
  },
  {
    version: 2,
    name: 'suppressions and reply signatures',
    statements: (dialect) => {
      const t = types(dialect);
      return [
        // Erasure finds a prospect's events by prospect, not by conversation.
        'CREATE INDEX ledger_events_prospect ON ledger_events (prospect_id)',
        // kind: email (normalised address), email_hash (sha256:<hex> of it), domain.
        `CREATE TABLE suppressions (
          kind TEXT NOT NULL,
          value TEXT NOT NULL,
          reason TEXT,
          source TEXT NOT NULL,
          prospect_id TEXT,
          created_at ${t.time} NOT NULL,
          PRIMARY KEY (kind, value)
        )`,
        'CREATE INDEX suppressions_prospect ON suppressions (prospect_id)',
        // expires_at in Unix milliseconds: the same comparison in both dialects.
        `CREATE TABLE reply_signatures (
          signature_hash TEXT PRIMARY KEY,
          expires_at BIGINT NOT NULL
        )`,
        'CREATE INDEX reply_signatures_expiry ON reply_signatures (expires_at)',
      ];
    },
  },
  {
    version: 3,
    name: 'reply bodies',
    statements: (dialect) => {
      const t = types(dialect);
      return [
        // Reply bodies longer than the inline limit, stored by the API before it signals the conversation; the
        // reply carries the first bytes and `ref`. Written once per ref (a hash of conversation, message, text).
        `CREATE TABLE reply_bodies (
          ref TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL,
          message_id TEXT NOT NULL,
          text TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          stored_at ${t.time} NOT NULL
        )`,
        'CREATE INDEX reply_bodies_message ON reply_bodies (conversation_id, message_id)',
      ];
    },
  },
  {
    version: 4,
    name: 'rep availability',
    statements: (dialect) => {
      const t = types(dialect);
      return [
        // A rep's availability as set through the API or the CLI, over the roster's: away or out of office, until
        // a time or until set back. Routing reads it at every decision; an entry past its `until` no longer counts.
        `CREATE TABLE rep_availability (
          rep_id TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          until_at ${t.time},
          note TEXT,
          set_by TEXT NOT NULL,
          set_at ${t.time} NOT NULL
        )`,
      ];
    },
  },
  {
    version: 5,
    name: 'mail threads',
    statements: (dialect) => {
      const t = types(dialect);
      return [
        // Every automated email's Message-ID and its conversation: an inbound reply names them in In-Reply-To
        // and References. The recipient is kept as a hash (sha256:<hex> of the normalised address), enough to
        // find a sender's conversation without keeping the address.
        `CREATE TABLE mail_sent (
          message_id TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL,
          recipient_hash TEXT NOT NULL,
          subject TEXT NOT NULL,
          sent_at ${t.time} NOT NULL
        )`,
        'CREATE INDEX mail_sent_conversation ON mail_sent (conversation_id, sent_at)',
        'CREATE INDEX mail_sent_recipient ON mail_sent (recipient_hash, sent_at)',
        // Every inbound message once, by its Message-ID, and what became of it (reply, unmatched, bounce).
        // Only an unmatched message keeps its sender, subject and text: a reply's text is in its conversation.
        `CREATE TABLE mail_received (
          message_id TEXT PRIMARY KEY,
          disposition TEXT NOT NULL,
          conversation_id TEXT,
          sender TEXT,
          subject TEXT,
          text TEXT,
          reason TEXT,
          received_at ${t.time} NOT NULL
        )`,
        'CREATE INDEX mail_received_disposition ON mail_received (disposition, received_at)',
        'CREATE INDEX mail_received_conversation ON mail_received (conversation_id, received_at)',
      ];
    },
  },
];

/** The table that records applied migrations, in either dialect. */
export const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;
