/**
 * The roster as the running worker sees it: read from its YAML file, re-read when the file's mtime or size
 * changes (checked with one `stat` on each use), and kept at the last good version when an edit is invalid.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseRoster, RosterError, type RosterSnapshot, validateRoster } from './roster';

/** Where the store reports reloads and rejected edits. Lines carry the file, the version and field paths only. */
export interface RosterLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** A loaded roster and where it came from. */
export interface LoadedRoster extends RosterSnapshot {
  source: string;
  loadedAt: Date;
}

const consoleLog: RosterLog = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', msg: message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', msg: message, ...fields })),
};

/**
 * Serves the current roster. Routing calls {@link RosterStore.current} on every decision; an edited file is
 * picked up on the next call without a restart. An invalid edit is logged once (by field) and ignored until
 * the file changes again; the last good roster stays in force.
 */
export class RosterStore {
  private loaded: LoadedRoster | undefined;
  /** mtime and size of the file last read, valid or not. */
  private seenStamp: string | undefined;
  private reloading: Promise<LoadedRoster> | undefined;

  private constructor(
    private readonly file: string | undefined,
    private readonly log: RosterLog,
    fixed?: LoadedRoster,
  ) {
    this.loaded = fixed;
  }

  /** A store backed by a roster file. Nothing is read until the first {@link RosterStore.current}. */
  static fromFile(file: string, options: { log?: RosterLog } = {}): RosterStore {
    return new RosterStore(path.resolve(file), options.log ?? consoleLog);
  }

  /**
   * A store holding one roster object that never changes (embedded defaults, tests).
   * @throws RosterError when the object is not a valid roster.
   */
  static fixed(raw: unknown, source = 'inline roster'): RosterStore {
    const snapshot = validateRoster(raw, source);
    return new RosterStore(undefined, consoleLog, { ...snapshot, source, loadedAt: new Date() });
  }

  /**
   * The current roster, re-read first when the file changed.
   * @throws RosterError when no valid roster has been loaded yet (first read invalid or file missing).
   */
  async current(): Promise<LoadedRoster> {
    if (this.file === undefined) return this.loaded!;
    this.reloading ??= this.refresh(this.file).finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async refresh(file: string): Promise<LoadedRoster> {
    let stamp: string;
    let statError: Error | undefined;
    try {
      const info = await stat(file);
      stamp = `${info.mtimeMs}:${info.size}`;
    } catch (err) {
      stamp = 'missing';
      statError = err as Error;
    }
    if (stamp === this.seenStamp && this.loaded) return this.loaded;
    const isNewVersionOfFile = stamp !== this.seenStamp;
    this.seenStamp = stamp;
    if (statError) {
      return this.keepLastGood(file, new RosterError(file, [{ path: '(file)', message: statError.message }]), isNewVersionOfFile);
    }
    try {
      const snapshot = parseRoster(await readFile(file, 'utf8'), file);
      const changed = this.loaded?.policyVersion !== snapshot.policyVersion;
      this.loaded = { ...snapshot, source: file, loadedAt: new Date() };
      if (changed) this.log.info('roster loaded', { file, policyVersion: snapshot.policyVersion });
      return this.loaded;
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      return this.keepLastGood(file, err, isNewVersionOfFile);
    }
  }

  /** Without a good roster yet the error is the caller's; with one, a bad edit is logged once and ignored. */
  private keepLastGood(file: string, err: RosterError, isNewVersionOfFile: boolean): LoadedRoster {
    if (!this.loaded) throw err;
    if (isNewVersionOfFile) {
      this.log.error('roster rejected; keeping the last good roster', {
        file,
        keptPolicyVersion: this.loaded.policyVersion,
        issues: err.issues.map((issue) => `${issue.path}: ${issue.message}`),
      });
    }
    return this.loaded;
  }
}
