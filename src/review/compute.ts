/**
 * The review's figures, computed from ledger events: per escalation reason (the four triggers and `manual`),
 * how many escalations, how fast alerts went out and claims came in, how many went up the ladder, how many are
 * still unclaimed, how many reps said were not needed, how many the rules missed, and how they ended; and per
 * rule id, how often it fired and what reps said about it. Pure: events in, figures out.
 */
import { ESCALATION_REASONS, type CloseOutcome, type EscalationReason } from '../../workflows/messages';
import type { LedgerEvent } from '../ledger/events';

/** Why an escalation happened: a trigger, or `manual`. */
export type ReviewReason = EscalationReason;

/** The rows of the review, in the order they are shown (most urgent trigger first). */
export const REVIEW_REASONS: readonly ReviewReason[] = ESCALATION_REASONS;

/** How an escalation ended, or where it stands. */
export type EscalationOutcome = CloseOutcome | 'opted_out' | 'handed_back' | 'in_progress' | 'unclaimed';

/** Every outcome, in the order they are shown. */
export const ESCALATION_OUTCOMES: readonly EscalationOutcome[] = [
  'won',
  'lost',
  'disqualified',
  'no_response',
  'opted_out',
  'handed_back',
  'in_progress',
  'unclaimed',
];

/** The middle and the 90th percentile (nearest rank) of a set of durations, in ms; null when there are none. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p90: number | null;
}

/** The figures of one escalation reason (or of all of them: `all`). */
export interface TriggerReview {
  reason: ReviewReason | 'all';
  escalations: number;
  /** From the triggering reply's receipt to the escalation's first alert. */
  replyToAlertMs: Percentiles;
  /** From the escalation to its claim (wall time, all escalations). */
  timeToClaimMs: Percentiles;
  /** Escalations routed in working hours, and their time to claim. */
  inHours: { escalations: number; timeToClaimMs: Percentiles };
  /**
   * Escalations routed off hours (followed the sun or held), counted apart: their time to claim in wall time, and in
   * working time (the held rep's hours; an escalation that followed the sun was handled by someone at work, so its
   * working time is its wall time).
   */
  offHours: { escalations: number; timeToClaimMs: Percentiles; workingTimeToClaimMs: Percentiles };
  /** Escalations whose ladder ended unclaimed at the re-alert cap (the managers were told). */
  endedUnclaimed: number;
  /** Escalations on which the rep booked a meeting with the buyer. */
  meetingsBooked: number;
  /** Messages reps wrote to the buyers themselves during these escalations (`rep_message`). */
  repMessages: number;
  /** Escalations that went past tier 1. */
  reEscalated: number;
  reEscalationRate: number | null;
  /** Escalations with no claim, close or opt-out yet. */
  unclaimedNow: number;
  /** Feedback `needed`. */
  confirmed: number;
  /** Feedback `not_needed`: false escalations. */
  falseEscalations: number;
  /** Manual triggers after the rules had said no; counted under the trigger the manual trigger named (else `manual`). */
  missedEscalations: number;
  outcomes: Record<EscalationOutcome, number>;
}

/** What reps said about one rule: escalations it fired in, and the feedback on those. */
export interface RuleQuality {
  ruleId: string;
  fired: number;
  confirmed: number;
  false: number;
  /** Fired, with no feedback yet. */
  unreviewed: number;
  /** confirmed / (confirmed + false); null without feedback. */
  precision: number | null;
}

/** One escalation, assembled from its events. */
export interface EscalationSummary {
  conversationId: string;
  prospectId: string;
  company: string;
  escalation: number;
  reason: ReviewReason;
  escalatedAt: string;
  rulesFired: string[];
  /** Highest tier alerted. */
  tier: number;
  replyToAlertMs: number | null;
  timeToClaimMs: number | null;
  /** For an escalation held off hours: its time to claim in the held rep's working time. */
  workingTimeToClaimMs: number | null;
  /** How it was routed off hours, if it was. */
  offHours: 'follow_the_sun' | 'hold' | null;
  /** Its ladder ended unclaimed at the re-alert cap. */
  endedUnclaimed: boolean;
  /** The rep booked a meeting with the buyer on it. */
  meetingBooked: boolean;
  /** Messages reps wrote to the buyer themselves while it was the latest escalation. */
  repMessages: number;
  claimedBy: string | null;
  verdict: 'needed' | 'not_needed' | null;
  outcome: EscalationOutcome;
}

/** A manual trigger on a reply the rules had said no to. */
export interface MissedEscalation {
  conversationId: string;
  company: string;
  at: string;
  reason: ReviewReason;
  note?: string;
}

