import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { type Classification, type Intent, classifyReply, isTrigger, loadRuleSet } from '../../../src/triggers';
import { combineReaders } from '../../../src/triggers/learned/combine';
import { splitCorpus, splitOf, readCorpus } from '../../../src/triggers/learned/corpus';
import { type FeatureSpec, extractBuckets, extractFeatures, foldText } from '../../../src/triggers/learned/features';
import { type LearnedReader, type LearnedVerdict, ModelFileError, encodeWeights, explain, floorReadingOf, floorTrigger, loadLearnedReader, modelVersion, parseLearnedReader, readReply, readVector, stepOf } from '../../../src/triggers/learned/reader';
import { DEFAULT_TRAINING, type OptOutBarCase, type VetoCase, chooseEscalationFloor, chooseFloorReading, chooseOptOutBar, chooseThreshold, chooseVeto, modelFile, trainLabels, trainModel } from '../../../src/triggers/learned/train';
import { foldOf, ownWords, trainReader } from '../../../src/triggers/learned/trainCommand';

const rules = loadRuleSet();
const spec = { ...DEFAULT_TRAINING.spec, buckets: 1 << 14 };

/** A tiny corpus: enough for a model to tell price questions from opt-outs. */
const TINY: ReadonlyArray<{ text: string; labels: Intent[] }> = [
  { text: 'how much does it cost', labels: ['pricing'] },
  { text: 'what would this cost us per year', labels: ['pricing'] },
  { text: 'what does the cost look like for 40 people', labels: ['pricing'] },
  { text: 'cost per seat?', labels: ['pricing'] },
  { text: 'remove me from your list', labels: ['opt_out'] },
  { text: 'please remove me', labels: ['opt_out'] },
  { text: 'remove my address now', labels: ['opt_out'] },
  { text: 'remove us from this list please', labels: ['opt_out'] },
  { text: 'thanks for the note', labels: ['none'] },
  { text: 'appreciate the email', labels: ['none'] },
];

function tinyReader(): LearnedReader {
  const trained = trainLabels(TINY.map((t) => ({ scan: t.text, labels: t.labels })), { ...DEFAULT_TRAINING, spec, minReplies: 1 });
  const file = modelFile(trained, {}, { corpus: 'test', examples: TINY.length, seed: DEFAULT_TRAINING.seed, spec });
  return parseLearnedReader(JSON.stringify(file), 'tiny');
}

describe('features of the learned reader', () => {
  test('folding keeps every offset: accents, case and typographic apostrophes fold one unit for one', () => {
    const text = 'Préços? Don’t WORRY — Größe';
    const folded = foldText(text);
    assert.equal(folded.length, text.length);
    assert.equal(folded, "precos? don't worry   große".replace('ß', 'ß'));
  });

  test('every feature points at a span of the text it came from', () => {
    const scan = 'Wie viel kostet das für 40 Nutzer?';
    const { features, value } = extractFeatures(scan, spec);
    assert.ok(features.length > 20);
    assert.ok(value > 0 && value < 1);
    for (const f of features) {
      assert.ok(f.start >= 0 && f.end <= scan.length && f.start <= f.end, `span [${f.start}, ${f.end})`);
      assert.ok(f.bucket >= 0 && f.bucket < spec.buckets);
    }
    assert.ok(features.some((f) => scan.slice(f.start, f.end) === 'kostet'));
  });

  test('the same text always gives the same features, and a typo shares most of its character n-grams', () => {
    const a = extractFeatures('what is the pricing', spec).features.map((f) => f.bucket);
    assert.deepEqual(a, extractFeatures('what is the pricing', spec).features.map((f) => f.bucket));
    const typo = new Set(extractFeatures('pricng', spec).features.map((f) => f.bucket));
    const right = extractFeatures('pricing', spec).features.map((f) => f.bucket);
    assert.ok(right.filter((b) => typo.has(b)).length >= 3);
  });

  test('a negated word shares no word or n-gram feature with the same word unnegated, unless the model predates it', () => {
    // The word's own features: its word feature and n-grams, whose spans lie inside it (word pairs left out).
    const wordFeatures = (text: string, s: FeatureSpec) => {
      const at = text.toLowerCase().indexOf('interested');
      const inside = extractFeatures(text, s).features.filter((f) => f.word >= 0 && !f.pair && f.start >= at && f.end <= at + 'interested'.length);
      return new Set(inside.map((f) => f.bucket));
    };
    const affirmed = wordFeatures('Interested.', spec);
    const negated = wordFeatures('not interested', spec);
    assert.ok(affirmed.size > 10 && negated.size > 10);
    assert.deepEqual([...negated].filter((b) => affirmed.has(b)), []);
    const { negatedGrams: _, ...before } = spec;
    const older = wordFeatures('not interested', before);
    assert.ok([...wordFeatures('Interested.', before)].every((b) => older.has(b)));
    assert.ok([...wordFeatures('interested, not now', spec)].some((b) => affirmed.has(b)), 'a clause end closes the negation');
  });

  test('a text with no words still has features, and an empty text has weight zero', () => {
    assert.equal(extractFeatures('', spec).features.length, 1);
    assert.ok(extractFeatures('???', spec).features.some((f) => f.start === 0 && f.end === 1));
  });
});

