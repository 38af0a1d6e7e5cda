/**
 * The fault rig's Temporal in the cluster shape: the production server on its own PostgreSQL (what
 * `handoff cluster` runs), which a test can SIGKILL and start again on the same database.
 */
import { existsSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TemporalBackend } from '../../../src/cluster/temporalBackend';
import { MAX_FRONTEND_PORT, temporalServerPorts } from '../../../src/cluster/temporalServer';
import { assertPortFree, freePort } from '../../../src/temporal/devServer';
import { provisionClusterBinaries } from '../../../src/temporal/provision';
import type { RigServer } from './server';

/**
 * A frontend port whose whole layout (see `temporalServerPorts`) is free. Picked at random below the OS's
 * ephemeral range: Temporal stores membership ports as a smallint.
 */
async function freeLayoutPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10_300 + Math.floor(Math.random() * (MAX_FRONTEND_PORT - 10_300));
    if ((await Promise.all(Object.values(temporalServerPorts(port)).map(isFree))).every(Boolean)) return port;
  }
  throw new Error('no free port layout for the Temporal server');
}

function isFree(port: number): Promise<boolean> {
  return assertPortFree('127.0.0.1', port, 'probe', 'none').then(
    () => true,
    () => false,
  );
}

/** Removes the cluster's PostgreSQL folder, which as root lies outside the test's directory. */
function removePostgresFolder(dataDir: string): void {
  const link = path.join(dataDir, 'postgres');
  if (existsSync(link)) rmSync(realpathSync(link), { recursive: true, force: true });
}

/** The production Temporal server and PostgreSQL in `<dir>/cluster-data`. */
export class ClusterServer implements RigServer {
  private constructor(
    private readonly backend: TemporalBackend,
    private readonly dataDir: string,
  ) {}

  /** Provisions the binaries (built once into the cache) and starts PostgreSQL and the server. */
  static async start(dir: string): Promise<ClusterServer> {
    const binaries = await provisionClusterBinaries({ log: () => {} });
    const dataDir = path.join(dir, 'cluster-data');
    try {
      const backend = await TemporalBackend.start({
        binaries,
        dataDir,
        ip: '127.0.0.1',
        port: await freeLayoutPort(),
        postgresPort: await freePort(),
        namespace: 'default',
        unsafeFast: true,
      });
      return new ClusterServer(backend, dataDir);
    } catch (err) {
      removePostgresFolder(dataDir);
      throw err;
    }
  }

  get address(): string {
    return this.backend.address;
  }

  get pid(): number | undefined {
    return this.backend.server?.pid;
  }

  get storage(): string {
    return `PostgreSQL on 127.0.0.1:${this.backend.postgres.port}`;
  }

  /** A URL for a database of the cluster's PostgreSQL, created when missing. */
  async databaseUrl(name: string): Promise<string> {
    await this.backend.postgres.ensureDatabase(name);
    return this.backend.postgres.urlFor(name);
  }

  restart(): Promise<void> {
    return this.backend.startServer();
  }

  kill(): Promise<void> {
    return this.backend.killServer();
  }

  /** Stops the server and PostgreSQL and removes PostgreSQL's folder (outside `dir` when run as root). */
  async stop(): Promise<void> {
    try {
      await this.backend.stop();
    } finally {
      if (process.env.HANDOFF_KEEP_FAULT_DIRS !== '1') removePostgresFolder(this.dataDir);
    }
  }
}
