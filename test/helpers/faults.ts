/**
 * The fault-test rig: a real dev server on a SQLite file, the Handoff worker as a child process, and a loopback
 * receiver for the signed webhook channel, each of which a test can kill and bring back. The benchmarks use the
 * same pieces. Everything listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import YAML from 'yaml';
import { readOutbox, type OutboxEntry } from '../../src/alerts/outbox';
import { verifyWebhookSignature } from '../../src/alerts/webhook';
import { ConfigSchema, loadConfig, type Config } from '../../src/config';
import { connectClient } from '../../src/temporal/connection';
import { freePort, startDevServer, type DevServer } from '../../src/temporal/devServer';
import { provisionDevServer } from '../../src/temporal/provision';
import { claimUpdate, stateQuery, type ConversationState, type HandoffPacket } from '../../workflows/messages';
import { repActor } from './actor';

const ROOT = path.resolve(__dirname, '..', '..');
/** The fault tests' roster: reps around the clock, `channels: [webhook, outbox]`, URLs templated. */
export const FAULTS_ROSTER = path.join(ROOT, 'test', 'fixtures', 'faults-roster.yaml');
/** The fault tests' base config: 5 s claim deadlines and re-alerts, sends at any hour. */
export const FAULTS_CONFIG = path.join(ROOT, 'test', 'fixtures', 'faults-config.yaml');
/** The worker entry the rig runs as a child process. */
export const WORKER_SCRIPT = path.join(ROOT, 'test', 'faults', 'worker-process.ts');
/** A process that runs the worker's ledger activity in a loop (see the file). */
export const LEDGER_WRITER_SCRIPT = path.join(ROOT, 'test', 'faults', 'ledger-writer-process.ts');
/** Shared webhook signing secret of the rig (test-only). */
export const WEBHOOK_SECRET = 'faults-webhook-secret-0123456789';
const CLAIM_SECRET = 'faults-claim-secret-0123456789-abcdefghijklmnopq';

/** Prints one line of what a fault test or benchmark did, so the CI log tells the story. */
export function say(line: string): void {
  console.log(`  [faults] ${line}`);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a value other than `undefined`/`false`; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
}

// ---- the alert receiver ---------------------------------------------------------------------------------

/** What the receiver knows about one idempotency key. */
export interface ReceivedAlert {
  key: string;
  repId: string;
  workflowId: string;
  tier: number;
  /** The claim deadline the alert carries (webhook alerts), or null. */
  deadline: string | null;
  /** When the sender's timer fired (the benchmarks' floor alerts), or null. */
  firedAtMs: number | null;
  /** Every POST that carried this key (retries repeat it). */
  posts: number;
  /** `performance.now()` and wall-clock ms of the first POST. */
  firstAtPerf: number;
  firstAtMs: number;
}

/**
 * A loopback receiver for the webhook channel, as a rep's paging tool would run it: it verifies the HMAC
 * signature, processes each `Idempotency-Key` once (repeats answer 200 and are skipped), and counts everything.
 */
export class AlertReceiver {
  readonly alerts = new Map<string, ReceivedAlert>();
  posts = 0;
  badSignatures = 0;
  /** POSTs answered while a hold was on, whose socket closed before the answer. */
  private held: http.ServerResponse[] = [];
  private holdWhen: ((alert: ReceivedAlert) => boolean) | null = null;
  private listeners: ((alert: ReceivedAlert) => void)[] = [];
  private server: http.Server;
  private isUp = false;

  private constructor(
    readonly port: number,
    private readonly secret: string,
  ) {
    this.server = this.createServer();
  }

  /** Starts a receiver on a free loopback port. */
  static async start(secret = WEBHOOK_SECRET): Promise<AlertReceiver> {
    const receiver = new AlertReceiver(await freePort(), secret);
    await receiver.up();
    return receiver;
  }