describe('the model file', () => {
  test('weights survive encoding within one quantisation step, and the version is the content hash', () => {
    const trained = [{ label: 'pricing' as Intent, bias: -1, weights: new Float64Array(spec.buckets) }];
    trained[0]!.weights[3] = 1.5;
    trained[0]!.weights[700] = -0.75;
    trained[0]!.weights[spec.buckets - 1] = 0.6;
    const file = modelFile(trained, { pricing: 0.4 }, { corpus: 'test', examples: 1, seed: 1, spec });
    const reader = parseLearnedReader(JSON.stringify(file), 'test');
    const weights = Array.from({ length: spec.buckets }, (_, bucket) => stepOf(reader, bucket, 0) * reader.scales[0]!);
    const step = encodeWeights(trained[0]!.weights).scale;
    assert.ok(Math.abs(weights[3]! - 1.5) <= step);
    assert.ok(Math.abs(weights[700]! + 0.75) <= step);
    assert.ok(Math.abs(weights[spec.buckets - 1]! - 0.6) <= step);
    assert.equal(weights[4], 0);
    assert.equal(reader.labels[0]!.threshold, 0.4);
    assert.equal(reader.version, file.version);
  });

  test('the shipped model scores a reply the same from its buckets as from its features, each feature counted once', () => {
    const reader = loadLearnedReader();
    const replies = ['Interested — what does it cost for 40 seats?', 'remove remove remove me', 'Ist das ein Bot? Je préfère parler à quelqu’un.', ''];
    for (const reply of replies) {
      const features = extractFeatures(reply, reader.spec);
      const buckets = [...extractBuckets(reply, reader.spec).buckets];
      assert.deepEqual(buckets, [...new Set(features.features.map((f) => f.bucket))], 'the distinct buckets, in the order first seen');
      const fromBuckets = readReply(reader, reply);
      const fromFeatures = readVector(reader, features);
      for (const label of reader.labels) assert.ok(Math.abs(fromBuckets.scores[label.label]! - fromFeatures.scores[label.label]!) < 1e-12, `${label.label} of ${JSON.stringify(reply)}`);
      const sum = buckets.reduce((total, bucket) => total + stepOf(reader, bucket, 2), 0) * reader.scales[2]! * features.value;
      assert.ok(Math.abs(fromBuckets.scores[reader.labels[2]!.label]! - 1 / (1 + Math.exp(-(reader.labels[2]!.bias + sum)))) < 1e-12);
    }
  });

  test('a model file edited by hand is refused, naming what is wrong', () => {
    const file = modelFile([], {}, { corpus: 'test', examples: 0, seed: 1, spec });
    assert.throws(() => parseLearnedReader(JSON.stringify({ ...file, trainedOn: { ...file.trainedOn, examples: 5 } }), 'edited.json'), /edited\.json: version does not match/);
    assert.throws(() => parseLearnedReader(JSON.stringify({ ...file, features: { ...file.features, buckets: 1000 } }), 'bad.json'), (err: unknown) => err instanceof ModelFileError && /features\.buckets/.test(err.message));
    assert.throws(() => parseLearnedReader('{', 'broken.json'), /broken\.json: not JSON/);
  });

  test("a model file whose veto bar would do nothing is refused: a head's bar needs a ceiling and a head to read", () => {
    const file = modelFile([], {}, { corpus: 'test', examples: 0, seed: 1, spec });
    assert.throws(() => parseLearnedReader(JSON.stringify({ ...file, vetoHead: 0.1 }), 'bar.json'), /bar\.json: vetoHead needs a vetoCeiling/);
    const headless = modelFile([], {}, { corpus: 'test', examples: 0, seed: 1, spec }, { veto: { ceiling: 0.1, head: 0.1 } });
    assert.throws(() => parseLearnedReader(JSON.stringify(headless), 'headless.json'), /headless\.json: vetoHead needs an escalation head/);
  });
});

describe('training', () => {
  test('the same examples and seed give the same model, byte for byte', () => {
    const a = modelFile(trainLabels(TINY.map((t) => ({ scan: t.text, labels: t.labels })), { ...DEFAULT_TRAINING, spec, minReplies: 1 }), {}, { corpus: 't', examples: 10, seed: 7, spec });
    const b = modelFile(trainLabels(TINY.map((t) => ({ scan: t.text, labels: t.labels })), { ...DEFAULT_TRAINING, spec, minReplies: 1 }), {}, { corpus: 't', examples: 10, seed: 7, spec });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    const c = modelFile(trainLabels(TINY.map((t) => ({ scan: t.text, labels: t.labels })), { ...DEFAULT_TRAINING, spec, minReplies: 1, seed: 8 }), {}, { corpus: 't', examples: 10, seed: 8, spec });
    assert.notEqual(a.version, c.version);
  });

  test('a trained model tells the labels of replies it has not seen apart', () => {
    const reader = tinyReader();
    const pricing = readReply(reader, 'what is the cost');
    const optOut = readReply(reader, 'remove me');
    assert.ok(pricing.scores.pricing! > pricing.scores.opt_out!);
    assert.ok(optOut.scores.opt_out! > optOut.scores.pricing!);
  });

  test("opt-out's threshold favours recall, a trigger's balances precision and recall", () => {
    const cases = (label: Intent) =>
      [0.9, 0.6, 0.3, 0.55, 0.5, 0.35].map((score, i) => ({ gold: (i < 3 ? [label] : ['none']) as Intent[], score, givenAt: (t: number) => score >= t }));
    // Recall first: 0.3 catches all three opt-outs at the cost of three false ones.
    assert.equal(chooseThreshold('opt_out', cases('opt_out')), 0.3);
    // Balanced: 0.6 keeps two of three and gives nothing wrongly.
    assert.equal(chooseThreshold('pricing', cases('pricing')), 0.6);
    const noisy = [0.9, 0.6, 0.55, 0.5, 0.45].map((score, i) => ({ gold: (i < 2 ? ['referral'] : ['none']) as Intent[], score, givenAt: (t: number) => score >= t }));
    assert.equal(chooseThreshold('referral', noisy), 0.6);
  });

  test('the escalation floor is the one that catches missed triggers at little cost, or none', () => {
    const missed = [0.4, 0.35, 0.3].map((candidate) => ({ goldEscalates: true, escalates: false, candidate }));
    const quiet = [0.2, 0.1].map((candidate) => ({ goldEscalates: false, escalates: false, candidate }));
    assert.equal(chooseEscalationFloor([...missed, ...quiet]), 0.3);
    const caught = [{ goldEscalates: true, escalates: true, candidate: null }];
    const noise = [0.8, 0.7].map((candidate) => ({ goldEscalates: false, escalates: false, candidate }));
    assert.equal(chooseEscalationFloor([...caught, ...noise]), null);
  });

  test('with a recall target, the floor is the strictest that keeps escalation recall at the target', () => {
    const caught = Array.from({ length: 8 }, () => ({ goldEscalates: true, escalates: true, candidate: null }));
    const missed = [0.5, 0.3].map((candidate) => ({ goldEscalates: true, escalates: false, candidate }));
    const noise = [0.45, 0.4, 0.35, 0.3].map((candidate) => ({ goldEscalates: false, escalates: false, candidate }));
    const cases = [...caught, ...missed, ...noise];
    // F2 alone takes 0.3: both misses caught, at the cost of four false escalations.
    assert.equal(chooseEscalationFloor(cases, 2), 0.3);
    // Nine of ten is enough for a target of 0.9: 0.5 catches one miss and no noise.
    assert.equal(chooseEscalationFloor(cases, 2, 0.9), 0.5);
    // Eight of ten already reach 0.8 with no floor at all.
    assert.equal(chooseEscalationFloor(cases, 2, 0.8), null);
    // A target no floor reaches (a miss the floor cannot see) falls back to F2.
    assert.equal(chooseEscalationFloor([...cases, { goldEscalates: true, escalates: false, candidate: null }], 2, 1), 0.3);
  });
});

