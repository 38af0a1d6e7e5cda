/**
 * The features of the learned reader: words, word pairs and character n-grams of the prospect's own words,
 * hashed into a fixed number of buckets. Character n-grams carry what words miss: typos ("pricng"), inflections
 * in other languages ("Preise", "preços"), and compounds ("Datenschutzbeauftragte").
 *
 * Pure and deterministic, linear in the length of the text, of which at most {@link LEARNED_READ_CHARS} characters
 * are read. Every feature keeps the span of the text it came from, so a decision can point at the words that
 * weighed most.
 */
import { cutPoint } from '../strip';
import { type Intent, isTrigger } from '../types';

/**
 * The learned reader reads at most this many characters of a reply's own words (the rules read up to
 * `REPLY_SCAN_CHARS`). A long real reply is 2–3 KB and the corpus's longest is under 1.5 KB, so only a reply
 * padded far beyond any real one is cut, and its cost is halved.
 */
export const LEARNED_READ_CHARS = 4_000;

/** How features are made; stored in the model file so training and inference always agree. */
export interface FeatureSpec {
  /** Hash buckets, a power of two. */
  buckets: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Words longer than this contribute n-grams only from their first `wordCap` characters. */
  wordCap: number;
  /** How many words after a negation cue ("not", "kein", "pas", "nunca"…) are also read as negated; 0: none. */
  negationWindow: number;
  /**
   * True: a negated word gives its word and its character n-grams as negated features only, so "not interested"
   * and a bare "Interested." share no feature of that word. Absent: a negated word gives its plain features and one
   * negated word feature besides (models trained before this setting).
   */
  negatedGrams?: true;
}

/** The feature spec of the shipped model. */
export const DEFAULT_FEATURE_SPEC: FeatureSpec = { buckets: 1 << 18, charMin: 2, charMax: 5, wordCap: 24, negationWindow: 3, negatedGrams: true };

/**
 * Negation cues of the six languages, folded (see {@link foldText}). A word after one, up to the window or the end
 * of the clause, also counts as a negated word, so "no demo" and "demo?" weigh differently.
 */
const NEGATION_CUES = new Set([
  'no', 'not', "don't", 'dont', "doesn't", "didn't", "won't", "can't", 'cannot', 'never', 'without', "isn't", "aren't", "wouldn't", 'nor', 'neither',
  'nicht', 'kein', 'keine', 'keinen', 'keiner', 'keinem', 'nie', 'niemals', 'ohne',
  'ne', 'pas', "n'", 'jamais', 'sans', 'aucun', 'aucune', 'plus',
  'nunca', 'sin', 'ningun', 'ninguna', 'ni',
  'nao', 'nem', 'sem', 'nenhum', 'nenhuma',
  'niet', 'geen', 'nooit', 'zonder',
]);

function wordHashOf(word: string): number {
  let hash = mix(FNV_OFFSET, KIND_WORD);
  for (let k = 0; k < word.length; k++) hash = mix(hash, word.charCodeAt(k));
  return hash;
}

/** Whether `text[from, to)` holds a clause end (. ! ? ; , : or a line break). */
function endsClause(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const code = text.charCodeAt(k);
    if (code === 46 || code === 33 || code === 63 || code === 59 || code === 44 || code === 58 || code === 10) return true;
  }
  return false;
}

/** One hashed feature with the span `[start, end)` of the text it came from. */
export interface Feature {
  bucket: number;
  start: number;
  end: number;
  /** The index of the word it belongs to (a word pair: the second word); -1 for features of the whole reply. */
  word: number;
  /** True for a word pair, which belongs to its first word as much as to `word`. */
  pair: boolean;
}

/** The hashed features of a text, with one weight for all (1/√n: long replies do not outshout short ones). */
export interface FeatureVector {
  features: Feature[];
  value: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Feature kinds, mixed into the hash so a word and a 3-gram with the same letters stay apart. */
const KIND_WORD = 1;
const KIND_PAIR = 2;
const KIND_CHAR = 3;
const KIND_META = 4;
const KIND_NEGATED = 5;
const KIND_NEGATED_CHAR = 6;

function mix(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME) >>> 0;
}

