/**
 * Both readers of a reply, as the worker and `handoff classify` run them: the rules first, then the learned
 * reader's additions (see `learned/combine.ts`). Pure and synchronous; the optional model endpoint
 * (`model.ts`) is consulted after this, by the caller, since it does I/O.
 */
import { type ClassifyOptions, classifyOwnWords, ownWordsOf } from './classify';
import { composeMarks, evidenceInReply } from './compose';
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
  const composed = composeMarks(text);
  if (!composed) return readComposed(text, readers, options);
  const verdict = readComposed(composed.text, readers, options);
  return { ...verdict, evidence: evidenceInReply(verdict.evidence, text, composed) };
}

function readComposed(text: string, readers: Readers, options: ClassifyOptions): CombinedClassification {
  const scan = ownWordsOf(text);
  const rules = classifyOwnWords(text, scan, readers.rules, options);
  return readWithBoth(text, scan, rules, readers.learned, readers.rules);
}