describe('the escalation floor', () => {
  test('a reply with no trigger escalates on its likeliest trigger at the floor, but an opt-out does not', () => {
    const reader = { ...tinyReader(), escalationFloor: 0.2 };
    const verdict = { modelVersion: reader.version, scores: { pricing: 0.3, technical: 0.25, opt_out: 0.1 }, labels: [] as Intent[] };
    assert.equal(floorTrigger(reader, verdict, ['none'], true), 'pricing');
    assert.equal(floorTrigger(reader, verdict, ['opt_out'], true), null);
    assert.equal(floorTrigger(reader, verdict, ['technical'], true), null);
    assert.equal(floorTrigger({ ...reader, escalationFloor: 0.5 }, verdict, ['none'], true), null);
    assert.equal(floorTrigger({ ...reader, escalationFloor: null }, verdict, ['none'], true), null);
  });

  test('with an escalation head, the head decides whether the floor escalates and the likeliest trigger names why', () => {
    const reader = { ...tinyReader(), escalationFloor: 0.4 };
    const scores = { pricing: 0.3, technical: 0.25, opt_out: 0.1 };
    // The head is sure a person should read it, though no trigger alone reaches the floor.
    assert.equal(floorTrigger(reader, { modelVersion: reader.version, scores, labels: [], escalation: 0.6 }, ['none'], true), 'pricing');
    // The head is not, though a trigger alone would have reached a lower floor.
    assert.equal(floorTrigger({ ...reader, escalationFloor: 0.2 }, { modelVersion: reader.version, scores, labels: [], escalation: 0.1 }, ['none'], true), null);
    assert.equal(floorTrigger(reader, { modelVersion: reader.version, scores, labels: [], escalation: 0.6 }, ['opt_out'], true), null);
  });

  test('a floor that weighs the likeliest trigger and the question lifts a question the head is unsure of, and not a deferral', () => {
    const reader: LearnedReader = { ...tinyReader(), escalationFloor: 0.3, floorReading: { handled: 0.3, asks: 0.15 } };
    const unsure = { pricing: 0.2, not_now: 0.1 };
    // A question: √(0.4 × 0.2) ≈ 0.28, less 0.3 × 0.1, plus 0.15 for the question: 0.40.
    assert.equal(floorTrigger(reader, { modelVersion: reader.version, scores: unsure, labels: [], escalation: 0.4 }, ['none'], true), 'pricing');
    // The same words with no question: 0.25, under the floor, where the head alone (0.4) would have lifted it.
    assert.equal(floorTrigger(reader, { modelVersion: reader.version, scores: unsure, labels: [], escalation: 0.4 }, ['none'], false), null);
    assert.equal(floorTrigger({ ...reader, floorReading: null }, { modelVersion: reader.version, scores: unsure, labels: [], escalation: 0.4 }, ['none'], false), 'pricing');
    // A warm deferral the reader also reads as timing: √(0.5 × 0.3) ≈ 0.39, less 0.3 × 0.8: 0.15.
    const deferral = { buying_intent: 0.3, not_now: 0.8 };
    assert.equal(floorTrigger(reader, { modelVersion: reader.version, scores: deferral, labels: ['not_now'], escalation: 0.5 }, ['not_now'], false), null);
    assert.equal(floorReadingOf({ handled: 0, asks: 0 }, { modelVersion: reader.version, scores: { technical: 0.49 }, labels: [], escalation: 1 }, true), 0.7);
  });

  test('training chooses what the floor weighs where it keeps the recall target with the fewest false escalations', () => {
    const verdict = (escalation: number, pricing: number): LearnedVerdict => ({ modelVersion: 'test', scores: { pricing }, labels: [], escalation });
    const caught = Array.from({ length: 6 }, () => ({ goldEscalates: true, escalates: true, candidate: null, verdict: null, asks: true }));
    // Two questions that need a person, where the head is unsure; two replies that ask nothing, where it is surer.
    const questions = [verdict(0.3, 0.3), verdict(0.35, 0.3)].map((v) => ({ goldEscalates: true, escalates: false, candidate: v.escalation!, verdict: v, asks: true }));
    const statements = [verdict(0.4, 0.3), verdict(0.45, 0.3)].map((v) => ({ goldEscalates: false, escalates: false, candidate: v.escalation!, verdict: v, asks: false }));
    const cases = [...caught, ...questions, ...statements];
    const options = { recallBeta: 2, escalationRecall: 1, floorReadings: [null, { handled: 0, asks: 0.2 }] };
    // The head alone needs a floor of 0.3 to catch both questions, and lifts both statements with them.
    assert.deepEqual(chooseFloorReading(cases, { ...options, floorReadings: [null] }), { reading: null, floor: 0.3 });
    // With the question weighed, both questions reach 0.5 and neither statement does.
    assert.deepEqual(chooseFloorReading(cases, options), { reading: { handled: 0, asks: 0.2 }, floor: 0.5 });
    // With no recall target, the reading with the better F2 (both questions, no statement) is chosen as well.
    assert.deepEqual(chooseFloorReading(cases, { ...options, escalationRecall: null }).reading, { handled: 0, asks: 0.2 });
  });

  test('a model file whose floor reading has no floor to weigh is refused, naming the field', () => {
    const trained = trainModel(TINY.map((t) => ({ scan: t.text, labels: t.labels })), { ...DEFAULT_TRAINING, spec, minReplies: 1 });
    const meta = { corpus: 'test', examples: TINY.length, seed: DEFAULT_TRAINING.seed, spec };
    const withFloor = modelFile(trained.labels, {}, meta, { escalationFloor: 0.3, floorReading: { handled: 0.1, asks: 0.1 }, escalationHead: trained.escalation });
    assert.deepEqual(parseLearnedReader(JSON.stringify(withFloor), 'floor').floorReading, { handled: 0.1, asks: 0.1 });
    const { escalationFloor: _dropped, version: _version, format, ...rest } = withFloor;
    const unweighed = { format, version: modelVersion({ format, ...rest }), ...rest };
    assert.throws(() => parseLearnedReader(JSON.stringify(unweighed), 'floor'), /floorReading needs an escalation head and an escalationFloor/u);
    const { escalation: _head, ...headless } = rest;
    const blind = { ...headless, escalationFloor: 0.3 };
    assert.throws(() => parseLearnedReader(JSON.stringify({ format, version: modelVersion({ format, ...blind }), ...blind }), 'floor'), /floorReading needs an escalation head/u);
  });

  test('the floor lifts no reply the learned reader finds as likely to be an auto-reply as to need a person', () => {
    const reader = { ...tinyReader(), escalationFloor: 0.2 };
    const verdict = (outOfOffice: number): LearnedVerdict => ({ modelVersion: reader.version, scores: { pricing: 0.3, out_of_office: outOfOffice }, labels: [], escalation: 0.4 });
    assert.equal(floorTrigger(reader, verdict(0.25), ['none'], true), 'pricing');
    assert.equal(floorTrigger(reader, verdict(0.4), ['none'], true), null);
    assert.equal(floorTrigger(reader, verdict(0.6), ['none'], true), null);
  });

  test('training fits an escalation head that the model file keeps and the reader scores', () => {
    const examples = TINY.map((t) => ({ scan: t.text, labels: t.labels }));
    const trained = trainModel(examples, { ...DEFAULT_TRAINING, spec, minReplies: 1 });
    const file = modelFile(trained.labels, {}, { corpus: 'test', examples: TINY.length, seed: DEFAULT_TRAINING.seed, spec }, { escalationFloor: 0.5, escalationHead: trained.escalation });
    assert.ok(file.escalation);
    const reader = parseLearnedReader(JSON.stringify(file), 'head');
    const asks = readReply(reader, 'what is the cost');
    const stops = readReply(reader, 'remove me');
    assert.ok(asks.escalation! > stops.escalation!, `${asks.escalation} vs ${stops.escalation}`);
    // The labels are the same with or without the head.
    assert.deepEqual(readReply(tinyReader(), 'what is the cost').scores, asks.scores);
  });

  test('a head trained with the rules’ verdict learns from it, and reads words alone without it', () => {
    // The same words, read by the rules as a referral or as nothing: only the rules' verdict tells the cases apart.
    const examples = [
      ...['talk to dana', 'ask dana about it', 'dana handles this'].map((scan) => ({ scan, labels: ['referral'] as Intent[], rules: { labels: ['referral'] as Intent[], autoReply: false } })),
      ...['talk to dana', 'ask dana about it', 'dana handles this'].map((scan) => ({ scan, labels: ['human_request'] as Intent[], rules: { labels: ['none'] as Intent[], autoReply: false } })),
    ];
    const trained = trainModel(examples, { ...DEFAULT_TRAINING, spec, minReplies: 1 });
    const meta = { corpus: 'test', examples: examples.length, seed: DEFAULT_TRAINING.seed, spec };
    const file = modelFile(trained.labels, {}, meta, { escalationFloor: 0.5, escalationHead: trained.escalation, headReadsRules: true });
    assert.equal(file.escalation?.readsRules, true);
    const reader = parseLearnedReader(JSON.stringify(file), 'rules-aware head');
    assert.equal(reader.headReadsRules, true);
    const referral = readReply(reader, 'talk to dana', { labels: ['referral'], autoReply: false }).escalation!;
    const nothing = readReply(reader, 'talk to dana', { labels: ['none'], autoReply: false }).escalation!;
    assert.ok(referral < 0.5 && nothing > 0.5, `${referral} vs ${nothing}`);
    // Without the rules' verdict the head reads the words alone, and a head trained without it ignores it.
    assert.equal(readReply(reader, 'talk to dana').escalation, readReply(reader, 'talk to dana', { labels: [], autoReply: false }).escalation);
    const blind = parseLearnedReader(JSON.stringify(modelFile(trained.labels, {}, meta, { escalationFloor: 0.5, escalationHead: trained.escalation })), 'head');
    assert.equal(blind.headReadsRules, false);
    assert.equal(readReply(blind, 'talk to dana', { labels: ['referral'], autoReply: false }).escalation, readReply(blind, 'talk to dana').escalation);
  });
});

