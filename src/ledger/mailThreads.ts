/**
 * Email threads in the ledger database: the Message-ID of every automated send and its conversation (so a reply
 * that names one in `In-Reply-To` or `References` finds its conversation, and a later send threads under the
 * earlier ones), and every inbound message once, with what became of it. A message no conversation claims is
 * kept as *unmatched* for people to review, never dropped.
 */
import { hashEmail } from './suppression';
import { isoFromColumn, type SqlExecutor } from './sql';

/** One automated email as the thread remembers it. */
export interface SentMail {
  messageId: string;
  conversationId: string;
  subject: string;
  sentAt: string;
}

/** What became of an inbound message. */
export type InboundDisposition = 'reply' | 'unmatched' | 'bounce' | 'rep_message';

/** One inbound message's record. Sender, subject and text are kept only for unmatched messages. */
export interface ReceivedMail {
  messageId: string;
  disposition: InboundDisposition;
  conversationId: string | null;
  sender: string | null;
  subject: string | null;
  text: string | null;
  /** Why a message is unmatched (`no_conversation`, `conversation_over`), what a bounce suppressed, or the rep who wrote a rep message. */
  reason: string | null;
  receivedAt: string;
}

/** The mail threads, as both ledger stores provide them. */
export interface MailThreads {
  /** Records an automated send (a Message-ID already recorded is kept as it was). */
  recordSent(sent: SentMail & { recipient: string }): Promise<void>;
  /** The conversation one of these Message-IDs was sent in (the first that is known), or null. */
  conversationOf(messageIds: readonly string[]): Promise<string | null>;
  /** The conversation whose latest automated email went to this address, or null. */
  latestConversationFor(address: string): Promise<string | null>;
  /** The conversation's Message-IDs, ours and the replies matched to it, oldest first; and its first subject. */
  thread(conversationId: string): Promise<{ messageIds: string[]; firstSubject: string | null }>;
  /** Records an inbound message once; false when its Message-ID was recorded before (a redelivery). */
  recordReceived(mail: ReceivedMail): Promise<boolean>;
  /** The record of an inbound message, or null. */
  received(messageId: string): Promise<ReceivedMail | null>;
  /**
   * Makes an unmatched message a reply of `conversationId` (a person assigned it): its sender, subject and text leave
   * this record, as a reply's do. False when it is not (or no longer) unmatched.
   */
  assign(messageId: string, conversationId: string): Promise<boolean>;
  /** Unmatched messages, newest first, and how many there are. */
  unmatched(page?: { limit?: number; offset?: number }): Promise<{ messages: ReceivedMail[]; total: number }>;
}

const RECEIVED_COLUMNS = 'message_id, disposition, conversation_id, sender, subject, text, reason, received_at';

const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function receivedFrom(row: Record<string, unknown>): ReceivedMail {
  return {
    messageId: String(row.message_id),
    disposition: row.disposition as InboundDisposition,
    conversationId: nullable(row.conversation_id),
    sender: nullable(row.sender),
    subject: nullable(row.subject),
    text: nullable(row.text),
    reason: nullable(row.reason),
    receivedAt: isoFromColumn(row.received_at),
  };
}

/** The mail threads on a ledger database (`mail_sent` and `mail_received`, migration 5). */
export function createMailThreads(sql: SqlExecutor): MailThreads {
  return {
    async recordSent(sent) {
      await sql.run(
        'INSERT INTO mail_sent (message_id, conversation_id, recipient_hash, subject, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING',
        [sent.messageId, sent.conversationId, hashEmail(sent.recipient), sent.subject.slice(0, 998), new Date(sent.sentAt).toISOString()],
      );
    },

    async conversationOf(messageIds) {
      const ids = [...new Set(messageIds)].slice(0, 100);
      if (ids.length === 0) return null;
      const rows = await sql.all(`SELECT message_id, conversation_id FROM mail_sent WHERE message_id IN (${ids.map(() => '?').join(', ')})`, ids);
      const byId = new Map(rows.map((r) => [String(r.message_id), String(r.conversation_id)]));
      for (const id of ids) if (byId.has(id)) return byId.get(id)!;
      return null;
    },

    async latestConversationFor(address) {
      let hash: string;
      try {
        hash = hashEmail(address);
      } catch {
        return null;
      }
      const rows = await sql.all('SELECT conversation_id FROM mail_sent WHERE recipient_hash = ? ORDER BY sent_at DESC LIMIT 1', [hash]);
      return rows[0] ? String(rows[0].conversation_id) : null;
    },

    async thread(conversationId) {
      const rows = await sql.all(
        `SELECT message_id, subject, sent_at AS at, 0 AS inbound FROM mail_sent WHERE conversation_id = ?
         UNION ALL
         SELECT message_id, NULL AS subject, received_at AS at, 1 AS inbound FROM mail_received WHERE conversation_id = ? AND disposition = 'reply'
         ORDER BY at, inbound`,
        [conversationId, conversationId],
      );
      const first = rows.find((r) => Number(r.inbound) === 0);
      return { messageIds: rows.map((r) => String(r.message_id)), firstSubject: first ? String(first.subject) : null };
    },

    async recordReceived(mail) {
      const changed = await sql.run(`INSERT INTO mail_received (${RECEIVED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`, [
        mail.messageId,
        mail.disposition,
        mail.conversationId,
        mail.sender,
        mail.subject,
        mail.text,
        mail.reason,
        new Date(mail.receivedAt).toISOString(),
      ]);
      return changed === 1;
    },

    async received(messageId) {
      const rows = await sql.all(`SELECT ${RECEIVED_COLUMNS} FROM mail_received WHERE message_id = ?`, [messageId]);
      return rows[0] ? receivedFrom(rows[0]) : null;
    },

    async assign(messageId, conversationId) {
      const changed = await sql.run(
        "UPDATE mail_received SET disposition = 'reply', conversation_id = ?, sender = NULL, subject = NULL, text = NULL, reason = NULL WHERE message_id = ? AND disposition = 'unmatched'",
        [conversationId, messageId],
      );
      return changed === 1;
    },

    async unmatched(page = {}) {
      const limit = Math.max(1, Math.min(page.limit ?? 100, 1000));
      const offset = Math.max(0, page.offset ?? 0);
      const rows = await sql.all(
        `SELECT ${RECEIVED_COLUMNS} FROM mail_received WHERE disposition = 'unmatched' ORDER BY received_at DESC, message_id LIMIT ? OFFSET ?`,
        [limit, offset],
      );
      const [count] = await sql.all("SELECT COUNT(*) AS n FROM mail_received WHERE disposition = 'unmatched'");
      return { messages: rows.map(receivedFrom), total: Number(count?.n ?? 0) };
    },
  };
}
