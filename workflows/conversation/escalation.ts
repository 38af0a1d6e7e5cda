/**
 * An escalation's life as pure transitions: open (or merge into the open one), claim, reassign, hand back, close,
 * opt out, feedback; with the ladder's rules (claim windows, the current rung, who may claim) and the rungs it
 * records. Each transition changes the memory it is given and returns its effects: the ledger events to record,
 * the CRM touches to log, the alerts to stop and the stage to move to. The workflow applies effects in one place
 * (`Conversation.apply`), so every path that ends an escalation has its side effects listed side by side here.
 * No Temporal calls here, so every transition is a unit test.
 */
import type { RouteDecision } from '../../activities/routing';
import type { LedgerEvent } from '../../src/ledger/events';
import { addLaterTrigger, joinNotes } from '../bounds';
import { MANUAL_NOTE_BYTES } from '../limits';
import type {
  Actor,
  ClassificationFallback,
  CloseInput,
  ConversationPolicy,
  EscalationReason,
  EscalationRecord,
  EscalationRung,
  Evidence,
  FeedbackInput,
  HandBackInput,
  ReaderName,
  Intent,
  Stage,
  Trigger,
} from '../messages';
import { moreUrgent } from '../vocabulary';
import { addWorkingTime, nextShiftStart, NoWorkingTimeError, workingTimeBetween } from '../workingTime';
import { eventIds } from './eventIds';
import { claimedRecord, latestRecord, openRecord, type ConversationMemory, type CrmTouch } from './memory';

/** A ledger event as a transition writes it: the conversation's own fields (and the time, by default) are added when recorded. */
export type EventDraft = Omit<LedgerEvent, 'conversationId' | 'prospectId' | 'company' | 'at'> & { at?: string };

/** Alerts to stop for one escalation: the claim alerts of its rungs only, or those and the new owner's alert too. */
export interface Silence {
  escalation: number;
  alerts: 'claim' | 'all';
}

/** What a transition asks the workflow to do, in this order: record, touch, silence, move to the stage. */
export interface Effects {
  events: EventDraft[];
  touches: CrmTouch[];
  silence: Silence[];
  stage?: Stage;
}