describe('explaining a decision', () => {
  test('the phrases that weighed most for a label are spans of the reply', () => {
    const reader = tinyReader();
    const scan = 'Hello there, what would the cost be?';
    const spans = explain(reader, scan, 'pricing');
    assert.ok(spans.length > 0);
    assert.ok(spans.some((s) => scan.slice(s.start, s.end).includes('cost')), JSON.stringify(spans));
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]!.weight >= spans[i]!.weight);
  });
});

describe('combining the rules and the learned reader', () => {
  const reader = tinyReader();
  const verdict = (labels: Intent[]): LearnedVerdict => ({ modelVersion: reader.version, scores: Object.fromEntries(labels.map((l) => [l, 0.9])), labels });
  const combine = (text: string, learned: Intent[]): ReturnType<typeof combineReaders> =>
    combineReaders(text, ownWords(text), classifyReply(text, rules), verdict(learned), reader, rules);

  test('the learned reader adds a trigger the rules missed, says it decided, and shows its evidence', () => {
    const text = "what's the damage for the three of us";
    const rulesOnly = classifyReply(text, rules);
    assert.ok(!rulesOnly.labels.includes('pricing'), 'the rules alone miss this one');
    const both = combine(text, ['pricing']);
    assert.ok(both.labels.includes('pricing'));
    assert.equal(both.escalate, true);
    assert.equal(both.decidedBy.pricing, 'model');
    assert.equal(both.modelVersion, reader.version);
    assert.ok(both.evidence.some((e) => e.label === 'pricing' && e.end > e.start && e.rule === `model:${reader.version}` && text.slice(e.start, e.end) === e.text));
  });

  test('the learned reader never removes a rules trigger from a reply that asks something', () => {
    const text = 'How much is it for 40 seats?';
    const both = combine(text, ['opt_out']);
    assert.ok(both.labels.includes('pricing'));
    assert.equal(both.decidedBy.pricing, 'rules');
  });

  test('a bare thank-you is never read as a request to stop, however sure the learned reader is; a refusal still is', () => {
    for (const text of ['Gracias.', 'Obrigado.\n\nEnviado do meu iPhone', 'Merci beaucoup, bien reçu']) {
      const both = combine(text, ['opt_out']);
      assert.deepEqual(both.labels, ['none'], text);
      assert.equal(both.decidedBy.opt_out, undefined, text);
    }
    assert.deepEqual(combine('Gracias, pero paso.', ['opt_out']).labels, ['opt_out'], 'a refusal that thanks is no thank-you');
  });

  test('the escalation floor does not lift a bare thank-you, where it lifts another reply with nothing in it', () => {
    const floored: LearnedReader = { ...reader, escalationFloor: 0.2 };
    const sure: LearnedVerdict = { modelVersion: reader.version, scores: { buying_intent: 0.3 }, labels: [], escalation: 0.9 };
    const read = (text: string): ReturnType<typeof combineReaders> => combineReaders(text, ownWords(text), classifyReply(text, rules), sure, floored, rules);
    assert.deepEqual(read('Hmm.').labels, ['buying_intent']);
    assert.deepEqual(read('Muchas gracias 🙏').labels, ['none']);
  });

  test('an opt-out only the learned reader reads removes no rules trigger, even from a reply that asks nothing', () => {
    const text = 'Tenho interesse.';
    assert.ok(classifyReply(text, rules).labels.includes('buying_intent'), 'the rules read interest');
    const both = combine(text, ['opt_out']);
    assert.deepEqual(both.labels, ['buying_intent', 'opt_out']);
    assert.equal(both.escalate, true);
    assert.equal(both.decidedBy.buying_intent, 'rules');
  });

  describe("a learned opt-out beside a trigger needs the model's higher bar", () => {
    const barred: LearnedReader = { ...reader, optOutBesideTrigger: 0.6 };
    const optOutAt = (p: number): LearnedVerdict => ({ modelVersion: reader.version, scores: { opt_out: p }, labels: ['opt_out'] });
    const read = (text: string, p: number): ReturnType<typeof combineReaders> =>
      combineReaders(text, ownWords(text), classifyReply(text, rules), optOutAt(p), barred, rules);

    test('under the bar, a buyer is escalated and not opted out', () => {
      const both = read('Je veux une démo.', 0.45);
      assert.deepEqual(both.labels, ['buying_intent']);
      assert.equal(both.escalate, true);
      assert.equal(both.decidedBy.opt_out, undefined);
      assert.equal(both.modelScores.opt_out, 0.45, 'the score is still recorded for review');
    });

    test('at the bar, the opt-out stands beside the trigger, and a person reads it', () => {
      const both = read('Je veux une démo.', 0.6);
      assert.deepEqual(both.labels, ['buying_intent', 'opt_out']);
      assert.equal(both.escalate, true);
      assert.equal(both.decidedBy.opt_out, 'model');
    });

    test('where no trigger stands beside it, its own threshold is enough', () => {
      assert.ok(!classifyReply('Hmm.', rules).labels.some(isTrigger), 'the rules hear no trigger');
      assert.deepEqual(read('Hmm.', 0.45).labels, ['opt_out']);
    });

    const withLearnedInterest = (text: string, p: number): ReturnType<typeof combineReaders> =>
      combineReaders(text, ownWords(text), classifyReply(text, rules), { modelVersion: reader.version, scores: { opt_out: p, buying_intent: 0.9 }, labels: ['buying_intent', 'opt_out'] }, barred, rules);

    test('beside a trigger only the learned reader heard, the bar applies too', () => {
      assert.ok(!classifyReply('Hmm.', rules).labels.some(isTrigger), 'the rules hear no trigger');
      assert.deepEqual(withLearnedInterest('Hmm.', 0.45).labels, ['buying_intent']);
      // At the bar the opt-out stands, and in a reply that asks nothing it declines the learned interest.
      assert.deepEqual(withLearnedInterest('Hmm.', 0.7).labels, ['opt_out']);
    });

    test('in an auto-reply, where a learned trigger never stands, the opt-out needs only its own threshold', () => {
      const away = 'This is an automatic reply. I am out of the office until Monday.';
      assert.ok(classifyReply(away, rules).autoReplyRules.length > 0, 'an auto-reply rule matches');
      const both = withLearnedInterest(away, 0.45);
      assert.ok(both.labels.includes('opt_out') && !both.escalate, JSON.stringify(both.labels));
    });
  });

  test('a learned label the rules drop for a decline is not added to a reply that asks to stop and asks nothing', () => {
    const both = combine('Thanks for the personalised demo offer. Remove me.', ['opt_out', 'buying_intent']);
    assert.deepEqual(both.labels, ['opt_out']);
    assert.equal(both.escalate, false);
  });

  test('a reply the rules read as away only for want of a trigger escalates when the learned reader hears one', () => {
    const text = 'Estoy en la feria de Bilbao hasta el 14 de marzo, pasate por el stand y lo vemos con mi socio.';
    const rulesOnly = classifyReply(text, rules, { receivedAt: '2026-03-09T10:00:00Z' });
    assert.deepEqual(rulesOnly.labels, ['out_of_office'], 'the rules read only the absence');
    assert.equal(rulesOnly.autoReply, true);
    assert.deepEqual(rulesOnly.autoReplyRules, [], 'and no auto-reply rule matched');
    assert.ok(rulesOnly.returnDate, 'and a return date');
    const both = combineReaders(text, ownWords(text), rulesOnly, verdict(['buying_intent']), reader, rules);
    assert.deepEqual(both.labels, ['buying_intent']);
    assert.equal(both.escalate, true);
    assert.equal(both.autoReply, false);
    assert.equal(both.returnDate, null, 'a person at a fair has no return date to move the cadence to');
  });

  test('a learned trigger that a decline drops does not take a reply out of the away reading', () => {
    const text = 'Estoy en la feria de Bilbao toda la semana. No me escriban más.';
    const both = combine(text, ['pricing']);
    assert.ok(both.labels.includes('out_of_office'));
    assert.equal(both.escalate, false);
  });

  test('a reply the rules read as away stays an auto-reply when the learned reader hears the absence too', () => {
    const text = 'Estoy en la feria de Bilbao toda la semana, pasate por el stand y lo vemos con mi socio.';
    const both = combine(text, ['buying_intent', 'out_of_office']);
    assert.deepEqual(both.labels, ['out_of_office']);
    assert.equal(both.escalate, false);
    assert.equal(both.autoReply, true);
  });

  test('a learned trigger never makes a reply an auto-reply rule matched escalate', () => {
    const text = 'Respuesta automática: estoy fuera hasta el lunes. Para una demo, escriba a ventas@example.com.';
    assert.ok(classifyReply(text, rules).autoReplyRules.length > 0);
    const both = combine(text, ['buying_intent']);
    assert.equal(both.escalate, false);
    assert.equal(both.autoReply, true);
  });

  describe('setting a rules trigger aside', () => {
    const vetoing: LearnedReader = { ...reader, vetoCeiling: 0.02 };
    const text = 'The budget is spent for this year, please hold the pricing until January.';
    const rulesVerdict = classifyReply(text, rules);
    const scored = (pricing: number, labels: Intent[]): LearnedVerdict => ({ modelVersion: reader.version, scores: { pricing, not_now: 0.9 }, labels });

    test('the rules read a price word here', () => {
      assert.ok(rulesVerdict.labels.includes('pricing'), rulesVerdict.labels.join(','));
    });

    test('a rules trigger the learned reader gives almost no chance, while it reads a timing objection, is set aside and recorded', () => {
      const both = combineReaders(text, ownWords(text), rulesVerdict, scored(0.01, ['not_now']), vetoing, rules);
      assert.ok(!both.labels.includes('pricing'));
      assert.equal(both.escalate, false);
      assert.deepEqual(both.setAside, ['pricing']);
      assert.ok(both.labels.includes('not_now'));
    });

    test('a rules trigger stays when the learned reader is not close to sure', () => {
      const both = combineReaders(text, ownWords(text), rulesVerdict, scored(0.2, ['not_now']), vetoing, rules);
      assert.ok(both.labels.includes('pricing'));
      assert.deepEqual(both.setAside, []);
    });

    test('a rules trigger stays when the learned reader reads nothing automation handles', () => {
      const both = combineReaders(text, ownWords(text), rulesVerdict, scored(0.01, []), vetoing, rules);
      assert.ok(both.labels.includes('pricing'));
    });

    test('a rules trigger the learned reader gives itself is never set aside', () => {
      const both = combineReaders(text, ownWords(text), rulesVerdict, scored(0.01, ['not_now', 'pricing']), { ...reader, vetoCeiling: 1 }, rules);
      assert.ok(both.labels.includes('pricing'));
      assert.deepEqual(both.setAside, []);
    });

    test("with the head's bar, a rules trigger is set aside where the head is sure no person is needed, though the learned reader reads nothing else", () => {
      const headVeto: LearnedReader = { ...vetoing, vetoHead: 0.1 };
      const both = combineReaders(text, ownWords(text), rulesVerdict, { ...scored(0.01, []), escalation: 0.05 }, headVeto, rules);
      assert.equal(both.escalate, false);
      assert.deepEqual(both.setAside, ['pricing']);
    });

    test("with the head's bar, a reading of something automation handles is not enough: the head must be sure too", () => {
      const headVeto: LearnedReader = { ...vetoing, vetoHead: 0.1 };
      const both = combineReaders(text, ownWords(text), rulesVerdict, { ...scored(0.01, ['not_now']), escalation: 0.4 }, headVeto, rules);
      assert.ok(both.labels.includes('pricing'));
      assert.deepEqual(both.setAside, []);
    });

    describe('in an away message', () => {
      const away =
        'Our offices are closed from 23 December until 2 January. Please note that our 2025 price list takes effect on 1 January and can be downloaded from example.com/prices.';
      const awayRules = classifyReply(away, rules);
      const awayReading = (pricing: number, labels: Intent[], escalation: number): LearnedVerdict => ({
        modelVersion: reader.version,
        scores: { pricing, out_of_office: 0.99 },
        labels,
        escalation,
      });
      const headVeto: LearnedReader = { ...vetoing, vetoHead: 0.2 };

      test('the rules read a price word here', () => {
        assert.ok(awayRules.labels.includes('pricing'), awayRules.labels.join(','));
      });

      test("a rules trigger the learned reader gives almost no chance is set aside, though the head, reading the rules' trigger, is not sure", () => {
        const both = combineReaders(away, ownWords(away), awayRules, awayReading(0.01, ['out_of_office'], 0.6), headVeto, rules);
        assert.equal(both.escalate, false);
        assert.deepEqual(both.setAside, ['pricing']);
        assert.deepEqual(both.labels, ['out_of_office']);
      });

      test('a rules trigger stays when the learned reader hears a trigger of its own beside the absence', () => {
        const both = combineReaders(away, ownWords(away), awayRules, awayReading(0.01, ['out_of_office', 'technical'], 0.6), headVeto, rules);
        assert.ok(both.labels.includes('pricing'));
        assert.deepEqual(both.setAside, []);
      });

      test('a rules trigger stays in a reply that asks something, where the head is not sure: an absence beside a question is a person writing', () => {
        const asking = `${away} Could you send me the new prices for 40 seats?`;
        const askingRules = classifyReply(asking, rules);
        assert.ok(askingRules.labels.includes('pricing'), askingRules.labels.join(','));
        const both = combineReaders(asking, ownWords(asking), askingRules, awayReading(0.01, ['out_of_office'], 0.6), headVeto, rules);
        assert.ok(both.labels.includes('pricing'));
        assert.equal(both.escalate, true);
        assert.equal(both.autoReply, false);
        assert.deepEqual(both.setAside, []);
      });

      test('a rules trigger stays when the learned reader gives it a chance', () => {
        const both = combineReaders(away, ownWords(away), awayRules, awayReading(0.3, ['out_of_office'], 0.6), headVeto, rules);
        assert.ok(both.labels.includes('pricing'));
        assert.deepEqual(both.setAside, []);
      });
    });

    test('a model without a veto ceiling never sets a rules trigger aside', () => {
      const both = combineReaders(text, ownWords(text), rulesVerdict, scored(0.001, ['not_now']), reader, rules);
      assert.ok(both.labels.includes('pricing'));
    });
  });

  test('a learned trigger beside a rules trigger is added, and the rules\' trigger stays the reason', () => {
    const text = 'Can you walk me through how your SSO integration handles SCIM provisioning?';
    assert.equal(classifyReply(text, rules).trigger, 'technical');
    const both = combine(text, ['buying_intent']);
    assert.ok(both.labels.includes('buying_intent') && both.labels.includes('technical'));
    assert.equal(both.decidedBy.buying_intent, 'model');
    assert.equal(both.trigger, 'technical');
  });

  test('a learned trigger alone is the reason when the rules found none', () => {
    const text = "what's the damage for the three of us";
    assert.equal(classifyReply(text, rules).trigger, null);
    const both = combine(text, ['pricing']);
    assert.equal(both.escalate, true);
    assert.equal(both.trigger, 'pricing');
  });

  test('a label both readers give is decided by both', () => {
    assert.equal(combine('How much is it for 40 seats?', ['pricing']).decidedBy.pricing, 'both');
  });

  test('a learned label never makes an auto-reply escalate', () => {
    const text = 'I am out of the office until Monday 9 March with limited access to email.';
    assert.equal(classifyReply(text, rules).autoReply, true);
    const both = combine(text, ['buying_intent', 'pricing']);
    assert.equal(both.escalate, false);
    assert.deepEqual(both.labels, ['out_of_office']);
  });

  test('a reply the learned reader reads as an auto-reply is not escalated by its own trigger labels', () => {
    const both = combine('Thanks for your message, I will get back to you', ['out_of_office', 'buying_intent']);
    assert.equal(both.escalate, false);
    assert.ok(both.labels.includes('out_of_office'));
  });

  test('a learned opt-out keeps the floor from escalating a reply that asks nothing, but not one that asks something', () => {
    const floored: LearnedReader = { ...reader, escalationFloor: 0.5 };
    const read = (text: string): ReturnType<typeof combineReaders> =>
      combineReaders(text, ownWords(text), classifyReply(text, rules), { modelVersion: reader.version, scores: { human_request: 0.3, opt_out: 0.6 }, labels: ['opt_out'], escalation: 0.8 }, floored, rules);
    const asks = read('Does Emma exist, Dana?');
    assert.deepEqual(asks.labels, ['human_request', 'opt_out']);
    assert.equal(asks.escalate, true);
    const says = read('That is my final word on it, Dana.');
    assert.deepEqual(says.labels, ['opt_out']);
    assert.equal(says.escalate, false);
  });

  test('an opt-out from the learned reader stops automation even when the rules saw nothing', () => {
    const text = 'please close my file on your side';
    const both = combine(text, ['opt_out']);
    assert.ok(both.labels.includes('opt_out'));
    assert.equal(both.decidedBy.opt_out, 'model');
    assert.ok(!both.labels.includes('none'));
  });

  test('without a learned reader the verdict is the rules’ own, marked as such', () => {
    const text = 'How much is it?';
    const r: Classification = classifyReply(text, rules);
    const alone = combineReaders(text, ownWords(text), r, null, null, rules);
    assert.deepEqual(alone.labels, r.labels);
    assert.equal(alone.modelVersion, null);
    assert.equal(alone.decidedBy.pricing, 'rules');
  });
});

