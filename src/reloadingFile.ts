/**
 * A configuration file the running worker follows: parsed on first use, parsed again when its mtime or size
 * changes (one `stat` per use), and kept at the last good version when an edit is invalid. Used for the rules and
 * the learned reader's model, so either can be deployed by replacing a file, without a restart.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where reloads and rejected edits are reported. Lines carry the file, versions and the error, never content. */
export interface ReloadLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** The parsed contents of a file, with the version it reports and where it came from. */
export interface Loaded<T> {
  value: T;
  version: string;
  source: string;
}

/** Reload lines as JSON on stdout and stderr, the worker's log. */
export const consoleLog: ReloadLog = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', msg: message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', msg: message, ...fields })),
};

/** How to read one kind of file. */
export interface FileKind<T> {
  /** What the file is, for log lines ("rules", "reader model"). */
  what: string;
  /** Parses the text (here or in another thread); throws an error naming the field that is wrong. */
  parse(source: string, file: string): T | Promise<T>;
  /** The version of a parsed value (a content hash). */
  version(value: T): string;
}

/**
 * Serves the current contents of a file (see the module comment). Concurrent calls share one reload.
 */
export class ReloadingFile<T> {
  private loaded: Loaded<T> | undefined;
  private seenStamp: string | undefined;
  private reloading: Promise<Loaded<T>> | undefined;
  readonly file: string;

  constructor(
    file: string,
    private readonly kind: FileKind<T>,
    private readonly log: ReloadLog = consoleLog,
  ) {
    this.file = path.resolve(file);
  }

  /**
   * The current contents, parsed again first when the file changed.
   * @throws the parse error when no good version has been read yet (a missing or invalid file at start).
   */
  async current(): Promise<Loaded<T>> {
    this.reloading ??= this.refresh().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async refresh(): Promise<Loaded<T>> {
    let stamp: string;
    try {
      const info = await stat(this.file);
      stamp = `${info.mtimeMs}:${info.size}`;
    } catch (err) {
      stamp = 'missing';
      if (stamp !== this.seenStamp || !this.loaded) {
        this.seenStamp = stamp;
        return this.keepLastGood(new Error(`${this.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`, { cause: err }), true);
      }
      return this.loaded;
    }
    if (stamp === this.seenStamp && this.loaded) return this.loaded;
    const isNewVersionOfFile = stamp !== this.seenStamp;
    this.seenStamp = stamp;
    try {
      const value = await this.kind.parse(await readFile(this.file, 'utf8'), this.file);
      const version = this.kind.version(value);
      if (this.loaded?.version !== version) this.log.info(`${this.kind.what} loaded`, { file: this.file, version });
      this.loaded = { value, version, source: this.file };
      return this.loaded;
    } catch (err) {
      return this.keepLastGood(err as Error, isNewVersionOfFile);
    }
  }

  /** Without a good version yet the error is the caller's; with one, a bad edit is logged once and ignored. */
  private keepLastGood(err: Error, isNewVersionOfFile: boolean): Loaded<T> {
    if (!this.loaded) throw err;
    if (isNewVersionOfFile) {
      this.log.error(`${this.kind.what} rejected; keeping the last good version`, {
        file: this.file,
        keptVersion: this.loaded.version,
        error: err.message,
      });
    }
    return this.loaded;
  }
}
