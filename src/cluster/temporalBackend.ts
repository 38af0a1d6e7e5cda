/**
 * What a production Temporal deployment runs before any app process: PostgreSQL, the schemas, the Temporal
 * server, the namespace and Handoff's search attributes. `handoff cluster` and the cluster-shape tests both start
 * it through here.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { ClusterBinaries } from '../temporal/provision';
import { ensureSearchAttributes } from '../temporal/searchAttributes';
import { startClusterPostgres, type ClusterPostgres } from './postgres';
import type { ServiceProcess } from './serviceProcess';
import { ensureNamespace, setUpTemporalSchemas, startTemporalServer } from './temporalServer';

/** How to start the backend. */
export interface TemporalBackendOptions {
  binaries: ClusterBinaries;
  /** PostgreSQL's cluster and the server's config and log live under here (`postgres/`, `cluster/`). */
  dataDir: string;
  ip: string;
  /** The frontend's gRPC port. */
  port: number;
  postgresPort: number;
  namespace: string;
  /** Durability off in PostgreSQL, for throwaway test clusters. */
  unsafeFast?: boolean;
  log?: (line: string) => void;
}

/** A running backend. The server can be SIGKILLed and started again on the same database. */
export class TemporalBackend {
  private constructor(
    private readonly options: TemporalBackendOptions,
    readonly postgres: ClusterPostgres,
    public server: ServiceProcess | null,
  ) {}

  /**
   * Starts PostgreSQL, migrates the schemas, starts the server and registers the namespace and the search
   * attributes. Stops what it started when a later step fails.
   */
  static async start(options: TemporalBackendOptions): Promise<TemporalBackend> {
    const log = options.log ?? (() => {});
    const postgres = await startClusterPostgres({ dataDir: options.dataDir, port: options.postgresPort, unsafeFast: options.unsafeFast, log });
    const backend = new TemporalBackend(options, postgres, null);
    try {
      await setUpTemporalSchemas(options.binaries.sqlTool, postgres, log);
      await backend.startServer();
      await ensureNamespace(backend.address, options.namespace, log);
      const connection = await Connection.connect({ address: backend.address });
      try {
        const added = await ensureSearchAttributes(connection, options.namespace);
        if (added.length) log(`• Temporal: registered search attributes ${added.join(', ')}`);
      } finally {
        await connection.close();
      }
      return backend;
    } catch (err) {
      await backend.stop().catch(() => undefined);
      throw err;
    }
  }

  /** The frontend's `ip:port`. */
  get address(): string {
    return `${this.options.ip}:${this.options.port}`;
  }

  /** Where the server's config and log are. */
  get serverDir(): string {
    return path.join(this.options.dataDir, 'cluster');
  }

  /** Starts the server (again, after {@link killServer}) on the same database and ports. */
  async startServer(): Promise<void> {
    if (this.server?.running) throw new Error('the Temporal server is already running');
    (this.options.log ?? (() => {}))(`• Temporal: starting the server on ${this.address}`);
    this.server = await startTemporalServer({
      binary: this.options.binaries.server,
      ip: this.options.ip,
      port: this.options.port,
      postgres: this.postgres,
      dir: this.serverDir,
    });
  }

  /** SIGKILLs the server. */
  async killServer(): Promise<void> {
    await this.server?.kill();
    this.server = null;
  }

  /** Stops the server, then PostgreSQL. */
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
    await this.postgres.stop();
  }
}
