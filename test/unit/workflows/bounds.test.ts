import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addLaterTrigger,
  boundPacket,
  boundState,
  boundRepMessages,
  boundThread,
  clipUtf8,
  joinNotes,
  ledgerBatchSize,
  truncateMessage,
  utf8Bytes,
  viewThread,
  withinHorizon,
} from '../../../workflows/bounds';
import {
  ESCALATION_EVIDENCE_LIMIT,
  LATER_TRIGGER_LIMIT,
  MAX_DURATION_MS,
  PACKET_TEXT_BUDGET_BYTES,
  PREVIEW_BYTES,
  REPLY_INLINE_BYTES,
  STATE_MESSAGE_BYTES,
  THREAD_REP_MESSAGE_LIMIT,
  THREAD_REPLY_LIMIT,
  THREAD_TEXT_BUDGET_BYTES,
  VIEW_MESSAGE_LIMIT,
} from '../../../workflows/limits';
import type { ConversationState, EscalationRecord, HandoffPacket, ThreadMessage } from '../../../workflows/messages';
import { prospect } from '../../helpers/prospect';

const KIB = 1024;

function reply(n: number, text: string, extra: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    messageId: `m-${n}`,
    author: 'prospect',
    channel: 'email',
    text,
    at: new Date(Date.UTC(2025, 2, 4) + n * 60_000).toISOString(),
    labels: ['none'],
    trigger: null,
    rulesVersion: 'sha256:0123456789ab',
    ...extra,
  };
}

/** A reply of `bytes` bytes whose words never trigger anything. */
function filler(bytes: number, seed = 0): string {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit'];
  let text = '';
  for (let i = seed; text.length < bytes; i++) text += `${words[i % words.length]} `;
  return text.slice(0, bytes);
}

function escalation(triggeringMessageId: string | null): EscalationRecord {
  return {
    number: 1,
    reason: 'pricing',
    trigger: 'pricing',
    status: 'open',
    escalatedAt: '2025-03-04T12:00:00.000Z',
    triggeringMessageId,
    evidence: [],
    rulesFired: ['pricing.how-much'],
    rulesVersion: 'sha256:0123456789ab',
    laterTriggers: [],
    rungs: [],
    claimedBy: null,
    claimedAt: null,
    feedback: null,
  };
}

function packetOf(thread: ThreadMessage[], triggeringMessageId: string | null): HandoffPacket {
  return {
    conversationId: 'prospect-42',
    prospect: prospect('42'),
    research: null,
    reason: 'pricing',
    summary: 'Jordan Lee (VP Revenue Operations, Buyer Co) asked about pricing or commercial terms.',
    triggeringMessageId,
    evidence: [],
    rulesFired: ['pricing.how-much'],
    thread,
    automationSent: [],
    suggestedNextStep: 'Answer the commercial question.',
    escalatedAt: '2025-03-04T12:00:00.000Z',
  };
}

describe('measuring and cutting text in UTF-8 bytes', () => {
  test('counts one to four bytes per character, as payloads do', () => {
    assert.equal(utf8Bytes('abc'), 3);
    assert.equal(utf8Bytes('é'), 2);
    assert.equal(utf8Bytes('€'), 3);
    assert.equal(utf8Bytes('👋'), 4);
    assert.equal(utf8Bytes('a€👋'), Buffer.byteLength('a€👋', 'utf8'));
  });

  test('a cut never splits a character and is the longest prefix that fits', () => {
    const text = 'ab€👋cd';
    for (let max = 0; max <= 12; max++) {
      const cut = clipUtf8(text, max);
      assert.ok(text.startsWith(cut));
      assert.ok(Buffer.byteLength(cut, 'utf8') <= max, `cut to ${max}`);
      assert.doesNotMatch(cut, /[\uD800-\uDBFF]$/, 'no lone surrogate at the end');
      const next = text.slice(0, cut.length + (text.codePointAt(cut.length)! > 0xffff ? 2 : 1));
      if (cut.length < text.length) assert.ok(Buffer.byteLength(next, 'utf8') > max, `one more character would not fit in ${max}`);
    }
    assert.equal(clipUtf8(text, 100), text);
  });

  test('a truncated message says so and keeps its full size and stored body reference', () => {
    const long = reply(1, filler(10 * KIB), { bodyRef: 'a'.repeat(64), bodyBytes: 100_000, truncated: true });
    const cut = truncateMessage(long, 1024);
    assert.equal(utf8Bytes(cut.text), 1024);
    assert.equal(cut.truncated, true);
    assert.equal(cut.bodyBytes, 100_000);
    assert.equal(cut.bodyRef, 'a'.repeat(64));
    const plain = truncateMessage(reply(2, filler(5000)), 1024);
    assert.equal(plain.bodyBytes, 5000);
    const short = reply(3, 'Thanks!');
    assert.equal(truncateMessage(short, 1024), short, 'a message that fits is unchanged');
  });
});

