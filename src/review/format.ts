/**
 * Plain-text renderings of the review and the back-test, for a terminal.
 */
import type { BacktestChange, BacktestResult, BacktestVerdict } from './backtest';
import { type Review, type TriggerReview, ESCALATION_OUTCOMES } from './compute';

/** A duration for people: `45s`, `7m 05s`, `1h 05m`, `2d 03h`; `–` for none. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad(Math.floor((s % 86_400) / 3600))}h`;
}

/**
 * A trigger's in-hours and off-hours figures, after its name: escalations and time to claim in hours; escalations,
 * wall and working time to claim off hours; ladders ended unclaimed. The text and HTML reviews show the same cells.
 */
export function hoursCells(t: TriggerReview): string[] {
  return [
    String(t.inHours.escalations),
    formatDuration(t.inHours.timeToClaimMs.p50),
    formatDuration(t.inHours.timeToClaimMs.p90),
    String(t.offHours.escalations),
    formatDuration(t.offHours.timeToClaimMs.p50),
    formatDuration(t.offHours.timeToClaimMs.p90),
    formatDuration(t.offHours.workingTimeToClaimMs.p50),
    formatDuration(t.offHours.workingTimeToClaimMs.p90),
    String(t.endedUnclaimed),
  ];
}

/** A share as a whole percentage; `–` for none. */
export function formatRate(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)}%`;
}

/** Lays out rows as a table with a header rule; the first column is left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function outcomesText(t: TriggerReview): string {
  const parts = ESCALATION_OUTCOMES.filter((o) => t.outcomes[o] > 0).map((o) => `${o.replace('_', ' ')} ${t.outcomes[o]}`);
  return parts.length ? parts.join(', ') : '–';
}

/** The review as text: the per-trigger table, outcomes, rule quality, unclaimed and missed escalations. */
export function formatReview(review: Review): string {
  const out: string[] = [];
  const window = review.window.since ? `since ${review.window.since}` : 'all time';
  out.push(`Escalation review, ${window} (as of ${review.window.now})`);
  out.push(`${review.replies.classified} replies classified, ${review.replies.escalating} escalating; ${review.totals.escalations} escalations; ${review.totals.repMessages} messages reps wrote on them.`, '');
  const rows = [...review.triggers, review.totals].map((t) => [
    t.reason === 'all' ? 'all' : t.reason,
    String(t.escalations),
    formatDuration(t.replyToAlertMs.p50),
    formatDuration(t.replyToAlertMs.p90),
    formatDuration(t.timeToClaimMs.p50),
    formatDuration(t.timeToClaimMs.p90),
    formatRate(t.reEscalationRate),
    String(t.unclaimedNow),
    String(t.falseEscalations),
    String(t.missedEscalations),
    String(t.meetingsBooked),
  ]);
  out.push(
    table(
      ['trigger', 'count', 'alert p50', 'alert p90', 'claim p50', 'claim p90', 're-esc', 'unclaimed', 'false', 'missed', 'meetings'],
      rows,
    ),
  );
  out.push('', 'In and off hours (escalations routed off hours counted apart; working time in the held rep’s hours)');
  out.push(
    table(
      ['trigger', 'in hours', 'claim p50', 'claim p90', 'off hours', 'wall p50', 'wall p90', 'working p50', 'working p90', 'ended unclaimed'],
      [...review.triggers, review.totals].map((t) => [t.reason, ...hoursCells(t)]),
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  out.push('', 'Outcomes');
  for (const t of [...review.triggers, review.totals]) if (t.escalations > 0) out.push(`  ${t.reason.padEnd(13)} ${outcomesText(t)}`);

  out.push('', 'Rule quality (most false escalations first)');
  if (review.rules.length === 0) out.push('  no rule-driven escalations in the window');
  else
    out.push(
      table(
        ['rule', 'fired', 'confirmed', 'false', 'no feedback', 'precision'],
        review.rules.map((r) => [r.ruleId, String(r.fired), String(r.confirmed), String(r.false), String(r.unreviewed), formatRate(r.precision)]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );

  out.push('', 'By reader version (newest first)');
  if (review.readers.length === 0) out.push('  no replies classified in the window');
  else
    out.push(
      table(
        ['rules', 'model', 'replies', 'escalating', 'by model', 'confirmed', 'false', 'missed'],
        review.readers.map((r) => [
          r.rulesVersion ?? '(unrecorded)',
          r.modelVersion ?? '(none)',
          String(r.replies),
          String(r.escalating),
          String(r.decidedByModel),
          String(r.confirmed),
          String(r.falseEscalations),
          String(r.missedEscalations),
        ]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );

  out.push('', `Unclaimed now:${review.unclaimed.length === 0 ? ' none' : ''}`);
  const now = Date.parse(review.window.now);
  for (const u of review.unclaimed) {
    out.push(
      `  ${u.conversationId} (${u.company}) escalation ${u.escalation}, ${u.reason}, tier ${u.tier}, waiting ${formatDuration(now - Date.parse(u.escalatedAt))}`,
    );
  }
  out.push('', `Missed escalations (manual triggers after the rules said no):${review.missed.length === 0 ? ' none' : ''}`);
  for (const m of review.missed) out.push(`  ${m.conversationId} (${m.company}) at ${m.at}, ${m.reason}`);
  return out.join('\n');
}

function verdictText(v: BacktestVerdict): string {
  return v.escalate ? `escalate (${v.trigger ?? '?'})` : `no (${v.labels.join(', ') || 'none'})`;
}

function oneLine(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function changeLines(title: string, changes: readonly BacktestChange[]): string[] {
  const lines = ['', `${title} (${changes.length})`];
  for (const c of changes) {
    const truth = c.truth === null ? '' : `; reps said: ${c.truth.replace('_', ' ')}`;
    lines.push(`  ${c.conversationId} ${c.messageId} at ${c.at}: ${verdictText(c.current)} → ${verdictText(c.candidate)}${truth}`);
    lines.push(`    "${oneLine(c.text)}"`);
  }
  return lines;
}

/** The back-test as text: changed verdicts with their replies, precision/recall before and after, rule deltas. */
export function formatBacktest(result: BacktestResult): string {
  const score = (v: number | null) => (v === null ? '–' : v.toFixed(3));
  const out: string[] = [];
  out.push(
    `Back-test of rules ${result.candidateVersion}${result.candidateModelVersion ? ` with learned reader ${result.candidateModelVersion}` : ' alone'} against ${result.currentVersions.join(', ') || 'the recorded verdicts'}`,
    `${result.replies} recorded replies re-classified${result.skipped ? `, ${result.skipped} skipped (no text)` : ''}; ${result.labelled} with reps' verdicts.`,
  );
  out.push(...changeLines('Would start escalating', result.started));
  out.push(...changeLines('Would stop escalating', result.stopped));
  out.push(...changeLines('Would escalate under another trigger', result.retriggered));
  out.push('', 'Against reps\' feedback and manual triggers');
  out.push(
    table(
      ['rules', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall'],
      (
        [
          ['current', result.current],
          ['candidate', result.candidate],
        ] as const
      ).map(([name, s]) => [name, String(s.tp), String(s.fp), String(s.fn), String(s.tn), score(s.precision), score(s.recall)]),
    )
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n'),
  );
  out.push('', `Rules firing differently:${result.rules.length === 0 ? ' none' : ''}`);
  for (const r of result.rules) out.push(`  ${r.ruleId}: ${r.current} → ${r.candidate} replies`);
  return out.join('\n');
}
