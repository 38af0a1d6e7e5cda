/**
 * Benchmark of the escalation ledger: appends per second (batches of 6 events, one escalation's worth, as the
 * ledger activity sends them) on the SQLite file and on a throwaway PostgreSQL, re-appends of the same batches
 * (retries, all duplicates), and reading a 7-day window plus computing the review over it.
 * Run: `npx tsx bench/ledger.bench.ts`. Prints a table and a final JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LedgerEvent } from '../src/ledger/events';
import { TRIGGERS } from '../workflows/vocabulary';
import { createPostgresLedger } from '../src/ledger/postgres';
import { createSqliteLedger } from '../src/ledger/sqlite';
import type { LedgerStore } from '../src/ledger/store';
import { computeReview } from '../src/review/compute';
import { startTestPostgres } from '../test/helpers/postgres';

const ESCALATIONS = 2000;
const NOW = Date.parse('2025-03-10T12:00:00Z');

function escalation(n: number): LedgerEvent[] {
  const conversationId = `prospect-${n}`;
  const start = NOW - 3_600_000 - ((n * 7919_000) % (6 * 86_400_000));
  const at = (ms: number) => new Date(start + ms).toISOString();
  const base = { conversationId, prospectId: String(n), company: `Company ${n % 97}` };
  const reason = TRIGGERS[n % TRIGGERS.length]!;
  return [
    { ...base, eventId: `${conversationId}/msg-1/classified`, kind: 'reply_classified', at: at(0), messageId: 'msg-1', text: 'How much would 40 seats cost?', labels: [reason], escalate: true, rulesFired: [`${reason}.rule`] },
    { ...base, eventId: `${conversationId}/esc-1/escalated`, kind: 'escalated', at: at(2000), escalation: 1, reason, trigger: reason, tier: 1, rulesFired: [`${reason}.rule`] },
    { ...base, eventId: `${conversationId}/esc-1/rung-1/alerted`, kind: 'alerted', at: at(20_000), escalation: 1, tier: 1, replyToAlertMs: 20_000 + (n % 40) * 1000 },
    { ...base, eventId: `${conversationId}/esc-1/claimed`, kind: 'claimed', at: at(300_000), escalation: 1, timeToClaimMs: 60_000 + (n % 60) * 30_000 },
    { ...base, eventId: `${conversationId}/esc-1/feedback`, kind: 'feedback', at: at(400_000), escalation: 1, verdict: n % 5 === 0 ? 'not_needed' : 'needed' },
    { ...base, eventId: `${conversationId}/closed`, kind: 'closed', at: at(900_000), escalation: 1, outcome: n % 3 === 0 ? 'won' : 'lost' },
  ];
}

const batches = Array.from({ length: ESCALATIONS }, (_, n) => escalation(n));

async function measure(store: LedgerStore) {
  await store.migrate();
  let t = performance.now();
  for (const batch of batches) await store.append(batch);
  const appendMs = performance.now() - t;
  t = performance.now();
  for (const batch of batches.slice(0, 500)) await store.append(batch);
  const retryMs = performance.now() - t;
  t = performance.now();
  const events = await store.query({ since: new Date(NOW - 7 * 86_400_000).toISOString() });
  const review = computeReview(events, { now: new Date(NOW).toISOString(), since: new Date(NOW - 7 * 86_400_000).toISOString() });
  const reviewMs = performance.now() - t;
  if (review.totals.escalations !== ESCALATIONS) throw new Error(`expected ${ESCALATIONS} escalations, got ${review.totals.escalations}`);
  await store.close();
  return {
    eventsPerSecond: (ESCALATIONS * 6) / (appendMs / 1000),
    batchesPerSecond: ESCALATIONS / (appendMs / 1000),
    retryBatchesPerSecond: 500 / (retryMs / 1000),
    reviewMs,
  };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-ledger-bench-'));
  const pg = await startTestPostgres();
  try {
    const rows = [
      { name: 'sqlite', ...(await measure(createSqliteLedger(path.join(dir, 'ledger.sqlite')))) },
      { name: 'postgres', ...(await measure(createPostgresLedger(await pg.createDatabase('bench')))) },
    ];
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`ledger benchmark: ${ESCALATIONS} escalations × 6 events, appended one escalation per call\n`);
    console.log('store     events/s  appends/s  retried appends/s  7-day review (ms)');
    for (const r of rows) {
      console.log(`${r.name.padEnd(8)}  ${fmt(r.eventsPerSecond).padStart(8)}  ${fmt(r.batchesPerSecond).padStart(9)}  ${fmt(r.retryBatchesPerSecond).padStart(17)}  ${fmt(r.reviewMs).padStart(17)}`);
    }
    console.log(JSON.stringify({ bench: 'ledger', escalations: ESCALATIONS, ...Object.fromEntries(rows.map((r) => [r.name, { eventsPerSecond: Math.round(r.eventsPerSecond), appendsPerSecond: Math.round(r.batchesPerSecond), retriedAppendsPerSecond: Math.round(r.retryBatchesPerSecond), reviewMs: Math.round(r.reviewMs) }])) }));
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
