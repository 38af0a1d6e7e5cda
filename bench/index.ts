/**
 * `npm run bench`: Handoff's benchmarks on a real dev server (SQLite file), each figure beside a floor measured in
 * the same run on the same server, printed as a table and written to `bench/results/latest.json`.
 *
 * 1. reply-to-alert latency: HTTP POST of a pricing reply to the API, until the tier-1 alert reaches a loopback
 *    webhook receiver; floor: a minimal workflow that, on a signal sent by a minimal HTTP handler, runs one
 *    activity posting to the same receiver. Replies and floor signals take turns in blocks of 25 at the same rate;
 *    the first turn warms both up and is left out of both figures. The slowest replies are printed whole.
 * 2. throughput: conversations started with their first touch sent per second; floor: empty workflows started and
 *    completed per second. Conversations and empty workflows take turns in blocks of 100.
 * 3. deadline precision: how late re-escalations fire after their claim deadlines, with all deadlines due within
 *    one minute; floor: minimal workflows sleeping until the same instants, then posting.
 * 4. scale: conversations waiting on timers (1,000, then `--scale`): worker memory, server database size per
 *    conversation, history events per conversation after a full cadence.
 * 5. classification speed: `bench/classify.bench.ts`, run as a child process.
 * 6. enrolment: prospects started per second through `POST /v1/conversations/batch` (chunks of 500, one after
 *    another, as `handoff conversation import` sends them); floor: bare starts of empty workflows through the
 *    Temporal client with the batch's concurrency.
 *
 * Options: `--quick` (small sizes, a smoke run), `--skip <phases>` (comma-separated: deadlines, history, scale,
 * classify, enrol), `--only enrol` (that phase alone; `--only classify`: the classification phase alone, no server started), `--profile` (a CPU profile of the worker in `bench/results/profiles/`), `--n <count>` (conversations per phase, default 1000),
 * `--rate <per second>` (reply rate, default 10), `--scale <count>` (largest scale step, default 10000; stops early when the worker's RSS passes `--rss-limit` MB,
 * default 6000),
 * `--pragma <PRAGMA=VALUE>` (repeatable; dev server SQLite settings), `--worker '<json>'` (WorkerOptions overrides
 * for the Handoff worker), `--shape dev|cluster|both` (where the Temporal figures run, `bench/shapes.ts`; dev by
 * default; `both` runs each shape in turn and prints them side by side), `--only scale --conversations 1000,10000`
 * (the cluster shape holding that many waiting conversations, `bench/scale.ts`), `--histories <dir>` (the history
 * phase's escalated conversations' events, as JSON). Everything runs on 127.0.0.1 and stops by itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { WorkflowHandle } from '@temporalio/client';
import { buildApi } from '../src/api/server';
import { generateApiKey, hashApiKey } from '../src/api/auth';
import { ConfigSchema, loadConfig, type Config } from '../src/config';
import { startConversation } from '../src/conversations';
import type { CrmTouch } from '../src/outreach/crm';
import { readJournal } from '../src/outreach/journal';
import { BATCH_CONCURRENCY } from '../src/api/batchStart';
import { claimUpdate, closeUpdate, replySignal, stateQuery } from '../workflows/messages';
import { eventually, sleep } from '../test/helpers/eventually';
import { prospect } from '../test/helpers/prospect';
import { localActivityType } from '../test/helpers/conversation';
import { pricingReply, type FaultRig } from '../test/helpers/faults/rig';
import type { WorkerProcess } from '../test/helpers/faults/workerProcess';
import { meanBreakdown, replyToAlertSegments } from './breakdown';
import { floorAlertWorkflow, floorEmptyWorkflow, floorGoSignal, floorTimerWorkflow } from './floor/workflows';
import { FLOOR_QUEUE, spawnFloorWorker } from './floor/spawn';
import { runScaleBench } from './scale';
import { parseShapes, resultsFile, runEachShape, startShape, totalBytes } from './shapes';
import { parseCounts, percentile as pct, pool, rssMb } from './tools';

// ---- options ------------------------------------------------------------------------------------------------

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const N = Number(option('n') ?? (quick ? 100 : 1000));
const RATE = Number(option('rate') ?? 10);
/** The scale step stops adding conversations when the worker's RSS passes this. */
const RSS_LIMIT_MB = Number(option('rss-limit') ?? 6000);
const SCALE = Number(option('scale') ?? (quick ? 500 : 10_000));
const PRAGMA_ARGS = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--pragma' ? [a] : []));
/** `--pragma none` runs the server with SQLite's own defaults; no `--pragma` runs the configured ones. */
const PRAGMAS = PRAGMA_ARGS.includes('none') ? [] : PRAGMA_ARGS.length ? PRAGMA_ARGS : ConfigSchema.parse({}).temporal.devServer.sqlitePragmas;
const WORKER_OPTIONS = option('worker');
/** `--profile`: the Handoff worker writes a V8 CPU profile to `bench/results/profiles/` when it stops. */
const PROFILE = process.argv.includes('--profile');
/** Phases left out (`--skip deadlines,history,scale,classify`), for quicker runs while tuning one figure. */
const SKIP = new Set((option('skip') ?? '').split(',').filter(Boolean));
/** `--only enrol`: run that phase alone (the others need minutes). */
const ONLY = option('only');
if (ONLY !== undefined && ONLY !== 'enrol' && ONLY !== 'history' && ONLY !== 'scale' && ONLY !== 'classify') throw new Error(`--only takes enrol, history, scale or classify (not ${ONLY})`);
/** `--shape`: the dev server (default), the cluster shape, or both one after the other. */
const SHAPES = parseShapes(option('shape'));
/** `--histories <dir>`: the history phase writes each escalated conversation's events there as JSON, to read where they go. */
const HISTORIES_DIR = option('histories');
if (HISTORIES_DIR) mkdirSync(HISTORIES_DIR, { recursive: true });
/** `--only scale --conversations 1000,10000`: the cluster holding each count of waiting conversations in turn. */
const SCALE_COUNTS = parseCounts(option('conversations') ?? '1000');
/** Prospects per batch request in the enrolment phase, as `handoff conversation import` sends them. */
const ENROL_CHUNK = 500;
/** Deadlines fall due from this long after the last deadline-phase reply (and the floor's timers from this long after they start). */
const DEADLINE_S = 40;
const START_CONCURRENCY = 32;
/** Replies, then as many floor signals (or the other way round), per turn of the latency phase. */
const LATENCY_BLOCK = 25;
/**
 * The latency phase's first turn (a block of replies and a block of floor signals) warms both paths up (code
 * compiled, pools and connections opened) and is left out of their figures, as a benchmark harness's warm-up round;
 * its own figures are printed beside them.
 */
