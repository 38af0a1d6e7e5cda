/**
 * Training the shipped learned reader (`npm run train`): on the corpus's train split (plus any extra examples,
 * e.g. reps' judgements from the ledger, see `handoff train --from-ledger`), thresholds chosen on the dev split as
 * combined with the rules. The test split is never read here.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { classifyReply } from '../classify';
import { loadRuleSet } from '../load';
import type { RuleSet } from '../rules';
import { findReplyBody, scanText } from '../strip';
import { type Intent, isTrigger } from '../types';
import { CORPUS_DIR, SPLIT_SEED, readCorpus, splitCorpus } from './corpus';
import { readWithBoth } from './combine';
import { DEFAULT_MODEL_FILE, type LearnedReader, type ModelFile, parseLearnedReader, readReply } from './reader';
import {
  DEFAULT_TRAINING,
  type FloorCase,
  type ThresholdCase,
  type TrainingOptions,
  type VetoCase,
  chooseEscalationFloor,
  chooseVetoCeiling,
  chooseThreshold,
  modelFile,
  trainModel,
  trainedScore,
} from './train';

/** Options of {@link trainReader}. */
export interface TrainReaderOptions {
  corpusDir?: string;
  /** Extra training replies (e.g. reps' feedback from the ledger), added to the train split. */
  extra?: ReadonlyArray<{ text: string; labels: readonly Intent[] }>;
  rules?: RuleSet;
  training?: TrainingOptions;
  /** Progress lines go here. */
  log?: (line: string) => void;
}

/** The prospect's own words of a reply: what both readers read. */
export function ownWords(text: string): string {
  return scanText(text, findReplyBody(text));
}

/** Trains a model (see the module comment) and returns the model file; writes nothing. */
export function trainReader(options: TrainReaderOptions = {}): ModelFile {
  const log = options.log ?? (() => {});
  const training = options.training ?? DEFAULT_TRAINING;
  const rules = options.rules ?? loadRuleSet();
  const corpusDir = options.corpusDir ?? CORPUS_DIR;
  const splits = splitCorpus(readCorpus(corpusDir), SPLIT_SEED);
  const train = [...splits.train, ...(options.extra ?? [])];
  log(`corpus: ${train.length} train, ${splits.dev.length} dev (test split held out)`);

  const started = Date.now();
  const { labels: trained, escalation: head } = trainModel(
    train.map((r) => ({ scan: ownWords(r.text), labels: r.labels, rules: classifyReply(r.text, rules) })),
    training,
  );
  log(`trained ${trained.length} labels and the escalation head in ${Date.now() - started} ms (${training.epochs} epochs, seed ${training.seed})`);

  const dev = splits.dev.map((r) => {
    const scan = ownWords(r.text);
    return { reply: r, scan, rules: classifyReply(r.text, rules) };
  });
  const thresholds: Partial<Record<Intent, number>> = {};
  for (const model of trained) {
    const cases: ThresholdCase[] = dev.map((d) => {
      const score = trainedScore(model, d.scan, training.spec);
      const byRules = d.rules.labels.includes(model.label);
      const blocked = d.rules.autoReply && (isTrigger(model.label) || rules.autoReplyDrops.has(model.label));
      return { gold: d.reply.labels, score, givenAt: (t) => byRules || (!blocked && score >= t) };
    });
    thresholds[model.label] = chooseThreshold(model.label, cases, training);
  }
  log(`thresholds: ${Object.entries(thresholds).map(([l, t]) => `${l} ${t}`).join(', ')}`);
  const meta = {
    corpus: path.relative(path.resolve(__dirname, '..', '..', '..'), corpusDir) || corpusDir,
    examples: train.length,
    seed: training.seed,
    spec: training.spec,
  };
  // The floor is chosen on the reader as it will run: quantised weights, these thresholds, combined with the rules.
  const quantised = parseLearnedReader(JSON.stringify(modelFile(trained, thresholds, meta, null, null, head, true)), 'candidate');
  const vetoCases: VetoCase[] = dev.map((d) => ({
    goldEscalates: d.reply.labels.some(isTrigger),
    escalatesAt: (vetoCeiling) => readWithBoth(d.reply.text, d.scan, d.rules, { ...quantised, vetoCeiling }, rules).escalate,
  }));
  const veto = chooseVetoCeiling(vetoCases);
  log(`veto ceiling: ${veto ?? 'none'}`);
  const thresholded: LearnedReader = { ...quantised, vetoCeiling: veto };
  const floorCases: FloorCase[] = dev.map((d) => {
    const combined = readWithBoth(d.reply.text, d.scan, d.rules, thresholded, rules);
    // With a floor of 0 the likeliest trigger is added wherever a floor may apply at all.
    const floored = readWithBoth(d.reply.text, d.scan, d.rules, { ...thresholded, escalationFloor: 0 }, rules);
    const read = readReply(thresholded, d.scan, d.rules);
    const candidate = !combined.escalate && floored.trigger ? (read.escalation ?? read.scores[floored.trigger] ?? null) : null;
    return { goldEscalates: d.reply.labels.some(isTrigger), escalates: combined.escalate, candidate };
  });
  const floor = chooseEscalationFloor(floorCases, training.recallBeta, training.escalationRecall);
  log(`escalation floor: ${floor ?? 'none'}`);
  return modelFile(trained, thresholds, meta, floor, veto, head, true);
}

/** Writes a model file as stable, diff-friendly JSON. */
export function writeModelFile(file: string, model: ModelFile): void {
  writeFileSync(file, `${JSON.stringify(model, null, 1)}\n`);
}

if (require.main === module) {
  const out = process.argv[2] ?? DEFAULT_MODEL_FILE;
  const model = trainReader({ log: (line) => process.stderr.write(`${line}\n`) });
  writeModelFile(out, model);
  process.stderr.write(`wrote ${out} (${model.version})\n`);
}
