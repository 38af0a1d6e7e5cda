/**
 * The learned reader: a multi-label linear model (one logistic regression per label over hashed word and
 * character n-gram features) trained on the labelled corpus by `npm run train`. It reads what the rules were
 * never written for. Pure, deterministic inference: about 10 to 20 µs per short reply, by the machine.
 *
 * The model file is JSON: the feature spec, per-label bias, threshold and quantised sparse weights, and a content
 * hash that is its version. The same corpus and seed give the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Intent, INTENTS, TRIGGER_PRIORITY, type Trigger, isTrigger } from '../types';
import { type FeatureColumns, type FeatureSpec, type FeatureVector, type RulesReading, FEATURE_COUNT_CLIP, columnsOf, readBuckets, readFeatureColumns, rulesInputBuckets } from './features';

/** The format tag of model files this code reads. */
export const MODEL_FORMAT = 'handoff-learned-reader/1';

/** The model shipped with Handoff (see `data/corpus/CARD.md` and `npm run train`). */
export const DEFAULT_MODEL_FILE = path.join(__dirname, 'model.json');

const LabelWeightsSchema = z.strictObject({
  bias: z.number(),
  /** Probability at or above which the label is given. */
  threshold: z.number().min(0).max(1),
  /** Weight of one quantisation step. */
  scale: z.number().positive(),
  /** Base64 of the sparse weights: for each non-zero weight, the bucket delta (LEB128) then the step (int8). */
  weights: z.string(),
});

const ModelFileSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  /** `sha256:` + the first 12 hex digits of the hash of everything else in the file. */
  version: z.string().regex(/^sha256:[0-9a-f]{12}$/u),
  trainedOn: z.strictObject({ corpus: z.string(), examples: z.number().int().nonnegative(), seed: z.number().int() }),
  features: z.strictObject({
    buckets: z.number().int().refine((n) => n > 0 && (n & (n - 1)) === 0, 'a power of two'),
    charMin: z.number().int().min(1).max(8),
    charMax: z.number().int().min(1).max(8),
    wordCap: z.number().int().min(1).max(64),
    negationWindow: z.number().int().min(0).max(8),
    negatedGrams: z.literal(true).optional(),
  }),
  labels: z.partialRecord(z.enum(INTENTS), LabelWeightsSchema),
  /** The escalation head (see {@link LearnedReader.escalationFloor}): bias and weights as a label's, no threshold. */
  escalation: LabelWeightsSchema.omit({ threshold: true })
    .extend({
      /** True: the head also reads the rules' verdict (see {@link LearnedReader.headReadsRules}). */
      readsRules: z.literal(true).optional(),
    })
    .optional(),
  /** See {@link LearnedReader.escalationFloor}; absent: none. */
  escalationFloor: z.number().min(0).max(1).optional(),
  /** See {@link LearnedReader.floorReading}; absent: the floor reads the escalation head alone. */
  floorReading: z.strictObject({ handled: z.number().min(0).max(1), asks: z.number().min(0).max(1) }).optional(),
  /** See {@link LearnedReader.vetoCeiling}; absent: the learned reader never sets a rules trigger aside. */
  vetoCeiling: z.number().min(0).max(1).optional(),
  /** See {@link LearnedReader.vetoHead}; absent: the veto asks for a reading of something automation handles. */
  vetoHead: z.number().min(0).max(1).optional(),
  /** See {@link LearnedReader.optOutBesideTrigger}; absent: the opt-out's own threshold. */
  optOutBesideTrigger: z.number().min(0).max(1).optional(),
});

/** A model file as stored. */
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** Thrown when a model file cannot be read or is not a valid model; names the file and the field. */
export class ModelFileError extends Error {
  constructor(
    message: string,
    readonly origin: string,
    options?: { cause?: unknown },
  ) {
    super(`${origin}: ${message}`, options);
    this.name = 'ModelFileError';
  }
}

interface LabelModel {
  label: Intent;
  bias: number;
  threshold: number;
}

