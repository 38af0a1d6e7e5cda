/**
 * Scoring the rules against labelled replies: per-label precision/recall/F1, the escalate/don't-escalate
 * confusion matrix, auto-replies that escalated, and every miss. Pure: the CLI (`classify --eval`) and the tests
 * both use it.
 */
import { type Classification, type Evidence, type Intent, INTENTS, isTrigger } from './types';

/** One labelled reply with the engine's verdict on it. */
export interface ScoredReply {
  id: string;
  text: string;
  expected: readonly Intent[];
  predicted: Classification;
}

/** Precision, recall and F1 for one label. A ratio whose denominator is zero is null (undefined, not 0 or 1). */
export interface LabelScore {
  label: Intent;
  /** Replies that carry the label in the gold set. */
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** The escalate/don't-escalate decision scored as a binary classifier; positive = escalate. */
export interface EscalationScore {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** A label the engine missed (false negative) or gave wrongly (false positive) on one reply. */
export interface Miss {
  id: string;
  kind: 'false_negative' | 'false_positive';
  label: Intent;
  text: string;
  expected: Intent[];
  predicted: Intent[];
  evidence: Evidence[];
}

/** The whole evaluation. */
export interface EvaluationReport {
  total: number;
  /** The readers that read the replies, as the report's first line names them (e.g. `rules sha256:…`). */
  readers: string;
  rulesVersion: string | null;
  labels: LabelScore[];
  escalation: EscalationScore;
  /** Ids of gold out-of-office replies that the engine escalated (must be empty). */
  autoRepliesEscalated: string[];
  misses: Miss[];
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function f1(precision: number | null, recall: number | null): number | null {
  if (precision === null || recall === null) return null;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Scores verdicts against gold labels. */
export function evaluate(replies: readonly ScoredReply[], readers?: string): EvaluationReport {
  const counts = new Map<Intent, { tp: number; fp: number; fn: number; support: number }>(
    INTENTS.map((label) => [label, { tp: 0, fp: 0, fn: 0, support: 0 }]),
  );
  const escalation = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const autoRepliesEscalated: string[] = [];
  const misses: Miss[] = [];

  for (const reply of replies) {
    const expected = new Set(reply.expected);
    const predicted = new Set(reply.predicted.labels);
    for (const label of INTENTS) {
      const c = counts.get(label);
      if (!c) continue;
      const inGold = expected.has(label);
      const inPrediction = predicted.has(label);
      if (inGold) c.support++;
      if (inGold && inPrediction) c.tp++;
      else if (inPrediction) c.fp++;
      else if (inGold) c.fn++;
      if (inGold !== inPrediction) {
        misses.push({
          id: reply.id,
          kind: inGold ? 'false_negative' : 'false_positive',
          label,
          text: reply.text,
          expected: [...reply.expected],
          predicted: [...reply.predicted.labels],
          evidence: reply.predicted.evidence,
        });
      }
    }
    const shouldEscalate = reply.expected.some(isTrigger);
    const escalated = reply.predicted.escalate;
    if (shouldEscalate && escalated) escalation.tp++;
    else if (escalated) escalation.fp++;
    else if (shouldEscalate) escalation.fn++;
    else escalation.tn++;
    if (expected.has('out_of_office') && escalated) autoRepliesEscalated.push(reply.id);
  }

  const labels = INTENTS.map((label): LabelScore => {
    const c = counts.get(label) ?? { tp: 0, fp: 0, fn: 0, support: 0 };
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    return { label, ...c, precision, recall, f1: f1(precision, recall) };
  });
  const escalationPrecision = ratio(escalation.tp, escalation.tp + escalation.fp);
  const escalationRecall = ratio(escalation.tp, escalation.tp + escalation.fn);
  return {
    total: replies.length,
    readers: readers ?? `rules ${replies[0]?.predicted.rulesVersion ?? '(none)'}`,
    rulesVersion: replies[0]?.predicted.rulesVersion ?? null,
    labels,
    escalation: {
      ...escalation,
      precision: escalationPrecision,
      recall: escalationRecall,
      f1: f1(escalationPrecision, escalationRecall),
    },
    autoRepliesEscalated,
    misses,
  };
}

function score(value: number | null): string {
  return value === null ? '  n/a' : value.toFixed(3);
}

/** A readable, plain-text rendering of a report: the per-label table, the confusion matrix and the misses. */
export function formatReport(report: EvaluationReport): string {
  const lines: string[] = [];
  lines.push(`Evaluated ${report.total} replies with ${report.readers}`, '');
  const width = Math.max(...report.labels.map((l) => l.label.length), 'label'.length);
  lines.push(`${'label'.padEnd(width)}  support   tp   fp   fn  precision  recall     f1`);
  for (const l of report.labels) {
    lines.push(
      `${l.label.padEnd(width)}  ${String(l.support).padStart(7)} ${String(l.tp).padStart(4)} ${String(l.fp).padStart(4)} ${String(l.fn).padStart(4)}  ${score(l.precision).padStart(9)}  ${score(l.recall).padStart(6)}  ${score(l.f1).padStart(5)}`,
    );
  }
  const e = report.escalation;
  lines.push(
    '',
    'Escalation (rows: gold, columns: predicted)',
    `                    escalate  don't escalate`,
    `  escalate          ${String(e.tp).padStart(8)}  ${String(e.fn).padStart(14)}`,
    `  don't escalate    ${String(e.fp).padStart(8)}  ${String(e.tn).padStart(14)}`,
    `  precision ${score(e.precision)}  recall ${score(e.recall)}  f1 ${score(e.f1)}`,
    '',
    `Auto-replies escalated: ${report.autoRepliesEscalated.length === 0 ? 'none' : report.autoRepliesEscalated.join(', ')}`,
  );
  lines.push('', report.misses.length === 0 ? 'No misses.' : `Misses (${report.misses.length}):`);
  for (const m of report.misses) {
    const kind = m.kind === 'false_negative' ? 'missed' : 'wrongly gave';
    lines.push(`  ${m.id}: ${kind} ${m.label} (expected ${m.expected.join(', ')}; got ${m.predicted.join(', ')})`);
    lines.push(`    text: ${JSON.stringify(m.text)}`);
    for (const ev of m.evidence) lines.push(`    evidence: ${ev.label} ← ${ev.rule} [${ev.start}, ${ev.end}) ${JSON.stringify(ev.text)}`);
  }
  return lines.join('\n');
}
