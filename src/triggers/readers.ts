/**
 * Both readers of a reply, as the worker and `handoff classify` run them: the rules first, then the learned
 * reader's additions (see `learned/combine.ts`). Pure and synchronous; the optional model endpoint
 * (`model.ts`) is consulted after this, by the caller, since it does I/O.
 */
import { type ClassifyOptions, classifyOwnWords, ownWordsOf } from './classify';
import { readComposed } from './compose';
import { type CombinedClassification, readWithBoth } from './learned/combine';
import type { LearnedReader } from './learned/reader';
import type { RuleSet } from './rules';

/** The readers in force: the rule set and, unless switched off, the learned reader. */
export interface Readers {
  rules: RuleSet;
  learned: LearnedReader | null;
}

/** Classifies one reply with the rules and the learned reader (when there is one). */
export function classifyWithReaders(text: string, readers: Readers, options: ClassifyOptions = {}): CombinedClassification {
  return readComposed(text, (read) => {
    const scan = ownWordsOf(read);
    return readWithBoth(read, scan, classifyOwnWords(read, scan, readers.rules, options), readers.learned, readers.rules);
  });
}
