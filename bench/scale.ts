/**
 * `npm run bench -- --only scale --conversations 1000,10000`: the cluster shape holding N conversations that
 * wait on timers. For each N, on a fresh cluster: N - 1,000 conversations whose first touch waits for tomorrow's
 * send window (they only wait), then 1,000 that send their first touch at once and whose follow-up falls due
 * within one chosen minute. Reports each worker's RSS,
 * the sizes of Temporal's PostgreSQL databases, and how late the thousand first touches are sent (p50/p99/max),
 * beside a floor measured on the same server: 1,000 minimal workflows sleeping until the same spread of instants,
 * then running one activity. Several N print how each figure grows.
 */
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../src/config';
import { startConversation } from '../src/conversations';
import { stateQuery } from '../workflows/messages';
import { sleep } from '../test/helpers/eventually';
import { prospect } from '../test/helpers/prospect';
import { FLOOR_QUEUE, spawnFloorWorker } from './floor/spawn';
import { floorTimerWorkflow } from './floor/workflows';
import { percentile, pool, rssMb, startProgress } from './tools';
import { startShape, TEMPORAL_DATABASES } from './shapes';

/** How many conversations fall due in the measured minute. */
export const DUE_IN_MINUTE = 1000;
const START_CONCURRENCY = 32;
/** Lead time before the measured minute, beyond the time the thousand take to start at the measured rate. */
const LEAD_S = 45;
/** A generous first-touch rate for the lead time: the thousand send theirs before the measured minute. */
const FIRST_TOUCHES_PER_SECOND = 8;

const log = (line: string) => console.log(`[bench] scale: ${line}`);

/** One N's figures. */
export interface ScaleFigures {
  conversations: number;
  loadAverage: number[];
  startRatePerSecond: number;
  workerRssMb: { idle: number[]; waiting: number[] };
  databaseMb: { idle: Record<string, number>; waiting: Record<string, number> };
  /** `measured`: follow-ups whose due instant was read before the minute (their first touch was out by then). */
  wakeUpLatenessMs: { p50: number; p99: number; max: number; sent: number; measured: number; startedLate: number };
  floorLatenessMs: { p50: number; p99: number; max: number; fired: number };
}

const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const mbOf = (sizes: Record<string, number>) => Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, mb(v)]));
const loadAverage = async () => (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);

/** When cadence step `step` of each conversation whose id starts with `prefix` was sent, from the worker's `sent.jsonl`. */
function stepsSent(file: string, prefix: string, step: number): Map<string, number> {
  const sent = new Map<string, number>();
  if (!existsSync(file)) return sent;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /"idempotencyKey":"prospect-([^"/]+)\/round-0\/step-(\d+)"/.exec(line);
    if (!match || !match[1]!.startsWith(prefix) || Number(match[2]) !== step) continue;
    const at = /"sentAt":"([^"]+)"/.exec(line);
    if (at) sent.set(match[1]!, Date.parse(at[1]!));
  }
  return sent;
}