/** A loaded, ready-to-use learned reader. */
export interface LearnedReader {
  version: string;
  /** Where it was read from (a file path, or what the caller named it). */
  origin: string;
  /** The model file's text, so a worker thread can load exactly this version. */
  source: string;
  spec: FeatureSpec;
  labels: readonly LabelModel[];
  /**
   * A reply given no trigger and no opt-out still escalates, on its likeliest trigger, when the escalation head's
   * probability that it holds any trigger reaches this (a model file without a head: when the likeliest trigger's own
   * probability does). Chosen out of fold with the per-label thresholds; null: no floor. Per-label thresholds can then
   * balance each trigger's precision and recall while escalation stays recall first.
   */
  escalationFloor: number | null;
  /**
   * What the floor weighs in a model with an escalation head (null: the head's probability alone): see
   * {@link floorReadingOf}. Chosen out of fold with the floor.
   */
  floorReading: FloorReading | null;
  /** The escalation head's bias, or null when the model file has no head. */
  escalationBias: number | null;
  /**
   * Whether the escalation head also reads what the rules made of the reply (`rulesInputBuckets`: each label the
   * rules gave, "some trigger", "auto-reply"), so it learns that a short referral, a timing objection or small talk
   * the rules already read needs no person. Reading without the rules' verdict (`readReply` with no `rules`, as the
   * model reader alone does) gives the head its words only: not even the "rules found nothing" input that every
   * such reply carried in training.
   */
  headReadsRules: boolean;
  /**
   * A rules trigger is set aside when the learned reader gives it a probability below this while sure the reply needs
   * no person (see {@link vetoHead}): "Your pricing is irrelevant, we will never use this. Please stop.", "Prijslijst
   * ontvangen, dank!". Chosen out of fold with `vetoHead`, so that escalation as a whole loses at most one in a
   * thousand of its catches there; null: never.
   */
  vetoCeiling: number | null;
  /**
   * How the veto knows the learned reader is sure: its escalation head gives the reply less than this, whatever else
   * it reads (a model file with this bar must have a head and a ceiling), or it reads an away message and no trigger
   * of its own in a reply that asks nothing (see `sureNoPersonIsNeeded`). Null: it reads the reply as something
   * automation handles, an opt-out, an away message, a timing objection or a referral, at or above that label's
   * threshold. The head, fitted to "a
   * person should read this" and reading the rules' verdict as well, is the surer judge: it also takes back a trigger
   * word in small talk, which no label of the learned reader names.
   */
  vetoHead: number | null;
  /**
   * The probability a learned opt-out needs in a reply where a trigger stands whatever the opt-out decides and the
   * rules heard no opt-out (null: the opt-out's own threshold; see `triggerStandsBeside` in `combine.ts`). Such a
   * reply escalates either way, so a person reads it and automation stops either way; what the opt-out adds is the
   * address suppressed for good. Out of fold, most learned opt-outs there under about 0.6 were buyers ("Interested.",
   * "Je veux une démo."), so the bar is chosen out of fold for F1 on those replies alone, not recall first as the
   * opt-out's threshold is.
   */
  optOutBesideTrigger: number | null;
  /**
   * The quantised weight steps (as stored, see {@link LabelWeightsSchema}) of the buckets that have any, one row per
   * such bucket in bucket order, each row every label's step then the escalation head's (`[row * columns + label]`).
   * About a fifth of the buckets have a row, so the table is about 0.5 MB instead of 2.4 MB for 2^18 buckets and
   * nine columns, and stays in the core's cache beside the rules' patterns: a reply's features read it at random.
   * Scoring reads one short run of memory per feature, one byte per weight. Sums of steps are exact integers,
   * whatever their order; a column's sum times its scale is its weight sum. See {@link stepOf}.
   */
  steps: Int8Array;
  /** One bit per bucket, 32 to a word: whether the bucket has a row in {@link steps}. */
  hasRow: Uint32Array;
  /** For each word of {@link hasRow}, how many rows the buckets before it have: a bucket's row is found by counting. */
  rowsBefore: Int32Array;
  /** Each column's weight per step. */
  scales: Float64Array;
  /** Columns of {@link steps}: the labels, and one more for the escalation head when there is one. */
  columns: number;
}

/** A span of the reply that weighed for a label. */
export interface ModelEvidence {
  start: number;
  end: number;
  /** The summed weight of the features inside the span. */
  weight: number;
}

/** What the learned reader says about one reply. */
export interface LearnedVerdict {
  modelVersion: string;
  /** Probability per label. */
  scores: Partial<Record<Intent, number>>;
  /** Labels at or above their threshold, in report order. */
  labels: Intent[];
  /** The escalation head's probability that the reply holds any trigger; absent without a head. */
  escalation?: number;
}