/** The buckets of the time-to-claim distribution: upper bounds in ms (the last is open). */
export const TIME_TO_CLAIM_BUCKETS: readonly { label: string; maxMs: number }[] = [
  { label: '< 1 min', maxMs: 60_000 },
  { label: '1–5 min', maxMs: 5 * 60_000 },
  { label: '5–15 min', maxMs: 15 * 60_000 },
  { label: '15–30 min', maxMs: 30 * 60_000 },
  { label: '30–60 min', maxMs: 60 * 60_000 },
  { label: '1–2 h', maxMs: 2 * 3_600_000 },
  { label: '2–4 h', maxMs: 4 * 3_600_000 },
  { label: '4–24 h', maxMs: 24 * 3_600_000 },
  { label: '> 24 h', maxMs: Number.POSITIVE_INFINITY },
];

/** What one combination of reader versions did in the window, and what reps said about it. */
export interface ReaderVersionReview {
  rulesVersion: string | null;
  modelVersion: string | null;
  /** When these versions first and last classified a reply in the window. */
  firstAt: string;
  lastAt: string;
  replies: number;
  escalating: number;
  /** Replies with a label only the learned reader gave. */
  decidedByModel: number;
  /** Escalations reps confirmed, called not needed, or had to start by hand after the readers said no. */
  confirmed: number;
  falseEscalations: number;
  missedEscalations: number;
}

/** What reps said about a reply, as far as the ledger knows. */
export type ReplyTruth = 'needed' | 'not_needed' | 'missed';

/** The whole review. */
export interface Review {
  /** The window: escalations that started at or after `since` (all when null), as of `now`. */
  window: { since: string | null; now: string };
  /** Replies classified in the window, and how many of them the rules escalated. */
  replies: { classified: number; escalating: number };
  totals: TriggerReview;
  triggers: TriggerReview[];
  /** Rules behind the most false escalations first. */
  rules: RuleQuality[];
  /** Per version of the readers (rules and learned model) that classified the window's replies, newest first. */
  readers: ReaderVersionReview[];
  /** Escalations per UTC day and reason, every day of the window. */
  perDay: { day: string; counts: Record<ReviewReason, number> }[];
  /** Claims per time-to-claim bucket ({@link TIME_TO_CLAIM_BUCKETS}) and reason. */
  timeToClaimHistogram: Record<ReviewReason, number[]>;
  /** Unclaimed escalations, longest waiting first. */
  unclaimed: EscalationSummary[];
  missed: MissedEscalation[];
  escalations: EscalationSummary[];
}

/** Options of {@link computeReview}. */
export interface ReviewOptions {
  /** The review's "now" (ISO); events after it are ignored. */
  now: string;
  /** Only escalations (and replies, manual triggers) at or after this instant (ISO). */
  since?: string;
}

interface Assembly {
  summary: EscalationSummary;
  firstAlertAt: number;
  claimedAt: number;
  feedbackAt: number;
  handedBackAt: number;
  endedAt: number;
  endOutcome: EscalationOutcome | null;
}

const time = (iso: string): number => Date.parse(iso);

/** The p-th percentile (0–1) by nearest rank: the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

function percentiles(values: readonly number[]): Percentiles {
  return { count: values.length, p50: percentile(values, 0.5), p90: percentile(values, 0.9) };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function emptyOutcomes(): Record<EscalationOutcome, number> {
  return Object.fromEntries(ESCALATION_OUTCOMES.map((o) => [o, 0])) as Record<EscalationOutcome, number>;
}

function reasonOf(event: LedgerEvent): ReviewReason {
  const reason = event.reason ?? event.trigger ?? 'manual';
  return (REVIEW_REASONS as readonly string[]).includes(reason) ? (reason as ReviewReason) : 'manual';
}

function byTime(a: LedgerEvent, b: LedgerEvent): number {
  return time(a.at) - time(b.at) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * Puts each escalation's events together. An event names its escalation by number; one that does not belongs
 * to the conversation's latest escalation at or before it.
 */
