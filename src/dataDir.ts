/**
 * The data directory (`HANDOFF_DATA_DIR`, `.handoff/` by default) holds secrets (the API key, the claim-link
 * secret, the generated payload key), prospects' words (the ledger, the journals, the outbox) and the dev server's
 * database and log: it is private to the user who runs Handoff. The directory is 0700 and every file in it 0600;
 * the stack sets a umask so that whatever it (or the dev server it starts) creates later is private too, and
 * tightens what an earlier version left readable.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The mode of the data directory and of every directory in it. */
export const DATA_DIR_MODE = 0o700;
/** The mode of every file in the data directory. */
export const DATA_FILE_MODE = 0o600;
/** The umask of the stack's processes: nothing new is readable by group or others. */
export const PRIVATE_UMASK = 0o077;

/** From now on, files and directories this process and its children create are private to the user. */
export function usePrivateUmask(): void {
  process.umask(PRIVATE_UMASK);
}

/**
 * Creates the data directory (0700), or tightens an existing one: itself and every directory in it to 0700,
 * every file to 0600. Symbolic links are neither followed nor changed. Returns the paths whose mode it changed.
 */
export function secureDataDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  const changed: string[] = [];
  const tighten = (target: string): void => {
    let stat;
    try {
      stat = lstatSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile (a lock released)
      throw err;
    }
    if (stat.isSymbolicLink()) return;
    const mode = stat.isDirectory() ? DATA_DIR_MODE : DATA_FILE_MODE;
    if ((stat.mode & 0o777) !== mode) {
      chmodSync(target, mode);
      changed.push(target);
    }
    if (stat.isDirectory()) for (const name of readdirSync(target)) tighten(path.join(target, name));
  };
  tighten(dir);
  return changed;
}
