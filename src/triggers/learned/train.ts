/**
 * Training the learned reader: one L2-regularised logistic regression per label over hashed features
 * (`features.ts`), plus one more, the escalation head, for "a person should read this" (any trigger at all), all
 * fitted by AdaGrad stochastic gradient descent in an order drawn from a seeded generator, so the same examples and
 * seed give the same model, byte for byte. Then a threshold per label, chosen on out-of-fold readings (see
 * `trainCommand.ts`) for the reader *as combined with the rules* (`combine.ts`): recall first on opt-out, precision
 * and recall balanced on each trigger, and an escalation floor on the head's probability (or on its reading beside
 * the likeliest trigger and the question, see {@link chooseFloorReading}) chosen after them, recall first: the
 * strictest floor that keeps escalation's recall at `escalationRecall`, so escalation as a whole misses little. The
 * head, fitted to escalation itself, ranks "needs a person" better than the likeliest trigger's probability did (on
 * dev, at the same recall, it escalated far fewer replies wrongly).
 *
 * A small, documented implementation rather than a library: the JavaScript options for sparse multi-label text
 * (natural's classifiers, ml-logistic-regression) are dense, single-label or unmaintained, and inference must be a
 * few microseconds inside the worker.
 */
import { type Intent, INTENTS, isTrigger } from '../types';
import { type FeatureSpec, type RulesReading, DEFAULT_FEATURE_SPEC, extractBuckets, rulesInputBuckets } from './features';
import { type FloorReading, type LearnedVerdict, type ModelFile, MODEL_FORMAT, encodeWeights, floorReadingOf, modelVersion } from './reader';

/** One training example: the prospect's own words (see `strip.ts` `scanText`) and the gold labels. */
export interface TrainingExample {
  scan: string;
  labels: readonly Intent[];
  /** What the rules made of it: the escalation head's other inputs (see `rulesInputBuckets`); absent: none. */
  rules?: RulesReading;
}

/** Knobs of training; the defaults are what `npm run train` uses. */
export interface TrainingOptions {
  seed: number;
  epochs: number;
  /** AdaGrad's base learning rate. */
  learningRate: number;
  /**
   * L2 penalty per update. The default, 3e-4, was chosen out of fold among 1e-4 to 1e-3: at the same escalation
   * recall (0.975) it escalated about 40 to 55 fewer replies wrongly than 1e-3 under each of three seeds.
   */
  l2: number;
  /** A bucket seen in fewer training replies than this gets no weight (noise, and a smaller file). */
  minReplies: number;
  /** The F-beta that the opt-out threshold and the escalation floor maximise (2: recall weighs four times precision). */
  recallBeta: number;
  /** The F-beta that each trigger's own threshold maximises (1: precision and recall alike). */
  triggerBeta: number;
  /**
   * The escalation recall the floor must keep out of fold: the strictest floor that keeps it is chosen, so escalation
   * stays recall first without a more lenient floor buying a sliver of F-beta with many more false escalations
   * (null: the floor maximises `recallBeta` alone). 0.975: above the product's 0.97, with a margin for unseen replies.
   */
  escalationRecall: number | null;
  /**
   * The share of the escalations out of fold that the veto (see `chooseVeto`) may lose: 0.001, one in a thousand,
   * after which the floor is chosen to hold `escalationRecall`.
   */
  vetoLoss: number;
  /**
   * What the escalation floor may weigh beside the head (see `floorReadingOf`; null: the head alone). The one that
   * holds `escalationRecall` out of fold with the fewest false escalations is chosen, with its floor (see
   * {@link chooseFloorReading}); ties go to the earlier.
   */
  floorReadings: ReadonlyArray<FloorReading | null>;
  /** The cross-validation folds every choice above is made on (see `trainReader`). */
  folds: number;
  spec: FeatureSpec;
}

