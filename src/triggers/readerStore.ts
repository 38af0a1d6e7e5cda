/**
 * The readers as the running worker sees them: the rules file and the learned reader's model file, each followed
 * on disk (re-read when it changes, the last good version kept on a bad edit; see `src/reloadingFile.ts`), so a new
 * rules file or model is deployed by replacing a file, without a restart.
 */
import { type Loaded, type ReloadLog, ReloadingFile } from '../reloadingFile';
import { DEFAULT_MODEL_FILE, type LearnedReader, parseLearnedReader } from './learned/reader';
import { DEFAULT_RULES_FILE } from './load';
import type { Readers } from './readers';
import { type RuleSet, parseRuleSet } from './rules';

/** Where the readers come from (`config.readers`). */
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

/** Serves the current readers, re-reading a file when it changed. */
export class ReaderStore {
  private readonly rules: ReloadingFile<RuleSet>;
  private readonly model: ReloadingFile<LearnedReader> | null;

  constructor(files: ReaderFiles = {}, log?: ReloadLog) {
    this.rules = new ReloadingFile(files.rulesFile ?? DEFAULT_RULES_FILE, { what: 'rules', parse: parseRuleSet, version: (r) => r.version }, log);
    this.model =
      files.model === 'off'
        ? null
        : new ReloadingFile(files.model ?? DEFAULT_MODEL_FILE, { what: 'reader model', parse: parseLearnedReader, version: (m) => m.version }, log);
  }

  /**
   * The readers now in force.
   * @throws the rules' or model's error (naming the file and field) when no good version was ever read.
   */
  async current(): Promise<CurrentReaders> {
    const [rules, model]: [Loaded<RuleSet>, Loaded<LearnedReader> | null] = await Promise.all([
      this.rules.current(),
      this.model ? this.model.current() : Promise.resolve(null),
    ]);
    return { rules: rules.value, learned: model?.value ?? null, rulesFile: rules.source, modelFile: model?.source ?? null };
  }
}
