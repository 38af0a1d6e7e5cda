/**
 * Both readers of a reply, as the worker and `handoff classify` run them: the rules first, then the learned
 * reader's additions (see `learned/combine.ts`). Pure and synchronous; the optional model endpoint
 * (`model.ts`) is consulted after this, by the caller, since it does I/O.
 */
import { classifyReply, type ClassifyOptions } from './classify';
import { type CombinedClassification, combineReaders } from './learned/combine';
import { type LearnedReader, readReply } from './learned/reader';
import type { RuleSet } from './rules';
import { findReplyBody, scanText } from './strip';

/** The readers in force: the rule set and, unless switched off, the learned reader. */
export interface Readers {
  rules: RuleSet;
  learned: LearnedReader | null;
}

/** Classifies one reply with the rules and the learned reader (when there is one). */
export function classifyWithReaders(text: string, readers: Readers, options: ClassifyOptions = {}): CombinedClassification {
  const rules = classifyReply(text, readers.rules, options);
  const scan = scanText(text, findReplyBody(text));
  const learned = readers.learned ? readReply(readers.learned, scan) : null;
  return combineReaders(text, scan, rules, learned, readers.learned, readers.rules);
}