  /** The base URL reps' `webhookUrl`s start with. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private createServer(): http.Server {
    return http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    this.posts++;
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const ok = verifyWebhookSignature(body, { timestamp: header('x-handoff-timestamp'), signature: header('x-handoff-signature') }, this.secret);
    const key = header('idempotency-key');
    if (!ok || !key) {
      this.badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const parsed = JSON.parse(body) as { workflowId: string; tier: number; rep: { id: string }; deadline?: string; firedAtMs?: number | null };
    let alert = this.alerts.get(key);
    if (alert) {
      alert.posts++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"duplicate":true}');
      return;
    }
    alert = {
      key,
      repId: parsed.rep.id,
      workflowId: parsed.workflowId,
      tier: parsed.tier,
      deadline: parsed.deadline ?? null,
      firedAtMs: parsed.firedAtMs ?? null,
      posts: 1,
      firstAtPerf: performance.now(),
      firstAtMs: Date.now(),
    };
    this.alerts.set(key, alert);
    for (const listener of this.listeners) listener(alert);
    if (this.holdWhen?.(alert)) {
      this.held.push(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }

  /** Calls `listener` on the first POST of every key. */
  onAlert(listener: (alert: ReceivedAlert) => void): void {
    this.listeners.push(listener);
  }

  /**
   * From now on, the first POST of a key that matches is received (and counted) but not answered, so the
   * delivery activity stays in flight. {@link release} answers them.
   */
  hold(when: (alert: ReceivedAlert) => boolean): void {
    this.holdWhen = when;
  }

  /** Stops holding and answers whatever was held (a dead worker's sockets are already gone). */
  release(): number {
    this.holdWhen = null;
    const held = this.held;
    this.held = [];
    for (const res of held) if (!res.destroyed) res.writeHead(200).end('{"ok":true}');
    return held.length;
  }

  /** Alerts of these workflows, by key. */
  alertsOf(workflowIds: Iterable<string>): ReceivedAlert[] {
    const ids = new Set(workflowIds);
    return [...this.alerts.values()].filter((a) => ids.has(a.workflowId));
  }

  /** Takes the receiver off the network: refuses connections and drops open ones. */
  async down(): Promise<void> {
    if (!this.isUp) return;
    this.isUp = false;
    this.release();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.isUp) return;
    this.server = this.createServer();
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: this.port }, () => resolve());
    });
    this.isUp = true;
  }
}

// ---- the dev server ---------------------------------------------------------------------------------------

/** A dev server on a SQLite file that can be SIGKILLed and started again on the same file and port. */
export class FaultServer {
  private server: DevServer | null = null;

  private constructor(
    readonly port: number,
    readonly dbFile: string,
    private readonly cliPath: string,
    private readonly logFile: string,
    private readonly pragmas: string[],
  ) {}

  /** Starts a headless dev server with its state in `<dir>/temporal.db`. */
  static async start(dir: string, options: { sqlitePragmas?: string[] } = {}): Promise<FaultServer> {
    const cli = await provisionDevServer({ log: () => {}, allowSdkDownload: false });
    if (!cli.path) throw new Error('the Temporal CLI is not provisioned; run `npm run provision`');
    const server = new FaultServer(await freePort(), path.join(dir, 'temporal.db'), cli.path, path.join(dir, 'temporal-server.log'), options.sqlitePragmas ?? []);
    await server.restart();
    return server;
  }

  /** `127.0.0.1:<port>`. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The server process id, while it runs. */
  get pid(): number | undefined {
    return this.server?.process.pid;
  }

  /** Starts the server on the same file and port (after {@link kill}). */
  async restart(): Promise<void> {
    if (this.server) throw new Error('the dev server is already running');
    this.server = await startDevServer({
      cliPath: this.cliPath,
      ip: '127.0.0.1',
      port: this.port,
      uiPort: null,
      namespace: 'default',
      dbFile: this.dbFile,
      logFile: this.logFile,
      sqlitePragmas: this.pragmas,
    });
  }

  /** SIGKILLs the server and waits for it to exit. */
  async kill(): Promise<void> {
    const running = this.server;
    this.server = null;
    if (!running) return;
    const exited = new Promise<void>((resolve) => {
      if (running.process.exitCode !== null || running.process.signalCode !== null) resolve();
      else running.process.once('exit', () => resolve());
    });
    running.process.kill('SIGKILL');
    await exited;
  }

  /** Stops the server politely (cleanup). */
  async stop(): Promise<void> {
    const running = this.server;
    this.server = null;
    await running?.stop();
  }
}

// ---- the worker process -----------------------------------------------------------------------------------

