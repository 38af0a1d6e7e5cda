/**
 * Replies that need a person, as pure rules and transitions: which replies need one, the low-priority task that
 * gives such a reply to the owner (one notice, no ladder), the task a trigger supersedes, and a referral's
 * colleague as a prospect of their own with the referrer's words for the first touch. No Temporal calls here.
 */
import { joinNotes } from '../bounds';
import { MANUAL_NOTE_BYTES } from '../limits';
import type { EscalationRecord, EscalationRung, HumanReplyTask, Prospect, Referral, Referrer, ReplyClassification } from '../messages';
import { currentRung, type Effects, type Moment } from './escalation';
import { eventIds } from './eventIds';
import type { ConversationMemory } from './memory';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * True when a classified reply needs a person's answer: a person wrote it (not a machine) and automation has
 * nothing of its own to do with it (no opt-out, out-of-office or not-now). Triggers are handled before this.
 */
export function needsPersonsAnswer(verdict: Pick<ReplyClassification, 'labels' | 'autoReply' | 'escalate' | 'fallback'>): boolean {
  if (verdict.autoReply || verdict.escalate || verdict.fallback) return false;
  return !verdict.labels.some((l) => l === 'opt_out' || l === 'out_of_office' || l === 'not_now');
}

/**
 * The colleagues a referral names: its addresses less the prospect's own and ours (compared without case), each
 * once, at most `limit`.
 */
export function referredColleagues(named: readonly string[], own: readonly (string | undefined)[], limit: number): string[] {
  const ours = new Set(own.filter((a): a is string => Boolean(a)).map((a) => a.toLowerCase()));
  const colleagues: string[] = [];
  for (const address of named) {
    if (colleagues.length >= limit) break;
    const email = address.toLowerCase();
    if (!ours.has(email) && !colleagues.includes(email)) colleagues.push(email);
  }
  return colleagues;
}

/**
 * A referred colleague's prospect id: `referral-` and a 64-bit FNV-1a hash of their lower-cased address. Stable,
 * so a second referral finds the same conversation; opaque, because workflow ids are not encrypted and must never
 * carry an address.
 */
export function colleagueProspectId(email: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const char of email.toLowerCase()) {
    hash ^= BigInt(char.codePointAt(0)!);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `referral-${hash.toString(16).padStart(16, '0')}`;
}

/** A name from an address's local part (`dana.reyes` → `Dana Reyes`), or the address when it has no letters. */
export function nameFromAddress(email: string): string {
  const words = (email.split('@')[0] ?? '')
    .split(/[._+-]+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w !== '');
  return words.length > 0 ? words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join(' ') : email;
}

/** The referred colleague as a prospect of their own: at the referrer's company, with their owner and time zone. */
export function colleagueProspect(email: string, referrer: Prospect): Prospect {
  return {
    id: colleagueProspectId(email),
    name: nameFromAddress(email),
    email,
    company: referrer.company,
    ...(referrer.timeZone ? { timeZone: referrer.timeZone } : {}),
    ...(referrer.owner ? { owner: referrer.owner } : {}),
    profile: { referredBy: referrer.name },
  };
}

/** The sentence a referred colleague's first touch opens with. */
export function referralOpening(referrer: Pick<Referrer, 'name'>): string {
  return `${referrer.name} suggested I reach out.`;
}

/**
 * A first touch's body with the referrer's sentence: after the greeting line (`Hi Dana,`) when the body opens
 * with one, else first. A body that already says it is left as it is.
 */
export function withReferralOpening(body: string, referrer: Pick<Referrer, 'name'>): string {
  const opening = referralOpening(referrer);
  if (body.includes(opening)) return body;
  const lines = body.split('\n');
  const greeting = lines[0] !== undefined && /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[^\n]{0,80},\s*$/i.test(lines[0]);
  if (!greeting) return `${opening}\n\n${body}`;
  const rest = lines.slice(1).join('\n').replace(/^\n+/, '');
  return `${lines[0]}\n\n${opening} ${rest}`;
}

/** What a low-priority task is about: the reply, and for a referral the words that pointed elsewhere. */
export interface TaskCause {
  kind: HumanReplyTask['kind'];
  messageId: string;
  verdict: Pick<ReplyClassification, 'labels' | 'evidence' | 'rulesVersion'>;
}