/** The defaults of {@link TrainingOptions}. */
export const DEFAULT_TRAINING: TrainingOptions = {
  seed: 7,
  epochs: 30,
  learningRate: 0.3,
  l2: 3e-4,
  minReplies: 2,
  recallBeta: 2,
  triggerBeta: 1,
  escalationRecall: 0.975,
  vetoLoss: 0.001,
  floorReadings: [null, ...[0, 0.15, 0.3].flatMap((handled) => [0, 0.05, 0.1, 0.15, 0.2, 0.3].map((asks) => ({ handled, asks })))],
  folds: 5,
  spec: DEFAULT_FEATURE_SPEC,
};

/** The labels the reader learns: every intent but `none`, which is what is left when nothing else is given. */
export const LEARNED_LABELS: readonly Intent[] = INTENTS.filter((i) => i !== 'none');

/** The F-beta a label's threshold maximises: recall first for opt-out (mailing someone who asked us to stop), `triggerBeta` for triggers, 1 otherwise. */
export function thresholdBeta(label: Intent, options: Pick<TrainingOptions, 'recallBeta' | 'triggerBeta'> = DEFAULT_TRAINING): number {
  if (label === 'opt_out') return options.recallBeta;
  return isTrigger(label) ? options.triggerBeta : 1;
}

/** A trained label before thresholds: bias and dense weights. */
export interface TrainedLabel {
  label: Intent;
  bias: number;
  weights: Float64Array;
}

interface Vector {
  buckets: Int32Array;
  value: number;
  /** Buckets that weigh 1 each (the rules' verdict, for the escalation head only). */
  extra?: Int32Array;
}

/** A small, fast, seeded generator (mulberry32): the shuffles of training. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vectorise(scan: string, spec: FeatureSpec): Vector {
  const { buckets, value } = extractBuckets(scan, spec);
  return { buckets: Int32Array.from(buckets), value };
}

/** A trained model and its escalation head (see the module comment). */
export interface TrainedModel {
  labels: TrainedLabel[];
  /** The head's bias and weights: the probability that a reply holds any trigger. */
  escalation: { bias: number; weights: Float64Array };
}

/** Fits one model per learned label and the escalation head. Deterministic. */
export function trainModel(examples: readonly TrainingExample[], options: TrainingOptions = DEFAULT_TRAINING): TrainedModel {
  const usable = usableVectors(examples, options);
  const labels = LEARNED_LABELS.map((label, index) => ({
    label,
    ...fitLogistic(usable, examples.map((e) => (e.labels.includes(label) ? 1 : 0)), options, options.seed + index),
  }));
  const escalates = examples.map((e) => (e.labels.some(isTrigger) ? 1 : 0));
  const withRules = usable.map((v, i) => {
    const rules = examples[i]!.rules;
    return rules ? { ...v, extra: rulesInputBuckets(rules, options.spec) } : v;
  });
  return { labels, escalation: fitLogistic(withRules, escalates, options, options.seed + LEARNED_LABELS.length) };
}

/** Fits one model per learned label (without the escalation head). Deterministic. */
export function trainLabels(examples: readonly TrainingExample[], options: TrainingOptions = DEFAULT_TRAINING): TrainedLabel[] {
  const usable = usableVectors(examples, options);
  return LEARNED_LABELS.map((label, index) => ({
    label,
    ...fitLogistic(usable, examples.map((e) => (e.labels.includes(label) ? 1 : 0)), options, options.seed + index),
  }));
}

/** The examples' buckets, keeping only buckets seen in at least `minReplies` of them. */
function usableVectors(examples: readonly TrainingExample[], options: TrainingOptions): Vector[] {
  const vectors = examples.map((e) => vectorise(e.scan, options.spec));
  const seenIn = new Uint32Array(options.spec.buckets);
  for (const v of vectors) for (const b of new Set(v.buckets)) seenIn[b] = (seenIn[b] ?? 0) + 1;
  return vectors.map((v) => ({
    buckets: v.buckets.filter((b) => (seenIn[b] ?? 0) >= options.minReplies),
    value: v.value,
  }));
}

