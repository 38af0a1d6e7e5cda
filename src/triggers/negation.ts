/**
 * Negation: whether a negation cue ("not", "kein", "pas", "rather not") sits within a few words before a match,
 * in the same clause (no sentence punctuation, comma or break word such as "but" in between). Read in code, word
 * by word back from the match over the short text before it, so each test is of a word or two against patterns
 * anchored at both ends, whatever the reply.
 */
import { matchAll, testText } from './meter';

/** A language set's negation cues and break words, as whole-word tests. */
export interface NegationCues {
  /** Matches a whole cue (one to {@link CUE_WORDS_MAX} words). */
  cue: RegExp;
  /** Matches a whole break word; null when there are none. */
  breakWord: RegExp | null;
}

/** The longest cue, in words ("instead of", "rather not"). */
const CUE_WORDS_MAX = 3;
/** A word: letters, digits and apostrophes ("don't", "n'importe"). */
const WORD = /[\p{L}\p{N}']+/gu;
/** What ends a clause: a cue before it does not reach past it. */
const CLAUSE_BREAK = /[.!?;,:\n()]/u;

/** Every fixed pattern of the negation test, by name: checked for catastrophic backtracking by the test suite. */
export const NEGATION_PATTERNS: Readonly<Record<string, RegExp>> = { word: WORD, clauseBreak: CLAUSE_BREAK };

/** Compiles cues and break words (regex fragments matching one whole word or phrase each). */
export function negationCues(cues: readonly string[], breaks: readonly string[]): NegationCues {
  return {
    cue: new RegExp(`^(?:${cues.join('|')})$`, 'iu'),
    breakWord: breaks.length > 0 ? new RegExp(`^(?:${breaks.join('|')})$`, 'iu') : null,
  };
}

/**
 * True when `before` (the text just before a match) ends in a negation cue followed by at most `window - 1` more
 * words, with only spaces and such between them and the match.
 */
export function isNegated(before: string, cues: NegationCues, window: number): boolean {
  const words: Array<[number, number]> = [];
  for (const m of matchAll(WORD, before)) words.push([m.index, m.index + m[0].length]);
  let gapEnd = before.length;
  for (let k = words.length - 1; k >= 0 && words.length - k <= window; k--) {
    const [start, end] = words[k] as [number, number];
    const gap = before.slice(end, gapEnd);
    if (gap === '' || testText(CLAUSE_BREAK, gap)) return false;
    for (let n = 1; n <= CUE_WORDS_MAX && k - n + 1 >= 0; n++) {
      const from = (words[k - n + 1] as [number, number])[0];
      if (testText(cues.cue, before.slice(from, end))) return true;
    }
    if (cues.breakWord && testText(cues.breakWord, before.slice(start, end))) return false;
    gapEnd = start;
  }
  return false;
}
