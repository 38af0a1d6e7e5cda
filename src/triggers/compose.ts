/**
 * Accents typed as a letter and a combining mark ("e" + U+0301, as some mail clients and text copied from PDFs send
 * them) read as the accented letter ("é"): the rules are written with composed letters, and the scan and the
 * learned reader's features take a lone combining mark for a space, which splits "de\u0301sabonner" in two.
 *
 * Each letter with its marks is composed on its own (Unicode NFC, letter by letter), so every unit of the composed
 * text maps back to where its letter starts in the reply, and evidence spans found in the composed text are given
 * in the reply's own offsets. Only the part of the reply that any reader reads is composed.
 */
import type { Evidence } from '../../workflows/vocabulary';
import { STRIP_SCAN_CHARS } from './strip';

/** A reply with its letters and marks composed, and the way back to the reply's offsets. */
export interface ComposedReply {
  /** The reply with each letter and its combining marks composed (NFC) in the first {@link COMPOSED_CHARS} units it composes to. */
  text: string;
  /** The offset in the reply where the letter of the composed text's unit at `offset` starts (or the reply's length). */
  toReply(offset: number): number;
}

/**
 * The most marks one letter may carry and still be composed. Written letters carry one to three (Vietnamese two);
 * a pile of marks is left as it is, since putting marks in their canonical order costs the square of their number
 * (50,000 marks on one letter took over a second).
 */
export const MAX_MARKS_COMPOSED = 8;

/** Letters are composed in this many first characters of the composed reply: as far as the stripping passes read. */
export const COMPOSED_CHARS = STRIP_SCAN_CHARS;

const HAS_MARK = /\p{M}/u;
const LETTER_WITH_MARKS = new RegExp(`\\P{M}\\p{M}{1,${MAX_MARKS_COMPOSED}}(?!\\p{M})`, 'gu');

/** Letters with their marks already composed, by their written form; a few hundred cover every language's accents. */
const COMPOSED = new Map<string, string>();
const COMPOSED_KEPT = 4_096;

function composeLetter(letter: string): string {
  let composed = COMPOSED.get(letter);
  if (composed === undefined) {
    composed = letter.normalize('NFC');
    if (COMPOSED.size < COMPOSED_KEPT) COMPOSED.set(letter, composed);
  }
  return composed;
}

/** The reply with letters and marks composed, or null when its read part has no combining mark (nearly every reply). */
export function composeMarks(reply: string): ComposedReply | null {
  // The readers' windows are counted in the composed text, which is shorter: as written, the letters of its first
  // COMPOSED_CHARS units span at most (MAX_MARKS_COMPOSED + 1) times as many.
  const readable = COMPOSED_CHARS * (MAX_MARKS_COMPOSED + 1);
  const read = reply.length > readable ? reply.slice(0, readable) : reply;
  if (!HAS_MARK.test(read)) return null;
  const parts: string[] = [];
  const starts: number[] = [];
  let at = 0;
  const copy = (from: number, until: number) => {
    parts.push(read.slice(from, until));
    for (let i = from; i < until; i++) starts.push(i);
  };
  for (const match of read.matchAll(LETTER_WITH_MARKS)) {
    const start = match.index;
    if (start - at + starts.length >= COMPOSED_CHARS) break;
    copy(at, start);
    const composed = composeLetter(match[0]);
    parts.push(composed);
    for (let i = 0; i < composed.length; i++) starts.push(start);
    at = start + match[0].length;
  }
  const prefix = parts.join('');
  if (prefix === read.slice(0, at)) return null;
  // Past the last composed letter the reply is copied as it is: offsets there move by a constant.
  const shift = at - prefix.length;
  const toReply = (offset: number): number => (offset < starts.length ? starts[offset]! : Math.min(reply.length, offset + shift));
  return { text: prefix + reply.slice(at), toReply };
}

/** Evidence found in the composed text, given in the reply's own offsets and words. */
export function evidenceInReply(evidence: Evidence[], reply: string, composed: ComposedReply): Evidence[] {
  const { toReply } = composed;
  // A span's end is where the letter of its last unit ends in the reply, with all of that letter's marks.
  const endOf = (end: number): number => {
    if (end <= 0) return 0;
    const last = toReply(end - 1);
    let k = end;
    while (k < composed.text.length && toReply(k) === last) k++;
    return toReply(k);
  };
  return evidence.map((e) => {
    const start = toReply(e.start);
    const end = endOf(e.end);
    return { ...e, start, end, text: reply.slice(start, end) };
  });
}

/**
 * Reads a reply with its letters and marks composed (see {@link composeMarks}), then gives the reading's evidence in
 * the reply's own offsets: what every reader of a whole reply calls.
 */
export function readComposed<T extends { evidence: Evidence[] }>(reply: string, read: (text: string) => T): T {
  const composed = composeMarks(reply);
  if (!composed) return read(reply);
  const verdict = read(composed.text);
  return { ...verdict, evidence: evidenceInReply(verdict.evidence, reply, composed) };
}
