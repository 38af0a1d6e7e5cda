/**
 * The cluster shape's PostgreSQL: Debian's server binaries, one cluster created once in the data directory and
 * reused by every later run, listening on loopback TCP (password authentication) and on a unix socket in its own
 * folder. Its superuser is `temporal`, as in docker-compose.yml.
 *
 * PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user, whose files cannot live in
 * the root-owned private data directory. There the folder is created under `/var/lib/postgresql/handoff/` and the
 * data directory holds a symbolic link `postgres` to it.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';

/** The superuser the cluster is created with (Temporal's and the ledger's databases belong to it). */
export const POSTGRES_USER = 'temporal';

/** The directory holding `initdb`, `pg_ctl` and `postgres`, newest Debian version first. */
export function findPostgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')) && existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
  }
  return path.join(root, newest, 'bin');
}

/** How to start the cluster's PostgreSQL. */
export interface ClusterPostgresOptions {
  /** The data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  port: number;
  /** Durability off (fsync, synchronous commit): for throwaway test clusters only. */
  unsafeFast?: boolean;
  log?: (line: string) => void;
}

/** A running PostgreSQL. */
export interface ClusterPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The folder of the cluster's files and of its unix socket. */
  folder: string;
  /** A connection URL for `database`. */
  urlFor(database: string): string;
  /** Creates `database` unless it exists; returns whether it created it. */
  ensureDatabase(database: string): Promise<boolean>;
  /** Stops the server (fast shutdown: open transactions roll back, nothing committed is lost). */
  stop(): Promise<void>;
}

type Run = (file: string, args: string[]) => Buffer;

/** Runs commands as the `postgres` user when this process is root (initdb and the server refuse root). */
function runner(): { run: Run; owner: { uid: number; gid: number } | null } {
  if (process.getuid?.() !== 0) return { run: (file, args) => execFileSync(file, args, { stdio: 'pipe' }), owner: null };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { run: (file, args) => execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe' }), owner: { uid, gid } };
}

/** `<dataDir>/postgres`, or as root the folder the link there points at (created with the link). */
function clusterFolder(dataDir: string, owner: { uid: number; gid: number } | null): string {
  const link = path.join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  if (!owner) {
    mkdirSync(link, { recursive: true, mode: DATA_DIR_MODE });
    return link;
  }
  if (existsSync(link)) return realpathSync(link);
  const parent = '/var/lib/postgresql/handoff';
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  chownSync(parent, owner.uid, owner.gid);
  const folder = path.join(parent, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16));
  mkdirSync(folder, { recursive: true, mode: DATA_DIR_MODE });
  chownSync(folder, owner.uid, owner.gid);
  symlinkSync(folder, link);
  return folder;
}

function failure(what: string, err: unknown, logFile: string): Error {
  const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
  const serverLog = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  return new Error(`PostgreSQL: ${what} failed: ${stderr || (err as Error).message}${serverLog ? `\n${serverLog}` : ''}`, { cause: err });
}

/**
 * Starts the cluster's PostgreSQL, creating it on first use (initdb, a generated password kept in
 * `<dataDir>/postgres-password`). Resolves once it accepts connections.
 * @throws Error naming the step that failed, with the server log's tail.
 */
export async function startClusterPostgres(options: ClusterPostgresOptions): Promise<ClusterPostgres> {
  const log = options.log ?? (() => {});
  const bin = findPostgresBinaries();
  const { run, owner } = runner();
  const folder = clusterFolder(options.dataDir, owner);
  const data = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  const passwordFile = path.join(options.dataDir, 'postgres-password');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    log(`• PostgreSQL: creating the cluster in ${data}`);
    const password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: DATA_FILE_MODE });
    // initdb reads the password from a file its own user can read: one in the cluster folder, removed at once.
    const pwfile = path.join(folder, 'initdb-password');
    writeFileSync(pwfile, `${password}\n`, { mode: DATA_FILE_MODE });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    try {
      run(path.join(bin, 'initdb'), ['-D', data, '-U', POSTGRES_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C']);
    } catch (err) {
      throw failure('initdb', err, logFile);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const settings = [`-p ${options.port}`, `-k ${folder}`, '-c listen_addresses=127.0.0.1', '-c max_connections=200'];
  if (options.unsafeFast) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
  log(`• PostgreSQL: starting on 127.0.0.1:${options.port}`);
  try {
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', settings.join(' '), '-l', logFile, '-w', '-t', '60', 'start']);
  } catch (err) {
    throw failure('start', err, logFile);
  }
  const host = '127.0.0.1';
  const urlFor = (database: string) =>
    `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@${host}:${options.port}/${encodeURIComponent(database)}`;
  return {
    host,
    port: options.port,
    user: POSTGRES_USER,
    password,
    folder,
    urlFor,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (found.rowCount) return false;
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
        return true;
      } finally {
        await client.end();
      }
    },
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      } catch (err) {
        throw failure('stop', err, logFile);
      }
    },
  };
}