/** The conversation a transition runs in, and the workflow time it runs at. */
export interface Moment {
  conversationId: string;
  now: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function effects(partial: Partial<Effects>): Effects {
  return { events: [], touches: [], silence: [], ...partial };
}

// ---- the ladder's rules ------------------------------------------------------------------------------

/** How long a tier waits for a claim: the trigger's deadline, or the re-alert interval past the last tier. */
export function claimWindowMs(policy: ConversationPolicy, reason: EscalationReason, pastLastTier: boolean): number {
  if (pastLastTier) return policy.lastTierRealertMs;
  return policy.claimDeadlineMs[reason] ?? policy.claimDeadlineMs.manual ?? 15 * 60_000;
}

/**
 * When a rung opened at `now` stops waiting for a claim: `windowMs` later, or, for a rep held off hours (`hold`),
 * after `windowMs` of their working time, counted from their next shift start. Hours with no working time at all
 * fall back to wall time.
 */
export function claimDeadline(now: number, windowMs: number, hold?: RouteDecision['hold']): { deadlineMs: number; workingTime?: EscalationRung['workingTime'] } {
  if (!hold) return { deadlineMs: now + windowMs };
  try {
    const countsFrom = nextShiftStart(hold.workingHours, hold.timeZone, now);
    return {
      deadlineMs: addWorkingTime(hold.workingHours, hold.timeZone, now, windowMs),
      workingTime: { windowMs, countsFrom: iso(countsFrom), timeZone: hold.timeZone, repId: hold.repId, hours: hold.workingHours },
    };
  } catch (err) {
    if (err instanceof NoWorkingTimeError) return { deadlineMs: now + windowMs };
    throw err;
  }
}

/** Re-alerts past the last tier so far. */
export function realertCount(record: EscalationRecord): number {
  return record.rungs.filter((r) => r.realert).length;
}

/** True when the rung that just expired was the last re-alert `maxRealerts` allows: the ladder ends unclaimed. */
export function atRealertCap(record: EscalationRecord, maxRealerts: number | undefined): boolean {
  const rung = currentRung(record);
  return maxRealerts !== undefined && Boolean(rung?.lastTier) && realertCount(record) >= maxRealerts;
}

/** The rung whose window is open now (the last one), if any. */
export function currentRung(record: EscalationRecord): EscalationRung | undefined {
  return record.rungs[record.rungs.length - 1];
}

/** Why `repId` may not claim `record` now, or null when they may. */
export function claimRefusal(record: EscalationRecord | undefined, repId: string): { type: 'NotEscalated' | 'AlreadyClaimed' | 'NotEligible'; message: string } | null {
  if (!record) return { type: 'NotEscalated', message: 'the conversation has no open escalation' };
  if (record.status === 'claimed' && record.claimedBy) {
    return { type: 'AlreadyClaimed', message: `already claimed by ${record.claimedBy}` };
  }
  if (record.status !== 'open') return { type: 'NotEscalated', message: 'the conversation has no open escalation' };
  const rung = currentRung(record);
  if (!rung) return { type: 'NotEligible', message: `${repId} cannot claim yet: nobody has been assigned` };
  if (!rung.eligibleRepIds.includes(repId)) {
    return { type: 'NotEligible', message: `${repId} is not eligible at tier ${rung.tier}` };
  }
  return null;
}

/**
 * How an escalation was routed off hours, if it was (the first rung routed so says), and for one held for a rep,
 * the working time in their hours from the escalation to `now`: the review counts these apart.
 */
export function offHoursFacts(record: EscalationRecord, now: number): { offHours?: 'follow_the_sun' | 'hold'; workingTimeToClaimMs?: number } {
  const offHours = record.rungs.find((r) => r.offHours)?.offHours?.policy;
  const held = record.rungs.find((r) => r.workingTime)?.workingTime;
  return {
    ...(offHours ? { offHours } : {}),
    ...(held ? { workingTimeToClaimMs: workingTimeBetween(held.hours, held.timeZone, Date.parse(record.escalatedAt), now) } : {}),
  };
}

/** The escalation a claim is about: the open one, or else the latest (so a late claim learns who holds it). */
export function claimTarget(m: Pick<ConversationMemory, 'escalations'>): EscalationRecord | undefined {
  return openRecord(m) ?? latestRecord(m);
}

/** The escalation a reassignment moves: the claimed one, or else the open one. */
export function reassignTarget(m: Pick<ConversationMemory, 'escalations'>): EscalationRecord | undefined {
  return claimedRecord(m) ?? openRecord(m);
}

/** The tier routing is asked for next: the first; the next one when the current rung expired; the same past the last. */
export function nextTier(record: EscalationRecord): number {
  const rung = currentRung(record);
  if (!rung || rung.outcome !== 'pending') return 1;
  return rung.lastTier ? rung.tier : rung.tier + 1;
}

/** A rung routing skipped (nobody available at that tier), recorded with why. */
export function skippedRung(skip: RouteDecision['skipped'][number], now: number): EscalationRung {
  return {
    tier: skip.tier,
    eligibleRepIds: [],
    audience: 'rep',
    assignees: [],
    alertedAt: iso(now),
    deadline: iso(now),
    outcome: 'skipped',
    note: skip.reason,
    skipReason: skip.reason,
  };
}

/**
 * The rung routing opened, waiting for a claim for `windowMs` (in the held rep's working time under `hold`, see
 * {@link claimDeadline}); `realert` past the last tier. Without a decision, a rung that says routing failed.
 */
export function pendingRung(decision: RouteDecision | null, tier: number, now: number, windowMs: number, routingError: string | null, realert = false): EscalationRung {
  if (decision) {
    const { deadlineMs, workingTime } = claimDeadline(now, windowMs, decision.hold);
    return {
      tier: decision.tier,
      eligibleRepIds: decision.eligibleRepIds,
      audience: decision.audience,
      assignees: decision.assignees.map(({ repId, name }) => ({ repId, name })),
      alertedAt: iso(now),
      deadline: iso(deadlineMs),
      outcome: 'pending',
      lastTier: decision.isLastTier,
      deliveries: [],
      ...(realert ? { realert } : {}),
      ...(decision.passedOver ? { passedOver: decision.passedOver } : {}),
      ...(decision.offHours ? { offHours: decision.offHours } : {}),
      ...(workingTime ? { workingTime } : {}),
    };
  }
  return {
    tier,
    eligibleRepIds: [],
    audience: 'rep',
    assignees: [],
    alertedAt: iso(now),
    deadline: iso(now + windowMs),
    outcome: 'pending',
    note: `routing failed: ${routingError}`,
    routingError: routingError ?? 'unknown',
    deliveries: [],
  };
}

/** Records that an alert reached nobody on any of the rep's channels: a fact on the rung, and a note for people. */
export function markUndeliverable(rung: EscalationRung, repId: string): void {
  rung.note = `${rung.note ? `${rung.note}; ` : ''}alert undeliverable to ${repId} on every channel`;
  (rung.undeliverableTo ??= []).push(repId);
}

// ---- transitions -------------------------------------------------------------------------------------

/** What started an escalation: the reply (or manual trigger) and what the readers said about it. */
export interface EscalationCause {
  reason: EscalationReason;
  trigger: Trigger | null;
  messageId: string | null;
  evidence: Evidence[];
  rulesFired: string[];
  rulesVersion: string | null;
  modelVersion?: string | null;
  decidedBy?: Partial<Record<Intent, ReaderName>>;
  note?: string;
  rulesSaidNo?: boolean;
  unclassified?: ClassificationFallback;
}

/**
 * Opens an escalation for `cause`, or, when one is already open, merges the cause into it: the packet learns of
 * the new trigger, and a more urgent one takes over the reason and brings the deadline in (`deadlineMoved`).
 */
export function escalate(
  m: ConversationMemory,
  cause: EscalationCause,
  policy: ConversationPolicy,
  t: Moment,
): { merged: true; deadlineMoved: boolean } | { merged: false; effects: Effects } {
  const open = openRecord(m);
  if (open) {
    addLaterTrigger(open, { reason: cause.reason, messageId: cause.messageId, at: iso(t.now) }, cause.evidence);
    for (const rule of cause.rulesFired) if (!open.rulesFired.includes(rule)) open.rulesFired.push(rule);
    if (cause.note) open.manualNote = joinNotes(open.manualNote, cause.note, MANUAL_NOTE_BYTES);
    if (moreUrgent(cause.reason, open.reason)) {
      open.reason = cause.reason;
      open.trigger = cause.trigger ?? open.trigger;
    }
    const rung = currentRung(open);
    const window = claimWindowMs(policy, cause.reason, false);
    // A rep held off hours keeps the working-time clock: a more urgent trigger shortens the span, not the weekend.
    const held = rung?.workingTime;
    const sooner = held ? addWorkingTime(held.hours, held.timeZone, t.now, window) : t.now + window;
    const deadlineMoved = Boolean(rung && rung.outcome === 'pending' && sooner < Date.parse(rung.deadline));
    if (rung && deadlineMoved) rung.deadline = iso(sooner);
    return { merged: true, deadlineMoved };
  }
  const number = m.escalations.length + 1;
  m.escalations.push({
    number,
    reason: cause.reason,
    trigger: cause.trigger,
    status: 'open',
    escalatedAt: iso(t.now),
    triggeringMessageId: cause.messageId,
    evidence: cause.evidence,
    rulesFired: cause.rulesFired,
    rulesVersion: cause.rulesVersion,
    ...(cause.modelVersion !== undefined ? { modelVersion: cause.modelVersion } : {}),
    ...(cause.decidedBy ? { decidedBy: cause.decidedBy } : {}),
    ...(cause.note ? { manualNote: cause.note } : {}),
    ...(cause.rulesSaidNo !== undefined ? { rulesSaidNo: cause.rulesSaidNo } : {}),
    ...(cause.unclassified ? { unclassified: cause.unclassified } : {}),
    laterTriggers: [],
    rungs: [],
    claimedBy: null,
    claimedAt: null,
    feedback: null,
  });
  return {
    merged: false,
    effects: effects({
      events: [
        {
          eventId: eventIds.escalated(t.conversationId, number),
          kind: 'escalated',
          escalation: number,
          reason: cause.reason,
          trigger: cause.trigger,
          rulesFired: cause.rulesFired,
          evidence: cause.evidence,
          ...(cause.messageId ? { messageId: cause.messageId } : {}),
          ...(cause.rulesVersion ? { rulesVersion: cause.rulesVersion } : {}),
          ...(cause.modelVersion !== undefined ? { modelVersion: cause.modelVersion } : {}),
          ...(cause.decidedBy ? { decidedBy: cause.decidedBy } : {}),
        },
      ],
      stage: 'escalated',
    }),
  };
}

/** `repId` claims `record` (already checked with {@link claimRefusal}): they own the conversation, the ladder stops. */
export function claim(m: ConversationMemory, record: EscalationRecord, repId: string, actor: Actor | undefined, t: Moment): Effects {
  const rung = currentRung(record);
  const { offHours, workingTimeToClaimMs } = offHoursFacts(record, t.now);
  record.status = 'claimed';
  record.claimedBy = repId;
  record.claimedAt = iso(t.now);
  if (rung) rung.outcome = 'claimed';
  m.owner = repId;
  return effects({
    touches: [{ kind: 'claimed', summary: `Claimed by ${repId}`, key: `claim-${record.number}` }],
    events: [
      {
        eventId: eventIds.claimed(t.conversationId, record.number),
        kind: 'claimed',
        escalation: record.number,
        reason: record.reason,
        trigger: record.trigger,
        tier: rung?.tier ?? 0,
        repId,
        timeToClaimMs: t.now - Date.parse(record.escalatedAt),
        ...(offHours ? { offHours } : {}),
        ...(workingTimeToClaimMs !== undefined ? { workingTimeToClaimMs } : {}),
        ...(actor ? { actor } : {}),
      },
    ],
    silence: [{ escalation: record.number, alerts: 'claim' }],
    stage: 'claimed',
  });
}

/**
 * Ownership moves to `repId`. An open escalation counts as claimed by them (its ladder stops); a claimed one
 * changes hands. Returns the escalation moved (if any) and the owner before.
 */
export function reassign(m: ConversationMemory, repId: string, t: Moment): { record: EscalationRecord | undefined; from: string | null; effects: Effects } {
  const record = reassignTarget(m);
  const from = m.owner;
  const silence: Silence[] = [];
  if (record) {
    if (record.status === 'open') {
      const rung = currentRung(record);
      if (rung) rung.outcome = 'claimed';
      record.status = 'claimed';
      record.claimedAt = iso(t.now);
      silence.push({ escalation: record.number, alerts: 'claim' });
    }
    record.claimedBy = repId;
  }
  m.owner = repId;
  return { record, from, effects: effects({ silence, stage: 'claimed' }) };
}

/**
 * Records a reassignment on the escalation (with the ledger event and the CRM touch); returns its entry and its
 * 1-based number, for the alert that tells the new owner.
 */
export function recordReassignment(
  record: EscalationRecord,
  from: string | null,
  to: string,
  actor: Actor,
  t: Moment,
): { entry: NonNullable<EscalationRecord['reassignments']>[number]; number: number; effects: Effects } {
  const entry = { from, to, at: iso(t.now), actor, deliveries: [] };
  const number = (record.reassignments ??= []).push(entry);
  const rung = currentRung(record);
  return {
    entry,
    number,
    effects: effects({
      events: [
        {
          eventId: eventIds.reassigned(t.conversationId, record.number, number),
          kind: 'reassigned',
          escalation: record.number,
          reason: record.reason,
          trigger: record.trigger,
          tier: rung?.tier ?? 0,
          repId: to,
          fromRepId: from,
          actor,
        },
      ],
      touches: [{ kind: 'reassigned', summary: `Reassigned from ${from ?? 'the open escalation'} to ${to}`, key: `esc-${record.number}/reassigned-${number}` }],
    }),
  };
}

/** The owner hands the conversation back: automation resumes from `fromStep` (default: the next unsent) after `delayMs`. */
export function handBack(m: ConversationMemory, input: Pick<HandBackInput, 'fromStep' | 'delayMs'> & { actor?: Actor }, cadenceLength: number, t: Moment): Effects {
  const record = claimedRecord(m);
  const events: EventDraft[] = [];
  if (record) {
    record.status = 'handed_back';
    events.push({
      eventId: eventIds.handedBack(t.conversationId, record.number),
      kind: 'handed_back',
      escalation: record.number,
      reason: record.reason,
      ...(m.owner ? { repId: m.owner } : {}),
      ...(input.actor ? { actor: input.actor } : {}),
    });
  }
  const from = Math.min(input.fromStep ?? m.stepIndex, cadenceLength);
  m.stepIndex = from;
  m.round += 1;
  m.anchor = { step: Math.min(from, cadenceLength - 1), at: iso(t.now + (input.delayMs ?? 0)) };
  m.cadenceDoneAt = from >= cadenceLength ? iso(t.now) : null;
  m.owner = null;
  return effects({ events, stage: 'automating' });
}

/** Stops an open escalation's ladder: its pending rung is cancelled and the escalation ends as `status`. */
function endLadder(record: EscalationRecord, status: 'closed' | 'cancelled'): void {
  const rung = currentRung(record);
  if (rung?.outcome === 'pending') rung.outcome = 'cancelled';
  record.status = status;
}

/** The conversation closes with an outcome: every open or claimed escalation ends, and all their alerts stop. */
export function close(m: ConversationMemory, input: Pick<CloseInput, 'outcome' | 'repId'> & { actor?: Actor }, t: Moment): Effects {
  const silence: Silence[] = [];
  for (const record of m.escalations) {
    if (record.status === 'open' || record.status === 'claimed') {
      endLadder(record, 'closed');
      silence.push({ escalation: record.number, alerts: 'all' });
    }
  }
  m.outcome = input.outcome;
  const repId = input.repId ?? input.actor?.repId;
  const latest = latestRecord(m);
  return effects({
    silence,
    touches: [{ kind: 'closed', summary: `Closed as ${input.outcome}`, key: 'closed' }],
    events: [
      {
        eventId: eventIds.closed(t.conversationId),
        kind: 'closed',
        outcome: input.outcome,
        ...(latest ? { escalation: latest.number } : {}),
        ...(repId ? { repId } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      },
    ],
    stage: 'closed',
  });
}

/**
 * The prospect opted out (or a send found the address suppressed: `suppressed`): an open escalation is cancelled
 * and every escalation's alerts stop. The CRM touch is the caller's: how it is logged depends on the run.
 */
export function optOut(m: ConversationMemory, suppressed: boolean, t: Moment): Effects {
  m.optedOut = true;
  const latest = latestRecord(m);
  const silence: Silence[] = [];
  for (const record of m.escalations) {
    if (record.status === 'open') endLadder(record, 'cancelled');
    silence.push({ escalation: record.number, alerts: 'all' });
  }
  return effects({
    events: [
      {
        eventId: eventIds.optedOut(t.conversationId),
        kind: 'opted_out',
        outcome: 'opted_out',
        ...(suppressed ? { suppressed: true } : {}),
        ...(latest ? { escalation: latest.number } : {}),
      },
    ],
    silence,
    stage: 'opted_out',
  });
}

/** A rep says whether escalation `input.escalation` (default: the latest) was needed. */
export function recordFeedback(m: ConversationMemory, input: Pick<FeedbackInput, 'verdict' | 'note' | 'repId' | 'escalation'> & { actor?: Actor }, t: Moment): Effects {
  const record = m.escalations[(input.escalation ?? m.escalations.length) - 1]!;
  const repId = input.repId ?? input.actor?.repId;
  const at = iso(t.now);
  record.feedback = { verdict: input.verdict, ...(input.note ? { note: input.note } : {}), ...(repId ? { repId } : {}), at };
  return effects({
    events: [
      {
        eventId: eventIds.feedback(t.conversationId, record.number, at),
        kind: 'feedback',
        escalation: record.number,
        reason: record.reason,
        verdict: input.verdict,
        ...(input.note ? { note: input.note } : {}),
        ...(repId ? { repId } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      },
    ],
  });
}