const LATENCY_WARMUP = LATENCY_BLOCK;
/** Conversations, then as many empty workflows (or the other way round), per turn of the throughput phase. */
const THROUGHPUT_BLOCK = 100;
/** The scale step's most conversations started and still waiting for their first touch. */
const SCALE_BACKLOG = 256;

const log = (line: string) => console.log(`[bench] ${line}`);

// ---- small tools ------------------------------------------------------------------------------------------

/** Calls `fire(i)` for i in [0, count) at a steady `perSecond`, without waiting for each; resolves when all settled. */
async function atSteadyRate(count: number, perSecond: number, fire: (i: number) => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(fire(i));
  }
  await Promise.all(inFlight);
}

/** Waits for `done()` up to `timeoutMs`; returns false (and the caller reports what is missing) instead of throwing. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (done()) return true;
    await sleep(250);
  }
  return done();
}

/** Whether the CRM journal (`crm.jsonl` in the data directory) has the claim of this conversation. */
async function crmClaimed(dataDir: string, conversationId: string): Promise<boolean> {
  const file = path.join(dataDir, 'crm.jsonl');
  if (!existsSync(file)) return false;
  return (await readJournal<CrmTouch>(file)).some((t) => t.conversationId === conversationId && t.kind === 'claimed');
}

/** Counts first touches in `sent.jsonl` as it grows, reading only what was appended. */
class FirstTouchCounter {
  private offset = 0;
  private partial = '';
  readonly seen = new Set<string>();
  constructor(private readonly file: string) {}
  poll(): void {
    if (!existsSync(this.file)) return;
    const size = statSync(this.file).size;
    if (size <= this.offset) return;
    const fd = openSync(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const lines = (this.partial + buffer.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        const match = /"idempotencyKey":"(prospect-[^"/]+)\/round-0\/step-0"/.exec(line);
        if (match) this.seen.add(match[1]!);
      }
    } finally {
      closeSync(fd);
    }
  }
  count(prefix: string): number {
    let n = 0;
    for (const id of this.seen) if (id.startsWith(`prospect-${prefix}-`)) n++;
    return n;
  }
}

function withConversation(config: Config, conversation: Record<string, unknown>): Config {
  return { ...config, conversation: { ...config.conversation, ...conversation } } as Config;
}

/**
 * History events per conversation, counted from the server's own histories: conversations through a full 4-step
 * cadence (seconds apart) to no-response, and conversations escalated, claimed and closed, once at a rep's pace and
 * once with their state polled by queries throughout; with what the rep-paced ones' events are (means per
 * conversation, by event type and by activity), so a change to the history shows where.
 */