/** Runs one N on a fresh cluster and stops it. */
async function measure(conversations: number): Promise<ScaleFigures> {
  if (conversations < DUE_IN_MINUTE) throw new Error(`--conversations must be at least ${DUE_IN_MINUTE} (got ${conversations})`);
  log(`N = ${conversations}: starting the cluster shape (PostgreSQL, Temporal server, 2 workers)`);
  const { rig, databaseBytes, workerPids } = await startShape('cluster', {});
  const floorWorker = await spawnFloorWorker(rig).catch(async (err: unknown) => {
    await rig.stop();
    throw err;
  });
  try {
    const client = rig.client;
    await sleep(5000);
    const idle = { rss: workerPids().map(rssMb), db: await databaseBytes() };
    log(`idle: worker RSS ${idle.rss.map((r) => r.toFixed(0)).join(' + ')} MB, databases ${JSON.stringify(mbOf(idle.db))} MB`);

    // The conversations that only wait: in UTC, with a send window of tomorrow only, their first touch waits
    // on a timer until then.
    const tomorrow = ((new Date().getUTCDay() + 1) % 7) || 7;
    const tomorrowOnly = { ...rig.config, conversation: { ...rig.config.conversation, businessHours: { start: 0, end: 24, days: [tomorrow] } } } as Config;
    const startWaiting = (id: string) => startConversation(client, tomorrowOnly, { prospect: prospect(id, { timeZone: 'UTC' }) });
    // The thousand: the first touch at once, the follow-up `offsetMs` after the conversation starts.
    const startDue = (id: string, offsetMs: number) =>
      startConversation(client, rig.config, {
        prospect: prospect(id),
        cadence: [
          { name: 'First touch', kind: 'first_touch', offset: '0s', channel: 'email' },
          { name: 'Follow-up', kind: 'follow_up', offset: `${Math.max(1000, Math.round(offsetMs))}ms`, channel: 'email' },
        ],
      });
    const waiting = conversations - DUE_IN_MINUTE;
    const t0 = performance.now();
    const progress = startProgress(waiting + DUE_IN_MINUTE, (k, total, rate) => log(`started ${k}/${total} (${rate.toFixed(1)}/s)`));
    await pool(
      Array.from({ length: waiting }, (_, i) => `wait-${i}`),
      START_CONCURRENCY,
      async (id) => {
        await startWaiting(id);
        progress.tick();
      },
    );
    // The server takes starts faster than the workers run their first workflow tasks: wait until the last
    // waiting conversation has run its first (its timer set), so the thousand do not queue behind them.
    if (waiting > 0) {
      const last = client.workflow.getHandle(`prospect-wait-${waiting - 1}`);
      while ((await last.describe()).historyLength < 4) await sleep(2000);
      log(`the ${waiting} waiting conversations have set their timers (${(waiting / ((performance.now() - t0) / 1000)).toFixed(1)}/s)`);
    }
    const backgroundRate = waiting > 0 ? waiting / ((performance.now() - t0) / 1000) : 20;
    // The measured minute starts once the thousand should all be started, with room to spare.
    const minuteStartsAt = Date.now() + (LEAD_S + (2 * DUE_IN_MINUTE) / backgroundRate + DUE_IN_MINUTE / FIRST_TOUCHES_PER_SECOND) * 1000;
    const chosenDue = new Map<string, number>();
    let startedLate = 0;
    log(`the measured minute starts at ${new Date(minuteStartsAt).toISOString()}`);
    await pool(
      Array.from({ length: DUE_IN_MINUTE }, (_, i) => `due-${i}`),
      START_CONCURRENCY,
      async (id, i) => {
        const due = minuteStartsAt + Math.round((i * 60_000) / DUE_IN_MINUTE);
        if (due <= Date.now()) startedLate++;
        chosenDue.set(id, due);
        await startDue(id, due - Date.now());
        progress.tick();
      },
    );
    progress.stop();
    const startRatePerSecond = conversations / ((performance.now() - t0) / 1000);
    log(`all ${conversations} started (${startRatePerSecond.toFixed(1)}/s); ${startedLate} of the thousand started after their due instant`);

    // Each follow-up's due instant as the conversation computed it (its start, as the workflow saw it, plus the
    // offset), once its first touch is out.
    const sentFile = path.join(rig.dataDir, 'sent.jsonl');
    while (stepsSent(sentFile, 'due-', 0).size < DUE_IN_MINUTE && Date.now() < minuteStartsAt) await sleep(2000);
    log(`${stepsSent(sentFile, 'due-', 0).size} of the thousand first touches sent before the measured minute`);
    const dueAt = new Map<string, number>();
    await pool([...chosenDue.keys()], 16, async (id) => {
      const state = await client.workflow.getHandle(`prospect-${id}`).query(stateQuery).catch(() => null);
      if (state?.nextStep?.index === 1) dueAt.set(id, Date.parse(state.nextStep.at));
    });
    const drift = [...dueAt].map(([id, at]) => at - chosenDue.get(id)!);
    log(`follow-ups' due instants read from ${dueAt.size} conversations (p50 ${percentile(drift, 50)} ms, max ${Math.max(...drift)} ms after the chosen instants)`);

    await sleep(Math.max(5000, minuteStartsAt - Date.now() - 5000));
    const waitingFigures = { rss: workerPids().map(rssMb), db: await databaseBytes() };
    log(`waiting: worker RSS ${waitingFigures.rss.map((r) => r.toFixed(0)).join(' + ')} MB, databases ${JSON.stringify(mbOf(waitingFigures.db))} MB`);

    const giveUpAt = minuteStartsAt + 60_000 + 300_000;
    let sent = stepsSent(sentFile, 'due-', 1);
    while (sent.size < DUE_IN_MINUTE && Date.now() < giveUpAt) {
      await sleep(2000);
      sent = stepsSent(sentFile, 'due-', 1);
    }
    const lateness = [...sent].flatMap(([id, at]) => (dueAt.has(id) ? [at - dueAt.get(id)!] : []));
    log(`${sent.size} of ${DUE_IN_MINUTE} follow-ups sent in the measured minute's wake-up`);

    // The floor: minimal timers due at the same spread of instants, on the same server, from a minute from now.
    const floorFrom = Date.now() + LEAD_S * 1000;
    const floorArrived = new Map<string, number>();
    rig.receiver.onAlert((a) => {
      if (a.key.startsWith('floor-scale-') && !floorArrived.has(a.workflowId)) floorArrived.set(a.workflowId, a.firstAtMs);
    });
    const floorDue = Array.from({ length: DUE_IN_MINUTE }, (_, i) => floorFrom + Math.round((i * 60_000) / DUE_IN_MINUTE));
    await pool(floorDue, START_CONCURRENCY, (due, i) =>
      client.workflow.start(floorTimerWorkflow, { workflowId: `floor-scale-${i}`, taskQueue: FLOOR_QUEUE, args: [due, `floor-scale-${i}/alert`] }),
    );
    while (floorArrived.size < DUE_IN_MINUTE && Date.now() < floorFrom + 60_000 + 300_000) await sleep(1000);
    const floorLateness = floorDue.flatMap((due, i) => (floorArrived.has(`floor-scale-${i}`) ? [floorArrived.get(`floor-scale-${i}`)! - due] : []));

    return {
      conversations,
      loadAverage: await loadAverage(),
      startRatePerSecond,
      workerRssMb: { idle: idle.rss.map(Math.round), waiting: waitingFigures.rss.map(Math.round) },
      databaseMb: { idle: mbOf(idle.db), waiting: mbOf(waitingFigures.db) },
      wakeUpLatenessMs: { p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: Math.max(...lateness), sent: sent.size, measured: lateness.length, startedLate },
      floorLatenessMs: { p50: percentile(floorLateness, 50), p99: percentile(floorLateness, 99), max: Math.max(...floorLateness), fired: floorLateness.length },
    };
  } finally {
    await floorWorker.stop().catch(() => undefined);
    await rig.stop();
  }
}

