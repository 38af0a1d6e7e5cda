/**
 * Negation: whether a negation cue ("not", "kein", "pas", "rather not") sits within a few words before a match,
 * in the same clause (no sentence punctuation, comma or break word such as "but" in between). Read in code, word
 * by word back from the match over the short text before it, so each test is of a word or two against patterns
 * anchored at both ends, whatever the reply.
 */
import { startScan, testText } from './meter';

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

/** Every fixed pattern of the negation test, by name: checked for catastrophic backtracking by the test suite. */
export const NEGATION_PATTERNS: Readonly<Record<string, RegExp>> = { word: WORD };

/** Compiles cues and break words (regex fragments matching one whole word or phrase each). */
export function negationCues(cues: readonly string[], breaks: readonly string[]): NegationCues {
  return {
    cue: new RegExp(`^(?:${cues.join('|')})$`, 'iu'),
    breakWord: breaks.length > 0 ? new RegExp(`^(?:${breaks.join('|')})$`, 'iu') : null,
  };
}

/** Where the words of `before` start and end, reused from call to call (the text is at most a lookback long). */
let wordStarts: Int32Array = new Int32Array(64);
let wordEnds: Int32Array = new Int32Array(64);

/**
 * True when `before` (the text just before a match) ends in a negation cue followed by at most `window - 1` more
 * words, with only spaces and such between them and the match.
 */
export function isNegated(before: string, cues: NegationCues, window: number): boolean {
  let count = 0;
  const re = startScan(WORD, before);
  for (let m = re.exec(before); m !== null; m = re.exec(before)) {
    if (count === wordStarts.length) {
      wordStarts = grown(wordStarts);
      wordEnds = grown(wordEnds);
    }
    wordStarts[count] = m.index;
    wordEnds[count++] = m.index + m[0].length;
  }
  const starts = wordStarts;
  const ends = wordEnds;
  let gapEnd = before.length;
  for (let k = count - 1; k >= 0 && count - k <= window; k--) {
    const start = starts[k]!;
    const end = ends[k]!;
    if (end === gapEnd || breaksClause(before, end, gapEnd)) return false;
    for (let n = 1; n <= CUE_WORDS_MAX && k - n + 1 >= 0; n++) {
      if (testText(cues.cue, before.slice(starts[k - n + 1]!, end))) return true;
    }
    if (cues.breakWord && testText(cues.breakWord, before.slice(start, end))) return false;
    gapEnd = start;
  }
  return false;
}

/** Whether `text[from, to)` holds what ends a clause (. ! ? ; , : a line break or a parenthesis): a cue before it does not reach past it. */
function breaksClause(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63 || c === 59 || c === 44 || c === 58 || c === 10 || c === 40 || c === 41) return true;
  }
  return false;
}

function grown(from: Int32Array): Int32Array {
  const to = new Int32Array(from.length * 2);
  to.set(from);
  return to;
}
