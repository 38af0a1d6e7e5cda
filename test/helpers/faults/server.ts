/** The fault rig's Temporal dev server: a SQLite file a test can SIGKILL the server over and start again on. */
import path from 'node:path';
import { freePort, startDevServer, type DevServer } from '../../../src/temporal/devServer';
import { provisionedCliPath } from '../devServer';

/** The Temporal server of the fault rig, in either shape: SIGKILLed and started again on the same state. */
export interface RigServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** The server process id, while it runs. */
  readonly pid: number | undefined;
  /** Where the server keeps its state, for the test's log. */
  readonly storage: string;
  /** Starts the server on the same state and port (after {@link kill}). */
  restart(): Promise<void>;
  /** SIGKILLs the server and waits for it to exit. */
  kill(): Promise<void>;
  /** Stops everything politely (cleanup). */
  stop(): Promise<void>;
}

/** A dev server on a SQLite file that can be SIGKILLed and started again on the same file and port. */
export class FaultServer implements RigServer {
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
    const server = new FaultServer(await freePort(), path.join(dir, 'temporal.db'), await provisionedCliPath(), path.join(dir, 'temporal-server.log'), options.sqlitePragmas ?? []);
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

  get storage(): string {
    return `the SQLite file ${path.basename(this.dbFile)}`;
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