describe("choosing the opt-out's bar beside a rules trigger", () => {
  const optOut = (score: number): OptOutBarCase => ({ goldOptOut: true, score });
  const buyer = (score: number): OptOutBarCase => ({ goldOptOut: false, score });

  test('the bar with the best F1 on those replies is chosen, the more lenient on a tie', () => {
    // Buyers are read as opting out at 0.35 and 0.45; real opt-outs at 0.5 and 0.8, and one at 0.1.
    assert.equal(chooseOptOutBar([buyer(0.35), buyer(0.45), optOut(0.5), optOut(0.8), optOut(0.1)]), 0.5);
  });

  test('when every opt-out outscores every buyer, the bar is the most lenient that separates them', () => {
    assert.equal(chooseOptOutBar([optOut(0.35), optOut(0.9), buyer(0.1)]), 0.15);
  });

  test('no bar is chosen without such replies', () => {
    assert.equal(chooseOptOutBar([]), null);
  });
});

describe('choosing the veto out of fold', () => {
  /**
   * A reply whose escalation a veto takes away once its ceiling reaches `from` (null: never) and, with `head`, only a
   * veto whose head bar reaches `head`; without `head`, any veto whose ceiling reaches `from`, the label-based one too.
   */
  const escalating = (gold: boolean, from: number | null, head: number | null = null): VetoCase => ({
    goldEscalates: gold,
    escalatesAt: (veto) => veto === null || from === null || veto.ceiling < from || (head !== null && (veto.head === null || veto.head < head)),
  });

  test('the veto that leaves the fewest false escalations and loses no true one is chosen', () => {
    // One false escalation goes at a ceiling of 0.05 with the head's bar at 0.2, another at 0.02 with it at 0.05; the
    // true one goes at 0.1 with the head's bar at 0.05, so only 0.05 and 0.2 take both false ones and keep it.
    const cases = [escalating(false, 0.05, 0.2), escalating(false, 0.02, 0.05), escalating(true, 0.1, 0.05)];
    assert.deepEqual(chooseVeto(cases, 0), { ceiling: 0.05, head: 0.2 });
  });

  test('a veto may lose the allowed share of the escalations caught without one, and no more', () => {
    const trueOnes = Array.from({ length: 1000 }, () => escalating(true, null));
    const cases = [...trueOnes, escalating(true, 0.2, 0.2), escalating(false, 0.2, 0.2)];
    assert.deepEqual(chooseVeto(cases, 0.001), { ceiling: 0.2, head: 0.2 });
    assert.equal(chooseVeto(cases, 0), null);
  });

  test('no veto is chosen when every one that removes a false escalation loses a true one beyond the allowance', () => {
    assert.equal(chooseVeto([escalating(true, 0.05, 0.1), escalating(false, 0.05, 0.1)], 0.001), null);
  });

  test('no veto is chosen when none removes a false escalation', () => {
    assert.equal(chooseVeto([escalating(true, 0.005), escalating(false, null)], 0.001), null);
  });
});