/** Reads and validates a model file. @throws ModelFileError naming the field that is wrong. */
export function loadLearnedReader(file: string = DEFAULT_MODEL_FILE): LearnedReader {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModelFileError((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read', file, { cause: err });
  }
  return parseLearnedReader(source, file);
}

/** Parses a model file's text. @throws ModelFileError naming the field that is wrong. */
export function parseLearnedReader(source: string, origin = 'model'): LearnedReader {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (err) {
    throw new ModelFileError('not JSON', origin, { cause: err });
  }
  const parsed = ModelFileSchema.safeParse(json);
  if (!parsed.success) throw new ModelFileError(z.prettifyError(parsed.error), origin);
  const file = parsed.data;
  if (file.features.charMin > file.features.charMax) throw new ModelFileError('features.charMin exceeds features.charMax', origin);
  // A head's bar with no ceiling, or no head to read it, would silently do nothing or fall back to the other veto.
  if (file.vetoHead !== undefined && file.vetoCeiling === undefined) throw new ModelFileError('vetoHead needs a vetoCeiling', origin);
  if (file.vetoHead !== undefined && !file.escalation) throw new ModelFileError('vetoHead needs an escalation head', origin);
  if (file.floorReading !== undefined && (!file.escalation || file.escalationFloor === undefined)) {
    throw new ModelFileError('floorReading needs an escalation head and an escalationFloor', origin);
  }
  if (modelVersion(file) !== file.version) throw new ModelFileError('version does not match the content (edited by hand?)', origin);
  const present = INTENTS.filter((label) => file.labels[label] !== undefined);
  const labels: LabelModel[] = [];
  const columns = present.length + (file.escalation ? 1 : 0);
  const scales = new Float64Array(columns);
  const columnWeights: Array<{ encoded: string; field: string }> = [];
  present.forEach((label, j) => {
    const l = file.labels[label]!;
    labels.push({ label, bias: l.bias, threshold: l.threshold });
    scales[j] = l.scale;
    columnWeights.push({ encoded: l.weights, field: `${origin}: labels.${label}.weights` });
  });
  if (file.escalation) {
    scales[present.length] = file.escalation.scale;
    columnWeights.push({ encoded: file.escalation.weights, field: `${origin}: escalation.weights` });
  }
  const { steps, hasRow, rowsBefore } = compactRows(columnWeights, file.features.buckets);
  return {
    version: file.version,
    origin,
    source,
    spec: file.features,
    labels,
    escalationFloor: file.escalationFloor ?? null,
    floorReading: file.floorReading ?? null,
    escalationBias: file.escalation?.bias ?? null,
    headReadsRules: file.escalation?.readsRules === true,
    vetoCeiling: file.vetoCeiling ?? null,
    vetoHead: file.vetoHead ?? null,
    optOutBesideTrigger: file.optOutBesideTrigger ?? null,
    steps,
    hasRow,
    rowsBefore,
    scales,
    columns,
  };
}

/** The version of a model file: a hash of everything but the version itself. */
export function modelVersion(file: Omit<ModelFile, 'version'> & { version?: string }): string {
  const { version: _ignored, ...rest } = file;
  return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 12)}`;
}

/** Encodes weights as quantised sparse steps (see {@link LabelWeightsSchema}). */
export function encodeWeights(weights: ArrayLike<number>): { scale: number; weights: string } {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i] as number));
  const scale = max > 0 ? max / 127 : 1;
  const bytes: number[] = [];
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const step = Math.round((weights[i] as number) / scale);
    if (step === 0) continue;
    let delta = i - last;
    last = i;
    do {
      const low = delta & 0x7f;
      delta >>>= 7;
      bytes.push(delta > 0 ? low | 0x80 : low);
    } while (delta > 0);
    bytes.push(step & 0xff);
  }
  return { scale: Number(scale.toPrecision(9)), weights: Buffer.from(bytes).toString('base64') };
}

function decodeWeights(bytes: Uint8Array, buckets: number, origin: string, set: (bucket: number, step: number) => void): void {
  let at = 0;
  let bucket = 0;
  while (at < bytes.length) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++] ?? 0;
      delta |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && at < bytes.length);
    bucket += delta;
    if (at >= bytes.length || bucket >= buckets) throw new ModelFileError('weights run past the buckets', origin);
    const step = ((bytes[at++] ?? 0) << 24) >> 24;
    set(bucket, step);
  }
}

/** Decodes every column's weights into the compact rows of {@link LearnedReader.steps}. */
function compactRows(columnWeights: ReadonlyArray<{ encoded: string; field: string }>, buckets: number): Pick<LearnedReader, 'steps' | 'hasRow' | 'rowsBefore'> {
  const columns = columnWeights.length;
  const words = Math.max(1, buckets >>> 5);
  const hasRow = new Uint32Array(words);
  // Two passes over the weights: which buckets have rows, then each step into its row.
  const bytes = columnWeights.map(({ encoded }) => Buffer.from(encoded, 'base64'));
  bytes.forEach((encoded, j) => {
    decodeWeights(encoded, buckets, columnWeights[j]!.field, (bucket) => {
      hasRow[bucket >>> 5] = hasRow[bucket >>> 5]! | (1 << (bucket & 31));
    });
  });
  const rowsBefore = new Int32Array(words);
  let rows = 0;
  for (let w = 0; w < words; w++) {
    rowsBefore[w] = rows;
    rows += bitCount(hasRow[w]!);
  }
  const steps = new Int8Array(rows * columns);
  const reader = { hasRow, rowsBefore };
  bytes.forEach((encoded, j) => {
    decodeWeights(encoded, buckets, columnWeights[j]!.field, (bucket, step) => {
      steps[rowOf(reader, bucket) * columns + j] = step;
    });
  });
  return { steps, hasRow, rowsBefore };
}

/** How many bits of a 32-bit word are set. */
function bitCount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The row of `bucket` in {@link LearnedReader.steps}, or -1 when all its weights are zero. */
function rowOf(reader: Pick<LearnedReader, 'hasRow' | 'rowsBefore'>, bucket: number): number {
  const word = reader.hasRow[bucket >>> 5]!;
  const bit = 1 << (bucket & 31);
  if ((word & bit) === 0) return -1;
  return reader.rowsBefore[bucket >>> 5]! + bitCount(word & (bit - 1));
}

/** The weight step of `bucket` in `column` (a label's index, or the escalation head's after the labels). */
export function stepOf(reader: LearnedReader, bucket: number, column: number): number {
  const row = rowOf(reader, bucket);
  return row < 0 ? 0 : reader.steps[row * reader.columns + column]!;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Scores a reply's own words (`scan`, see `strip.ts`): a probability per label, and the labels at or above their
 * thresholds; `rules`, what the rules made of it, is read by the escalation head when it was trained to (see
 * {@link LearnedReader.headReadsRules}). Pure.
 */
export function readReply(reader: LearnedReader, scan: string, rules?: RulesReading): LearnedVerdict {
  const { buckets, value } = readBuckets(scan, reader.spec);
  return verdictOf(reader, columnSums(reader, buckets), value, rules);
}

/** The row offsets of a reply's buckets that have rows, reused from call to call (see {@link columnSums}). */
let rowStarts = new Int32Array(512);

/**
 * Each column's sum of steps over the reply's buckets. The buckets are first turned into the offsets of their rows
 * (a bucket without one adds nothing); then four columns at a time, in local variables, one pass over the rows each:
 * the rows a reply touches stay in the cache between passes, and this runs about 1.6 times as fast as one pass
 * adding every column through the array.
 */
function columnSums(reader: LearnedReader, buckets: Int32Array): Int32Array {
  const n = reader.columns;
  const steps = reader.steps;
  const sums = new Int32Array(n);
  if (rowStarts.length < buckets.length) rowStarts = new Int32Array(buckets.length * 2);
  const starts = rowStarts;
  let count = 0;
  for (let i = 0; i < buckets.length; i++) {
    const row = rowOf(reader, buckets[i]!);
    if (row >= 0) starts[count++] = row * n;
  }
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < count; i++) {
      const at = starts[i]! + j;
      s0 += steps[at]!;
      s1 += steps[at + 1]!;
      s2 += steps[at + 2]!;
      s3 += steps[at + 3]!;
    }
    sums[j] = s0;
    sums[j + 1] = s1;
    sums[j + 2] = s2;
    sums[j + 3] = s3;
  }
  for (; j < n; j++) {
    let s = 0;
    for (let i = 0; i < count; i++) s += steps[starts[i]! + j]!;
    sums[j] = s;
  }
  return sums;
}

/** {@link readReply} on features already extracted (so {@link explain} can reuse them). */
export function readVector(reader: LearnedReader, vector: FeatureVector, rules?: RulesReading): LearnedVerdict {
  const n = reader.columns;
  const sums = new Int32Array(n);
  const steps = reader.steps;
  // Each feature counts at most FEATURE_COUNT_CLIP times, as in readReply (see extractBuckets).
  const seen = new Map<number, number>();
  for (const f of vector.features) {
    const times = seen.get(f.bucket) ?? 0;
    if (times >= FEATURE_COUNT_CLIP) continue;
    seen.set(f.bucket, times + 1);
    const row = rowOf(reader, f.bucket);
    if (row < 0) continue;
    const at = row * n;
    for (let j = 0; j < n; j++) sums[j] = (sums[j] as number) + (steps[at + j] as number);
  }
  return verdictOf(reader, sums, vector.value, rules);
}

function verdictOf(reader: LearnedReader, sums: Int32Array, value: number, rules: RulesReading | undefined): LearnedVerdict {
  const scores: Partial<Record<Intent, number>> = {};
  const labels: Intent[] = [];
  for (let j = 0; j < reader.labels.length; j++) {
    const model = reader.labels[j]!;
    const p = sigmoid(model.bias + sums[j]! * reader.scales[j]! * value);
    scores[model.label] = p;
    if (p >= model.threshold) labels.push(model.label);
  }
  if (reader.escalationBias === null) return { modelVersion: reader.version, scores, labels };
  const head = reader.labels.length;
  const scale = reader.scales[head] as number;
  let sum = reader.escalationBias + (sums[head] as number) * scale * value;
  if (rules && reader.headReadsRules) {
    for (const bucket of rulesInputBuckets(rules, reader.spec)) sum += stepOf(reader, bucket, head) * scale;
  }
  const escalation = sigmoid(sum);
  return { modelVersion: reader.version, scores, labels, escalation };
}

/**
 * The trigger a reply escalates on by the escalation floor (see {@link LearnedReader.escalationFloor}): when `labels`
 * (the verdict so far) hold no trigger and no opt-out, the likeliest trigger if the escalation head's probability
 * reaches the floor (with a `floorReading`: if {@link floorReadingOf} does, `asks` saying whether the reply asks
 * something; without a head: if that trigger's own probability does), unless the reader finds an auto-reply at least
 * as likely. The caller keeps recognised auto-replies out. Pure.
 */
export function floorTrigger(reader: LearnedReader, verdict: LearnedVerdict, labels: readonly Intent[], asks: boolean): Trigger | null {
  if (reader.escalationFloor === null || labels.some((l) => isTrigger(l) || l === 'opt_out')) return null;
  const floor = reader.escalationFloor;
  if (verdict.escalation !== undefined) {
    const reading = reader.floorReading === null ? verdict.escalation : floorReadingOf(reader.floorReading, verdict, asks);
    if (reading < floor) return null;
  }
  // A lenient floor would otherwise lift auto-replies that neither reader recognised ("OOO til Mon"): the floor acts
  // only where the learned reader finds escalation likelier than an auto-reply.
  if ((verdict.scores.out_of_office ?? 0) >= (verdict.escalation ?? maxTriggerScore(verdict))) return null;
  let best: Trigger | null = null;
  for (const trigger of TRIGGER_PRIORITY) {
    const p = verdict.scores[trigger];
    if (p === undefined || (verdict.escalation === undefined && p < floor)) continue;
    if (best === null || p > (verdict.scores[best] as number)) best = trigger;
  }
  return best;
}

function maxTriggerScore(verdict: LearnedVerdict): number {
  return Math.max(0, ...TRIGGER_PRIORITY.map((t) => verdict.scores[t] ?? 0));
}

/** The labels a learned reader reads as something automation handles, which can set a rules trigger aside. */
const HANDLED_ELSEWHERE: ReadonlySet<Intent> = new Set(['opt_out', 'out_of_office', 'not_now', 'referral']);

/** How the escalation floor weighs a reply beside the head (see {@link floorReadingOf}). */
export interface FloorReading {
  /** Taken off for the strongest reading of something automation handles (opt-out, away, timing, referral). */
  handled: number;
  /** Added when the reply asks something (see `asksSomething`). */
  asks: number;
}

/**
 * What the escalation floor compares with its bar, between 0 and 1: the geometric mean of the head's probability and
 * the likeliest trigger's, less `handled` times the strongest reading of something automation handles, plus `asks`
 * when the reply asks something. The head alone ranks "needs a person" well where it is sure and poorly in between:
 * there the floor's false escalations were mostly replies whose likeliest trigger was itself unlikely (a warm
 * deferral, a referral naming the topic), or that the reader also read as handled, and most that it caught asked a
 * question. Pure.
 */
export function floorReadingOf(weights: FloorReading, verdict: LearnedVerdict, asks: boolean): number {
  const head = verdict.escalation ?? maxTriggerScore(verdict);
  let handled = 0;
  for (const label of HANDLED_ELSEWHERE) handled = Math.max(handled, verdict.scores[label] ?? 0);
  const reading = Math.sqrt(head * maxTriggerScore(verdict)) - weights.handled * handled + (asks ? weights.asks : 0);
  return Math.min(1, Math.max(0, reading));
}

/**
 * Whether the learned reader is sure enough that the reply needs no person to set a rules trigger aside (see
 * {@link LearnedReader.vetoHead}). An away message it reads in a reply that asks nothing, with no trigger of its own,
 * counts whatever the head says: the head reads the rules' verdict, so a trigger word in an auto-reply ("our 2025
 * price list is online", "report security incidents to cert@…") lifts the head with the very trigger the veto would
 * weigh. A reply that asks something is left to the head: an absence mentioned beside a question is a person writing.
 */
function sureNoPersonIsNeeded(reader: LearnedReader, verdict: LearnedVerdict, asks: boolean): boolean {
  if (!asks && verdict.labels.includes('out_of_office') && !verdict.labels.some(isTrigger)) return true;
  if (reader.vetoHead !== null && verdict.escalation !== undefined) return verdict.escalation < reader.vetoHead;
  return verdict.labels.some((l) => HANDLED_ELSEWHERE.has(l));
}

/**
 * The rules triggers (of `labels`) the learned reader sets aside (see {@link LearnedReader.vetoCeiling}); `asks`:
 * whether the reply asks something (see `asksSomething`). Pure.
 */
export function vetoedTriggers(reader: LearnedReader, verdict: LearnedVerdict, labels: readonly Intent[], asks = true): Trigger[] {
  const ceiling = reader.vetoCeiling;
  if (ceiling === null || !sureNoPersonIsNeeded(reader, verdict, asks)) return [];
  return labels.filter((l): l is Trigger => isTrigger(l) && !verdict.labels.includes(l) && (verdict.scores[l] ?? 1) < ceiling);
}

/**
 * The phrases of `scan` that weighed most for `label` (at most `limit`, strongest first). Each feature's
 * contribution goes to its word (a word pair's is shared by both words); runs of adjacent words that weigh for the
 * label form one phrase, whose weight is their sum.
 */
export function explain(reader: LearnedReader, scan: string | FeatureVector | FeatureColumns, label: Intent, limit = 3): ModelEvidence[] {
  const j = reader.labels.findIndex((l) => l.label === label);
  if (j < 0) return [];
  const columns = typeof scan === 'string' ? readFeatureColumns(scan, reader.spec) : 'features' in scan ? columnsOf(scan) : scan;
  const { buckets, starts, ends, words: wordOf, pairs } = columns;
  const words = new Map<number, { start: number; end: number; weight: number }>();
  const credit = (word: number, weight: number): void => {
    const w = words.get(word);
    if (w) w.weight += weight;
  };
  for (let i = 0; i < columns.length; i++) {
    const word = wordOf[i]!;
    if (word < 0) continue;
    if (pairs[i] === 0 && !words.has(word)) words.set(word, { start: starts[i]!, end: ends[i]!, weight: 0 });
  }
  for (let i = 0; i < columns.length; i++) {
    const word = wordOf[i]!;
    if (word < 0) continue;
    const weight = stepOf(reader, buckets[i]!, j) * (reader.scales[j] as number) * columns.value;
    if (pairs[i] === 1) {
      credit(word - 1, weight / 2);
      credit(word, weight / 2);
    } else credit(word, weight);
  }
  const phrases: ModelEvidence[] = [];
  let previous = -2;
  for (const [index, w] of [...words].sort((a, b) => a[0] - b[0])) {
    if (w.weight <= 0) continue;
    const last = phrases[phrases.length - 1];
    if (last && index === previous + 1) {
      last.end = w.end;
      last.weight += w.weight;
    } else phrases.push({ start: w.start, end: w.end, weight: w.weight });
    previous = index;
  }
  return phrases.sort((a, b) => b.weight - a.weight).slice(0, limit);
}