/** The longest negation cue: a longer word is never looked up. */
const NEGATION_CUE_MAX = Math.max(...[...NEGATION_CUES].map((cue) => cue.length));

/** The word hashes of the negation cues (see `walkFeatures`): a word is looked up by its hash, then compared. */
const NEGATION_HASHES = new Set([...NEGATION_CUES].map(wordHashOf));

/**
 * Folds a text for matching, one code unit for one code unit (offsets stay valid): lower case, accents removed
 * (é→e, ü→u, ç→c), typographic apostrophes straightened, digits kept, everything else a separator.
 */
export function foldText(text: string): string {
  const codes = foldCodes(text);
  let out = '';
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(codes[i]!);
  return out;
}

/** The buffer {@link foldCodes} fills, reused from call to call (feature extraction runs on every reply). */
let folded = new Uint16Array(1024);

/** {@link foldText} as code units in a reused buffer (valid until the next call): no string is built per reply. */
function foldCodes(text: string): Uint16Array {
  if (folded.length < text.length) folded = new Uint16Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 39 || code === 63) folded[i] = code;
      else if (code >= 65 && code <= 90) folded[i] = code + 32;
      else folded[i] = 32;
    } else folded[i] = foldUnit(code);
  }
  return folded;
}

const FOLDED = new Map<number, number>();
const LETTER = /\p{L}/u;

function foldUnit(code: number): number {
  const cached = FOLDED.get(code);
  if (cached !== undefined) return cached;
  const unit = String.fromCharCode(code);
  let result: string;
  if (unit === '\u2019' || unit === '\u2018' || unit === '\u02bc') result = "'";
  else if (unit === '\u00bf' || unit === '\uff1f') result = '?';
  else if (LETTER.test(unit)) {
    const base = unit.normalize('NFD')[0]?.toLowerCase() ?? unit;
    result = base.length === 1 ? base : unit.toLowerCase().length === 1 ? unit.toLowerCase() : unit;
    if (result.length !== 1) result = unit;
  } else result = ' ';
  FOLDED.set(code, result.charCodeAt(0));
  return result.charCodeAt(0);
}

function isWordUnit(code: number): boolean {
  return code !== 32 && code !== 63;
}

/** The hashed buckets of a text's features alone, with their weight: what scoring needs, without the spans. */
export interface BucketVector {
  buckets: Int32Array;
  value: number;
}

/**
 * Where {@link walkFeatures} puts each feature: buckets always, spans only when asked for. One class, so the call
 * for each feature stays monomorphic (fast); the arrays are reused from call to call and copied out at the end.
 */
class FeatureBuffer {
  buckets = new Int32Array(512);
  starts = new Int32Array(512);
  ends = new Int32Array(512);
  words = new Int32Array(512);
  pairs = new Uint8Array(512);
  length = 0;
  withSpans = false;

  reset(withSpans: boolean): void {
    this.length = 0;
    this.withSpans = withSpans;
  }

  add(bucket: number, start: number, end: number, word: number, pair: boolean): void {
    if (this.length === this.buckets.length) this.grow();
    const i = this.length++;
    this.buckets[i] = bucket;
    if (!this.withSpans) return;
    this.starts[i] = start;
    this.ends[i] = end;
    this.words[i] = word;
    this.pairs[i] = pair ? 1 : 0;
  }

  private grow(): void {
    const size = this.buckets.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.buckets = grown(this.buckets, new Int32Array(size));
    this.starts = grown(this.starts, new Int32Array(size));
    this.ends = grown(this.ends, new Int32Array(size));
    this.words = grown(this.words, new Int32Array(size));
    this.pairs = grown(this.pairs, new Uint8Array(size));
  }
}

