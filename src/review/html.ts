/**
 * The review as one self-contained HTML file: headline figures, three Chart.js charts (time to claim,
 * escalations per day by trigger, precision per rule) and the tables, with the chart library and the data
 * inlined, so it opens offline and makes no network request. Its content security policy allows its two scripts
 * by their SHA-256 hashes and nothing else: no 'unsafe-inline', so nothing injected into the page can run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BacktestResult } from './backtest';
import { type Review, type ReviewReason, ESCALATION_OUTCOMES, REVIEW_REASONS, TIME_TO_CLAIM_BUCKETS } from './compute';
import { formatDuration, formatRate, hoursCells } from './format';

/** Colours per reason, shared by the charts and the tables. */
const COLOURS: Record<ReviewReason, string> = {
  human_request: '#d1495b',
  buying_intent: '#00798c',
  pricing: '#edae49',
  technical: '#66a182',
  manual: '#8d6a9f',
};

const LABELS: Record<ReviewReason, string> = {
  human_request: 'Human request',
  buying_intent: 'Buying intent',
  pricing: 'Pricing',
  technical: 'Technical',
  manual: 'Manual',
};

let chartJs: string | undefined;

/** Chart.js's UMD build from node_modules (read once). */
function chartLibrary(): string {
  // The package's exports map hides dist/; its main entry sits beside the UMD build.
  chartJs ??= readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Inline script text may not contain `</script` (or `<!--`); JSON and the library are escaped for it. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function card(label: string, value: string, note = ''): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="note">${escapeHtml(note)}</div>` : ''}</div>`;
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[], options: { numeric?: (i: number) => boolean; className?: string } = {}): string {
  const numeric = options.numeric ?? ((i: number) => i > 0);
  const cls = (i: number) => (numeric(i) ? ' class="num"' : '');
  const head = header.map((h, i) => `<th${cls(i)}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${options.className ? ` class="${options.className}"` : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function reasonCell(reason: ReviewReason | 'all'): string {
  if (reason === 'all') return '<strong>All</strong>';
  return `<span class="dot" style="background:${COLOURS[reason]}"></span>${LABELS[reason]}`;
}

function backtestSection(result: BacktestResult): string {
  const score = (v: number | null) => (v === null ? '–' : v.toFixed(2));
  const changes = [...result.started.map((c) => ['starts', c] as const), ...result.stopped.map((c) => ['stops', c] as const), ...result.retriggered.map((c) => ['changes trigger', c] as const)];
  const rows = changes.map(([what, c]) => [
    `<span class="tag ${what.replace(' ', '-')}">${what}</span>`,
    escapeHtml(c.conversationId),
    escapeHtml(`${c.current.escalate ? c.current.trigger : 'no'} → ${c.candidate.escalate ? c.candidate.trigger : 'no'}`),
    escapeHtml(c.truth?.replace('_', ' ') ?? '–'),
    `<span class="quote">${escapeHtml(c.text.length > 240 ? `${c.text.slice(0, 239)}…` : c.text)}</span>`,
  ]);
  return `<section><h2>Back-test: rules ${escapeHtml(result.candidateVersion)}${result.candidateModelVersion ? `, learned reader ${escapeHtml(result.candidateModelVersion)}` : ''}</h2>
<p class="muted">${result.replies} recorded replies re-classified${result.skipped ? `, ${result.skipped} without text skipped` : ''}; ${result.labelled} with reps' verdicts. Baseline: ${escapeHtml(result.currentVersions.join(', ') || 'recorded verdicts')}.</p>
<div class="cards">${card('Would start escalating', String(result.started.length))}${card('Would stop escalating', String(result.stopped.length))}${card('Precision', `${score(result.current.precision)} → ${score(result.candidate.precision)}`)}${card('Recall', `${score(result.current.recall)} → ${score(result.candidate.recall)}`)}</div>
${rows.length ? tableHtml(['change', 'conversation', 'verdict', 'reps said', 'reply'], rows, { numeric: () => false, className: 'wide' }) : '<p class="muted">No reply changes its verdict.</p>'}
</section>`;
}

/** Options of {@link renderReviewHtml}. */
export interface HtmlOptions {
  backtest?: BacktestResult;
  title?: string;
}

/** The page's own script: draws the three charts from the data block. */
const CHARTS_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('review-data').textContent);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#52606d';
  Chart.defaults.animation = false;
  var grid = { color: '#eef1f4' };
  function stacked(id, labels, series, yTitle, xTitle) {
    return new Chart(document.getElementById(id), {
      type: 'bar',
      data: {
        labels: labels,
        datasets: data.reasons.map(function (r) {
          return { label: r.label, data: series[r.id], backgroundColor: r.colour, borderRadius: 3, maxBarThickness: 42 };
        })
      },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } } },
        scales: {
          x: { stacked: true, grid: { display: false }, title: { display: !!xTitle, text: xTitle } },
          y: { stacked: true, beginAtZero: true, grid: grid, ticks: { precision: 0 }, title: { display: true, text: yTitle } }
        }
      }
    });
  }
  stacked('chart-per-day', data.days, data.perDay, 'escalations');
  stacked('chart-time-to-claim', data.buckets, data.timeToClaim, 'claims', 'time from escalation to claim');
  // Precision as the confirmed share of each rule's reviewed escalations, the false share beside it: a rule at 0%
  // still shows a (red) bar.
  new Chart(document.getElementById('chart-rule-precision'), {
    type: 'bar',
    data: {
      labels: data.rules.map(function (r) { return r.id; }),
      datasets: [
        { label: 'confirmed', data: data.rules.map(function (r) { return Math.round(r.precision * 100); }), backgroundColor: '#66a182', borderRadius: 3, maxBarThickness: 22 },
        { label: 'false', data: data.rules.map(function (r) { return 100 - Math.round(r.precision * 100); }), backgroundColor: '#d1495b', borderRadius: 3, maxBarThickness: 22 }
      ]
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { callbacks: { label: function (ctx) { var r = data.rules[ctx.dataIndex]; return ctx.datasetIndex === 0 ? 'precision ' + ctx.parsed.x + '% (' + r.confirmed + ' confirmed)' : r.false + ' false'; } } }
      },
      scales: {
        x: { stacked: true, min: 0, max: 100, grid: grid, ticks: { callback: function (v) { return v + '%'; } }, title: { display: true, text: 'share of escalations with feedback' } },
        y: { stacked: true, grid: { display: false }, ticks: { font: { family: 'ui-monospace, Menlo, Consolas, monospace', size: 11 } } }
      }
    }
  });
})();
`;

/**
 * The CSP source that allows exactly this inline script and nothing else: the report is one self-contained file,
 * so its scripts are allowed by hash rather than with 'unsafe-inline'.
 */
export function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** Renders the review (and a back-test, when given) as one self-contained HTML document. */
export function renderReviewHtml(review: Review, options: HtmlOptions = {}): string {
  const library = scriptSafe(chartLibrary());
  const t = review.totals;
  const title = options.title ?? 'Handoff escalation review';
  const window = review.window.since ? `${review.window.since.slice(0, 16).replace('T', ' ')} – ${review.window.now.slice(0, 16).replace('T', ' ')} UTC` : `all time, as of ${review.window.now.slice(0, 16).replace('T', ' ')} UTC`;
  const reviewed = t.confirmed + t.falseEscalations;

  const chartData = {
    reasons: REVIEW_REASONS.map((r) => ({ id: r, label: LABELS[r], colour: COLOURS[r] })),
    buckets: TIME_TO_CLAIM_BUCKETS.map((b) => b.label),
    timeToClaim: review.timeToClaimHistogram,
    days: review.perDay.map((d) => d.day),
    perDay: Object.fromEntries(REVIEW_REASONS.map((r) => [r, review.perDay.map((d) => d.counts[r])])),
    rules: review.rules
      .filter((r) => r.precision !== null)
      .map((r) => ({ id: r.ruleId, precision: r.precision, confirmed: r.confirmed, false: r.false })),
  };

  const triggerRows = [...review.triggers, review.totals].map((r) => [
    reasonCell(r.reason),
    String(r.escalations),
    formatDuration(r.replyToAlertMs.p50),
    formatDuration(r.replyToAlertMs.p90),
    formatDuration(r.timeToClaimMs.p50),
    formatDuration(r.timeToClaimMs.p90),
    formatRate(r.reEscalationRate),
    String(r.unclaimedNow),
    String(r.falseEscalations),
    String(r.missedEscalations),
  ]);
  const hoursRows = [...review.triggers, review.totals].map((r) => [reasonCell(r.reason), ...hoursCells(r)]);
  const outcomeRows = [...review.triggers, review.totals]
    .filter((r) => r.escalations > 0)
    .map((r) => [reasonCell(r.reason), ...ESCALATION_OUTCOMES.map((o) => (r.outcomes[o] ? String(r.outcomes[o]) : '<span class="muted">0</span>'))]);
  const ruleRows = review.rules.map((r) => [
    `<code>${escapeHtml(r.ruleId)}</code>`,
    String(r.fired),
    String(r.confirmed),
    r.false ? `<strong class="bad">${r.false}</strong>` : '0',
    String(r.unreviewed),
    formatRate(r.precision),
  ]);
  const now = Date.parse(review.window.now);
  const unclaimedRows = review.unclaimed.map((u) => [
    escapeHtml(`${u.company} (${u.conversationId})`),
    reasonCell(u.reason),
    String(u.tier),
    formatDuration(now - Date.parse(u.escalatedAt)),
  ]);
  const missedRows = review.missed.map((m) => [escapeHtml(`${m.company} (${m.conversationId})`), reasonCell(m.reason), escapeHtml(m.at.replace('T', ' ').slice(0, 16))]);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${scriptHash(library)} ${scriptHash(CHARTS_SCRIPT)}; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
:root { --ink:#1f2933; --muted:#6b7785; --line:#e4e7eb; --bg:#f5f7fa; --card:#fff; --bad:#c0392b; --good:#2e7d32; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; color:var(--ink); background:var(--bg); }
header { background:#102a43; color:#fff; padding:28px 40px 24px; }
header h1 { margin:0; font-size:24px; font-weight:600; letter-spacing:-0.01em; }
header p { margin:4px 0 0; color:#bcccdc; }
main { max-width:1180px; margin:0 auto; padding:24px 40px 48px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(140px,1fr)); gap:14px; margin:0 0 24px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.card .label { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card .value { font-size:26px; font-weight:600; margin-top:2px; }
.card .note { color:var(--muted); font-size:12px; }
.charts { display:grid; grid-template-columns:1fr 1fr; gap:16px; }
.panel, section { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:16px 18px; margin-bottom:16px; }
.panel.full { grid-column:1 / -1; }
.panel h2, section h2 { font-size:15px; margin:0 0 10px; font-weight:600; }
.chart { position:relative; height:280px; }
table { border-collapse:collapse; width:100%; font-variant-numeric:tabular-nums; }
th, td { padding:7px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.03em; }
td.num, th.num { text-align:right; white-space:nowrap; }
tbody tr:last-child td { border-bottom:none; }
tr:hover td { background:#fafbfc; }
.dot { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:8px; vertical-align:middle; }
.muted { color:var(--muted); }
.bad { color:var(--bad); }
code { font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; }
.quote { color:#334e68; font-style:italic; }
.tag { font-size:11px; padding:2px 8px; border-radius:10px; background:#e4e7eb; white-space:nowrap; }
.tag.starts { background:#fde2e1; color:#9b1c1c; } .tag.stops { background:#def7ec; color:#03543f; }
table.wide td { white-space:normal; }
footer { color:var(--muted); font-size:12px; margin-top:24px; }
@media (max-width: 860px) { .charts { grid-template-columns:1fr; } main, header { padding-left:16px; padding-right:16px; } }
</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(window)} · ${review.replies.classified} replies classified, ${review.replies.escalating} escalating</p></header>
<main>
<div class="cards">
${card('Escalations', String(t.escalations))}
${card('Time to claim', formatDuration(t.timeToClaimMs.p50), `median · p90 ${formatDuration(t.timeToClaimMs.p90)}`)}
${card('Reply to alert', formatDuration(t.replyToAlertMs.p50), `median · p90 ${formatDuration(t.replyToAlertMs.p90)}`)}
${card('Unclaimed now', String(t.unclaimedNow))}
${card('Re-escalated', formatRate(t.reEscalationRate), `${t.reEscalated} went past tier 1`)}
${card('False escalations', String(t.falseEscalations), reviewed ? `${formatRate(t.falseEscalations / reviewed)} of ${reviewed} with feedback` : 'no feedback yet')}
${card('Missed escalations', String(t.missedEscalations), 'manual triggers the rules said no to')}
</div>
<div class="charts">
<div class="panel full"><h2>Escalations per day, by trigger</h2><div class="chart"><canvas id="chart-per-day" aria-label="Escalations per day by trigger" role="img"></canvas></div></div>
<div class="panel"><h2>Time to claim</h2><div class="chart"><canvas id="chart-time-to-claim" aria-label="Time to claim distribution" role="img"></canvas></div></div>
<div class="panel"><h2>Precision per rule (from reps' feedback)</h2><div class="chart"><canvas id="chart-rule-precision" aria-label="Precision per rule" role="img"></canvas></div>${chartData.rules.length ? '' : '<p class="muted">No feedback on rule-driven escalations yet.</p>'}</div>
</div>
<section><h2>Per trigger</h2>
${tableHtml(['trigger', 'count', 'reply→alert p50', 'p90', 'time to claim p50', 'p90', 're-escalated', 'unclaimed', 'false', 'missed'], triggerRows)}
</section>
<section><h2>In and off hours</h2>
<p class="muted">Escalations routed off hours (followed the sun, or held for the owner's shift) are counted apart; their time to claim in wall time and in working time (the held rep's hours).</p>
${tableHtml(['trigger', 'in hours', 'claim p50', 'p90', 'off hours', 'wall p50', 'p90', 'working p50', 'p90', 'ended unclaimed'], hoursRows)}
</section>
<section><h2>Outcomes</h2>
${outcomeRows.length ? tableHtml(['trigger', ...ESCALATION_OUTCOMES.map((o) => o.replace('_', ' '))], outcomeRows) : '<p class="muted">No escalations in this window.</p>'}
</section>
<section><h2>Rule quality, most false escalations first</h2>
${ruleRows.length ? tableHtml(['rule', 'fired', 'confirmed', 'false', 'no feedback', 'precision'], ruleRows) : '<p class="muted">No rule-driven escalations in this window.</p>'}
</section>
<section><h2>Unclaimed now</h2>
${unclaimedRows.length ? tableHtml(['conversation', 'trigger', 'tier', 'waiting'], unclaimedRows, { numeric: (i) => i > 1 }) : '<p class="muted">Every escalation has been claimed.</p>'}
</section>
<section><h2>Missed escalations</h2>
${missedRows.length ? tableHtml(['conversation', 'trigger', 'manual trigger at'], missedRows, { numeric: (i) => i > 1 }) : '<p class="muted">No manual triggers after the rules said no.</p>'}
</section>
${options.backtest ? backtestSection(options.backtest) : ''}
<footer>Generated by handoff review at ${escapeHtml(review.window.now)}. Percentiles by nearest rank.</footer>
</main>
<script id="review-data" type="application/json">${scriptSafe(JSON.stringify(chartData))}</script>
<script>${library}</script>
<script>${CHARTS_SCRIPT}</script>
</body>
</html>
`;
}
