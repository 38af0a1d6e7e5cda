/**
 * The fault-test rig: a real Temporal server (the dev server on a SQLite file, or in the cluster shape the
 * production server on PostgreSQL), the Handoff worker as a child process (the cluster shape: several), and a
 * loopback receiver for the signed webhook channel, each of which a test can kill and bring back. The benchmarks
 * use the same pieces. Everything listens on 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import YAML from 'yaml';
import { readOutbox, type OutboxEntry } from '../../../src/alerts/outbox';
import { ConfigSchema, loadConfig, type Config } from '../../../src/config';
import { connectClient } from '../../../src/temporal/connection';
import { sleep } from '../eventually';
import { AlertReceiver, WEBHOOK_SECRET } from './alertReceiver';
import { say } from './say';
import { ClusterServer } from './clusterServer';
import { FaultServer, type RigServer } from './server';
import { LEDGER_WRITER_SCRIPT, WorkerProcess } from './workerProcess';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The fault tests' roster: reps around the clock, `channels: [webhook, outbox]`, URLs templated. */
export const FAULTS_ROSTER = path.join(ROOT, 'test', 'fixtures', 'faults-roster.yaml');
/** The fault tests' base config: 5 s claim deadlines and re-alerts, sends at any hour. */
export const FAULTS_CONFIG = path.join(ROOT, 'test', 'fixtures', 'faults-config.yaml');
const CLAIM_SECRET = 'faults-claim-secret-0123456789-abcdefghijklmnopq';

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

/** Options of {@link FaultRig.startCluster}. */
export interface ClusterRigOptions extends Omit<FaultRigOptions, 'sqlitePragmas'> {
  /** How many worker processes poll the task queue (the first is the one {@link FaultRig.killWorker} kills). */
  workers?: number;
}

/**
 * A Temporal server, a receiver and worker processes in a fresh temporary directory, plus a client. `stop()` ends
 * every process and removes the directory; call it in `after` (it is safe after a failure half-way).
 */
export class FaultRig<S extends RigServer = FaultServer> {
  worker: WorkerProcess | null = null;
  /** Worker processes beyond the first; {@link killWorker} and {@link startWorker} leave them alone. */
  otherWorkers: WorkerProcess[] = [];
  /** How many worker processes were started (restarts included). */
  workerStarts = 0;

  private constructor(
    readonly dir: string,
    readonly server: S,
    readonly receiver: AlertReceiver,
    readonly client: Client,
    readonly config: Config,
    readonly env: Record<string, string>,
    private readonly workerEnv: Record<string, string>,
    private readonly workerNodeArgs: string[],
  ) {}

  /** The dev-server shape: the Temporal CLI's dev server on a SQLite file, one worker process. */
  static start(options: FaultRigOptions = {}): Promise<FaultRig<FaultServer>> {
    const sqlitePragmas = options.sqlitePragmas ?? ConfigSchema.parse({}).temporal.devServer.sqlitePragmas;
    return FaultRig.startWith(async (dir) => ({ server: await FaultServer.start(dir, { sqlitePragmas }), env: {} }), options, 1);
  }

  /**
   * The cluster shape (`handoff cluster`): the production Temporal server on PostgreSQL, the ledger in the same
   * PostgreSQL, `workers` worker processes (2 by default).
   */
  static startCluster(options: ClusterRigOptions = {}): Promise<FaultRig<ClusterServer>> {
    return FaultRig.startWith(
      async (dir) => {
        const server = await ClusterServer.start(dir);
        try {
          return { server, env: { DATABASE_URL: await server.databaseUrl('handoff') } };
        } catch (err) {
          await server.stop();
          throw err;
        }
      },
      options,
      options.workers ?? 2,
    );
  }

  private static async startWith<S extends RigServer>(
    startServer: (dir: string) => Promise<{ server: S; env: Record<string, string> }>,
    options: FaultRigOptions,
    workers: number,
  ): Promise<FaultRig<S>> {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-faults-'));
    let server: S | undefined;
    let receiver: AlertReceiver | undefined;
    try {
      receiver = await AlertReceiver.start();
      const started = await startServer(dir);
      server = started.server;
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
        ...started.env,
      };
      const config = loadConfig(env, dir);
      const client = await connectClient(config);
      const rig = new FaultRig(dir, server, receiver, client, config, env, options.workerEnv ?? {}, options.workerNodeArgs ?? []);
      try {
        await rig.startWorker();
        for (let i = 1; i < workers; i++) rig.otherWorkers.push(await rig.spawnWorker());
      } catch (err) {
        await rig.stop();
        throw err;
      }
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
    this.worker = await this.spawnWorker();
    return this.worker;
  }

  private spawnWorker(): Promise<WorkerProcess> {
    this.workerStarts++;
    return WorkerProcess.spawn({ ...this.env, ...this.workerEnv }, path.join(this.dir, 'worker.log'), undefined, this.workerNodeArgs);
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
    for (const other of this.otherWorkers) await other.stop().catch(() => undefined);
    await this.client.connection.close().catch(() => undefined);
    await this.server.stop().catch(() => undefined);
    await this.receiver.down().catch(() => undefined);
    if (process.env.HANDOFF_KEEP_FAULT_DIRS === '1') say(`kept ${this.dir}`);
    else rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A pricing reply that trips the `pricing` trigger. */
export function pricingReply(messageId: string): { messageId: string; channel: 'email'; text: string; receivedAt: string } {
  return { messageId, channel: 'email', text: 'What is the price per seat for 40 seats on an annual plan?', receivedAt: new Date().toISOString() };
}
