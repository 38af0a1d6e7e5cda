/**
 * Erasing a prospect from the ledger: their events keep the ids, kinds, times, labels, rules and figures that
 * reviews count, and lose every text the prospect wrote or that quotes them (the reply, notes, evidence
 * spans), and the bodies of their long replies (`reply_bodies`) are deleted; their addresses stay on the
 * suppression list as hashes only.
 */
import { conversationWorkflowId, ENROLMENT_SEPARATOR } from '../../workflows/messages';
import type { LedgerEvent } from './events';
import { jsonFromColumn, type SqlExecutor, type SqlStatement } from './sql';
import { normaliseEmail, suppressionStatements } from './suppression';

/** What erasing a prospect from the ledger changed. */
export interface LedgerErasure {
  /** Events whose texts were removed. */
  eventsRedacted: number;
  /** Addresses now kept as hashes only. */
  addressesHashed: number;
  /** Stored reply bodies deleted. */
  replyBodiesDeleted: number;
  /**
   * Every address erased: those given and those the list held for the prospect in plain form. For the caller's
   * own clean-up only; never to be logged or returned.
   */
  addresses: string[];
}

/** The event without its texts, or null when it holds none. */
export function redactEvent(event: LedgerEvent): LedgerEvent | null {
  const quotes = event.evidence?.some((e) => e.text !== '') ?? false;
  if (event.text === undefined && event.note === undefined && !quotes) return null;
  const { text: _text, note: _note, ...rest } = event;
  return {
    ...rest,
    ...(event.evidence ? { evidence: event.evidence.map((e) => ({ ...e, text: '' })) } : {}),
    redacted: true,
  };
}

/** Erases a prospect from the ledger database in one transaction. */
export async function eraseProspectFromLedger(
  sql: SqlExecutor,
  prospectId: string,
  emails: readonly string[],
  now: Date = new Date(),
): Promise<LedgerErasure> {
  const rows = await sql.all('SELECT event_id, event FROM ledger_events WHERE prospect_id = ?', [prospectId]);
  const statements: SqlStatement[] = [];
  for (const row of rows) {
    const redacted = redactEvent(jsonFromColumn<LedgerEvent>(row.event));
    if (redacted) statements.push({ sql: 'UPDATE ledger_events SET event = ? WHERE event_id = ?', values: [JSON.stringify(redacted), String(row.event_id)] });
  }
  const eventsRedacted = statements.length;
  const known = await sql.all("SELECT value FROM suppressions WHERE kind = 'email' AND prospect_id = ?", [prospectId]);
  const addresses = new Set(known.map((r) => String(r.value)));
  for (const email of emails) {
    try {
      addresses.add(normaliseEmail(email));
    } catch {
      // Not an address (a malformed journal line): nothing of it can be on the list.
    }
  }
  for (const email of addresses) {
    statements.push(...suppressionStatements({ email, hashOnly: true, source: 'erasure', prospectId, reason: 'erased' }, now).statements);
  }
  // Mail: unmatched messages from the addresses, and the subjects of the conversation's automated sends.
  for (const email of addresses) statements.push({ sql: "DELETE FROM mail_received WHERE disposition = 'unmatched' AND sender = ?", values: [email] });
  // The first conversation and those re-enrolments started (`prospect-<id>~<campaign>`).
  const enrolments = `${conversationWorkflowId(prospectId)}${ENROLMENT_SEPARATOR}`;
  statements.push({
    sql: "UPDATE mail_sent SET subject = '' WHERE conversation_id = ? OR substr(conversation_id, 1, ?) = ?",
    values: [conversationWorkflowId(prospectId), enrolments.length, enrolments],
  });
  // Bodies of the prospect's conversation, recorded in the ledger or stored for a reply it never recorded.
  statements.push({
    sql: 'DELETE FROM reply_bodies WHERE conversation_id = ? OR conversation_id IN (SELECT DISTINCT conversation_id FROM ledger_events WHERE prospect_id = ?)',
    values: [conversationWorkflowId(prospectId), prospectId],
  });
  const counts = await sql.batch(statements);
  return { eventsRedacted, addressesHashed: addresses.size, replyBodiesDeleted: counts[counts.length - 1] ?? 0, addresses: [...addresses] };
}