async function historyPhase({ client, config, receiver }: Pick<FaultRig, 'client' | 'config' | 'receiver'>, rows: Row[], details: Record<string, unknown>): Promise<void> {
  const histCount = quick ? 5 : 20;
  log(`history: ${histCount} conversations through a full 4-step cadence (seconds apart) to no-response; ${histCount} escalated, claimed and closed at a rep's pace, and ${histCount} with their state polled throughout`);
  const fastCadence = withConversation(config, {
    cadence: [0, 1, 2, 3].map((s, i) => ({ name: `Step ${i + 1}`, kind: i === 0 ? 'first_touch' : i === 3 ? 'break_up' : 'follow_up', offset: `${s}s`, channel: 'email' })),
    replyWindow: '2s',
  });
  const cadenceHandles = await Promise.all(
    Array.from({ length: histCount }, async (_, i) => (await startConversation(client, fastCadence, { prospect: prospect(`hist-cadence-${i}`) })).handle),
  );
  await Promise.all(cadenceHandles.map((h) => h.result()));
  const cadenceEvents = await Promise.all(cadenceHandles.map(async (h) => (await h.describe()).historyLength));
  // Escalated on the bench's own cadence (the follow-up days away), so every one goes first touch, reply, claim, close.
  const escalate = async (name: string, pacing: 'rep' | 'polled') => {
    const handles = await Promise.all(Array.from({ length: histCount }, async (_, i) => (await startConversation(client, config, { prospect: prospect(`${name}-${i}`) })).handle));
    await Promise.all(
      handles.map(async (h) => {
        await eventually(async () => (await h.query(stateQuery)).sent.length >= 1 || undefined, 'first touch');
        await h.signal(replySignal, pricingReply(`${h.workflowId}-pricing`));
        // Paced as a rep: the alert is seen where it lands, so nothing queries the conversation while it reads the
        // reply. Polled: its state is queried all along, as a dashboard might; a query that lands while the reply
        // is read ends that workflow task early, and the rest of the reply's work takes a task of its own.
        if (pacing === 'rep') await eventually(async () => receiver.alertsOf([h.workflowId]).length >= 1 || undefined, 'tier 1 alert at the receiver');
        // A rep claims once the alert is delivered, as reps do (a claim while the alert is in flight cancels it).
        await eventually(async () => ((await h.query(stateQuery)).ladder[0]?.deliveries?.length ?? 0) >= 1 || undefined, 'tier 1 alerted');
        const actor = { via: 'api_key', keyId: 'bench', repId: 'max', onBehalfOf: false, manager: true } as const;
        await h.executeUpdate(claimUpdate, { args: [{ repId: 'max', actor }] });
        // Paced as a rep: the deal closes after the claim is in the CRM, not in the same second.
        if (pacing === 'rep') await eventually(async () => (await crmClaimed(config.dataDir, h.workflowId)) || undefined, 'the claim in the CRM');
        await h.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor }] });
        await h.result();
      }),
    );
    return handles;
  };
  const escHandles = await escalate('hist-esc', 'rep');
  const polledHandles = await escalate('hist-polled', 'polled');
  const polledEvents = await Promise.all(polledHandles.map(async (h) => (await h.describe()).historyLength));
  const escEvents = await Promise.all(escHandles.map(async (h) => (await h.describe()).historyLength));
  const shape: Record<string, number> = {};
  const sequences: string[][] = [];
  for (const h of escHandles) {
    const { events } = await h.fetchHistory();
    if (HISTORIES_DIR) writeFileSync(path.join(HISTORIES_DIR, `${h.workflowId}.json`), JSON.stringify(events, null, 1));
    const sequence: string[] = [];
    for (const e of events ?? []) {
      // An event's type, named by the one attributes field it carries (e.g. `activityTaskScheduled`).
      const type = Object.keys(e).find((k) => k.endsWith('EventAttributes') && e[k as keyof typeof e])?.replace(/EventAttributes$/, '') ?? `type ${String(e.eventType)}`;
      const activity = e.activityTaskScheduledEventAttributes?.activityType?.name ?? localActivityType(e);
      for (const key of activity ? [type, `${type} ${activity}`] : [type]) shape[key] = (shape[key] ?? 0) + 1 / escHandles.length;
      sequence.push(activity ? `${type} ${activity}` : type);
    }
    sequences.push(sequence);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const escalatedShape = Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  log(`history: an escalated, claimed and closed conversation's events (means): ${JSON.stringify(escalatedShape)}`);
  log(`history: the first one's events in order: ${sequences[0]?.join(', ')}`);
  details.history = {
    fullCadenceEvents: { mean: mean(cadenceEvents), max: Math.max(...cadenceEvents) },
    escalatedClaimedClosedEvents: { mean: mean(escEvents), max: Math.max(...escEvents) },
    escalatedClaimedClosedPolledEvents: { mean: mean(polledEvents), max: Math.max(...polledEvents) },
    escalatedShape,
    escalatedSequence: sequences[0],
  };
  report(rows, { figure: 'history events per conversation, full cadence', value: mean(cadenceEvents), floor: null, unit: 'events', ratio: null });
  report(rows, { figure: 'history events per conversation, escalated+claimed+closed', value: mean(escEvents), floor: null, unit: 'events', ratio: null });
  report(rows, { figure: 'history events, escalated+claimed+closed, state polled', value: mean(polledEvents), floor: null, unit: 'events', ratio: null });
}

