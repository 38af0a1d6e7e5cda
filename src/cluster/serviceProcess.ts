/**
 * One service of the cluster shape as a child process: its output appended to a log file in the data directory,
 * started in its own process group (so a Ctrl-C reaches only `handoff cluster`, which then stops the services in
 * order), ready once a probe succeeds or a line appears in its output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';

/** How to start a service. */
export interface ServiceProcessOptions {
  /** Names the service in errors and progress lines. */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** Ready when this resolves (polled every 250 ms until it does)... */
  ready?: () => Promise<void>;
  /** ...or when this text appears in the output. */
  readyLine?: string;
  readyTimeoutMs?: number;
  /** How long a SIGTERM may take before SIGKILL. */
  stopGraceMs?: number;
}

/** A running service. */
export class ServiceProcess {
  /** Set when the process ended without {@link stop} or {@link kill}. */
  unexpectedExit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private ending = false;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    private readonly stopGraceMs: number,
  ) {}

  /**
   * Spawns the service and resolves once it is ready.
   * @throws Error naming the service, with its output's tail, when it exits first or is not ready in time.
   */
  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    mkdirSync(path.dirname(options.logFile), { recursive: true, mode: DATA_DIR_MODE });
    const log = createWriteStream(options.logFile, { flags: 'a', mode: DATA_FILE_MODE });
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let tail = '';
    let sawReadyLine = false;
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
      if (options.readyLine && tail.includes(options.readyLine)) sawReadyLine = true;
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    let exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (err) => {
        tail += `\n${err.message}`;
        exitStatus = { code: null, signal: null };
        resolve(exitStatus);
      });
      child.once('exit', (code, signal) => {
        exitStatus = { code, signal };
        log.end();
        resolve(exitStatus);
      });
    });
    const service = new ServiceProcess(options.name, child, exited, options.stopGraceMs ?? 15_000);
    const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
    let lastError = '';
    for (;;) {
      if (exitStatus) {
        const { code, signal } = exitStatus;
        throw new Error(`${options.name} exited during start (code ${code}, signal ${signal}); log ${options.logFile}:\n${tail}`);
      }
      if (sawReadyLine) break;
      if (options.ready) {
        try {
          await options.ready();
          break;
        } catch (err) {
          lastError = (err as Error).message;
        }
      }
      if (Date.now() > deadline) {
        await service.kill();
        throw new Error(`${options.name} was not ready in time${lastError ? ` (${lastError})` : ''}; log ${options.logFile}:\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    void exited.then((status) => {
      if (!service.ending) service.unexpectedExit = status;
    });
    return service;
  }

  /** The process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process still runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the process exited. */
  async stop(): Promise<void> {
    this.ending = true;
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), this.stopGraceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL (no shutdown at all); resolves once the process exited. */
  async kill(): Promise<void> {
    this.ending = true;
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}