const BUFFER = new FeatureBuffer();

/**
 * The features of the prospect's own words (`scan`: the reply with quotes and signatures blanked, see
 * `strip.ts`). Offsets are offsets into `scan`, hence into the original reply.
 */
export function extractFeatures(scan: string, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): FeatureVector {
  const columns = readFeatureColumns(scan, spec);
  const features: Feature[] = new Array<Feature>(columns.length);
  for (let i = 0; i < columns.length; i++) features[i] = featureAt(columns, i);
  return { features, value: columns.value };
}

/**
 * A reply's features as columns, one typed array per field: the `i`th feature is `featureAt(columns, i)`. What
 * explaining a decision reads, with no object per feature (a padded reply has tens of thousands).
 */
export interface FeatureColumns {
  length: number;
  buckets: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  words: Int32Array;
  pairs: Uint8Array;
  value: number;
}

/** {@link extractFeatures} as columns: views of a buffer that the next call overwrites. */
export function readFeatureColumns(scan: string, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): FeatureColumns {
  BUFFER.reset(true);
  walkFeatures(scan, spec, BUFFER);
  const n = BUFFER.length;
  const counted = clippedBuckets(BUFFER.buckets, n).length;
  const { buckets, starts, ends, words, pairs } = BUFFER;
  return { length: n, buckets, starts, ends, words, pairs, value: counted > 0 ? 1 / Math.sqrt(counted) : 0 };
}

/** The `i`th feature of `columns`. */
function featureAt(columns: FeatureColumns, i: number): Feature {
  return { bucket: columns.buckets[i]!, start: columns.starts[i]!, end: columns.ends[i]!, word: columns.words[i]!, pair: columns.pairs[i] === 1 };
}

/** Columns holding a vector's features (a vector built by hand, or kept from an earlier call). */
export function columnsOf(vector: FeatureVector): FeatureColumns {
  const n = vector.features.length;
  const columns: FeatureColumns = {
    length: n,
    buckets: new Int32Array(n),
    starts: new Int32Array(n),
    ends: new Int32Array(n),
    words: new Int32Array(n),
    pairs: new Uint8Array(n),
    value: vector.value,
  };
  vector.features.forEach((f, i) => {
    columns.buckets[i] = f.bucket;
    columns.starts[i] = f.start;
    columns.ends[i] = f.end;
    columns.words[i] = f.word;
    columns.pairs[i] = f.pair ? 1 : 0;
  });
  return columns;
}

/** The same features as {@link extractFeatures}, buckets only: scoring a reply allocates no object per feature. */
export function extractBuckets(scan: string, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): BucketVector {
  const { buckets, value } = readBuckets(scan, spec);
  return { buckets: buckets.slice(), value };
}

/**
 * {@link extractBuckets} without the copy, for scoring: `buckets` is a view of a buffer that the next call
 * overwrites. (A typed array of a reply's size is allocated outside V8's heap, which costs as much as reading a
 * short reply's features.)
 */
export function readBuckets(scan: string, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): BucketVector {
  BUFFER.reset(false);
  walkFeatures(scan, spec, BUFFER);
  const buckets = clippedBuckets(BUFFER.buckets, BUFFER.length);
  return { buckets, value: buckets.length > 0 ? 1 / Math.sqrt(buckets.length) : 0 };
}

/**
 * How many times one feature may count in a reply: once. A feature is present or absent, so a phrase pasted a
 * thousand times weighs what it weighs once and repetition cannot drown the reply's own question (a price question
 * followed by endless "Thanks" lines stays a price question). Counting twice was tried: padding with one repeated
 * word still read as an opt-out.
 */
export const FEATURE_COUNT_CLIP = 1;

/**
 * The buckets seen in the current call, in a small open-addressing table sized to the reply rather than to the
 * model (a table of every bucket would be read at random, out of the cache, once per feature): `keys` holds the
 * bucket, `stamps` the call it was last written in (so no pass clears the table), `times` its count so far.
 */