/** One logistic regression over the vectors for targets `y` (1 or 0), shuffled by a generator seeded with `seed`. */
function fitLogistic(usable: readonly Vector[], y: readonly number[], options: TrainingOptions, seed: number): { bias: number; weights: Float64Array } {
  const positives = y.reduce<number>((n, v) => n + v, 0);
  const negatives = y.length - positives;
  // Rare labels weigh more, but at most 4×: the thresholds do the rest.
  const positiveWeight = positives > 0 ? Math.min(4, Math.sqrt(negatives / positives)) : 1;
  const { vectors, buckets: used } = compact(usable);
  const weights = new Float64Array(used.length);
  const squares = new Float64Array(used.length);
  let bias = 0;
  let biasSquares = 0;
  const random = seededRandom(seed);
  const order = vectors.map((_, i) => i);
  const { learningRate, l2 } = options;
  // The hot loop of training: indexed loops over typed arrays, in the same order of operations as always (a model's
  // bytes depend on it).
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const v = vectors[i]!;
      const buckets = v.buckets;
      const value = v.value;
      const extra = v.extra ?? NO_BUCKETS;
      let sum = bias;
      for (let k = 0; k < buckets.length; k++) sum += weights[buckets[k]!]! * value;
      for (let k = 0; k < extra.length; k++) sum += weights[extra[k]!]!;
      const p = 1 / (1 + Math.exp(-sum));
      const target = y[i]!;
      const g = (p - target) * (target === 1 ? positiveWeight : 1);
      for (let k = 0; k < buckets.length; k++) {
        const b = buckets[k]!;
        const grad = g * value + l2 * weights[b]!;
        squares[b] = squares[b]! + grad * grad;
        weights[b] = weights[b]! - (learningRate * grad) / Math.sqrt(squares[b]! + 1e-8);
      }
      for (let k = 0; k < extra.length; k++) {
        const b = extra[k]!;
        const grad = g + l2 * weights[b]!;
        squares[b] = squares[b]! + grad * grad;
        weights[b] = weights[b]! - (learningRate * grad) / Math.sqrt(squares[b]! + 1e-8);
      }
      biasSquares += g * g;
      bias -= (learningRate * g) / Math.sqrt(biasSquares + 1e-8);
    }
  }
  const full = new Float64Array(options.spec.buckets);
  used.forEach((bucket, k) => {
    full[bucket] = weights[k]!;
  });
  return { bias, weights: full };
}

const NO_BUCKETS = new Int32Array(0);

/**
 * The vectors with their buckets renumbered densely, in order of first use, and the bucket each new number stands
 * for. Training touches only the buckets the replies use (a bucket never used keeps weight 0 either way), and their
 * weights sit close together in memory where the whole hashed space is spread over megabytes: the same arithmetic in
 * the same order, so the same model, fitted faster.
 */
function compact(usable: readonly Vector[]): { vectors: Vector[]; buckets: number[] } {
  const index = new Map<number, number>();
  const buckets: number[] = [];
  const renumber = (list: Int32Array): Int32Array =>
    list.map((bucket) => {
      let k = index.get(bucket);
      if (k === undefined) {
        k = buckets.length;
        index.set(bucket, k);
        buckets.push(bucket);
      }
      return k;
    });
  const vectors = usable.map((v) => ({ buckets: renumber(v.buckets), value: v.value, ...(v.extra ? { extra: renumber(v.extra) } : {}) }));
  return { vectors, buckets };
}

function shuffle(order: number[], random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}

/** The probability a trained label gives a reply's own words. */
export function trainedScore(model: TrainedLabel, scan: string, spec: FeatureSpec): number {
  const v = vectorise(scan, spec);
  let sum = model.bias;
  for (const b of v.buckets) sum += (model.weights[b] as number) * v.value;
  return 1 / (1 + Math.exp(-sum));
}

/** One held-out reply as threshold selection sees it. */
export interface ThresholdCase {
  /** Gold labels. */
  gold: readonly Intent[];
  /** The model's probability for the label being tuned. */
  score: number;
  /** Whether the combined verdict would give the label at this score: `(given) => boolean` over the threshold. */
  givenAt: (threshold: number) => boolean;
}

