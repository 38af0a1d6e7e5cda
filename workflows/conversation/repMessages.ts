/**
 * A rep's own words join the thread: a message the rep wrote to the prospect (posted through the API, or captured
 * from their mail by BCC) is kept in the thread beside the prospect's replies and automation's sends, so the
 * packet, the next rep and the review read the whole story. Recorded once by message id, in the thread and the
 * ledger; bounded like the prospect's replies.
 */
import { boundRepMessages, boundThread, truncateMessage } from '../bounds';
import { FORMER_REP_MESSAGE_ID_LIMIT, FORMER_REPLY_ID_LIMIT, REPLY_INLINE_BYTES } from '../limits';
import { RepMessageInputSchema, type RepMessageInput, type RepMessageResult } from '../messages';
import { actorMismatch } from '../permissions';
import { failure, iso, type Conversation } from './conversation';
import { eventIds } from './eventIds';
import { addToThread, isOver, latestRecord, openRecord, type ConversationMemory } from './memory';

/** True when a rep message with this id is already in the thread, or was and left it. */
export function repMessageSeen(m: ConversationMemory, messageId: string): boolean {
  return m.thread.some((t) => t.author === 'rep' && t.messageId === messageId) || (m.formerRepMessageIds ?? []).includes(messageId);
}

/** A rep message names its acting rep, and comes to a conversation that has not ended. */
export function validateRepMessage(c: Conversation, raw: unknown): void {
  const parsed = RepMessageInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'input';
    throw failure('InvalidInput', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const input = parsed.data;
  if (input.source === 'api' && !input.actor) throw failure('InvalidInput', 'actor: a message posted through the API carries its actor', { field: 'actor' });
  const mismatch = input.actor ? actorMismatch(input.actor, input.repId, 'repId') : null;
  if (mismatch) throw failure(mismatch.type, mismatch.message, mismatch.details);
  // A redelivery of a message already kept is answered as a duplicate, even after the end.
  if (isOver(c.m) && !repMessageSeen(c.m, input.messageId)) throw failure('ConversationOver', `the conversation is already ${c.m.stage}`);
}

/** The rep's message joins the thread and the ledger, once. */
export function receiveRepMessage(c: Conversation, raw: unknown): RepMessageResult {
  const input: RepMessageInput = RepMessageInputSchema.parse(raw);
  const { m } = c;
  if (repMessageSeen(m, input.messageId)) return { messageId: input.messageId, duplicate: true };
  const at = iso(Date.parse(input.sentAt));
  addToThread(
    m,
    truncateMessage({ messageId: input.messageId, author: 'rep', repId: input.repId, channel: input.channel, text: input.text, at }, REPLY_INLINE_BYTES),
  );
  const escalation = latestRecord(m)?.number;
  c.ledger.record({
    eventId: eventIds.repMessage(c.id, input.messageId),
    kind: 'rep_message',
    messageId: input.messageId,
    repId: input.repId,
    channel: input.channel,
    text: input.text,
    source: input.source,
    at,
    ...(escalation ? { escalation } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
  });
  keepBounded(c);
  return { messageId: input.messageId, duplicate: false };
}

/** Keeps the thread within its limits: reps' oldest messages past their limit leave it (remembered by id), texts as the replies' are. */
function keepBounded(c: Conversation): void {
  const { m } = c;
  const byCount = boundRepMessages(m.thread);
  if (byCount.dropped.length > 0) {
    const former = (m.formerRepMessageIds ??= []);
    former.push(...byCount.dropped);
    former.splice(0, Math.max(0, former.length - FORMER_REP_MESSAGE_ID_LIMIT));
  }
  const keepWhole = [openRecord(m)?.triggeringMessageId, latestRecord(m)?.triggeringMessageId].filter((id): id is string => Boolean(id));
  const { thread, dropped } = boundThread(byCount.thread, keepWhole);
  m.thread = thread;
  // Adding a rep's message never adds a reply, so none leaves here unless the thread was already over its limit.
  if (dropped.length > 0) {
    c.tally.repliesOutsideThread += dropped.length;
    c.formerReplyIds.push(...dropped);
    c.formerReplyIds.splice(0, Math.max(0, c.formerReplyIds.length - FORMER_REPLY_ID_LIMIT));
  }
}