describe('the thread a conversation remembers', () => {
  test(`keeps the newest ${THREAD_REPLY_LIMIT} replies; the oldest leave it and are named`, () => {
    const thread = Array.from({ length: THREAD_REPLY_LIMIT + 20 }, (_, i) => reply(i, 'ok'));
    const { thread: kept, dropped } = boundThread(thread, []);
    assert.equal(kept.length, THREAD_REPLY_LIMIT);
    assert.deepEqual(dropped, Array.from({ length: 20 }, (_, i) => `m-${i}`));
    assert.equal(kept[0]?.messageId, 'm-20');
  });

  test(`keeps the newest ${THREAD_REP_MESSAGE_LIMIT} messages reps wrote; the oldest leave it and are named, replies stay`, () => {
    const repWords = (i: number): ThreadMessage => ({ messageId: `rep-${i}`, author: 'rep', repId: 'dana', channel: 'email', text: 'Thursday?', at: '2025-03-04T00:00:00.000Z' });
    const thread = [reply(0, 'ok'), ...Array.from({ length: THREAD_REP_MESSAGE_LIMIT + 3 }, (_, i) => repWords(i))];
    const { thread: kept, dropped } = boundRepMessages(thread, THREAD_REP_MESSAGE_LIMIT);
    assert.deepEqual(dropped, ['rep-0', 'rep-1', 'rep-2']);
    assert.equal(kept.length, THREAD_REP_MESSAGE_LIMIT + 1);
    assert.deepEqual(kept.slice(0, 2).map((t) => t.messageId), ['m-0', 'rep-3']);
  });

  test('automated messages and the triggering reply never leave the thread', () => {
    const automation: ThreadMessage = { messageId: 'sent-0', author: 'automation', channel: 'email', text: 'Hello', at: '2025-03-04T00:00:00.000Z', step: 0 };
    const thread = [automation, ...Array.from({ length: THREAD_REPLY_LIMIT + 1 }, (_, i) => reply(i, 'ok'))];
    const { thread: kept, dropped } = boundThread(thread, ['m-0']);
    assert.deepEqual(dropped, ['m-1']);
    assert.deepEqual(kept.slice(0, 2).map((t) => t.messageId), ['sent-0', 'm-0']);
  });

  test(`keeps the newest texts whole up to ${THREAD_TEXT_BUDGET_BYTES / KIB} KiB and previews of older ones; the trigger stays whole`, () => {
    const thread = Array.from({ length: 30 }, (_, i) => reply(i, filler(REPLY_INLINE_BYTES, i)));
    const { thread: kept } = boundThread(thread, ['m-2']);
    const whole = kept.filter((t) => !t.truncated).map((t) => t.messageId);
    const fits = Math.floor(THREAD_TEXT_BUDGET_BYTES / REPLY_INLINE_BYTES) - 1; // the trigger's share comes first
    assert.deepEqual(whole, ['m-2', ...Array.from({ length: fits }, (_, i) => `m-${30 - fits + i}`)]);
    for (const t of kept.filter((m) => m.truncated)) {
      assert.equal(utf8Bytes(t.text), PREVIEW_BYTES);
      assert.equal(t.bodyBytes, REPLY_INLINE_BYTES);
    }
    const total = kept.reduce((n, t) => n + utf8Bytes(t.text), 0);
    assert.ok(total <= THREAD_TEXT_BUDGET_BYTES + 30 * PREVIEW_BYTES);
  });
});