/** The thresholds tried, from strict to lenient. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => Number((0.95 - i * 0.05).toFixed(2)));

function fBeta(tp: number, fp: number, fn: number, beta: number): number {
  const b2 = beta * beta;
  return tp === 0 ? 0 : ((1 + b2) * tp) / ((1 + b2) * tp + b2 * fn + fp);
}

/**
 * Chooses a label's threshold on held-out readings: the one with the best F-beta of the combined verdict (see
 * {@link thresholdBeta}). Ties go to the stricter threshold.
 */
export function chooseThreshold(label: Intent, cases: readonly ThresholdCase[], options: Pick<TrainingOptions, 'recallBeta' | 'triggerBeta'> = DEFAULT_TRAINING): number {
  const beta = thresholdBeta(label, options);
  let best = { threshold: THRESHOLD_GRID[0]!, score: -1 };
  for (const threshold of THRESHOLD_GRID) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of cases) {
      const gold = c.gold.includes(label);
      const given = c.givenAt(threshold);
      if (gold && given) tp++;
      else if (given) fp++;
      else if (gold) fn++;
    }
    const score = fBeta(tp, fp, fn, beta);
    if (score > best.score + 1e-12) best = { threshold, score };
  }
  return best.threshold;
}

/** One held-out reply as the choice of the escalation floor sees it (the combined verdict without a floor). */
export interface FloorCase {
  /** Whether its gold labels hold a trigger. */
  goldEscalates: boolean;
  /** Whether the combined verdict already escalates. */
  escalates: boolean;
  /** The escalation head's probability (without a head: the likeliest trigger's) when the floor may apply (no trigger, opt-out or auto-reply), else null. */
  candidate: number | null;
}

/**
 * Chooses the escalation floor on held-out readings: with a `recallTarget`, the strictest floor (none at all first) whose escalation
 * recall reaches it; otherwise, or when no floor reaches it, the one with the best escalation F-beta (`recallBeta`),
 * or null when no floor beats none. Ties go to the stricter floor.
 */
export function chooseEscalationFloor(
  cases: readonly FloorCase[],
  recallBeta = DEFAULT_TRAINING.recallBeta,
  recallTarget: number | null = null,
): number | null {
  if (recallTarget !== null) {
    for (const floor of [null, ...THRESHOLD_GRID]) {
      const { tp, fn } = escalationAtFloor(cases, floor);
      if (tp + fn > 0 && tp / (tp + fn) >= recallTarget) return floor;
    }
  }
  const scoreAt = (floor: number | null): number => {
    const { tp, fp, fn } = escalationAtFloor(cases, floor);
    return fBeta(tp, fp, fn, recallBeta);
  };
  let best: { floor: number | null; score: number } = { floor: null, score: scoreAt(null) };
  for (const floor of THRESHOLD_GRID) {
    const score = scoreAt(floor);
    if (score > best.score + 1e-12) best = { floor, score };
  }
  return best.floor;
}

/** Escalations caught (`tp`), given wrongly (`fp`) and missed (`fn`). */
interface EscalationCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** What escalates of `cases` with the floor at `floor` (null: no floor). */
function escalationAtFloor(cases: readonly FloorCase[], floor: number | null): EscalationCounts {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of cases) {
    const escalates = c.escalates || (floor !== null && c.candidate !== null && c.candidate >= floor);
    if (c.goldEscalates && escalates) tp++;
    else if (escalates) fp++;
    else if (c.goldEscalates) fn++;
  }
  return { tp, fp, fn };
}

/** One held-out reply as the choice of the floor's reading sees it: a {@link FloorCase} with what the reading weighs. */
export interface FloorReadingCase extends FloorCase {
  /** The learned reader's verdict when the floor may apply (`candidate` is not null), else null. */
  verdict: LearnedVerdict | null;
  /** Whether the reply asks something (see `asksSomething`). */
  asks: boolean;
}

