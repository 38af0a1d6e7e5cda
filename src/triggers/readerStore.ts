/**
 * The readers as the running worker sees them: the rules file and the learned reader's model file, each followed
 * on disk (re-read when it changes, the last good version kept on a bad edit; see `src/reloadingFile.ts`), so a new
 * rules file or model is deployed by replacing a file, without a restart.
 */
import { type Loaded, type ReloadLog, ReloadingFile, consoleLog } from '../reloadingFile';
import { DEFAULT_MODEL_FILE, type LearnedReader, parseLearnedReader } from './learned/reader';
import { DEFAULT_RULES_FILE } from './load';
import type { Readers } from './readers';
import { type RuleSet, parseRuleSet } from './rules';

/** Where the readers come from (`config.classify`). */
export interface ReaderFiles {
  /** The rules file; the shipped rules when unset. */
  rulesFile?: string;
  /** The learned reader's model file, or `off`; the shipped model when unset. */
  model?: string;
}

/** The readers in force and the files they came from. */
export interface CurrentReaders extends Readers {
  rulesFile: string;
  modelFile: string | null;
}

/** How a store puts a reloaded version in force. */
export interface ReaderStoreOptions {
  /** Where reloads and rejected edits are reported. */
  log?: ReloadLog;
  /**
   * Readies new readers before they are put in force (the worker has its classification threads compile them), so
   * no reply waits for a reloaded file to be compiled. A failure here does not hold the new version back.
   */
  prepare?: (readers: CurrentReaders) => Promise<unknown>;
  /** Parses a rules file's text (the worker parses in a classification thread); {@link parseRuleSet} by default. */
  parseRules?: (source: string, file: string) => RuleSet | Promise<RuleSet>;
}

/**
 * Serves the current readers. The files are read before the first answer; after that a changed file is read,
 * compiled and readied in the background while replies go on being read with the version in force, which the new
 * one replaces once it is ready (a reply that arrives meanwhile is read with the version before).
 */
export class ReaderStore {
  private readonly rules: ReloadingFile<RuleSet>;
  private readonly model: ReloadingFile<LearnedReader> | null;
  private readonly prepare: ReaderStoreOptions['prepare'];
  private readonly log: ReloadLog;
  private inForce: CurrentReaders | undefined;
  private checking: Promise<void> | undefined;

  constructor(files: ReaderFiles = {}, options: ReaderStoreOptions = {}) {
    const log = options.log ?? consoleLog;
    this.log = log;
    this.prepare = options.prepare;
    this.rules = new ReloadingFile(files.rulesFile ?? DEFAULT_RULES_FILE, { what: 'rules', parse: options.parseRules ?? parseRuleSet, version: (r) => r.version }, log);
    this.model =
      files.model === 'off'
        ? null
        : new ReloadingFile(files.model ?? DEFAULT_MODEL_FILE, { what: 'reader model', parse: parseLearnedReader, version: (m) => m.version }, log);
  }

  /**
   * The readers now in force; each call also has the files checked for a change, in the background.
   * @throws the rules' or model's error (naming the file and field) when no good version was ever read.
   */
  async current(): Promise<CurrentReaders> {
    if (!this.inForce) {
      this.inForce = await this.read();
      return this.inForce;
    }
    this.checking ??= this.check()
      .catch((err: unknown) => this.log.error('readers not checked; keeping the version in force', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => {
        this.checking = undefined;
      });
    return this.inForce;
  }

  /** The readers in force once a check of the files (reading, compiling and readying a changed one) has finished. */
  async settled(): Promise<CurrentReaders> {
    await this.current();
    await this.checking;
    return this.inForce as CurrentReaders;
  }

  private async read(): Promise<CurrentReaders> {
    const [rules, model]: [Loaded<RuleSet>, Loaded<LearnedReader> | null] = await Promise.all([
      this.rules.current(),
      this.model ? this.model.current() : Promise.resolve(null),
    ]);
    return { rules: rules.value, learned: model?.value ?? null, rulesFile: rules.source, modelFile: model?.source ?? null };
  }

  private async check(): Promise<void> {
    const next = await this.read();
    const before = this.inForce;
    if (before && next.rules === before.rules && next.learned === before.learned) return;
    if (this.prepare) await this.prepare(next).catch(() => undefined);
    this.inForce = next;
  }
}