describe('the packet and the state query stay small whatever the thread holds', () => {
  test('the packet carries the triggering reply whole, the newest messages whole within its budget, previews of the rest', () => {
    const thread = Array.from({ length: 25 }, (_, i) => reply(i, filler(REPLY_INLINE_BYTES, i), { bodyRef: `${i}`.padStart(64, '0'), bodyBytes: 100_000, truncated: true }));
    thread.push(reply(25, 'What would 40 seats cost?', { labels: ['pricing'], trigger: 'pricing' }));
    const packet = boundPacket(packetOf(thread, 'm-25'));
    assert.equal(packet.thread.length, 26);
    assert.equal(packet.thread[25]?.text, 'What would 40 seats cost?');
    const whole = packet.thread.filter((t) => utf8Bytes(t.text) === REPLY_INLINE_BYTES).length;
    assert.equal(whole, Math.floor(PACKET_TEXT_BUDGET_BYTES / REPLY_INLINE_BYTES) - 1);
    const previews = packet.thread.filter((t) => utf8Bytes(t.text) === PREVIEW_BYTES);
    assert.equal(previews.length, 25 - whole);
    assert.ok(previews.every((t) => t.truncated && t.bodyRef && t.bodyBytes === 100_000), 'each preview names its stored body');
  });

  test(`a triggering reply older than the newest ${VIEW_MESSAGE_LIMIT} messages is still in the packet, and the rest are counted`, () => {
    const thread = Array.from({ length: 450 }, (_, i) => reply(i, 'ok'));
    const view = viewThread(thread, { triggeringMessageId: 'm-3', budgetBytes: PACKET_TEXT_BUDGET_BYTES });
    assert.equal(view.thread.length, VIEW_MESSAGE_LIMIT);
    assert.equal(view.thread[0]?.messageId, 'm-3');
    assert.equal(view.thread[1]?.messageId, `m-${450 - VIEW_MESSAGE_LIMIT + 1}`);
    assert.equal(view.earlierMessages, 450 - VIEW_MESSAGE_LIMIT);
  });

  test('a conversation at every limit answers its state in under 512 KB and alerts with a packet under 512 KB', () => {
    // The worst case: the thread full of replies that came in at the inline limit, each with stored bodies.
    const incoming = Array.from({ length: THREAD_REPLY_LIMIT + 50 }, (_, i) =>
      reply(i, filler(REPLY_INLINE_BYTES, i), { bodyRef: `${i}`.padStart(64, '0'), bodyBytes: 200_000, truncated: true }),
    );
    const { thread } = boundThread(incoming, ['m-549']);
    const record = escalation('m-549');
    const packet = boundPacket(packetOf(thread, 'm-549'));
    const state: ConversationState = {
      conversationId: 'prospect-42',
      stage: 'escalated',
      prospect: packet.prospect,
      thread,
      ladder: [],
      packet,
      escalations: [record],
      owner: null,
      nextStep: null,
      outcome: null,
      optedOut: false,
      sent: [],
      counts: { replies: 550, repliesInThread: 500, repliesOutsideThread: 50, manualEscalations: 0, manualEscalationsRefused: 0 },
    };
    const answered = boundState(state);
    assert.ok(JSON.stringify(thread).length < 512 * KIB, `memory thread ${JSON.stringify(thread).length} bytes`);
    assert.ok(JSON.stringify(packet).length < 512 * KIB, `packet ${JSON.stringify(packet).length} bytes`);
    assert.ok(JSON.stringify(answered).length < 512 * KIB, `state ${JSON.stringify(answered).length} bytes`);
    assert.ok(answered.thread.every((t) => utf8Bytes(t.text) <= STATE_MESSAGE_BYTES));
    assert.equal(answered.earlierMessages, THREAD_REPLY_LIMIT - VIEW_MESSAGE_LIMIT);
  });
});

describe('what an escalation and the ledger queue keep', () => {
  test(`later triggers past ${LATER_TRIGGER_LIMIT} are counted, evidence past ${ESCALATION_EVIDENCE_LIMIT} is not kept`, () => {
    const record = escalation('m-1');
    const span = { label: 'pricing' as const, rule: 'pricing.how-much', start: 0, end: 8, text: 'How much' };
    for (let i = 0; i < LATER_TRIGGER_LIMIT + 5; i++) addLaterTrigger(record, { reason: 'pricing', messageId: `m-${i}`, at: '2025-03-04T12:00:00.000Z' }, [span]);
    assert.equal(record.laterTriggers.length, LATER_TRIGGER_LIMIT);
    assert.equal(record.laterTriggersDropped, 5);
    assert.equal(record.evidence.length, ESCALATION_EVIDENCE_LIMIT);
  });

  test('joined notes stop growing at their limit', () => {
    let notes: string | undefined;
    for (let i = 0; i < 100; i++) notes = joinNotes(notes, `note ${i}: ${'x'.repeat(500)}`, 4096);
    assert.ok(notes!.startsWith('note 0: '));
    assert.equal(utf8Bytes(notes!), 4096);
  });

  test('a ledger batch stays under its byte limit but always takes at least one event', () => {
    const big = { eventId: 'e', text: 'x'.repeat(100 * KIB) };
    assert.equal(ledgerBatchSize(Array.from({ length: 10 }, () => big), 100, 256 * KIB), 2);
    assert.equal(ledgerBatchSize([{ text: 'x'.repeat(300 * KIB) }, big], 100, 256 * KIB), 1);
    assert.equal(ledgerBatchSize(Array.from({ length: 150 }, () => ({ eventId: 'small' })), 100, 256 * KIB), 100);
  });

  test('a date a prospect names years ahead is brought back to a year from now', () => {
    const now = Date.UTC(2025, 2, 4);
    assert.equal(withinHorizon(Date.UTC(2090, 0, 1), now), now + MAX_DURATION_MS);
    assert.equal(withinHorizon(Date.UTC(2025, 5, 1), now), Date.UTC(2025, 5, 1));
  });
});