let seenKeys = new Int32Array(1024);
let seenStamps = new Uint32Array(1024);
let seenTimes = new Uint8Array(1024);
let seenCall = 0;
/** The buckets kept, in the order first seen; {@link clippedBuckets} answers a view of it. */
let kept = new Int32Array(512);
/** Fibonacci hashing's multiplier (2^32 / the golden ratio), as a 32-bit integer. */
const HASH_MULTIPLIER = 0x9e3779b1 | 0;

/** The first {@link FEATURE_COUNT_CLIP} occurrences of each bucket of `all[0, n)`, in order: a view valid until the next call. */
function clippedBuckets(all: Int32Array, n: number): Int32Array {
  // At most half full, so a probe ends soon.
  let size = seenKeys.length;
  if (size < n * 2) {
    while (size < n * 2) size *= 2;
    seenKeys = new Int32Array(size);
    seenStamps = new Uint32Array(size);
    seenTimes = new Uint8Array(size);
    seenCall = 0;
  }
  seenCall = (seenCall + 1) >>> 0;
  if (seenCall === 0) {
    seenStamps.fill(0);
    seenCall = 1;
  }
  const mask = size - 1;
  // Locals, not the module's bindings, inside the loop: V8 keeps them in registers.
  const keys = seenKeys;
  const stamps = seenStamps;
  const times = seenTimes;
  const call = seenCall;
  if (kept.length < n) kept = new Int32Array(n * 2);
  const out = kept;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const b = all[i]!;
    let slot = Math.imul(b, HASH_MULTIPLIER) & mask;
    while (stamps[slot] === call && keys[slot] !== b) slot = (slot + 1) & mask;
    if (stamps[slot] !== call) {
      stamps[slot] = call;
      keys[slot] = b;
      times[slot] = 0;
    }
    if (times[slot]! >= FEATURE_COUNT_CLIP) continue;
    times[slot] = times[slot]! + 1;
    out[k++] = b;
  }
  return out.subarray(0, k);
}

function walkFeatures(ownWords: string, spec: FeatureSpec, sink: FeatureBuffer): void {
  const scan = ownWords.length > LEARNED_READ_CHARS ? ownWords.slice(0, cutPoint(ownWords, LEARNED_READ_CHARS)) : ownWords;
  const codes = foldCodes(scan);
  const length = scan.length;
  const mask = spec.buckets - 1;
  let words = 0;
  let previousHash = 0;
  let previousStart = -1;
  let question = -1;
  let negatedLeft = 0;
  let lastEnd = 0;

  let i = 0;
  while (i < length) {
    const code = codes[i]!;
    if (code === 63) {
      if (question < 0) question = i;
      i++;
      continue;
    }
    if (!isWordUnit(code) || code === 39) {
      i++;
      continue;
    }
    let end = i;
    while (end < length && isWordUnit(codes[end]!)) end++;
    const start = i;
    i = end;
    // Trailing apostrophes belong to no word ("prospects'").
    let wordEnd = end;
    while (wordEnd > start && codes[wordEnd - 1] === 39) wordEnd--;
    if (wordEnd === start) continue;
    words++;

    let wordHash = mix(FNV_OFFSET, KIND_WORD);
    for (let k = start; k < wordEnd; k++) wordHash = mix(wordHash, codes[k]!);
    if (negatedLeft > 0 && endsClause(scan, lastEnd, start)) negatedLeft = 0;
    const negated = negatedLeft > 0;
    const negatedOnly = negated && spec.negatedGrams === true;
    if (!negatedOnly) sink.add(wordHash & mask, start, wordEnd, words - 1, false);
    if (spec.negationWindow > 0) {
      if (negated) {
        sink.add(mix(wordHash, KIND_NEGATED) & mask, start, wordEnd, words - 1, false);
        negatedLeft--;
      }
      const cue = wordEnd - start <= NEGATION_CUE_MAX && NEGATION_HASHES.has(wordHash);
      if (cue && NEGATION_CUES.has(String.fromCharCode(...codes.subarray(start, wordEnd)))) negatedLeft = spec.negationWindow;
      lastEnd = wordEnd;
    }
    if (previousStart >= 0) {
      const pair = mix(mix(mix(FNV_OFFSET, KIND_PAIR), previousHash), wordHash);
      sink.add(pair & mask, previousStart, wordEnd, words - 1, true);
    }
    previousHash = wordHash;
    previousStart = start;

    // Character n-grams of " word " (the spaces mark the word's edges).
    const capped = Math.min(wordEnd - start, spec.wordCap);
    const padded = capped + 2;
    // Each n-gram's hash extends the hash of the (n-1)-gram at the same start, so every start is hashed once.
    for (let g = 0; g + spec.charMin <= padded; g++) {
      let h = mix(FNV_OFFSET, negatedOnly ? KIND_NEGATED_CHAR : KIND_CHAR);
      const gramStart = start + Math.max(0, g - 1);
      for (let n = 1; n <= spec.charMax && g + n <= padded; n++) {
        const k = g + n - 1;
        h = mix(h, k === 0 || k === padded - 1 ? 32 : codes[start + k - 1]!);
        if (n < spec.charMin) continue;
        const gramEnd = start + Math.min(capped, g + n - 1);
        sink.add(h & mask, gramStart, Math.max(gramEnd, gramStart + 1), words - 1, false);
      }
    }
  }

  sink.add(meta(`words:${lengthBucket(words)}`) & mask, 0, 0, -1, false);
  if (question >= 0) sink.add(meta('question') & mask, question, question + 1, -1, false);
}