/** The note a task carries for the rep: why it is theirs, in a sentence. */
export function taskNote(cause: TaskCause): string {
  if (cause.kind === 'reply') return `reply ${cause.messageId} needs a human answer (low priority, no deadline)`;
  const named = referralWords(cause);
  return `reply ${cause.messageId} is a referral with no address we could contact${named ? `: "${named}"` : ''}; reach the person or department named (low priority, no deadline)`;
}

/** The prospect's words behind a referral label (who or what department they named), joined. */
function referralWords(cause: TaskCause): string | undefined {
  const spans = [...new Set(cause.verdict.evidence.filter((e) => e.label === 'referral').map((e) => e.text.trim()))].filter((t) => t !== '');
  return spans.length > 0 ? spans.join(' … ') : undefined;
}

/**
 * Opens a low-priority task for the owner: an escalation record marked `task`, with no ladder (the loop routes it
 * once and alerts once, with no claim deadline and no re-alerts). The ledger records a `reply_task` event, not an
 * `escalated` one, so reviews of escalations do not count it. Claimed, it is a claimed conversation like any other.
 */
export function openTask(m: ConversationMemory, cause: TaskCause, t: Moment): Effects {
  const number = m.escalations.length + 1;
  const named = cause.kind === 'referral' ? referralWords(cause) : undefined;
  const task: HumanReplyTask = { kind: cause.kind, priority: 'low', ...(named ? { named } : {}) };
  const evidence = cause.kind === 'referral' ? cause.verdict.evidence.filter((e) => e.label === 'referral') : [];
  const note = joinNotes(undefined, taskNote(cause), MANUAL_NOTE_BYTES);
  const record: EscalationRecord = {
    number,
    reason: 'manual',
    trigger: null,
    status: 'open',
    escalatedAt: iso(t.now),
    triggeringMessageId: cause.messageId,
    evidence,
    rulesFired: [...new Set(evidence.map((e) => e.rule))],
    rulesVersion: cause.verdict.rulesVersion,
    ...(note ? { manualNote: note } : {}),
    laterTriggers: [],
    rungs: [],
    claimedBy: null,
    claimedAt: null,
    feedback: null,
    task,
  };
  m.escalations.push(record);
  return {
    events: [
      {
        eventId: eventIds.replyTask(t.conversationId, number),
        kind: 'reply_task',
        escalation: number,
        reason: 'manual',
        task: cause.kind,
        messageId: cause.messageId,
        labels: cause.verdict.labels,
        ...(named ? { note: named } : {}),
      },
    ],
    touches: [],
    silence: [],
    stage: 'escalated',
  };
}

/**
 * A trigger (or a manual escalation) arrived while a task was open: the task ends (`cancelled`, `supersededBy`
 * the escalation about to open) and its notice stops, so the escalation climbs its own ladder.
 */
export function supersedeTask(m: ConversationMemory, record: EscalationRecord): Effects {
  const rung = currentRung(record);
  if (rung?.outcome === 'pending') rung.outcome = 'cancelled';
  record.status = 'cancelled';
  if (record.task) record.task.supersededBy = m.escalations.length + 1;
  return { events: [], touches: [], silence: [{ escalation: record.number, alerts: 'claim' }] };
}

/** The UI's line for an open task: what it is and who has it, with no deadline. */
export function taskLine(task: HumanReplyTask, rung: EscalationRung | undefined): string {
  const who = rung ? rung.assignees.map((a) => a.name).join(', ') || 'nobody available' : 'being routed';
  const what = task.kind === 'reply' ? 'Reply needs a human answer' : `Referral to follow up${task.named ? ` ("${task.named}")` : ''}`;
  return `${what}: low-priority task for ${who}, no deadline`;
}

/** The UI's lines linking a conversation with the one that referred it and those it referred. */
export function referralLines(referredBy: Referrer | undefined, referrals: readonly Referral[] | undefined): string[] {
  const lines: string[] = [];
  if (referredBy) lines.push(`Referred by ${referredBy.name} (${referredBy.conversationId})`);
  if (referrals?.length) lines.push(`Referred us to: ${referrals.map((r) => r.conversationId).join(', ')}`);
  return lines;
}
