/**
 * Finds the replies of a new writing pass that repeat, or nearly repeat, a reply already in the corpus (or one
 * earlier in the same pass): `tsx scripts/corpusOverlap.ts <new.jsonl> [--threshold 0.6]`.
 *
 * Two replies are compared on the prospect's own words only (what the rules scan, `scanText`: no quoted outreach, no
 * signature), lower-cased, without accents and with every run of other characters made one space. Their overlap
 * is the share of the longer one's character 5-grams that the other holds too, so a short reply inside a longer
 * one is no repeat; at or above the threshold the new reply is listed with the one it repeats. Prints one JSON
 * line per repeat and a count; exits 0 either way.
 */
import { readFileSync } from 'node:fs';
import { readCorpus } from '../src/triggers/learned/corpus';
import { findReplyBody, scanText } from '../src/triggers/strip';

const GRAM = 5;

/** The prospect's own words of a reply (what the rules scan), normalised for comparison. */
function ownWords(text: string): string {
  return scanText(text, findReplyBody(text))
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The character 5-grams of normalised words (the whole string when it is shorter). */
function grams(words: string): Set<string> {
  const out = new Set<string>();
  if (words.length <= GRAM) {
    if (words) out.add(words);
    return out;
  }
  for (let i = 0; i + GRAM <= words.length; i++) out.add(words.slice(i, i + GRAM));
  return out;
}

interface Entry {
  id: string;
  words: string;
  grams: Set<string>;
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx scripts/corpusOverlap.ts <new.jsonl> [--threshold 0.6]');
  const thresholdAt = process.argv.indexOf('--threshold');
  const threshold = thresholdAt > 0 ? Number(process.argv[thresholdAt + 1]) : 0.6;
  if (!(threshold > 0 && threshold <= 1)) throw new Error('--threshold takes a number above 0 and at most 1');

  const index = new Map<string, number[]>();
  const known: Entry[] = [];
  const add = (id: string, text: string): void => {
    const words = ownWords(text);
    const entry = { id, words, grams: grams(words) };
    const at = known.push(entry) - 1;
    for (const g of entry.grams) {
      const list = index.get(g);
      if (list) list.push(at);
      else index.set(g, [at]);
    }
  };
  for (const reply of readCorpus()) add(reply.id, reply.text);

  const fresh = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string });
  let repeats = 0;
  for (const reply of fresh) {
    const words = ownWords(reply.text);
    const mine = grams(words);
    const shared = new Map<number, number>();
    for (const g of mine) for (const at of index.get(g) ?? []) shared.set(at, (shared.get(at) ?? 0) + 1);
    let best: { entry: Entry; overlap: number } | null = null;
    for (const [at, count] of shared) {
      const entry = known[at]!;
      const overlap = count / Math.max(mine.size, entry.grams.size);
      if (!best || overlap > best.overlap) best = { entry, overlap };
    }
    if (best && (best.overlap >= threshold || best.entry.words === words)) {
      repeats++;
      console.log(JSON.stringify({ id: reply.id, repeats: best.entry.id, overlap: Number(best.overlap.toFixed(2)), words, theirs: best.entry.words }));
    }
    add(reply.id, reply.text);
  }
  console.log(`${repeats} of ${fresh.length} replies repeat one before them at overlap >= ${threshold}`);
}

main();