export function assembleEscalations(events: readonly LedgerEvent[]): EscalationSummary[] {
  const sorted = [...events].sort(byTime);
  const byKey = new Map<string, Assembly>();
  const perConversation = new Map<string, Assembly[]>();

  for (const e of sorted) {
    if (e.kind !== 'escalated') continue;
    const list = perConversation.get(e.conversationId) ?? [];
    const number = e.escalation ?? list.length + 1;
    const key = `${e.conversationId}#${number}`;
    if (byKey.has(key)) continue;
    const a: Assembly = {
      summary: {
        conversationId: e.conversationId,
        prospectId: e.prospectId,
        company: e.company,
        escalation: number,
        reason: reasonOf(e),
        escalatedAt: e.at,
        rulesFired: [...new Set(e.rulesFired ?? [])],
        tier: e.tier ?? 1,
        replyToAlertMs: null,
        timeToClaimMs: null,
        workingTimeToClaimMs: null,
        offHours: null,
        endedUnclaimed: false,
        meetingBooked: false,
        repMessages: 0,
        claimedBy: null,
        verdict: null,
        outcome: 'unclaimed',
      },
      firstAlertAt: Number.POSITIVE_INFINITY,
      claimedAt: Number.POSITIVE_INFINITY,
      feedbackAt: Number.NEGATIVE_INFINITY,
      handedBackAt: Number.POSITIVE_INFINITY,
      endedAt: Number.POSITIVE_INFINITY,
      endOutcome: null,
    };
    byKey.set(key, a);
    list.push(a);
    perConversation.set(e.conversationId, list);
  }

  const owner = (e: LedgerEvent): Assembly | undefined => {
    if (e.escalation !== undefined) return byKey.get(`${e.conversationId}#${e.escalation}`);
    const list = perConversation.get(e.conversationId) ?? [];
    let found: Assembly | undefined;
    for (const a of list) if (time(a.summary.escalatedAt) <= time(e.at)) found = a;
    return found;
  };

  for (const e of sorted) {
    const a = owner(e);
    if (!a) continue;
    const at = time(e.at);
    const s = a.summary;
    switch (e.kind) {
      case 'alerted':
        if (e.tier !== undefined) s.tier = Math.max(s.tier, e.tier);
        s.offHours ??= e.offHours ?? null;
        if (at < a.firstAlertAt) {
          a.firstAlertAt = at;
          s.replyToAlertMs = e.replyToAlertMs ?? null;
        }
        break;
      case 're_escalated':
        s.tier = Math.max(s.tier, e.tier ?? s.tier + 1);
        break;
      case 'claimed':
        if (at < a.claimedAt) {
          a.claimedAt = at;
          s.claimedBy = e.repId ?? null;
          s.timeToClaimMs = e.timeToClaimMs ?? at - time(s.escalatedAt);
          s.workingTimeToClaimMs = e.workingTimeToClaimMs ?? null;
          s.offHours ??= e.offHours ?? null;
        }
        break;
      case 'unclaimed':
        s.endedUnclaimed = true;
        s.offHours ??= e.offHours ?? null;
        break;
      case 'meeting_booked':
        s.meetingBooked = true;
        break;
      case 'rep_message':
        s.repMessages++;
        break;
      case 'handed_back':
        a.handedBackAt = Math.min(a.handedBackAt, at);
        break;
      case 'feedback':
        // The latest word counts: a rep may change their mind.
        if (at >= a.feedbackAt && e.verdict) {
          a.feedbackAt = at;
          s.verdict = e.verdict;
        }
        break;
      case 'closed':
      case 'opted_out':
        if (at < a.endedAt) {
          a.endedAt = at;
          a.endOutcome = e.kind === 'opted_out' ? 'opted_out' : (e.outcome ?? 'no_response');
        }
        break;
      default:
        break;
    }
  }

  const summaries: EscalationSummary[] = [];
  for (const a of byKey.values()) {
    const s = a.summary;
    // A close after the rep handed the conversation back is the conversation's, not this escalation's.
    if (a.endOutcome && a.endedAt <= a.handedBackAt) s.outcome = a.endOutcome;
    else if (Number.isFinite(a.handedBackAt)) s.outcome = 'handed_back';
    else if (Number.isFinite(a.claimedAt)) s.outcome = 'in_progress';
    else s.outcome = 'unclaimed';
    summaries.push(s);
  }
  return summaries.sort((x, y) => time(x.escalatedAt) - time(y.escalatedAt) || x.conversationId.localeCompare(y.conversationId));
}