/** The Handoff worker running in a child process. */
export class WorkerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  ) {}

  /**
   * Spawns `test/faults/worker-process.ts` (or another script of the rig) with `env` and resolves once it
   * prints its ready line (the worker: once it polls).
   * @throws Error with the process's output tail when it exits first or takes more than 60 s.
   */
  static async spawn(
    env: Record<string, string>,
    logFile: string,
    script: { file: string; readyMarker: string } = { file: WORKER_SCRIPT, readyMarker: 'handoff-fault-worker: running' },
    nodeArgs: string[] = [],
  ): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script.file], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(logFile, { flags: 'a' });
    let tail = '';
    let ready = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const readyPromise = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log.write(chunk);
        tail = (tail + chunk.toString()).slice(-4000);
        if (!ready && tail.includes(script.readyMarker)) {
          ready = true;
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(({ code, signal }) => {
        log.end();
        if (!ready) reject(new Error(`the worker process exited before it was ready (code ${code}, signal ${signal}):\n${tail}`));
      });
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    try {
      await readyPromise;
    } finally {
      clearTimeout(timer);
    }
    const worker = new WorkerProcess(child, exited);
    worker.watch();
    return worker;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Set when the process ended without {@link kill} or {@link stop} (a crash the test should hear about). */
  unexpectedExit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private ending = false;

  /** Records an exit nobody asked for. */
  watch(): void {
    void this.exited.then((status) => {
      if (!this.ending) {
        this.unexpectedExit = status;
        say(`the worker process ${this.child.pid} exited unexpectedly (code ${status.code}, signal ${status.signal})`);
      }
    });
  }

  /** SIGKILLs the worker (no drain, no goodbye) and waits for it to exit. */
  async kill(): Promise<void> {
    this.ending = true;
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the worker with SIGTERM (the SDK drains), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    this.ending = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

// ---- the whole rig ----------------------------------------------------------------------------------------

/** Deep-merges plain objects (arrays and scalars are replaced). */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? merge(prev as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Options of {@link FaultRig.start}. */
export interface FaultRigOptions {
  /** Merged over `test/fixtures/faults-config.yaml`. */
  config?: Record<string, unknown>;
  /** The dev server's SQLite settings; the configured defaults when unset. */
  sqlitePragmas?: string[];
  /** Extra environment for the worker process (e.g. worker tuning in benchmarks). */
  workerEnv?: Record<string, string>;
  /** Extra Node.js flags for the worker process (e.g. `--cpu-prof` in benchmarks). */
  workerNodeArgs?: string[];
}

/**
 * A dev server, a receiver and a worker process in a fresh temporary directory, plus a client. `stop()` ends
 * every process and removes the directory; call it in `after` (it is safe after a failure half-way).
 */
export class FaultRig {
  worker: WorkerProcess | null = null;
  /** How many worker processes were started (restarts included). */
  workerStarts = 0;

  private constructor(
    readonly dir: string,
    readonly server: FaultServer,
    readonly receiver: AlertReceiver,
    readonly client: Client,
    readonly config: Config,
    readonly env: Record<string, string>,
    private readonly workerEnv: Record<string, string>,
    private readonly workerNodeArgs: string[],
  ) {}

  static async start(options: FaultRigOptions = {}): Promise<FaultRig> {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-faults-'));
    let server: FaultServer | undefined;
    let receiver: AlertReceiver | undefined;
    try {
      receiver = await AlertReceiver.start();
      server = await FaultServer.start(dir, { sqlitePragmas: options.sqlitePragmas ?? ConfigSchema.parse({}).temporal.devServer.sqlitePragmas });
      const rosterFile = path.join(dir, 'roster.yaml');
      writeFileSync(rosterFile, readFileSync(FAULTS_ROSTER, 'utf8').replaceAll('RECEIVER_URL', receiver.url));
      const configFile = path.join(dir, 'handoff.yaml');
      const base = YAML.parse(readFileSync(FAULTS_CONFIG, 'utf8')) as Record<string, unknown>;
      writeFileSync(configFile, YAML.stringify(merge(base, options.config ?? {})));
      const env: Record<string, string> = {
        HANDOFF_CONFIG: configFile,
        HANDOFF_DATA_DIR: path.join(dir, 'data'),
        HANDOFF_ROSTER: rosterFile,
        HANDOFF_TASK_QUEUE: 'handoff-faults',
        TEMPORAL_ADDRESS: server.address,
        HANDOFF_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HANDOFF_CLAIM_SECRET: CLAIM_SECRET,
        HANDOFF_PAYLOAD_KEYS: `faults:${randomBytes(32).toString('base64')}`,
        HANDOFF_LOG_LEVEL: 'warn',
      };
      const config = loadConfig(env, dir);
      const client = await connectClient(config);
      const rig = new FaultRig(dir, server, receiver, client, config, env, options.workerEnv ?? {}, options.workerNodeArgs ?? []);
      await rig.startWorker();
      return rig;
    } catch (err) {
      await receiver?.down();
      await server?.stop();
      throw err;
    }
  }

  /** The worker's data directory (outbox, sent and CRM journals). */
  get dataDir(): string {
    return this.config.dataDir;
  }

  /** Starts a worker process (the previous one must be gone). */
  async startWorker(): Promise<WorkerProcess> {
    if (this.worker?.running) throw new Error('a worker process is already running');
    this.workerStarts++;
    this.worker = await WorkerProcess.spawn({ ...this.env, ...this.workerEnv }, path.join(this.dir, 'worker.log'), undefined, this.workerNodeArgs);
    return this.worker;
  }

  /** The last lines of the worker processes' log. */
  workerLogTail(lines = 30): string {
    try {
      return readFileSync(path.join(this.dir, 'worker.log'), 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** Starts a worker unless one runs (a test after a failed restart starts from a working rig again). */
  async ensureWorker(): Promise<void> {
    if (!this.worker?.running) await this.startWorker();
  }

  /**
   * Stops the worker, runs the worker's ledger activity in a loop in another process on the same data
   * directory and SIGKILLs that process `afterMs` after it starts: a worker killed in the middle of an append.
   */
  async killDuringLedgerAppend(afterMs: number): Promise<void> {
    await this.worker?.stop();
    const writer = await WorkerProcess.spawn(this.env, path.join(this.dir, 'ledger-writer.log'), {
      file: LEDGER_WRITER_SCRIPT,
      readyMarker: 'ledger-writer: running',
    });
    await sleep(afterMs);
    await writer.kill();
  }

  /** SIGKILLs the worker process. */
  async killWorker(): Promise<void> {
    await this.worker?.kill();
  }

  /** Alerts the outbox channel wrote. */
  outbox(): Promise<OutboxEntry[]> {
    return readOutbox(this.dataDir);
  }

  /** Stops everything and removes the directory (keeps it when `HANDOFF_KEEP_FAULT_DIRS=1`). */
  async stop(): Promise<void> {
    await this.worker?.stop().catch(() => undefined);
    await this.client.connection.close().catch(() => undefined);
    await this.server.stop().catch(() => undefined);
    await this.receiver.down().catch(() => undefined);
    if (process.env.HANDOFF_KEEP_FAULT_DIRS === '1') say(`kept ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- accounting ---------------------------------------------------------------------------------------------

/** True when every alert of every rung so far has reached a channel or been given up on every channel. */
export function deliveriesSettled(state: ConversationState): boolean {
  return state.escalations.every((record) =>
    record.rungs.every(
      (rung) =>
        rung.outcome === 'skipped' ||
        rung.assignees.every(
          (a) =>
            (rung.deliveries ?? []).some((d) => d.repId === a.repId && d.status === 'delivered') ||
            (rung.note ?? '').includes(`undeliverable to ${a.repId}`),
        ),
    ),
  );
}

/**
 * Waits until the conversation's open escalation has every alert so far settled, takes that state as the
 * snapshot of what must have arrived, then claims it for `repId` (a manager may claim at any tier).
 */
export async function settleAndClaim(
  handle: WorkflowHandle,
  repId: string,
  timeoutMs = 90_000,
): Promise<{ snapshot: ConversationState; packet: HandoffPacket; final: ConversationState }> {
  const snapshot = await eventually(
    async () => {
      const state = await handle.query(stateQuery);
      return state.stage === 'escalated' && state.ladder.length > 0 && deliveriesSettled(state) ? state : undefined;
    },
    `${handle.workflowId}'s alerts to settle`,
    timeoutMs,
    200,
  );
  const packet = await handle.executeUpdate(claimUpdate, { args: [{ repId, actor: repActor(repId) }] });
  const final = await handle.query(stateQuery);
  return { snapshot, packet, final };
}

/** What arrived of the alerts a set of conversations sent. */
export interface AlertAccount {
  /** Rung × assignee pairs the snapshots say were alerted. */
  expected: number;
  /** Of those, how many reached the receiver (webhook) or the outbox. */
  arrived: number;
  viaWebhook: number;
  viaOutbox: number;
  /** Expected alerts that reached neither. */
  lost: number;
  /** Alerts shown to a rep more than once (on two channels, or under a key no rung explains). */
  duplicated: number;
  /** POSTs that repeated a key already received (retries the receiver skipped by `Idempotency-Key`). */
  repeatPosts: number;
  /** Keys of rungs opened after the snapshot (a claim racing a new rung): not counted either way. */
  afterSnapshot: number;
  /** Up to ten lost or duplicated keys, for the failure message. */
  examples: string[];
}

/** Compares the snapshots' ladders with what the receiver and the outbox got. */
export function accountAlerts(snapshots: ConversationState[], receiver: AlertReceiver, outbox: OutboxEntry[]): AlertAccount {
  const account: AlertAccount = { expected: 0, arrived: 0, viaWebhook: 0, viaOutbox: 0, lost: 0, duplicated: 0, repeatPosts: 0, afterSnapshot: 0, examples: [] };
  const ids = snapshots.map((s) => s.conversationId);
  const received = receiver.alertsOf(ids);
  const webhookKeys = new Set(received.map((a) => a.key));
  const outboxKeys = new Set(outbox.filter((e) => ids.includes(e.workflowId)).map((e) => e.idempotencyKey));
  const expectedBases = new Set<string>();
  const rungsAtSnapshot = new Map<string, number>();
  for (const state of snapshots) {
    for (const record of state.escalations) {
      rungsAtSnapshot.set(`${state.conversationId}/esc-${record.number}`, record.rungs.length);
      record.rungs.forEach((rung, i) => {
        if (rung.outcome === 'skipped') return;
        for (const a of rung.assignees) {
          const base = `${state.conversationId}/esc-${record.number}/rung-${i + 1}/${a.repId}`;
          expectedBases.add(base);
          account.expected++;
          const viaWebhook = webhookKeys.has(`${base}/webhook`);
          const viaOutbox = outboxKeys.has(`${base}/outbox`);
          if (viaWebhook) account.viaWebhook++;
          if (viaOutbox) account.viaOutbox++;
          if (viaWebhook || viaOutbox) account.arrived++;
          else {
            account.lost++;
            if (account.examples.length < 10) account.examples.push(`lost ${base}`);
          }
          if (viaWebhook && viaOutbox) {
            account.duplicated++;
            if (account.examples.length < 10) account.examples.push(`on two channels ${base}`);
          }
        }
      });
    }
  }
  for (const key of [...webhookKeys, ...outboxKeys]) {
    const match = /^(.*\/esc-\d+)\/rung-(\d+)\/([^/]+)\/[^/]+$/.exec(key);
    if (!match) continue; // forwards to an owner and other non-rung keys
    const base = `${match[1]}/rung-${match[2]}/${match[3]}`;
    if (expectedBases.has(base)) continue;
    if (Number(match[2]) > (rungsAtSnapshot.get(match[1]!) ?? 0)) account.afterSnapshot++;
    else {
      account.duplicated++;
      if (account.examples.length < 10) account.examples.push(`unexplained ${key}`);
    }
  }
  account.repeatPosts = received.reduce((n, a) => n + a.posts - 1, 0);
  return account;
}

/** One line for the log. */
export function describeAccount(account: AlertAccount): string {
  return (
    `alerts expected ${account.expected}, arrived ${account.arrived} (webhook ${account.viaWebhook}, outbox ${account.viaOutbox}), ` +
    `lost ${account.lost}, duplicated ${account.duplicated}, repeat POSTs skipped by key ${account.repeatPosts}, ` +
    `after the snapshot ${account.afterSnapshot}`
  );
}

/** A prospect for the fault tests. */
export function faultProspect(id: string): { id: string; name: string; email: string; company: string; profile: Record<string, unknown> } {
  return { id, name: `Buyer ${id}`, email: `${id}@buyer.example`, company: `Company ${id}`, profile: {} };
}

/** A pricing reply that trips the `pricing` trigger. */
export function pricingReply(messageId: string): { messageId: string; channel: 'email'; text: string; receivedAt: string } {
  return { messageId, channel: 'email', text: 'What is the price per seat for 40 seats on an annual plan?', receivedAt: new Date().toISOString() };
}
