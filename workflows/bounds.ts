/**
 * Keeping a conversation's payloads bounded (see `./limits`): the thread the workflow remembers, the thread a
 * handoff packet carries, the state query's answer, ledger batches, joined notes and far-off dates. Pure
 * functions on plain JSON, so each bound is unit-tested without a server and the workflow only wires them in.
 */
import {
  ESCALATION_EVIDENCE_LIMIT,
  LATER_TRIGGER_LIMIT,
  LEDGER_BATCH_BYTES,
  MAX_DURATION_MS,
  PACKET_TEXT_BUDGET_BYTES,
  PREVIEW_BYTES,
  STATE_MESSAGE_BYTES,
  THREAD_REP_MESSAGE_LIMIT,
  THREAD_REPLY_LIMIT,
  THREAD_TEXT_BUDGET_BYTES,
  VIEW_MESSAGE_LIMIT,
} from './limits';
import type { ConversationState, EscalationRecord, HandoffPacket, ThreadMessage } from './messages';

/** The length of a text in UTF-8 bytes (what payload limits count), without an encoder. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function clipUtf8(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 3) return text;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) return text.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return text;
}

/**
 * The message with its text cut to `maxBytes`, marked `truncated` with the full size in `bodyBytes` (a stored
 * body keeps its `bodyRef`). A message that fits is returned as it is.
 */
export function truncateMessage(message: ThreadMessage, maxBytes: number): ThreadMessage {
  if (message.text.length <= maxBytes / 3) return message;
  const bytes = utf8Bytes(message.text);
  if (bytes <= maxBytes) return message;
  return { ...message, text: clipUtf8(message.text, maxBytes), truncated: true, bodyBytes: message.bodyBytes ?? bytes };
}

/** What {@link boundThread} kept and what left the thread. */
export interface BoundedThread {
  thread: ThreadMessage[];
  /** Message ids of prospect replies that left the thread, oldest first. */
  dropped: string[];
}

/**
 * The thread the workflow remembers: at most {@link THREAD_REPLY_LIMIT} prospect replies (the oldest leave
 * first), and whole text for the newest messages up to {@link THREAD_TEXT_BUDGET_BYTES}, older ones cut to a
 * {@link PREVIEW_BYTES} preview. Messages in `keepWhole` (the triggering replies of the escalation a rep is
 * working on) never leave and are never cut.
 */
export function boundThread(
  thread: readonly ThreadMessage[],
  keepWhole: readonly string[],
  limits: { replies: number; textBytes: number; previewBytes: number } = {
    replies: THREAD_REPLY_LIMIT,
    textBytes: THREAD_TEXT_BUDGET_BYTES,
    previewBytes: PREVIEW_BYTES,
  },
): BoundedThread {
  const protectedIds = new Set(keepWhole);
  let excess = thread.filter((t) => t.author === 'prospect').length - limits.replies;
  const dropped: string[] = [];
  const kept = thread.filter((t) => {
    if (excess > 0 && t.author === 'prospect' && !protectedIds.has(t.messageId)) {
      excess--;
      dropped.push(t.messageId);
      return false;
    }
    return true;
  });
  // The whole texts kept come out of the budget first; the newest messages share what is left.
  let spent = kept.reduce((n, t) => n + (protectedIds.has(t.messageId) ? utf8Bytes(t.text) : 0), 0);
  const bounded = new Array<ThreadMessage>(kept.length);
  for (let i = kept.length - 1; i >= 0; i--) {
    const message = kept[i]!;
    if (protectedIds.has(message.messageId)) {
      bounded[i] = message;
      continue;
    }
    const bytes = utf8Bytes(message.text);
    if (spent + bytes <= limits.textBytes) {
      spent += bytes;
      bounded[i] = message;
    } else {
      bounded[i] = truncateMessage(message, limits.previewBytes);
    }
  }
  return { thread: bounded, dropped };
}

/**
 * The thread with at most `limit` reps' messages ({@link THREAD_REP_MESSAGE_LIMIT}): the oldest leave first. Returns
 * the thread kept and the message ids that left it, oldest first.
 */
export function boundRepMessages(thread: readonly ThreadMessage[], limit = THREAD_REP_MESSAGE_LIMIT): { thread: ThreadMessage[]; dropped: string[] } {
  let excess = thread.filter((t) => t.author === 'rep').length - limit;
  const dropped: string[] = [];
  const kept = thread.filter((t) => {
    if (excess > 0 && t.author === 'rep') {
      excess--;
      dropped.push(t.messageId);
      return false;
    }
    return true;
  });
  return { thread: kept, dropped };
}

/** What a view of the thread (the packet's, the state's) lists, and how many earlier messages it leaves out. */
export interface ThreadView {
  thread: ThreadMessage[];
  earlierMessages: number;
}