function figures(reason: ReviewReason | 'all', escalations: readonly EscalationSummary[], missed: number): TriggerReview {
  const outcomes = emptyOutcomes();
  for (const e of escalations) outcomes[e.outcome]++;
  const reEscalated = escalations.filter((e) => e.tier > 1).length;
  const claimTimes = (list: readonly EscalationSummary[]) => percentiles(list.flatMap((e) => (e.timeToClaimMs === null ? [] : [e.timeToClaimMs])));
  const inHours = escalations.filter((e) => e.offHours === null);
  const offHours = escalations.filter((e) => e.offHours !== null);
  return {
    reason,
    escalations: escalations.length,
    replyToAlertMs: percentiles(escalations.flatMap((e) => (e.replyToAlertMs === null ? [] : [e.replyToAlertMs]))),
    timeToClaimMs: claimTimes(escalations),
    inHours: { escalations: inHours.length, timeToClaimMs: claimTimes(inHours) },
    offHours: {
      escalations: offHours.length,
      timeToClaimMs: claimTimes(offHours),
      workingTimeToClaimMs: percentiles(offHours.flatMap((e) => (e.timeToClaimMs === null ? [] : [e.workingTimeToClaimMs ?? e.timeToClaimMs]))),
    },
    endedUnclaimed: escalations.filter((e) => e.endedUnclaimed).length,
    meetingsBooked: escalations.filter((e) => e.meetingBooked).length,
    repMessages: escalations.reduce((n, e) => n + e.repMessages, 0),
    reEscalated,
    reEscalationRate: ratio(reEscalated, escalations.length),
    unclaimedNow: outcomes.unclaimed,
    confirmed: escalations.filter((e) => e.verdict === 'needed').length,
    falseEscalations: escalations.filter((e) => e.verdict === 'not_needed').length,
    missedEscalations: missed,
    outcomes,
  };
}

/** Rule quality from escalations: rules behind the most false escalations first, then the most fired. */
export function ruleQuality(escalations: readonly EscalationSummary[]): RuleQuality[] {
  const rules = new Map<string, RuleQuality>();
  for (const e of escalations) {
    for (const ruleId of e.rulesFired) {
      const r = rules.get(ruleId) ?? { ruleId, fired: 0, confirmed: 0, false: 0, unreviewed: 0, precision: null };
      r.fired++;
      if (e.verdict === 'needed') r.confirmed++;
      else if (e.verdict === 'not_needed') r.false++;
      else r.unreviewed++;
      rules.set(ruleId, r);
    }
  }
  return [...rules.values()]
    .map((r) => ({ ...r, precision: ratio(r.confirmed, r.confirmed + r.false) }))
    .sort((a, b) => b.false - a.false || b.fired - a.fired || a.ruleId.localeCompare(b.ruleId));
}

function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function zeroCounts(): Record<ReviewReason, number> {
  return Object.fromEntries(REVIEW_REASONS.map((r) => [r, 0])) as Record<ReviewReason, number>;
}

/** Computes the review of the events (see {@link Review}). */
export function computeReview(events: readonly LedgerEvent[], options: ReviewOptions): Review {
  const now = time(options.now);
  const since = options.since === undefined ? null : time(options.since);
  const inWindow = (iso: string) => time(iso) <= now && (since === null || time(iso) >= since);
  const known = events.filter((e) => time(e.at) <= now);

  const escalations = assembleEscalations(known).filter((e) => inWindow(e.escalatedAt));
  const missed: MissedEscalation[] = known
    .filter((e) => e.kind === 'manual_trigger' && e.rulesSaidNo === true && inWindow(e.at))
    .sort(byTime)
    .map((e) => ({
      conversationId: e.conversationId,
      company: e.company,
      at: e.at,
      reason: e.trigger ?? 'manual',
      ...(e.note === undefined ? {} : { note: e.note }),
    }));

  const triggers = REVIEW_REASONS.map((reason) =>
    figures(
      reason,
      escalations.filter((e) => e.reason === reason),
      missed.filter((m) => m.reason === reason).length,
    ),
  );

  const replyIds = new Set<string>();
  let escalating = 0;
  for (const e of known) {
    if (e.kind !== 'reply_classified' || !inWindow(e.at)) continue;
    const id = `${e.conversationId}#${e.messageId ?? e.eventId}`;
    if (replyIds.has(id)) continue;
    replyIds.add(id);
    if (e.escalate) escalating++;
  }

  const dayCounts = new Map<string, Record<ReviewReason, number>>();
  const first = since ?? (escalations[0] ? time(escalations[0].escalatedAt) : now);
  for (let day = Date.parse(`${utcDay(first)}T00:00:00Z`); day <= now; day += 86_400_000) dayCounts.set(utcDay(day), zeroCounts());
  for (const e of escalations) {
    const counts = dayCounts.get(utcDay(time(e.escalatedAt)));
    if (counts) counts[e.reason]++;
  }

  const histogram = Object.fromEntries(REVIEW_REASONS.map((r) => [r, TIME_TO_CLAIM_BUCKETS.map(() => 0)])) as Record<
    ReviewReason,
    number[]
  >;
  for (const e of escalations) {
    if (e.timeToClaimMs === null) continue;
    const bucket = TIME_TO_CLAIM_BUCKETS.findIndex((b) => e.timeToClaimMs! < b.maxMs);
    histogram[e.reason][bucket]! += 1;
  }

  return {
    window: { since: since === null ? null : new Date(since).toISOString(), now: new Date(now).toISOString() },
    replies: { classified: replyIds.size, escalating },
    totals: figures('all', escalations, missed.length),
    triggers,
    rules: ruleQuality(escalations),
    readers: readerVersions(known, inWindow),
    perDay: [...dayCounts].map(([day, counts]) => ({ day, counts })),
    timeToClaimHistogram: histogram,
    unclaimed: escalations
      .filter((e) => e.outcome === 'unclaimed')
      .sort((a, b) => time(a.escalatedAt) - time(b.escalatedAt)),
    missed,
    escalations,
  };
}

