/**
 * Scores the readers side by side on labelled replies: the rules alone, the learned reader alone, and both
 * combined as the worker runs them. Pure over its inputs; used by `handoff classify --eval` and the training
 * report.
 */
import { asksSomething, classifyReply, escalation, finalLabels, ownWordsOf } from '../classify';
import { readComposed } from '../compose';
import { type EvaluationReport, evaluate } from '../evaluate';
import type { RuleSet } from '../rules';
import { classifyWithReaders } from '../readers';
import { type Classification, type Intent, isTrigger } from '../types';
import { type LearnedReader, floorTrigger, readReply } from './reader';

/** Which verdict to score. */
export type ReaderChoice = 'rules' | 'model' | 'both';

/** A labelled reply to score. */
export interface LabelledReply {
  id: string;
  text: string;
  labels: readonly Intent[];
  receivedAt?: string;
}

/**
 * The learned reader's verdict alone, shaped as a classification (an out-of-office reading drops triggers; the
 * escalation floor applies). It reads the reply with its letters and marks composed, as both readers do.
 */
export function modelOnly(text: string, reader: LearnedReader, ruleSet: RuleSet): Classification {
  return readComposed(text, (composed) => readAlone(composed, reader, ruleSet));
}

function readAlone(text: string, reader: LearnedReader, ruleSet: RuleSet): Classification {
  const scan = ownWordsOf(text);
  const verdict = readReply(reader, scan);
  const autoReply = verdict.labels.includes('out_of_office');
  const read = verdict.labels.filter((l) => !(autoReply && isTrigger(l)));
  const floor = autoReply ? null : floorTrigger(reader, verdict, read, asksSomething(scan));
  const labels = finalLabels(floor ? [...read, floor] : read);
  return {
    labels,
    ...escalation(labels, ruleSet.triggerPriority),
    evidence: [],
    rulesFired: {},
    returnDate: null,
    snoozeUntil: null,
    autoReply,
    autoReplyRules: [],
    rulesVersion: verdict.modelVersion,
  };
}

/** One verdict by the chosen reader(s). */
export function verdictOf(choice: ReaderChoice, reply: LabelledReply, ruleSet: RuleSet, reader: LearnedReader | null): Classification {
  if (choice === 'model') {
    if (!reader) throw new Error('no learned reader loaded');
    return modelOnly(reply.text, reader, ruleSet);
  }
  const options = reply.receivedAt ? { receivedAt: reply.receivedAt } : {};
  if (choice === 'rules' || !reader) return classifyReply(reply.text, ruleSet, options);
  return classifyWithReaders(reply.text, { rules: ruleSet, learned: reader }, options);
}

/** Scores one reader choice on labelled replies. */
export function scoreReaders(choice: ReaderChoice, replies: readonly LabelledReply[], ruleSet: RuleSet, reader: LearnedReader | null): EvaluationReport {
  return evaluate(replies.map((r) => ({ id: r.id, text: r.text, expected: r.labels, predicted: verdictOf(choice, r, ruleSet, reader) })));
}

function fixed(value: number | null): string {
  return value === null ? '  n/a' : value.toFixed(3);
}

/** A compact side-by-side table of several reports: per-label P/R/F1 and the escalation figures. */
export function formatSideBySide(reports: ReadonlyArray<[string, EvaluationReport]>): string {
  const lines: string[] = [];
  const header = ['label'.padEnd(14), 'support', ...reports.map(([name]) => `${name.padStart(17)}`)].join(' ');
  lines.push(header, `${''.padEnd(22)} ${reports.map(() => '    P     R    F1').join(' ')}`);
  const first = reports[0]?.[1];
  for (const [i, label] of (first?.labels ?? []).entries()) {
    const cells = reports.map(([, r]) => {
      const l = r.labels[i]!;
      return `${fixed(l.precision)} ${fixed(l.recall)} ${fixed(l.f1)}`.replace(/0\./g, '.');
    });
    lines.push([label.label.padEnd(14), String(label.support).padStart(7), ...cells.map((c) => c.padStart(17))].join(' '));
  }
  lines.push('');
  for (const [name, r] of reports) {
    const e = r.escalation;
    lines.push(
      `${name.padEnd(6)} escalation P ${fixed(e.precision)} R ${fixed(e.recall)} F1 ${fixed(e.f1)}  (tp ${e.tp}, fn ${e.fn}, fp ${e.fp}, tn ${e.tn}); auto-replies escalated: ${r.autoRepliesEscalated.length}`,
    );
  }
  return lines.join('\n');
}