/**
 * A view of the thread: the newest `maxMessages` messages (and the triggering reply, wherever it is), the
 * triggering reply whole, then the newest messages whole while they fit in `budgetBytes`, every other message as
 * a `previewBytes` preview (`truncated`, with its `bodyRef` when it has one).
 */
export function viewThread(
  thread: readonly ThreadMessage[],
  options: { triggeringMessageId?: string | null; budgetBytes: number; maxMessages?: number; previewBytes?: number },
): ThreadView {
  const maxMessages = options.maxMessages ?? VIEW_MESSAGE_LIMIT;
  const previewBytes = options.previewBytes ?? PREVIEW_BYTES;
  const trigger = options.triggeringMessageId ? thread.find((t) => t.messageId === options.triggeringMessageId) : undefined;
  let spent = trigger ? Math.min(utf8Bytes(trigger.text), options.budgetBytes) : 0;
  let listed = trigger ? 1 : 0;
  const out: ThreadMessage[] = [];
  for (let i = thread.length - 1; i >= 0; i--) {
    const message = thread[i]!;
    if (message === trigger) {
      out.push(truncateMessage(message, options.budgetBytes));
      continue;
    }
    if (listed >= maxMessages) continue;
    listed++;
    const bytes = utf8Bytes(message.text);
    if (spent + bytes <= options.budgetBytes) {
      spent += bytes;
      out.push(message);
    } else {
      out.push(truncateMessage(message, previewBytes));
    }
  }
  return { thread: out.reverse(), earlierMessages: thread.length - out.length };
}

/**
 * The packet a rep receives, bounded: the triggering reply whole, the newest messages whole up to
 * {@link PACKET_TEXT_BUDGET_BYTES}, previews of the rest of the newest {@link VIEW_MESSAGE_LIMIT}.
 */
export function boundPacket(packet: HandoffPacket, budgetBytes = PACKET_TEXT_BUDGET_BYTES): HandoffPacket {
  const view = viewThread(packet.thread, { triggeringMessageId: packet.triggeringMessageId, budgetBytes });
  return { ...packet, thread: view.thread, ...(view.earlierMessages ? { earlierMessages: view.earlierMessages } : {}) };
}

/**
 * The state query's answer, bounded: the newest {@link VIEW_MESSAGE_LIMIT} messages of the thread, each cut to
 * `maxBytes`; the packet's thread (the same messages) as previews, its triggering reply cut to `maxBytes`.
 */
export function boundState(state: ConversationState, maxBytes = STATE_MESSAGE_BYTES): ConversationState {
  const thread = viewThread(state.thread, { budgetBytes: 0, previewBytes: maxBytes });
  const packet = state.packet
    ? { ...state.packet, thread: viewThread(state.packet.thread, { triggeringMessageId: state.packet.triggeringMessageId, budgetBytes: maxBytes }).thread }
    : null;
  return { ...state, thread: thread.thread, packet, ...(thread.earlierMessages ? { earlierMessages: thread.earlierMessages } : {}) };
}

/** Appends what fits under `limit` and returns how many items did not fit. */
export function appendLimited<T>(list: T[], items: readonly T[], limit: number): number {
  const room = Math.max(0, limit - list.length);
  list.push(...items.slice(0, room));
  return items.length - Math.min(room, items.length);
}

/** Adds a later trigger (and its evidence) to an open escalation within the escalation's limits. */
export function addLaterTrigger(
  record: EscalationRecord,
  trigger: EscalationRecord['laterTriggers'][number],
  evidence: EscalationRecord['evidence'],
): void {
  const dropped = appendLimited(record.laterTriggers, [trigger], LATER_TRIGGER_LIMIT);
  if (dropped) record.laterTriggersDropped = (record.laterTriggersDropped ?? 0) + dropped;
  appendLimited(record.evidence, evidence, ESCALATION_EVIDENCE_LIMIT);
}

/** Notes joined one per line, cut to `maxBytes` (each note stays whole in the ledger). */
export function joinNotes(existing: string | undefined, note: string, maxBytes: number): string {
  return clipUtf8(existing ? `${existing}\n${note}` : note, maxBytes);
}

/** How many of the queued events go in the next ledger batch: at most `maxEvents`, under `maxBytes` of JSON, at least one. */
export function ledgerBatchSize(queue: readonly unknown[], maxEvents: number, maxBytes = LEDGER_BATCH_BYTES): number {
  let bytes = 0;
  let count = 0;
  for (const event of queue) {
    if (count >= maxEvents) break;
    bytes += utf8Bytes(JSON.stringify(event));
    if (count > 0 && bytes > maxBytes) break;
    count++;
  }
  return count;
}

/** An instant no further than {@link MAX_DURATION_MS} after `nowMs` (a "back in 2090" reply waits a year). */
export function withinHorizon(atMs: number, nowMs: number): number {
  return Number.isFinite(atMs) ? Math.min(atMs, nowMs + MAX_DURATION_MS) : atMs;
}