/** The review per reader versions (see {@link ReaderVersionReview}). */
function readerVersions(events: readonly LedgerEvent[], inWindow: (iso: string) => boolean): ReaderVersionReview[] {
  const replies = new Map<string, LedgerEvent>();
  for (const e of events) {
    if (e.kind === 'reply_classified' && inWindow(e.at)) replies.set(replyKey(e.conversationId, e.messageId ?? e.eventId), e);
  }
  const truths = replyTruths(events, [...replies.values()].map((r) => ({ ...r, messageId: r.messageId ?? r.eventId })));
  const rows = new Map<string, ReaderVersionReview>();
  for (const [key, e] of replies) {
    const id = `${e.rulesVersion ?? ''}|${e.modelVersion ?? ''}`;
    let row = rows.get(id);
    if (!row) {
      row = {
        rulesVersion: e.rulesVersion ?? null,
        modelVersion: e.modelVersion ?? null,
        firstAt: e.at,
        lastAt: e.at,
        replies: 0,
        escalating: 0,
        decidedByModel: 0,
        confirmed: 0,
        falseEscalations: 0,
        missedEscalations: 0,
      };
      rows.set(id, row);
    }
    if (time(e.at) < time(row.firstAt)) row.firstAt = e.at;
    if (time(e.at) > time(row.lastAt)) row.lastAt = e.at;
    row.replies++;
    if (e.escalate) row.escalating++;
    if (Object.values(e.decidedBy ?? {}).includes('model')) row.decidedByModel++;
    const truth = truths.get(key);
    if (truth === 'needed') row.confirmed++;
    else if (truth === 'not_needed') row.falseEscalations++;
    else if (truth === 'missed') row.missedEscalations++;
  }
  return [...rows.values()].sort((a, b) => time(b.lastAt) - time(a.lastAt));
}

/** The key of a reply in {@link replyTruths}. */
export function replyKey(conversationId: string, messageId: string): string {
  return `${conversationId}#${messageId}`;
}

/**
 * Each reply's truth: the feedback on the escalation it started (`needed`/`not_needed`), or `missed` when a
 * manual trigger followed it after the rules had said no (the conversation's latest reply before the trigger).
 * Keyed by {@link replyKey}.
 */
export function replyTruths(events: readonly LedgerEvent[], replies: readonly LedgerEvent[]): Map<string, ReplyTruth> {
  const result = new Map<string, ReplyTruth>();
  const key = replyKey;
  const escalations = assembleEscalations(events);
  const escalatedEvents = events.filter((e) => e.kind === 'escalated' && e.reason !== 'manual');
  const repliesByConversation = new Map<string, LedgerEvent[]>();
  for (const r of replies) repliesByConversation.set(r.conversationId, [...(repliesByConversation.get(r.conversationId) ?? []), r]);

  for (const esc of escalatedEvents) {
    const summary = escalations.find(
      (s) => s.conversationId === esc.conversationId && s.escalatedAt === esc.at && (esc.escalation === undefined || s.escalation === esc.escalation),
    );
    if (!summary?.verdict) continue;
    let messageId = esc.messageId;
    if (messageId === undefined) {
      // Without the triggering message id: the conversation's latest reply at or before the escalation.
      const before = (repliesByConversation.get(esc.conversationId) ?? []).filter((r) => Date.parse(r.at) <= Date.parse(esc.at));
      messageId = before.at(-1)?.messageId;
    }
    if (messageId !== undefined) result.set(key(esc.conversationId, messageId), summary.verdict);
  }
  for (const manual of events) {
    if (manual.kind !== 'manual_trigger' || manual.rulesSaidNo !== true) continue;
    const before = (repliesByConversation.get(manual.conversationId) ?? []).filter((r) => Date.parse(r.at) <= Date.parse(manual.at));
    const last = before.at(-1);
    if (last?.messageId !== undefined) result.set(key(manual.conversationId, last.messageId), 'missed');
  }
  return result;
}

