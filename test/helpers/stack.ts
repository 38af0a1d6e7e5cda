/**
 * `handoff start` as a child process on free loopback ports, for end-to-end tests of the whole stack.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/temporal/devServer';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'handoff.cjs');

/** A running `handoff start` and the environment its CLI calls use. */
export class StackProcess {
  /** Everything the stack printed so far. */
  output = '';
  private child: ChildProcess | null = null;

  private constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly uiUrl: string,
  ) {}

  /** Environment for a stack with its state in a fresh temporary directory and the test roster (or `options.roster`). */
  static async create(options: { roster?: string } = {}): Promise<StackProcess> {
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...process.env,
      HANDOFF_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'handoff-stack-')),
      HANDOFF_TEMPORAL_PORT: String(temporalPort),
      HANDOFF_UI_PORT: String(uiPort),
      HANDOFF_API_PORT: String(apiPort),
      HANDOFF_ROSTER: options.roster ?? path.join(root, 'test', 'fixtures', 'roster.yaml'),
    };
    return new StackProcess(env, `http://localhost:${uiPort}`);
  }

  /** Starts `handoff start` and waits until it says it is running; the error carries its output. */
  async start(what = 'the stack did not start', timeoutMs = 120_000): Promise<void> {
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
