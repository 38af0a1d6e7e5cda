/**
 * Reply bodies too long to travel inline (`REPLY_INLINE_BYTES`): the API stores each one here, in the ledger
 * database shared with the worker, before it signals the conversation, and the reply carries the first bytes
 * with `bodyRef`. Readers of the whole text (the rep's reply link, the review's back-test) fetch it by ref, or by
 * the reply's message id, which also finds replies kept whole in the ledger's record of them.
 */
import { createHash } from 'node:crypto';
import type { LedgerEvent } from './events';
import { isoFromColumn, jsonFromColumn, type SqlExecutor } from './sql';

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

/** The body store, in the ledger's database (`reply_bodies`, migration 3). */
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

function bodyFrom(row: Record<string, unknown>): StoredReplyBody {
  return {
    ref: String(row.ref),
    conversationId: String(row.conversation_id),
    messageId: String(row.message_id),
    text: String(row.text),
    bytes: Number(row.bytes),
    storedAt: isoFromColumn(row.stored_at),
  };
}

const BODY_COLUMNS = 'ref, conversation_id, message_id, text, bytes, stored_at';

/** The body store on a ledger database (the `reply_bodies` table of migration 3). */
export function createReplyBodyStore(sql: SqlExecutor): ReplyBodyStore {
  const eventMessageId = sql.dialect === 'postgres' ? "event->>'messageId'" : "json_extract(event, '$.messageId')";
  const get = async (ref: string): Promise<StoredReplyBody | null> => {
    const rows = await sql.all(`SELECT ${BODY_COLUMNS} FROM reply_bodies WHERE ref = ?`, [ref]);
    return rows[0] ? bodyFrom(rows[0]) : null;
  };
  return {
    async put(body) {
      await sql.run(
        `INSERT INTO reply_bodies (${BODY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING`,
        [body.ref, body.conversationId, body.messageId, body.text, Buffer.byteLength(body.text, 'utf8'), new Date().toISOString()],
      );
    },
    get,
    async replyText(conversationId, messageId) {
      const recorded = await sql.all(
        `SELECT event FROM ledger_events
         WHERE conversation_id = ? AND kind = 'reply_classified' AND ${eventMessageId} = ?
         ORDER BY at LIMIT 1`,
        [conversationId, messageId],
      );
      const event = recorded[0] ? jsonFromColumn<LedgerEvent>(recorded[0].event) : undefined;
      if (event && typeof event.text === 'string') {
        const stored = event.bodyRef ? await get(event.bodyRef) : null;
        if (stored) return { messageId, text: stored.text, bytes: stored.bytes, bodyRef: stored.ref };
        return { messageId, text: event.text, bytes: Buffer.byteLength(event.text, 'utf8') };
      }
      const pending = await sql.all(
        `SELECT ${BODY_COLUMNS} FROM reply_bodies WHERE conversation_id = ? AND message_id = ? ORDER BY stored_at LIMIT 1`,
        [conversationId, messageId],
      );
      if (!pending[0]) return null;
      const body = bodyFrom(pending[0]);
      return { messageId, text: body.text, bytes: body.bytes, bodyRef: body.ref };
    },
  };
}
