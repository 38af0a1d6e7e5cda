/**
 * Reply bodies too long to travel inline (`REPLY_INLINE_BYTES`): the API stores each one here, in the ledger
 * database shared with the worker, before it signals the conversation, and the reply carries the first bytes
 * with `bodyRef`. Readers of the whole text (the rep's reply link, the review's back-test) fetch it by ref, or by
 * the reply's message id, which also finds replies kept whole in the ledger's record of them.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'node-sqlite3-wasm';
import type pg from 'pg';
import type { LedgerEvent } from './events';

/** One stored body. */
export interface StoredReplyBody {
  ref: string;
  conversationId: string;
  messageId: string;
  text: string;
  /** The text's length in UTF-8 bytes. */
  bytes: number;
  storedAt: string;
}

/** The whole text of one reply, wherever it is kept. */
export interface ReplyText {
  messageId: string;
  text: string;
  bytes: number;
  /** Set when the text came from the body store. */
  bodyRef?: string;
}

/** The body store, in the ledger's database (`reply_bodies`, migration 2). */
export interface ReplyBodyStore {
  /** Stores a body under its ref ({@link replyBodyRef}); a ref already stored is kept as it is. */
  put(body: { ref: string; conversationId: string; messageId: string; text: string }): Promise<void>;
  /** The body stored under `ref`, or null. */
  get(ref: string): Promise<StoredReplyBody | null>;
  /**
   * The whole text of a reply as the conversation recorded it: the stored body its ledger record points to, else
   * the text in that record, else a body stored for it that the conversation has not recorded yet. Null when
   * the conversation has no such reply.
   */
  replyText(conversationId: string, messageId: string): Promise<ReplyText | null>;
}

/** The ref of a body: the same conversation, message and text always give the same ref (a retried POST stores once). */
export function replyBodyRef(conversationId: string, messageId: string, text: string): string {
  return createHash('sha256').update(conversationId).update('\0').update(messageId).update('\0').update(text).digest('hex');
}

/**
 * The events with each recorded reply's whole text: a `reply_classified` event that carries the start of a stored
 * body gets the body (events whose body is missing keep their prefix).
 */
export async function withWholeReplies(events: readonly LedgerEvent[], store: Pick<ReplyBodyStore, 'get'>): Promise<LedgerEvent[]> {
  return Promise.all(
    events.map(async (event) => {
      if (event.kind !== 'reply_classified' || !event.bodyRef) return event;
      const body = await store.get(event.bodyRef);
      return body ? { ...event, text: body.text } : event;
    }),
  );
}

/** The store's SQL, parameterised per dialect. */
interface Dialect {
  /** Runs one statement and returns its rows. */
  rows(sql: string, values: (string | number)[]): Promise<Record<string, unknown>[]>;
  param(n: number): string;
  /** An expression for the event JSON's `messageId`. */
  eventMessageId: string;
}

function bodyFrom(row: Record<string, unknown>): StoredReplyBody {
  const storedAt = row.stored_at instanceof Date ? row.stored_at.toISOString() : String(row.stored_at);
  return {
    ref: String(row.ref),
    conversationId: String(row.conversation_id),
    messageId: String(row.message_id),
    text: String(row.text),
    bytes: Number(row.bytes),
    storedAt,
  };
}

function createStore(d: Dialect): ReplyBodyStore {
  const get = async (ref: string): Promise<StoredReplyBody | null> => {
    const rows = await d.rows(`SELECT ref, conversation_id, message_id, text, bytes, stored_at FROM reply_bodies WHERE ref = ${d.param(1)}`, [ref]);
    return rows[0] ? bodyFrom(rows[0]) : null;
  };
  return {
    async put(body) {
      await d.rows(
        `INSERT INTO reply_bodies (ref, conversation_id, message_id, text, bytes, stored_at)
         VALUES (${[1, 2, 3, 4, 5, 6].map(d.param).join(', ')})
         ON CONFLICT (ref) DO NOTHING`,
        [body.ref, body.conversationId, body.messageId, body.text, Buffer.byteLength(body.text, 'utf8'), new Date().toISOString()],
      );
    },
    get,
    async replyText(conversationId, messageId) {
      const recorded = await d.rows(
        `SELECT event FROM ledger_events
         WHERE conversation_id = ${d.param(1)} AND kind = 'reply_classified' AND ${d.eventMessageId} = ${d.param(2)}
         ORDER BY at LIMIT 1`,
        [conversationId, messageId],
      );
      const raw = recorded[0]?.event;
      const event = (typeof raw === 'string' ? JSON.parse(raw) : raw) as LedgerEvent | undefined;
      if (event && typeof event.text === 'string') {
        const stored = event.bodyRef ? await get(event.bodyRef) : null;
        if (stored) return { messageId, text: stored.text, bytes: stored.bytes, bodyRef: stored.ref };
        return { messageId, text: event.text, bytes: Buffer.byteLength(event.text, 'utf8') };
      }
      const pending = await d.rows(
        `SELECT ref, conversation_id, message_id, text, bytes, stored_at FROM reply_bodies
         WHERE conversation_id = ${d.param(1)} AND message_id = ${d.param(2)} ORDER BY stored_at LIMIT 1`,
        [conversationId, messageId],
      );
      if (!pending[0]) return null;
      const body = bodyFrom(pending[0]);
      return { messageId, text: body.text, bytes: body.bytes, bodyRef: body.ref };
    },
  };
}

/** The body store of a SQLite ledger, on its open database. */
export function sqliteReplyBodies(db: Database): ReplyBodyStore {
  return createStore({
    rows: async (sql, values) => db.all(sql, values) as Record<string, unknown>[],
    param: () => '?',
    eventMessageId: "json_extract(event, '$.messageId')",
  });
}

/** The body store of a PostgreSQL ledger, on its pool. */
export function postgresReplyBodies(pool: Pick<pg.Pool, 'query'>): ReplyBodyStore {
  return createStore({
    rows: async (sql, values) => (await pool.query(sql, values)).rows as Record<string, unknown>[],
    param: (n) => `$${n}`,
    eventMessageId: "event->>'messageId'",
  });
}