/**
 * Chooses what the escalation floor weighs (of `options.floorReadings`) and its floor, on held-out readings of a
 * model with an escalation head: for each reading the floor {@link chooseEscalationFloor} picks, then the reading
 * whose floor holds `escalationRecall` with the fewest false escalations (then the most caught); where none holds it,
 * or there is no target, the one with the best escalation F-beta (`recallBeta`), as the floor itself is chosen then.
 * Ties go to the earlier reading.
 */
export function chooseFloorReading(
  cases: readonly FloorReadingCase[],
  options: Pick<TrainingOptions, 'floorReadings' | 'recallBeta' | 'escalationRecall'> = DEFAULT_TRAINING,
): { reading: FloorReading | null; floor: number | null } {
  let best: { reading: FloorReading | null; floor: number | null; meets: boolean; counts: EscalationCounts; score: number } | null = null;
  for (const reading of options.floorReadings) {
    const floorCases: FloorCase[] = cases.map((c) => ({
      goldEscalates: c.goldEscalates,
      escalates: c.escalates,
      candidate: reading === null || c.verdict === null ? c.candidate : floorReadingOf(reading, c.verdict, c.asks),
    }));
    const floor = chooseEscalationFloor(floorCases, options.recallBeta, options.escalationRecall);
    const counts = escalationAtFloor(floorCases, floor);
    const caught = counts.tp + counts.fn > 0 ? counts.tp / (counts.tp + counts.fn) : 1;
    const meetsTarget = options.escalationRecall !== null && caught >= options.escalationRecall;
    const score = fBeta(counts.tp, counts.fp, counts.fn, options.recallBeta);
    const better =
      best === null ||
      (meetsTarget && !best.meets) ||
      (meetsTarget === best.meets &&
        (meetsTarget
          ? counts.fp < best.counts.fp || (counts.fp === best.counts.fp && counts.tp > best.counts.tp)
          : score > best.score + 1e-12));
    if (better) best = { reading, floor, meets: meetsTarget, counts, score };
  }
  return best === null ? { reading: null, floor: null } : { reading: best.reading, floor: best.floor };
}

/** A veto as training chooses it: see `LearnedReader.vetoCeiling` and `LearnedReader.vetoHead`. */
export interface Veto {
  ceiling: number;
  /** Null: the reader's reading of something automation handles makes it sure, not its head. */
  head: number | null;
}

/** The veto ceilings tried: only a learned reader that gives the rules' trigger little chance may set it aside. */
export const VETO_CEILINGS: readonly number[] = [0.2, 0.1, 0.05, 0.02, 0.01];
/** The escalation head's probabilities under which the reader counts as sure a reply needs no person (null: see {@link Veto}). */
export const VETO_HEADS: readonly (number | null)[] = [0.2, 0.15, 0.1, 0.05, null];

/** One held-out reply as the choice of the veto sees it. */
export interface VetoCase {
  goldEscalates: boolean;
  /** Whether the combined verdict escalates with this veto (null: none). */
  escalatesAt: (veto: Veto | null) => boolean;
}

/**
 * Chooses the veto on held-out readings: of every ceiling and head on the grids, the one that leaves the fewest false
 * escalations while it loses at most `lossAllowed` (a share) of the escalations the verdict without a veto catches,
 * and removes at least one false one; ties go to the one that loses fewer, then to the grids' order. Null when none
 * does. The escalation floor is chosen after it, to hold the product's recall with the veto in force (a reply the veto
 * sets aside for its head has a head under its bar, so the floor does not lift it again unless the floor is lower
 * still; one set aside as an away message reads as an auto-reply, which no floor lifts).
 */
export function chooseVeto(cases: readonly VetoCase[], lossAllowed: number): Veto | null {
  const count = (veto: Veto | null): { tp: number; fp: number } => {
    let tp = 0;
    let fp = 0;
    for (const c of cases) {
      if (!c.escalatesAt(veto)) continue;
      if (c.goldEscalates) tp++;
      else fp++;
    }
    return { tp, fp };
  };
  const none = count(null);
  const mayLose = Math.floor(none.tp * lossAllowed);
  let best: { veto: Veto; tp: number; fp: number } | null = null;
  for (const head of VETO_HEADS) {
    for (const ceiling of VETO_CEILINGS) {
      const veto = { ceiling, head };
      const at = count(veto);
      if (none.tp - at.tp > mayLose || at.fp >= none.fp) continue;
      if (best === null || at.fp < best.fp || (at.fp === best.fp && at.tp > best.tp)) best = { veto, ...at };
    }
  }
  return best?.veto ?? null;
}