/** What the rules made of a reply, as the escalation head reads it (see `reader.ts` `RulesInputs`). */
export interface RulesReading {
  labels: readonly Intent[];
  autoReply: boolean;
}

/**
 * The escalation head's inputs from the rules' verdict: one feature per label the rules gave, one for "some trigger",
 * one for "nothing" and one for an auto-reply, hashed into the same buckets as the words (each weighs 1, not 1/√n:
 * the rules' verdict is one fact, however long the reply). Sorted, so training and inference add them in one order.
 */
export function rulesInputBuckets(rules: RulesReading, spec: FeatureSpec = DEFAULT_FEATURE_SPEC): Int32Array {
  // Few verdicts recur (a label or two, or none), so each is hashed once per bucket count.
  const key = `${spec.buckets}:${rules.autoReply ? 1 : 0}:${rules.labels.join(',')}`;
  let found = RULES_INPUTS.get(key);
  if (found === undefined) {
    found = hashRulesInputs(rules, spec);
    if (RULES_INPUTS.size >= RULES_INPUTS_CACHED) RULES_INPUTS.clear();
    RULES_INPUTS.set(key, found);
  }
  return found;
}

/** Verdicts whose buckets {@link rulesInputBuckets} keeps: more than the label combinations replies show. */
const RULES_INPUTS_CACHED = 1024;
const RULES_INPUTS = new Map<string, Int32Array>();

function hashRulesInputs(rules: RulesReading, spec: FeatureSpec): Int32Array {
  const mask = spec.buckets - 1;
  const names = new Set<string>();
  for (const label of rules.labels) names.add(`rules:${label}`);
  if (rules.labels.some(isTrigger)) names.add('rules:trigger');
  if (rules.autoReply) names.add('rules:auto-reply');
  return Int32Array.from([...names].sort().map((name) => meta(name) & mask));
}

function meta(name: string): number {
  let h = mix(FNV_OFFSET, KIND_META);
  for (let k = 0; k < name.length; k++) h = mix(h, name.charCodeAt(k));
  return h;
}

function lengthBucket(words: number): string {
  if (words <= 3) return String(words);
  if (words <= 6) return '4-6';
  if (words <= 12) return '7-12';
  if (words <= 25) return '13-25';
  return '26+';
}
