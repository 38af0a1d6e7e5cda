/**
 * Back-testing readers on the ledger's recorded replies before they are deployed (a rules file, a learned-reader
 * model, or both): which replies would start or stop escalating, which rules (and model versions) would fire more
 * or less, and precision/recall of the escalate decision against what reps said (feedback on escalations, and
 * manual triggers where the readers had said no).
 */
import type { EscalationScore } from '../triggers/evaluate';
import { type Intent, type Trigger, TRIGGER_PRIORITY, isTrigger } from '../triggers';
import { type Readers, classifyWithReaders } from '../triggers/readers';
import type { LedgerEvent } from '../ledger/events';
import { type ReplyTruth, replyKey, replyTruths } from './compute';

/** One verdict on a reply: recorded, or the candidate's. */
export interface BacktestVerdict {
  escalate: boolean;
  trigger: Trigger | null;
  labels: Intent[];
  rulesFired: string[];
}

export type { ReplyTruth } from './compute';

/** A recorded reply whose verdict the candidate changes. The text is shown: reviewing it is the point. */
export interface BacktestChange {
  conversationId: string;
  messageId: string;
  at: string;
  text: string;
  current: BacktestVerdict;
  candidate: BacktestVerdict;
  truth: ReplyTruth | null;
}

/** How often a rule fires on the recorded replies, now and with the candidate. */
export interface RuleFireDelta {
  ruleId: string;
  current: number;
  candidate: number;
}

/** The back-test's result. */
export interface BacktestResult {
  /** The candidate's rules version. */
  candidateVersion: string;
  /** The candidate's learned-reader version, or null when it reads with the rules alone. */
  candidateModelVersion: string | null;
  /** The rules the baseline came from: the given current rule set's version, or the versions recorded. */
  currentVersions: string[];
  /** Distinct replies back-tested. */
  replies: number;
  /** Replies recorded without text (cannot be re-classified). */
  skipped: number;
  started: BacktestChange[];
  stopped: BacktestChange[];
  /** Still escalating, under another trigger. */
  retriggered: BacktestChange[];
  /** Replies with a verdict from reps (positive: `needed` or `missed`). */
  labelled: number;
  current: EscalationScore;
  candidate: EscalationScore;
  /** Rules that fire on a different number of replies, largest change first. */
  rules: RuleFireDelta[];
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function score(pairs: readonly { predicted: boolean; positive: boolean }[]): EscalationScore {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { predicted, positive } of pairs) {
    if (predicted && positive) c.tp++;
    else if (predicted) c.fp++;
    else if (positive) c.fn++;
    else c.tn++;
  }
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

function recorded(e: LedgerEvent): BacktestVerdict {
  const labels = e.labels ?? [];
  const escalate = e.escalate ?? labels.some(isTrigger);
  const trigger = e.trigger ?? (escalate ? (TRIGGER_PRIORITY.find((t) => labels.includes(t)) ?? null) : null);
  const rulesFired = e.rulesFired ?? [...new Set((e.evidence ?? []).map((ev) => ev.rule))];
  return { escalate, trigger, labels, rulesFired };
}

function classify(text: string, readers: Readers, receivedAt: string | undefined): BacktestVerdict {
  const c = classifyWithReaders(text, readers, { receivedAt });
  const modelFired = c.modelVersion && Object.values(c.decidedBy).includes('model') ? [`model:${c.modelVersion}`] : [];
  return {
    escalate: c.escalate,
    trigger: c.trigger,
    labels: c.labels,
    rulesFired: [...new Set([...Object.values(c.rulesFired).flat(), ...modelFired])],
  };
}

/**
 * Re-classifies every recorded reply with the `candidate` readers and compares with the baseline: the verdicts
 * recorded in the ledger, or `current` re-run on the same text when given (so that changes between deployments do
 * not show up as differences).
 */
export function backtest(events: readonly LedgerEvent[], candidate: Readers, current?: Readers): BacktestResult {
  const seen = new Set<string>();
  const replies: LedgerEvent[] = [];
  let skipped = 0;
  for (const e of [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    if (e.kind !== 'reply_classified') continue;
    const id = `${e.conversationId}#${e.messageId ?? e.eventId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (typeof e.text !== 'string') skipped++;
    else replies.push({ ...e, messageId: e.messageId ?? e.eventId });
  }
  const truthOf = replyTruths(events, replies);

  const started: BacktestChange[] = [];
  const stopped: BacktestChange[] = [];
  const retriggered: BacktestChange[] = [];
  const currentPairs: { predicted: boolean; positive: boolean }[] = [];
  const candidatePairs: { predicted: boolean; positive: boolean }[] = [];
  const fires = new Map<string, RuleFireDelta>();
  const versions = new Set<string>();

  for (const reply of replies) {
    const text = reply.text as string;
    const receivedAt = reply.receivedAt ?? reply.at;
    const before = current ? classify(text, current, receivedAt) : recorded(reply);
    const after = classify(text, candidate, receivedAt);
    if (!current && reply.rulesVersion) versions.add(reply.rulesVersion);
    const truth = truthOf.get(replyKey(reply.conversationId, reply.messageId as string)) ?? null;
    const change: BacktestChange = {
      conversationId: reply.conversationId,
      messageId: reply.messageId as string,
      at: reply.at,
      text,
      current: before,
      candidate: after,
      truth,
    };
    if (!before.escalate && after.escalate) started.push(change);
    else if (before.escalate && !after.escalate) stopped.push(change);
    else if (before.escalate && after.escalate && before.trigger !== after.trigger) retriggered.push(change);
    if (truth !== null) {
      const positive = truth !== 'not_needed';
      currentPairs.push({ predicted: before.escalate, positive });
      candidatePairs.push({ predicted: after.escalate, positive });
    }
    for (const ruleId of before.rulesFired) {
      const d = fires.get(ruleId) ?? { ruleId, current: 0, candidate: 0 };
      d.current++;
      fires.set(ruleId, d);
    }
    for (const ruleId of after.rulesFired) {
      const d = fires.get(ruleId) ?? { ruleId, current: 0, candidate: 0 };
      d.candidate++;
      fires.set(ruleId, d);
    }
  }

  return {
    candidateVersion: candidate.rules.version,
    candidateModelVersion: candidate.learned?.version ?? null,
    currentVersions: current ? [current.rules.version] : [...versions].sort(),
    replies: replies.length,
    skipped,
    started,
    stopped,
    retriggered,
    labelled: currentPairs.length,
    current: score(currentPairs),
    candidate: score(candidatePairs),
    rules: [...fires.values()]
      .filter((d) => d.current !== d.candidate)
      .sort((a, b) => Math.abs(b.candidate - b.current) - Math.abs(a.candidate - a.current) || a.ruleId.localeCompare(b.ruleId)),
  };
}