describe('the corpus', () => {
  test('a reply’s split depends on its id alone, so adding replies never moves others', () => {
    assert.equal(splitOf('ent-0001'), splitOf('ent-0001'));
    const splits = Array.from({ length: 2000 }, (_, i) => splitOf(`id-${i}`));
    const share = (s: string): number => splits.filter((x) => x === s).length / splits.length;
    assert.ok(share('train') > 0.65 && share('train') < 0.75);
    assert.ok(share('test') > 0.12 && share('test') < 0.18);
  });

  test('a reply placed in dev by hand stays in dev whatever its id hashes to, and a placed test split is refused', () => {
    const testId = Array.from({ length: 200 }, (_, i) => `placed-${i}`).find((id) => splitOf(id) === 'test');
    assert.ok(testId);
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    writeFileSync(path.join(dir, 'a.jsonl'), `${JSON.stringify({ id: testId, lang: 'en', labels: ['opt_out'], tags: [], text: 'Remove me.', split: 'dev' })}\n`);
    const splits = splitCorpus(readCorpus(dir));
    assert.deepEqual([splits.train.length, splits.dev.length, splits.test.length], [0, 1, 0]);
    writeFileSync(path.join(dir, 'a.jsonl'), `${JSON.stringify({ id: testId, lang: 'en', labels: ['opt_out'], tags: [], text: 'Remove me.', split: 'test' })}\n`);
    assert.throws(() => readCorpus(dir), /a\.jsonl:1.*split/s);
  });

  test('a bad corpus line is refused with its file, line and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    writeFileSync(path.join(dir, 'a.jsonl'), `${JSON.stringify({ id: 'a1', lang: 'en', labels: ['none', 'pricing'], tags: [], text: 'hi' })}\n`);
    assert.throws(() => readCorpus(dir), /a\.jsonl:1: .*stands alone/s);
  });

  test('a reply’s cross-validation fold depends on its id alone, and every fold gets a share', () => {
    assert.equal(foldOf('ent-0001', 5), foldOf('ent-0001', 5));
    const folds = Array.from({ length: 1000 }, (_, i) => foldOf(`id-${i}`, 5));
    for (let fold = 0; fold < 5; fold++) {
      const share = folds.filter((f) => f === fold).length / folds.length;
      assert.ok(share > 0.15 && share < 0.25, `fold ${fold} holds ${share}`);
    }
  });

  test('training refuses to choose thresholds on replies it is not fitted on, naming them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    writeFileSync(path.join(dir, 'a.jsonl'), `${JSON.stringify({ id: 'a1', lang: 'en', labels: ['none'], tags: [], text: 'Thanks!' })}\n`);
    assert.throws(() => trainReader({ corpusDir: dir, fitOn: ['dev'], chooseOn: ['train'] }), /no replies to choose thresholds on: none of train is fitted on/);
  });

  test('training on a corpus folder writes thresholds for every learned label', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
    const lines = Array.from({ length: 60 }, (_, i) => TINY[i % TINY.length]!).map((t, i) => JSON.stringify({ id: `r${i}`, lang: 'en', labels: t.labels, tags: [], text: t.text }));
    writeFileSync(path.join(dir, 'a.jsonl'), `${lines.join('\n')}\n`);
    const trained = trainReader({ corpusDir: dir, training: { ...DEFAULT_TRAINING, spec, epochs: 3 } });
    const file = trained.model;
    assert.equal(Object.keys(file.labels).length, 8);
    // Figures come from replies each read by a model that never saw them: as many as the train split holds.
    const trainSplit = lines.filter((_, i) => splitOf(`r${i}`) === 'train').length;
    assert.equal(trained.scored, trainSplit);
    assert.equal(trained.outOfFold.both.total, trainSplit);
    for (const l of Object.values(file.labels)) assert.ok(l.threshold > 0 && l.threshold < 1);
  });
});