/** One held-out reply in which a trigger stands beside the learned opt-out (and the rules heard no opt-out), as the choice of the opt-out's bar there sees it. */
export interface OptOutBarCase {
  goldOptOut: boolean;
  /** The learned reader's opt-out probability. */
  score: number;
}

/**
 * Chooses `LearnedReader.optOutBesideTrigger` on held-out readings, after the triggers' thresholds and before the
 * opt-out's own: the bar with the best opt-out F1 on the replies it applies to (the opt-out's threshold applies
 * elsewhere). F1, not recall first: these replies escalate either way, so an opt-out missed there is still read by
 * a person, and one given wrongly suppresses a buyer for good. Ties go to the more lenient bar; null when there is no
 * such reply.
 */
export function chooseOptOutBar(cases: readonly OptOutBarCase[]): number | null {
  if (cases.length === 0) return null;
  let best: { bar: number | null; score: number } = { bar: null, score: -1 };
  for (const bar of [...THRESHOLD_GRID].reverse()) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of cases) {
      const given = c.score >= bar;
      if (c.goldOptOut && given) tp++;
      else if (given) fp++;
      else if (c.goldOptOut) fn++;
    }
    const score = fBeta(tp, fp, fn, 1);
    if (score > best.score + 1e-12) best = { bar, score };
  }
  return best.bar;
}

/** What training chose beside the labels' thresholds, and the escalation head, for {@link modelFile}; each absent: none. */
export interface ModelChoices {
  escalationFloor?: number | null;
  /** What the floor weighs beside the head (null: the head alone). */
  floorReading?: FloorReading | null;
  veto?: Veto | null;
  optOutBesideTrigger?: number | null;
  escalationHead?: TrainedModel['escalation'] | null;
  /** True: the escalation head was trained reading the rules' verdict. */
  headReadsRules?: boolean;
}

/** Assembles a model file from trained labels and their thresholds; its version is its content hash. */
export function modelFile(
  trained: readonly TrainedLabel[],
  thresholds: Partial<Record<Intent, number>>,
  meta: { corpus: string; examples: number; seed: number; spec: FeatureSpec },
  choices: ModelChoices = {},
): ModelFile {
  const { escalationFloor = null, floorReading = null, veto = null, optOutBesideTrigger = null, escalationHead = null, headReadsRules = false } = choices;
  const labels: ModelFile['labels'] = {};
  for (const t of trained) {
    const { scale, weights } = encodeWeights(t.weights);
    labels[t.label] = { bias: Number(t.bias.toPrecision(9)), threshold: thresholds[t.label] ?? 0.5, scale, weights };
  }
  const escalation =
    escalationHead === null
      ? null
      : { bias: Number(escalationHead.bias.toPrecision(9)), ...encodeWeights(escalationHead.weights), ...(headReadsRules ? { readsRules: true as const } : {}) };
  const body = {
    format: MODEL_FORMAT,
    trainedOn: { corpus: meta.corpus, examples: meta.examples, seed: meta.seed },
    features: { ...meta.spec },
    labels,
    ...(escalation === null ? {} : { escalation }),
    ...(escalationFloor === null ? {} : { escalationFloor }),
    // In the schema's key order: the version hashes the file as the reader parses it.
    ...(floorReading === null || escalationFloor === null ? {} : { floorReading: { handled: floorReading.handled, asks: floorReading.asks } }),
    ...(veto === null ? {} : { vetoCeiling: veto.ceiling }),
    ...(veto?.head == null ? {} : { vetoHead: veto.head }),
    ...(optOutBesideTrigger === null ? {} : { optOutBesideTrigger }),
  } as const;
  const { format, ...rest } = body;
  return { format, version: modelVersion(body), ...rest };
}
