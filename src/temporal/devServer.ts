/**
 * The embedded Temporal dev server: the Temporal CLI's `server start-dev`, its state in a SQLite file under the
 * data directory, the Web UI on its own port, the namespace and Handoff's search attributes registered at start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { devServerSearchAttributeArgs } from './searchAttributes';

/** Thrown when a port the stack needs is already taken; names the port and the setting that changes it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly setting: string,
  ) {
    super(`port ${port} (${purpose}) is already in use; set ${setting} to another port`);
  }
}

/** Resolves when `port` on `host` can be bound; rejects with PortInUseError when it cannot. */
export function assertPortFree(host: string, port: number, purpose: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') reject(new PortInUseError(port, purpose, setting));
      else reject(err);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Asks the OS for a free loopback port. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** How to start the dev server. */
export interface DevServerOptions {
  cliPath: string;
  ip: string;
  port: number;
  /** Web UI port; `null` runs headless. */
  uiPort: number | null;
  /** The codec endpoint the Web UI decodes payloads through (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
  namespace: string;
  /** SQLite file; `null` keeps the state in memory (tests). */
  dbFile: string | null;
  /** Where the server's own log goes; `null` discards it. */
  logFile: string | null;
  /** Extra `PRAGMA=VALUE` settings for the SQLite store. */
  sqlitePragmas?: string[];
  /** Dynamic config values beside the product's own (`--dynamic-config-value KEY=VALUE`, the value as JSON). */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
  /** How long to wait for the server to answer. */
  readyTimeoutMs?: number;
  /** How many starts to try when a port is taken under the server (see {@link startDevServer}); 3 unless set. */
  attempts?: number;
  /** Told before each new attempt, with why the last one failed. */
  onRetry?: (reason: string) => void;
}

/** A running dev server. */
export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** Thrown when the dev server exits before it answers; `portTaken` when it could not bind a port. */
export class DevServerStartError extends Error {
  override readonly name = 'DevServerStartError';
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

/**
 * Starts `temporal server start-dev` and resolves once its frontend answers for the namespace.
 *
 * The server picks free ports for its internal services (history, matching, worker, metrics) by itself, and another
 * process can take one between the server's pick and its bind; the server then exits ("address already in use").
 * Such a start is tried again, `attempts` times in all; any other failure is thrown at once.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDevServerOnce(options);
    } catch (err) {
      if (attempt >= attempts || !(err instanceof DevServerStartError && err.portTaken)) throw err;
      options.onRetry?.(`a port the dev server binds was taken while it started (attempt ${attempt} of ${attempts})`);
    }
  }
}

/** The port of the server's "listen tcp 127.0.0.1:PORT: bind: address already in use" line, when it names one. */
function listenPort(output: string): number | null {
  const match = /listen tcp \S*:(\d+): bind: address already in use/i.exec(output);
  return match ? Number(match[1]) : null;
}

async function startDevServerOnce(options: DevServerOptions): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    options.ip,
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...devServerSearchAttributeArgs(),
    // An activity scheduled by a workflow task goes straight back to the worker that completed it, when it has a
    // free slot, instead of through the task queue (the SDK asks for it; the server only does it when told).
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
  ];
  if (options.uiPort === null) args.push('--headless');
  else {
    args.push('--ui-port', String(options.uiPort), '--ui-ip', options.ip);
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  }
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true, mode: DATA_DIR_MODE });
    args.push('--db-filename', options.dbFile);
  }
  for (const pragma of options.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let tail = '';
  // A port lost while the server binds can end it with a panic whose message comes before several KB of stack, so
  // the line is looked for in the whole output as it arrives, not only in the tail kept for the error.
  let bindFailure: string | null = null;
  let partialLine = '';
  const keepTail = (chunk: Buffer) => {
    const text = chunk.toString();
    tail = (tail + text).slice(-4000);
    if (bindFailure !== null) return;
    const lines = (partialLine + text).split('\n');
    partialLine = lines.pop()!.slice(-4000);
    bindFailure = lines.find((line) => /address already in use/i.test(line)) ?? null;
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true, mode: DATA_DIR_MODE });
    const log = createWriteStream(options.logFile, { flags: 'a', mode: DATA_FILE_MODE });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  const outputClosed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });

  const address = `${options.ip}:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      const { code, signal } = exited as { code: number | null; signal: NodeJS.Signals | null };
      // 'exit' can come before the last of the server's output has been read; its reason is in that output.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([outputClosed, new Promise((r) => (timer = setTimeout(r, 1000)))]);
      clearTimeout(timer);
      if (bindFailure === null && /address already in use/i.test(partialLine)) bindFailure = partialLine;
      const portTaken = bindFailure !== null;
      const port = bindFailure !== null ? listenPort(bindFailure) : null;
      // A port the caller chose is theirs to change: trying again would only fail the same way.
      if (port === options.port) throw new PortInUseError(port, 'Temporal dev server gRPC', 'HANDOFF_TEMPORAL_PORT');
      if (port !== null && port === options.uiPort) throw new PortInUseError(port, 'Temporal Web UI', 'HANDOFF_UI_PORT');
      const output = bindFailure !== null && !tail.includes(bindFailure) ? `${bindFailure}\n…\n${tail}` : tail;
      throw new DevServerStartError(`the Temporal dev server exited during start (code ${code}, signal ${signal}):\n${output}`, portTaken);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace });
        break;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the Temporal dev server did not answer on ${address} in time: ${(err as Error).message}\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://${options.ip === '0.0.0.0' ? 'localhost' : options.ip}:${options.uiPort}`,
    process: child,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}
