/**
 * `handoff start` as a child process on free loopback ports, for end-to-end tests of the whole stack.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assertPortFree } from '../../src/temporal/devServer';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'handoff.cjs');
/** Starts tried when a chosen port turns out taken (see {@link StackProcess.start}). */
const START_ATTEMPTS = 3;

/**
 * Ports for the stack are drawn below Linux's default range for outgoing connections (32768–60999): a port the
 * kernel gave out as "free" (port 0) comes from that range, and any process's next outgoing connection, the stack's
 * own worker included, can take it before the stack listens on it.
 */
const PORT_RANGE = { from: 20_000, to: 32_000 };

/** A loopback port in {@link PORT_RANGE} that nothing listens on now. */
export async function listenablePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from));
    const free = await assertPortFree('127.0.0.1', port, 'a test stack', 'none').then(
      () => true,
      () => false,
    );
    if (free) return port;
  }
  throw new Error(`no free loopback port found in ${PORT_RANGE.from}–${PORT_RANGE.to} after 100 tries`);
}

/** A running `handoff start` and the environment its CLI calls use. */
export class StackProcess {
  /** Everything the stack printed so far. */
  output = '';
  private child: ChildProcess | null = null;

  private constructor(readonly env: NodeJS.ProcessEnv) {}

  /** The Temporal Web UI of the stack (its port can change if a start lost a port, see {@link start}). */
  get uiUrl(): string {
    return `http://localhost:${this.env.HANDOFF_UI_PORT}`;
  }

  /** Environment for a stack with its state in a fresh temporary directory and the test roster (or `options.roster`). */
  static async create(options: { roster?: string } = {}): Promise<StackProcess> {
    const stack = new StackProcess({
      ...process.env,
      HANDOFF_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'handoff-stack-')),
      HANDOFF_ROSTER: options.roster ?? path.join(root, 'test', 'fixtures', 'roster.yaml'),
    });
    await stack.choosePorts();
    return stack;
  }

  private async choosePorts(): Promise<void> {
    this.env.HANDOFF_TEMPORAL_PORT = String(await listenablePort());
    this.env.HANDOFF_UI_PORT = String(await listenablePort());
    this.env.HANDOFF_API_PORT = String(await listenablePort());
  }

  /**
   * Starts `handoff start` and waits until it says it is running; the error carries its output. A port chosen free
   * can be taken by another process's connection before the stack binds it; `handoff start` then refuses it by
   * name, and the stack is started again on new ports (three starts in all).
   */
  async start(what = 'the stack did not start', timeoutMs = 120_000): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const from = this.output.length;
      try {
        await this.startOnce(what, timeoutMs);
        return;
      } catch (err) {
        if (attempt >= START_ATTEMPTS || !/is already in use; set HANDOFF_\w+_PORT/.test(this.output.slice(from))) throw err;
        this.output += `\n[test] a port the test chose was taken before the stack bound it; starting again on new ports (attempt ${attempt + 1} of ${START_ATTEMPTS})\n`;
        await this.choosePorts();
      }
    }
  }

  private async startOnce(what: string, timeoutMs: number): Promise<void> {
    const child = spawn(process.execPath, [bin, 'start'], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const from = this.output.length;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = performance.now() + timeoutMs;
    while (!this.output.slice(from).includes('Handoff is running')) {
      if (performance.now() > deadline || child.exitCode !== null) throw new Error(`${what}:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Runs a `handoff` CLI command against the stack. */
  cli(...args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, [bin, ...args], { env: this.env, encoding: 'utf8', timeout: 120_000 });
  }

  /**
   * Ctrl-C, as a person stops it, and its exit code. SIGKILL only if it has not stopped in 30 s: a killed
   * `handoff start` would leave its Temporal dev server running.
   */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}