/** The figures of each N as rows, and for each N after the first how many times it grew from the first. */
export function scaleReport(figures: ScaleFigures[]): string {
  const first = figures[0];
  if (!first) return '';
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const rows: [string, (f: ScaleFigures) => number, (f: ScaleFigures) => number | null][] = [
    ['worker RSS, both workers (MB)', (f) => sum(f.workerRssMb.waiting), (f) => sum(f.workerRssMb.idle)],
    ...TEMPORAL_DATABASES.map((db): [string, (f: ScaleFigures) => number, (f: ScaleFigures) => number | null] => [`database ${db} (MB)`, (f) => f.databaseMb.waiting[db] ?? NaN, (f) => f.databaseMb.idle[db] ?? null]),
    ['wake-up lateness p50 (ms)', (f) => f.wakeUpLatenessMs.p50, (f) => f.floorLatenessMs.p50],
    ['wake-up lateness p99 (ms)', (f) => f.wakeUpLatenessMs.p99, (f) => f.floorLatenessMs.p99],
    ['wake-up lateness max (ms)', (f) => f.wakeUpLatenessMs.max, (f) => f.floorLatenessMs.max],
    ['conversations started per second', (f) => f.startRatePerSecond, () => null],
  ];
  const fmt = (v: number | null) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(1));
  const width = Math.max(...rows.map(([name]) => name.length));
  const head = `${'figure'.padEnd(width)}  ${figures.map((f) => `${`N=${f.conversations}`.padStart(10)} ${'floor'.padStart(8)} ${'ratio'.padStart(6)}`).join('  ')}${figures.length > 1 ? '  growth' : ''}`;
  const lines = rows.map(([name, value, floor]) => {
    const cells = figures.map((f) => {
      const v = value(f);
      const fl = floor(f);
      return `${fmt(v).padStart(10)} ${fmt(fl).padStart(8)} ${(fl ? (v / fl).toFixed(2) : '-').padStart(6)}`;
    });
    const last = figures[figures.length - 1]!;
    const growth = figures.length > 1 ? `  x${(value(last) / value(first)).toFixed(2)}` : '';
    return `${name.padEnd(width)}  ${cells.join('  ')}${growth}`;
  });
  const loads = figures.map((f) => `N=${f.conversations}: load average ${f.loadAverage.join(' ')}`).join('; ');
  return ['', head, ...lines, `floors: RSS and databases of the idle cluster; lateness of minimal timers + one activity on the same server. ${loads}`].join('\n');
}

/** Runs each N in turn on its own cluster, prints the report, writes `bench/results/scale.json`. */
export async function runScaleBench(sizes: number[]): Promise<void> {
  const figures: ScaleFigures[] = [];
  for (const n of sizes) {
    const f = await measure(n);
    figures.push(f);
    log(`N = ${n}: ${JSON.stringify(f)}`);
  }
  console.log(scaleReport(figures));
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'scale.json'), `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
  log('wrote bench/results/scale.json');
}
