/**
 * A throwaway PostgreSQL server for tests: Debian's server binaries, a fresh cluster in a temp directory on a
 * free loopback port, trust authentication, stopped and removed by `stop()`.
 *
 * As root (CI), the cluster is created and run as the `postgres` user, because `initdb` refuses to run as root.
 * Needs `apt-get install -y postgresql` (it provides `/usr/lib/postgresql/<version>/bin`).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findPostgresBinaries } from '../../src/cluster/postgres';


/** A running test server. */
export interface TestPostgres {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** URL of a database of that name (which need not exist yet). */
  urlFor(database: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a new cluster. Always pair with `stop()` (in `after`). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  let run = (file: string, args: string[]) => execFileSync(file, args, { stdio: 'pipe' });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    run = (file, args) => execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' });
  }
  const port = await freePort();
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', serverOptions, '-l', log, '-w', '-t', '60', 'start']);
  } catch (err) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL: ${stderr}\n${serverLog}`, { cause: err });
  }
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const adminUrl = urlFor('postgres');
  return {
    adminUrl,
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
