/** The Handoff worker (or another script of the fault rig) as a child process a test can kill. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { say } from './say';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The worker entry the rig runs as a child process. */
export const WORKER_SCRIPT = path.join(ROOT, 'test', 'faults', 'worker-process.ts');
/** A process that runs the worker's ledger activity in a loop (see the file). */
export const LEDGER_WRITER_SCRIPT = path.join(ROOT, 'test', 'faults', 'ledger-writer-process.ts');

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
