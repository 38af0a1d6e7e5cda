/**
 * What a conversation remembers, in one plain-JSON object carried whole through continue-as-new, and the views
 * derived from it. No Temporal calls here.
 */
import type { ProspectResearch } from '../../activities/outreach';
import type { HandoffActivities } from '../../activities';
import type { LedgerEvent } from '../../src/ledger/events';
import type { BookedMeeting, CloseOutcome, Referral, ConversationCounts, EscalationRecord, ReplyInput, Stage, ThreadMessage, TriggerInput } from '../messages';

/** Something waiting in the inbox: a prospect reply or a manual trigger. */
export type InboxItem = { kind: 'reply'; reply: ReplyInput } | { kind: 'trigger'; trigger: TriggerInput; at: string };

/** The kinds of touch the CRM is told of. */
export type CrmTouchKind = Parameters<HandoffActivities['logTouch']>[0]['kind'];

/** A CRM touch waiting to be logged; `key` makes its idempotency key. */
export interface CrmTouch {
  kind: CrmTouchKind;
  summary: string;
  key: string;
}

/** Everything the conversation remembers; carried whole through continue-as-new. */
export interface ConversationMemory {
  startedAt: string;
  stage: Stage;
  thread: ThreadMessage[];
  inbox: InboxItem[];
  /** The next cadence step to run. */
  stepIndex: number;
  /** Step `anchor.step` is due at `anchor.at`; later steps keep their spacing from it. */
  anchor: { step: number; at: string };
  /** Counts cadence resumptions, so a re-run step gets a fresh idempotency key. */
  round: number;
  research: ProspectResearch | null;
  sent: { step: number; name: string; at: string; messageId: string }[];
  escalations: EscalationRecord[];
  owner: string | null;
  outcome: CloseOutcome | null;
  optedOut: boolean;
  /** The last classified reply and whether the rules escalated it (for manual-trigger bookkeeping). */
  lastVerdict: { messageId: string; escalate: boolean } | null;
  /** When the last step was sent; the reply window runs from here. */
  cadenceDoneAt: string | null;
  /** CRM touches waiting to be logged by the loop (update handlers cannot run activities themselves). */
  touches: CrmTouch[];
  /** Ledger events not yet appended. */
  ledger: LedgerEvent[];
  /** What arrived against the limits (`../limits`); absent in memory carried from before them. */
  counts?: Omit<ConversationCounts, 'repliesInThread'>;
  /** Message ids of replies that left the thread (the newest, up to a limit), so a redelivery is still ignored. */
  formerReplyIds?: string[];
  /** Message ids of reps' messages that left the thread (the newest, up to a limit), so a redelivery is still ignored. */
  formerRepMessageIds?: string[];
  /** Meetings booked with the buyer; absent in memory carried from before meetings were booked. */
  meetings?: BookedMeeting[];
  /** Conversations started with colleagues the prospect referred us to; absent in memory from before referrals. */
  referrals?: Referral[];
}

/** How a conversation ended. */
export interface ConversationResult {
  stage: Stage;
  outcome: CloseOutcome | null;
  escalations: number;
}

/** Stages a conversation never leaves. */
export const TERMINAL: readonly Stage[] = ['closed', 'opted_out'];

/** True once the conversation is closed or opted out. */
export function isOver(m: Pick<ConversationMemory, 'stage'>): boolean {
  return TERMINAL.includes(m.stage);
}

/** A new conversation's memory, started at `now`. */
export function initialMemory(now: string): ConversationMemory {
  return {
    startedAt: now,
    stage: 'automating',
    thread: [],
    inbox: [],
    stepIndex: 0,
    anchor: { step: 0, at: now },
    round: 0,
    research: null,
    sent: [],
    escalations: [],
    owner: null,
    outcome: null,
    optedOut: false,
    lastVerdict: null,
    cadenceDoneAt: null,
    touches: [],
    ledger: [],
    counts: { replies: 0, repliesOutsideThread: 0, manualEscalations: 0, manualEscalationsRefused: 0 },
    formerReplyIds: [],
  };
}

/** Counts for memory carried from a run that did not keep them: what its thread, inbox and escalations show. */
export function countsFromMemory(m: ConversationMemory): NonNullable<ConversationMemory['counts']> {
  const manualLater = m.escalations.reduce((n, e) => n + e.laterTriggers.filter((t) => t.reason === 'manual').length, 0);
  return {
    replies: prospectReplies(m) + m.inbox.filter((i) => i.kind === 'reply').length,
    repliesOutsideThread: 0,
    manualEscalations: m.escalations.filter((e) => e.reason === 'manual').length + manualLater + m.inbox.filter((i) => i.kind === 'trigger').length,
    manualEscalationsRefused: 0,
  };
}

/** The prospect's replies in the thread. */
export function prospectReplies(m: Pick<ConversationMemory, 'thread'>): number {
  return m.thread.filter((t) => t.author === 'prospect').length;
}

/** The escalation waiting for a claim, if any. */
export function openRecord(m: Pick<ConversationMemory, 'escalations'>): EscalationRecord | undefined {
  return m.escalations.find((e) => e.status === 'open');
}

/** The escalation a rep owns now, if any. */
export function claimedRecord(m: Pick<ConversationMemory, 'escalations'>): EscalationRecord | undefined {
  return m.escalations.find((e) => e.status === 'claimed');
}

/** The newest escalation, whatever became of it. */
export function latestRecord(m: Pick<ConversationMemory, 'escalations'>): EscalationRecord | undefined {
  return m.escalations[m.escalations.length - 1];
}

/** True when a reply with this message id was already received (in the thread, the inbox, or dropped from the thread). */
export function replySeen(m: ConversationMemory, messageId: string): boolean {
  return (
    m.thread.some((t) => t.author === 'prospect' && t.messageId === messageId) ||
    m.inbox.some((i) => i.kind === 'reply' && i.reply.messageId === messageId) ||
    (m.formerReplyIds ?? []).includes(messageId)
  );
}

/** Adds a message to the thread in received-time order (replies can be delivered out of order); returns it. */
export function addToThread(m: Pick<ConversationMemory, 'thread'>, message: ThreadMessage): ThreadMessage {
  let i = m.thread.length;
  while (i > 0 && m.thread[i - 1]!.at > message.at) i--;
  m.thread.splice(i, 0, message);
  return message;
}