/** Adds a row to the table and logs it at once, so a run cut short still shows what it measured. */
function report(rows: Row[], row: Row): void {
  rows.push(row);
  log(`figure: ${row.figure}: ${row.value.toFixed(1)} ${row.unit}${row.floor === null ? '' : `, floor ${row.floor.toFixed(1)}, ratio ${row.ratio?.toFixed(2) ?? '-'}`} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
}

// ---- the run ----------------------------------------------------------------------------------------------

interface Row {
  figure: string;
  value: number;
  floor: number | null;
  unit: string;
  /** How many times worse than the floor: value / floor for costs, floor / value for rates. */
  ratio: number | null;
  note?: string;
}

/**
 * The classification phase: `bench/classify.bench.ts` in a child process (replies per second on one core by the
 * rules alone and by the rules with the learned reader, each beside a floor measured in the same run); its tables
 * are printed and its final JSON line returned.
 */
function classifyPhase(): unknown {
  const classify = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'classify.bench.ts')], { encoding: 'utf8', timeout: 120_000 });
  const lastLine = classify.stdout.trim().split('\n').pop() ?? '';
  console.log(classify.stdout.trim().split('\n').slice(0, -1).join('\n'));
  try {
    return JSON.parse(lastLine) as unknown;
  } catch {
    return { error: `no JSON line (exit ${classify.status})`, stderr: classify.stderr.slice(-500) };
  }
}

async function main(): Promise<void> {
  if (ONLY === 'scale') return runScaleBench(SCALE_COUNTS);
  if (ONLY === 'classify') {
    log('classification: bench/classify.bench.ts');
    classifyPhase();
    return;
  }
  if (SHAPES.length > 1) return runEachShape(__filename, process.argv.slice(2), path.join(__dirname, 'results'));
  const startedAt = Date.now();
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  log(`sizes: ${N} conversations per phase, replies at ${RATE}/s, scale up to ${SCALE}; SQLite pragmas ${PRAGMAS.join(' ') || '(SQLite defaults)'}; worker ${WORKER_OPTIONS ?? '(defaults)'}`);

  const shape = await startShape(SHAPES[0]!, {
    config: {
      conversation: {
        cadence: [
          { name: 'First touch', kind: 'first_touch', offset: '0s', channel: 'email' },
          { name: 'Follow-up 1', kind: 'follow_up', offset: '3 days', channel: 'email' },
          { name: 'Follow-up 2', kind: 'follow_up', offset: '7 days', channel: 'email' },
          { name: 'Break-up', kind: 'break_up', offset: '14 days', channel: 'email' },
        ],
        claimDeadlines: { human_request: '1 hour', buying_intent: '1 hour', pricing: '1 hour', technical: '1 hour', manual: '1 hour' },
        lastTierRealertInterval: '1 hour',
      },
    },
    sqlitePragmas: PRAGMAS,
    workerEnv: WORKER_OPTIONS ? { HANDOFF_BENCH_WORKER_OPTIONS: WORKER_OPTIONS } : {},
    workerNodeArgs: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(__dirname, 'results', 'profiles')] : [],
  });
  const rig = shape.rig;
  log(`shape: ${shape.shape} (${rig.server.storage}, ${shape.workerPids().length} worker processes)`);
  /** The Handoff workers' RSS together (the cluster shape runs two). */
  const workersRssMb = () => shape.workerPids().reduce((sum, pid) => sum + rssMb(pid), 0);
  const dbBytesNow = async () => totalBytes(await shape.databaseBytes());
  let floorWorker: WorkerProcess | undefined;
  let api: ReturnType<typeof buildApi> | undefined;
  let floorHttp: http.Server | undefined;
  try {
    floorWorker = await spawnFloorWorker(rig);
    const client = rig.client;
    const config = rig.config;
    const counter = new FirstTouchCounter(path.join(rig.dataDir, 'sent.jsonl'));
    const idle = { workerRssMb: workersRssMb(), dbBytes: await dbBytesNow() };

    // The API, on a free loopback port, with a bench key; and the floor's minimal HTTP handler.
    const token = generateApiKey();
    api = buildApi({ client, config: loadConfig({ ...rig.env }, rig.dir), keys: [{ id: 'bench', hash: hashApiKey(token), scopes: ['tool'] }], claimSecret: 'bench-claim-secret-0123456789-abcdefghijklmnop' });
    await api.listen({ host: '127.0.0.1', port: 0 });
    const apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    floorHttp = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { workflowId, key } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workflowId: string; key: string };
        client.workflow
          .getHandle(workflowId)
          .signal(floorGoSignal, { key })
          .then(() => res.writeHead(202).end())
          .catch(() => res.writeHead(500).end());
      });
    });
    await new Promise<void>((resolve) => floorHttp!.listen({ host: '127.0.0.1', port: 0 }, () => resolve()));
    const floorUrl = `http://127.0.0.1:${(floorHttp.address() as AddressInfo).port}`;

    // ---- 6. enrolment through the batch endpoint --------------------------------------------------------------
    if (!SKIP.has('enrol') && (ONLY === undefined || ONLY === 'enrol')) {
      log(`enrolment: ${N} prospects POSTed to /v1/conversations/batch in chunks of ${ENROL_CHUNK}, one chunk after another`);
      const enrolIds = Array.from({ length: N }, (_, i) => `en-${i}`);
      let enrolT0 = performance.now();
      const counts = { created: 0, existing: 0, suppressed: 0, invalid: 0 };
      for (let i = 0; i < N; i += ENROL_CHUNK) {
        const items = enrolIds.slice(i, i + ENROL_CHUNK).map((id) => ({ prospect: prospect(id) }));
        const res = await fetch(`${apiUrl}/v1/conversations/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items }),
        });
        if (res.status !== 200) throw new Error(`enrolment: the batch answered ${res.status}: ${await res.text()}`);
        const answer = (await res.json()) as { counts: typeof counts };
        for (const key of Object.keys(counts) as (keyof typeof counts)[]) counts[key] += answer.counts[key];
      }
      const enrolMs = performance.now() - enrolT0;
      log(`enrolment: ${JSON.stringify(counts)} in ${(enrolMs / 1000).toFixed(1)} s; waiting for their first touches before the floor`);
      // The floor runs on a settled server: the enrolled conversations' first touches would otherwise slow it.
      await eventually(async () => {
        counter.poll();
        return counter.count('en') >= counts.created || undefined;
      }, "the enrolled conversations' first touches", 600_000, 200);
      enrolT0 = performance.now();
      await pool(enrolIds, BATCH_CONCURRENCY, (id) => client.workflow.start(floorEmptyWorkflow, { workflowId: `floor-enrol-${id}`, taskQueue: FLOOR_QUEUE }));
      const floorEnrolMs = performance.now() - enrolT0;
      const enrolRate = counts.created / (enrolMs / 1000);
      const floorEnrolRate = N / (floorEnrolMs / 1000);
      report(rows, {
        figure: 'enrolment: prospects started through the batch endpoint',
        value: enrolRate,
        floor: floorEnrolRate,
        unit: '/s',
        ratio: floorEnrolRate / enrolRate,
        note: `floor: bare starts of empty workflows through the Temporal client, ${BATCH_CONCURRENCY} in flight as a batch has, once the enrolled conversations' first touches are sent; ratio = floor / figure`,
      });
      details.enrolment = { prospects: N, chunk: ENROL_CHUNK, concurrency: BATCH_CONCURRENCY, counts, seconds: enrolMs / 1000, floorSeconds: floorEnrolMs / 1000 };
    }

    if (ONLY === 'history') await historyPhase(rig, rows, details);
    if (ONLY === undefined) {
      // ---- 2. throughput ----------------------------------------------------------------------------------
      log(
        `throughput: starting ${N} conversations (${START_CONCURRENCY} starts in flight) until each first touch is sent, and as many empty workflows, in alternating blocks of ${THROUGHPUT_BLOCK}`,
      );
      const tpIds = Array.from({ length: N }, (_, i) => `tp-${i}`);
      let tpMs = 0;
      let tpStartedMs = 0;
      let floorTpMs = 0;
      // As for latency, the floor and the figure take turns, so both meet the same minutes of the machine.
      for (let from = 0, block = 0; from < N; from += THROUGHPUT_BLOCK, block++) {
        const ids = tpIds.slice(from, from + THROUGHPUT_BLOCK);
        const conversations = async () => {
          const t0 = performance.now();
          await pool(ids, START_CONCURRENCY, (id) => startConversation(client, config, { prospect: prospect(id) }));
          tpStartedMs += performance.now() - t0;
          await eventually(async () => {
            counter.poll();
            return counter.count('tp') >= from + ids.length || undefined;
          }, 'every first touch', 600_000, 100);
          tpMs += performance.now() - t0;
        };
        const emptyWorkflows = async () => {
          const t0 = performance.now();
          await pool(ids, START_CONCURRENCY, (id) => client.workflow.execute(floorEmptyWorkflow, { workflowId: `floor-empty-${id}`, taskQueue: FLOOR_QUEUE }));
          floorTpMs += performance.now() - t0;
        };
        const [first, second] = block % 2 === 0 ? [conversations, emptyWorkflows] : [emptyWorkflows, conversations];
        await first();
        await second();
      }
      log(`throughput: started in ${(tpStartedMs / 1000).toFixed(1)} s, all first touches sent after ${(tpMs / 1000).toFixed(1)} s`);
      const tp = N / (tpMs / 1000);
      const floorTp = N / (floorTpMs / 1000);
      report(rows, { figure: 'throughput: conversations started with first touch sent', value: tp, floor: floorTp, unit: '/s', ratio: floorTp / tp, note: 'floor: empty workflows started and completed; ratio = floor / figure' });

      // ---- scale, first step ---------------------------------------------------------------------------------
      await sleep(3000);
      const level1 = { conversations: N, workerRssMb: workersRssMb(), serverRssMb: rssMb(rig.server.pid), dbBytes: await dbBytesNow() };
      log(`scale: ${N} conversations waiting on their follow-up timers: worker RSS ${level1.workerRssMb.toFixed(0)} MB, database ${(level1.dbBytes / 1e6).toFixed(1)} MB`);

      // ---- 1. reply-to-alert latency --------------------------------------------------------------------------
      log(
        `latency: ${N} pricing replies POSTed to the API and ${N} floor signals, each at ${RATE}/s, in alternating blocks of ${LATENCY_BLOCK}; tier-1 alert timed at the receiver`,
      );
      const sentAt = new Map<string, number>();
      const arrivals = new Map<string, number>();
      rig.receiver.onAlert((a) => {
        if (a.key.includes('/esc-1/rung-1/') || a.key.startsWith('floor-lat-')) arrivals.set(a.workflowId, a.firstAtPerf);
      });
      const floorIds = Array.from({ length: N }, (_, i) => `floor-lat-${i}`);
      await pool(floorIds, START_CONCURRENCY, (id) => client.workflow.start(floorAlertWorkflow, { workflowId: id, taskQueue: FLOOR_QUEUE }));
      await sleep(2000);
      let httpErrors = 0;
      const replyBlock = (from: number, count: number) =>
        atSteadyRate(count, RATE, async (i) => {
          const id = tpIds[from + i]!;
          sentAt.set(`prospect-${id}`, performance.now());
          const res = await fetch(`${apiUrl}/v1/conversations/${id}/replies`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(pricingReply(`${id}-pricing`)),
          });
          await res.arrayBuffer();
          if (res.status !== 202) httpErrors++;
        });
      const floorBlock = (from: number, count: number) =>
        atSteadyRate(count, RATE, async (i) => {
          const id = floorIds[from + i]!;
          sentAt.set(id, performance.now());
          const res = await fetch(floorUrl, { method: 'POST', body: JSON.stringify({ workflowId: id, key: `${id}/alert` }) });
          await res.arrayBuffer();
          if (res.status !== 202) httpErrors++;
        });
      // The floor and the figure take turns, block by block, so both meet the same minutes of a shared machine and
      // their ratio measures the path rather than the load when each ran; which goes first alternates too.
      for (let from = 0, block = 0; from < N; from += LATENCY_BLOCK, block++) {
        const count = Math.min(LATENCY_BLOCK, N - from);
        const [first, second] = block % 2 === 0 ? [replyBlock, floorBlock] : [floorBlock, replyBlock];
        await first(from, count);
        await second(from, count);
      }
      const allAlerted = await waitFor(() => tpIds.every((id) => arrivals.has(`prospect-${id}`)), 300_000);
      const latencyOf = (ids: string[]) => ids.filter((id) => arrivals.has(id)).map((id) => arrivals.get(id)! - sentAt.get(id)!);
      const warmup = Math.min(LATENCY_WARMUP, Math.floor(N / 2));
      const replyIds = tpIds.map((id) => `prospect-${id}`);
      const latency = latencyOf(replyIds.slice(warmup));
      log(`latency: ${latencyOf(replyIds).length} of ${N} tier-1 alerts arrived${allAlerted ? '' : ' (gave up waiting after 300 s)'}; p50 ${pct(latency, 50).toFixed(0)} ms`);
      await waitFor(() => floorIds.every((id) => arrivals.has(id)), 300_000);
      const floorLatency = latencyOf(floorIds.slice(warmup));
      const [warmReplies, warmFloor] = [latencyOf(replyIds.slice(0, warmup)), latencyOf(floorIds.slice(0, warmup))];
      log(
        `latency: the warm-up turn (${warmup} of each, left out below): replies p50 ${pct(warmReplies, 50).toFixed(1)} ms, max ${Math.max(...warmReplies).toFixed(1)}; ` +
          `floor p50 ${pct(warmFloor, 50).toFixed(1)} ms, max ${Math.max(...warmFloor).toFixed(1)}; with it, p99 ${pct(latencyOf(replyIds), 99).toFixed(1)} against ${pct(latencyOf(floorIds), 99).toFixed(1)} ms`,
      );
      for (const p of [50, 90, 99]) {
        report(rows, { figure: `reply-to-alert latency p${p}`, value: pct(latency, p), floor: pct(floorLatency, p), unit: 'ms', ratio: pct(latency, p) / pct(floorLatency, p) });
      }
      const sampled = tpIds.filter((_, i) => i % Math.max(1, Math.floor(N / 50)) === 0).slice(0, 50);
      const breakdown = meanBreakdown(await Promise.all(sampled.map((id) => replyToAlertSegments(client.workflow.getHandle(`prospect-${id}`)))));
      log(`latency: where the time goes (mean ms over ${sampled.length} conversations, from the reply signal): ${JSON.stringify(breakdown)}`);
      // The p99 is a handful of replies: each of the slowest one in a hundred is shown whole, with when it was sent.
      const firstSent = Math.min(...sentAt.values());
      const slowestOf = (ids: string[]) =>
        ids
          .filter((id) => arrivals.has(id))
          .map((id) => ({ id, ms: arrivals.get(id)! - sentAt.get(id)!, at: (sentAt.get(id)! - firstSent) / 1000 }))
          .sort((a, b) => b.ms - a.ms)
          .slice(0, Math.max(1, Math.ceil(N / 100)));
      log(`latency: the floor's slowest: ${slowestOf(floorIds.slice(warmup)).map((f) => `${f.ms.toFixed(1)} ms at +${f.at.toFixed(1)} s`).join(', ')}`);
      for (const slow of slowestOf(replyIds.slice(warmup))) {
        const segments = await replyToAlertSegments(client.workflow.getHandle(slow.id));
        log(`latency: slow reply ${slow.id}, ${slow.ms.toFixed(1)} ms, sent at +${slow.at.toFixed(1)} s: ${JSON.stringify(segments)}`);
      }
      details.latency = { replies: N, warmup, alerted: latency.length, ratePerSecond: RATE, httpErrors, max: Math.max(...latency), floorMax: Math.max(...floorLatency), breakdownMs: breakdown };

      // ---- 3. deadline precision ------------------------------------------------------------------------------
      if (!SKIP.has('deadlines')) {
        // Replies go in at the steady reply rate (a faster burst would measure the backlog, not the timers); each
        // conversation's own pricing deadline is chosen so that all fall due within one minute after the last reply.
        const replySpanS = N / RATE;
        const dueFromS = replySpanS + DEADLINE_S;
        const deadlineOf = (i: number) => Math.round(dueFromS + (i * 60) / N - i / RATE);
        log(`deadlines: ${N} conversations escalated over ${replySpanS.toFixed(0)} s, their deadlines due between ${dueFromS.toFixed(0)} s and ${(dueFromS + 60).toFixed(0)} s from the first reply`);
        const dlIds = Array.from({ length: N }, (_, i) => `dl-${i}`);
        const dlHandles: WorkflowHandle[] = [];
        await pool(dlIds, START_CONCURRENCY, async (id, i) => {
          dlHandles[i] = (await startConversation(client, config, { prospect: prospect(id), claimDeadlines: { pricing: `${deadlineOf(i)}s` } })).handle;
        });
        await eventually(async () => {
          counter.poll();
          return counter.count('dl') >= N || undefined;
        }, 'the deadline conversations\' first touches', 600_000, 200);
        const firstReplyAt = Date.now();
        await atSteadyRate(dlHandles.length, RATE, (i) => dlHandles[i]!.signal(replySignal, pricingReply(`${dlHandles[i]!.workflowId}-pricing`)));
        const repliesSpreadMs = Date.now() - firstReplyAt;
        const rung1 = new Map<string, number>();
        const rung2 = new Map<string, number>();
        rig.receiver.onAlert((a) => {
          if (!a.workflowId.startsWith('prospect-dl-') || !a.deadline) return;
          if (a.key.includes('/rung-1/')) rung1.set(a.workflowId, Date.parse(a.deadline));
          if (a.key.includes('/rung-2/') && !rung2.has(a.workflowId)) rung2.set(a.workflowId, a.firstAtMs);
        });
        for (const a of rig.receiver.alertsOf(dlHandles.map((h) => h.workflowId))) if (a.key.includes('/rung-1/') && a.deadline) rung1.set(a.workflowId, Date.parse(a.deadline));
        const waitS = dueFromS + 60 + 240 - replySpanS;
        const allReEscalated = await waitFor(() => rung2.size >= N, waitS * 1000);
        const dlFired = dlHandles.filter((h) => rung2.has(h.workflowId) && rung1.has(h.workflowId));
        log(`deadlines: ${dlFired.length} of ${N} re-escalations reached the receiver${allReEscalated ? '' : ` (gave up waiting ${waitS.toFixed(0)} s)`}`);
        const dlAtReceiver = dlFired.map((h) => rung2.get(h.workflowId)! - rung1.get(h.workflowId)!);
        const dlInWorkflow: number[] = [];
        let queryFailures = 0;
        await pool(dlFired, 16, async (h) => {
          const s = await h.query(stateQuery).catch(() => null);
          if (!s) queryFailures++;
          else if (s.ladder[1]) dlInWorkflow.push(Date.parse(s.ladder[1].alertedAt) - Date.parse(s.ladder[0]!.deadline));
        });
        const deadlines = [...rung1.values()].slice(0, N);
        const windowMs = Math.max(...deadlines) - Math.min(...deadlines);
        // The floor: timers due at the same spread of instants, from now.
        const offset = Date.now() + DEADLINE_S * 1000 - Math.min(...deadlines);
        const floorDue = deadlines.map((d) => d + offset);
        const floorFired = new Map<string, { at: number; fired: number | null }>();
        rig.receiver.onAlert((a) => {
          if (a.key.startsWith('floor-dl-')) floorFired.set(a.workflowId, { at: a.firstAtMs, fired: a.firedAtMs });
        });
        await pool(floorDue, START_CONCURRENCY, (due, i) =>
          client.workflow.start(floorTimerWorkflow, { workflowId: `floor-dl-${i}`, taskQueue: FLOOR_QUEUE, args: [due, `floor-dl-${i}/alert`] }),
        );
        await waitFor(() => floorFired.size >= floorDue.length, (DEADLINE_S + 240) * 1000);
        const floorAtReceiver = floorDue.flatMap((due, i) => (floorFired.has(`floor-dl-${i}`) ? [floorFired.get(`floor-dl-${i}`)!.at - due] : []));
        const floorInWorkflow = floorDue.flatMap((due, i) => (floorFired.has(`floor-dl-${i}`) ? [(floorFired.get(`floor-dl-${i}`)!.fired ?? NaN) - due] : []));
        for (const p of [50, 99]) {
          report(rows, { figure: `re-escalation lateness p${p} (tier-2 alert at receiver)`, value: pct(dlAtReceiver, p), floor: pct(floorAtReceiver, p), unit: 'ms', ratio: pct(dlAtReceiver, p) / pct(floorAtReceiver, p) });
          report(rows, { figure: `re-escalation lateness p${p} (rung opened, workflow clock)`, value: pct(dlInWorkflow, p), floor: pct(floorInWorkflow, p), unit: 'ms', ratio: pct(dlInWorkflow, p) / pct(floorInWorkflow, p) });
      }
      details.deadlines = { count: N, reEscalated: dlFired.length, queryFailures, replyRatePerSecond: RATE, dueWithinMs: windowMs, repliesSentWithinMs: repliesSpreadMs, maxLateMs: Math.max(...dlAtReceiver), floorMaxLateMs: Math.max(...floorAtReceiver) };
      }

      // ---- 4b. history events per conversation after a full cadence -------------------------------------------
      if (!SKIP.has('history')) await historyPhase(rig, rows, details);

      // ---- 4. scale, second step ------------------------------------------------------------------------------
      if (!SKIP.has('scale')) {
        const existing = SKIP.has('deadlines') ? N : 2 * N;
        const toAdd = Math.max(0, SCALE - existing);
        log(`scale: adding ${toAdd} conversations to reach ${existing + toAdd} waiting on timers`);
        const dbBefore = await dbBytesNow();
        let dbLatest = dbBefore;
        const t0 = performance.now();
        // Starts are paced to the worker: at most SCALE_BACKLOG conversations wait for their first touch, so each
        // growth sample counts conversations really waiting on their timers. Guard: stop adding when the worker
        // passes RSS_LIMIT_MB.
        let added = 0;
        let stoppedForMemory: number | null = null;
        const growth: { conversations: number; workerRssMb: number; dbMb: number; perSecond: number }[] = [];
        const waiting = (): number => {
          counter.poll();
          return counter.count('sc');
        };
        const sampler = setInterval(() => {
          const done = waiting();
          const rss = workersRssMb();
          void dbBytesNow().then((bytes) => (dbLatest = bytes));
          if (rss > RSS_LIMIT_MB) stoppedForMemory ??= rss;
          if (Math.floor(done / 1000) > growth.length) {
            const sample = { conversations: existing + done, workerRssMb: Math.round(rss), dbMb: Math.round(dbLatest / 1e5) / 10, perSecond: Math.round((done / ((performance.now() - t0) / 1000)) * 10) / 10 };
            growth.push(sample);
            log(`scale: ${sample.conversations} conversations waiting on timers (${sample.perSecond} first touches/s), worker RSS ${sample.workerRssMb} MB, database ${sample.dbMb} MB`);
          }
        }, 1000);
        try {
          await pool(Array.from({ length: toAdd }, (_, i) => `sc-${i}`), START_CONCURRENCY, async (id) => {
            while (stoppedForMemory === null && added - waiting() >= SCALE_BACKLOG) await sleep(200);
            if (stoppedForMemory !== null) return;
            added++;
            await startConversation(client, config, { prospect: prospect(id) });
          });
          if (stoppedForMemory !== null) log(`scale: stopped after ${added} added conversations: worker RSS ${Math.round(stoppedForMemory)} MB passed ${RSS_LIMIT_MB} MB`);
          await eventually(async () => waiting() >= added || undefined, "the scale conversations' first touches", 1_800_000, 500);
        } finally {
          clearInterval(sampler);
        }
        const scaleMs = performance.now() - t0;
        await sleep(5000);
        const level2 = { conversations: existing + added, workerRssMb: workersRssMb(), serverRssMb: rssMb(rig.server.pid), dbBytes: await dbBytesNow() };
        const level2PerConversation = added > 0 ? (level2.dbBytes - dbBefore) / added : NaN;
        details.scale = {
          idle,
          level1: { ...level1, dbBytesPerConversation: (level1.dbBytes - idle.dbBytes) / N },
          level2: { ...level2, added, stoppedForMemoryAtRssMb: stoppedForMemory, addedInSeconds: scaleMs / 1000, dbBytesPerAddedConversation: level2PerConversation, startRatePerSecond: added / (scaleMs / 1000), growth },
        };
        report(rows, { figure: `worker RSS with ${N} waiting conversations`, value: level1.workerRssMb, floor: idle.workerRssMb, unit: 'MB', ratio: level1.workerRssMb / idle.workerRssMb, note: 'floor: the idle worker' });
        report(rows, { figure: `worker RSS with ${level2.conversations} waiting conversations`, value: level2.workerRssMb, floor: idle.workerRssMb, unit: 'MB', ratio: level2.workerRssMb / idle.workerRssMb, note: 'floor: the idle worker' });
        report(rows, { figure: `server database per conversation (first ${N})`, value: (level1.dbBytes - idle.dbBytes) / N / 1024, floor: null, unit: 'KiB', ratio: null });
        report(rows, { figure: `server database per conversation (next ${added})`, value: level2PerConversation / 1024, floor: null, unit: 'KiB', ratio: null });
      }
    }
  } finally {
    await api?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (floorHttp ? floorHttp.close(() => resolve()) : resolve()));
    await floorWorker?.stop();
    await rig.stop();
  }

  // ---- 5. classification speed ---------------------------------------------------------------------------
  // Classification does not touch Temporal: it runs once, with the dev shape.
  if (!SKIP.has('classify') && ONLY === undefined && shape.shape === 'dev') {
    log('classification: bench/classify.bench.ts');
    details.classify = classifyPhase();
  }

  // ---- report ---------------------------------------------------------------------------------------------
  const fmt = (v: number | null, digits = 1) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(digits));
  const width = Math.max(...rows.map((r) => r.figure.length));
  console.log('');
  const loadAverage = (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10);
  console.log(`shape ${shape.shape}, load average at the end ${loadAverage.join(' ')}`);
  console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(10)}  ${'floor'.padStart(10)}  ${'ratio'.padStart(7)}  unit`);
  for (const r of rows) console.log(`${r.figure.padEnd(width)}  ${fmt(r.value).padStart(10)}  ${fmt(r.floor).padStart(10)}  ${fmt(r.ratio, 2).padStart(7)}  ${r.unit}`);
  const result = {
    at: new Date(startedAt).toISOString(),
    durationSeconds: (Date.now() - startedAt) / 1000,
    loadAverage,
    settings: { shape: shape.shape, n: N, replyRate: RATE, scale: SCALE, sqlitePragmas: PRAGMAS, workerOptions: WORKER_OPTIONS ? (JSON.parse(WORKER_OPTIONS) as unknown) : null, cpus: (await import('node:os')).cpus().length, node: process.version },
    rows,
    details,
  };
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(resultsFile(out, shape.shape), `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote bench/results/latest.json and latest-${shape.shape}.json (${result.durationSeconds.toFixed(0)} s); details: ${JSON.stringify(details)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
