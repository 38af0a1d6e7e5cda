/**
 * Lets the WebAssembly SQLite tell its own lock from another connection's, so that a transaction a killed process
 * left half-written is rolled back when the ledger is next opened.
 *
 * Hazard: node-sqlite3-wasm locks a database with one `<file>.lock` directory, for every lock level, and answers
 * SQLite's question "does another connection hold a reserved lock?" by whether that directory exists. SQLite asks
 * it right after taking its own lock, to decide whether a journal left beside the database is hot (its writer died
 * in the middle of a commit, so the file may hold pages of a transaction that never committed) and must be played
 * back. The directory is then always there, because this connection made it, so SQLite is told somebody is
 * writing, never plays the journal back, and reads the half-written pages: a committed event lost, or "database
 * disk image is malformed". The lock is one directory, exclusive, so while this connection holds it no other
 * connection holds any lock: the true answer is no.
 *
 * {@link recogniseOwnLocks} wraps the `fs` functions the library reaches (`mkdirSync` and `rmdirSync` for its lock,
 * `accessSync` for the question) so that a lock directory this thread made reads as absent to that question. Call
 * it only in the ledger's own thread (`sqliteThread.ts`): a worker thread has its own instance of each built-in
 * module, so nothing else in the process sees the change.
 */
import fs from 'node:fs';
import path from 'node:path';

const LOCK_SUFFIX = '.lock';
const installed = Symbol.for('handoff.sqliteOwnLocks');

type Fs = typeof fs & { [installed]?: true };

function lockPath(target: fs.PathLike): string | null {
  const text = typeof target === 'string' ? target : target instanceof URL ? target.pathname : target.toString();
  return text.endsWith(LOCK_SUFFIX) ? path.resolve(text) : null;
}

/**
 * Makes `fsModule` (the thread's `node:fs`) answer "no such file" to `accessSync` for a SQLite lock directory
 * this thread holds, and as before for everything else. Installing it twice changes nothing.
 */
export function recogniseOwnLocks(fsModule: typeof fs = fs): void {
  const target = fsModule as Fs;
  if (target[installed]) return;
  target[installed] = true;
  const held = new Set<string>();
  const { mkdirSync, rmdirSync, accessSync } = target;

  target.mkdirSync = ((dir: fs.PathLike, options?: fs.MakeDirectoryOptions | fs.Mode | null) => {
    const result = mkdirSync(dir, options as fs.MakeDirectoryOptions);
    const lock = lockPath(dir);
    if (lock) held.add(lock);
    return result;
  }) as typeof fs.mkdirSync;

  target.rmdirSync = ((dir: fs.PathLike, options?: fs.RmDirOptions) => {
    const lock = lockPath(dir);
    try {
      rmdirSync(dir, options);
    } catch (err) {
      if (lock && (err as NodeJS.ErrnoException).code === 'ENOENT') held.delete(lock);
      throw err;
    }
    if (lock) held.delete(lock);
  }) as typeof fs.rmdirSync;

  target.accessSync = ((file: fs.PathLike, mode?: number) => {
    const lock = lockPath(file);
    if (lock && held.has(lock)) {
      throw Object.assign(new Error(`ENOENT: no such file or directory, access '${String(file)}'`), { code: 'ENOENT', errno: -2, syscall: 'access' });
    }
    accessSync(file, mode);
  }) as typeof fs.accessSync;
}
