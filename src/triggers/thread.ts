/**
 * A classification worker thread, run by the classifier pool (`pool.ts`): classifies one reply with the readers
 * the task names (the rule set and the learned reader). The thread loads each itself, from its file, once per
 * version; when the file on disk holds another version (it was edited since) or a reader was not read from a file,
 * it asks for the readers themselves, which then come with the task. It also parses and checks a rules file's text
 * for the worker (`checkRules`), so a deployed rules file is never compiled on the worker's event loop.
 */
import path from 'node:path';
import { type MessagePort, threadId } from 'node:worker_threads';
import type { ClassifyOptions } from './classify';
import type { CombinedClassification } from './learned/combine';
import { type LearnedReader, loadLearnedReader, parseLearnedReader } from './learned/reader';
import { loadRuleSet } from './load';
import { classifyWithReaders } from './readers';
import { RulesFileError } from './errors';
import { type RuleSet, type RulesFile, compileRuleSet, parseRuleSet } from './rules';
import { WARM_UP_REPLIES } from './warmUp';

/** One reply to classify, as sent to a thread. */
export interface ClassifyTask {
  text: string;
  options: ClassifyOptions;
  /** The rule set's version and origin (a file path, or `<inline>`). */
  rulesVersion: string;
  rulesOrigin: string;
  /** The rules themselves, when the thread asked for them. */
  rulesFile?: RulesFile;
  /** The learned reader's version and origin (a file path), or null when it is switched off. */
  model: { version: string; origin: string } | null;
  /** The learned reader's model file text, when the thread asked for it. */
  modelSource?: string;
  /** Told once the thread has the rules and starts reading the reply: the time limit counts from then. */
  started: MessagePort;
}

/** The readers a thread is to load and read the warm-up replies with: a task without a reply. */
export type WarmUpTask = Omit<ClassifyTask, 'text' | 'options' | 'started'>;

/** What a thread answers. */
export type ClassifyTaskResult = { kind: 'classified'; classification: CombinedClassification } | { kind: 'rules_needed' };

/** Rule sets this thread has compiled, by version; a handful, since a reload replaces the one in force. */
const ruleSets = new Map<string, RuleSet>();
const RULE_SETS_KEPT = 4;

function keep(rules: RuleSet): void {
  if (ruleSets.size >= RULE_SETS_KEPT) ruleSets.delete(ruleSets.keys().next().value as string);
  ruleSets.set(rules.version, rules);
}

function ruleSetFor(task: WarmUpTask): RuleSet | null {
  const known = ruleSets.get(task.rulesVersion);
  if (known) return known;
  let rules: RuleSet | null = null;
  if (task.rulesFile) {
    rules = compileRuleSet(task.rulesFile, task.rulesOrigin);
  } else if (path.isAbsolute(task.rulesOrigin)) {
    try {
      rules = loadRuleSet(task.rulesOrigin);
    } catch {
      rules = null;
    }
  }
  if (!rules || rules.version !== task.rulesVersion) return null;
  keep(rules);
  return rules;
}

/** Learned readers this thread has loaded, by version. */
const learnedReaders = new Map<string, LearnedReader>();
const READERS_KEPT = 2;

/** The learned reader the task names; undefined when the thread cannot load that version itself. */
function learnedFor(task: WarmUpTask): LearnedReader | null | undefined {
  if (!task.model) return null;
  const known = learnedReaders.get(task.model.version);
  if (known) return known;
  let reader: LearnedReader | undefined;
  try {
    if (task.modelSource !== undefined) reader = parseLearnedReader(task.modelSource, task.model.origin);
    else if (path.isAbsolute(task.model.origin)) reader = loadLearnedReader(task.model.origin);
  } catch {
    reader = undefined;
  }
  if (!reader || reader.version !== task.model.version) return undefined;
  if (learnedReaders.size >= READERS_KEPT) learnedReaders.delete(learnedReaders.keys().next().value as string);
  learnedReaders.set(reader.version, reader);
  return reader;
}

/** Classifies one reply (piscina's entry point). */
export default function classifyTask(task: ClassifyTask): ClassifyTaskResult {
  const rules = ruleSetFor(task);
  const learned = learnedFor(task);
  if (!rules || learned === undefined) return { kind: 'rules_needed' };
  // The time limit counts the reading of the reply, not the compiling of the operator's rules file.
  task.started.postMessage('started');
  return { kind: 'classified', classification: classifyWithReaders(task.text, { rules, learned }, task.options) };
}

/** What a thread answers to a warm-up task: which thread it is, and how many warm-up replies it read. */
export interface WarmUpResult {
  thread: number;
  read: number;
}

/**
 * Loads the readers the task names and reads the warm-up replies with them (piscina's `warmUp` entry point); answers
 * how many it read, 0 when the thread could not load the readers.
 */
export function warmUp(task: WarmUpTask): WarmUpResult {
  const rules = ruleSetFor(task);
  const learned = learnedFor(task);
  if (!rules || learned === undefined) return { thread: threadId, read: 0 };
  const options = { receivedAt: new Date().toISOString() };
  for (const reply of WARM_UP_REPLIES) classifyWithReaders(reply, { rules, learned }, options);
  return { thread: threadId, read: WARM_UP_REPLIES.length };
}

/** A rules file's text to parse and check, as sent to a thread. */
export interface CheckRulesTask {
  source: string;
  origin: string;
}

/** What a thread answers: the checked file and its version, or what is wrong with it and where. */
export type CheckRulesResult =
  | { ok: true; version: string; file: RulesFile }
  | { ok: false; problem: string; origin?: string; ruleId?: string; ruleIndex?: number; field?: string };

/**
 * Parses, validates and compiles a rules file's text, every pattern tried once (piscina's `checkRules` entry point),
 * and keeps the compiled rules for the replies this thread reads next.
 */
export function checkRules(task: CheckRulesTask): CheckRulesResult {
  try {
    const rules = parseRuleSet(task.source, task.origin);
    keep(rules);
    return { ok: true, version: rules.version, file: rules.file };
  } catch (err) {
    if (err instanceof RulesFileError) {
      return { ok: false, problem: err.problem, origin: err.origin, ruleId: err.ruleId, ruleIndex: err.ruleIndex, field: err.field };
    }
    return { ok: false, problem: err instanceof Error ? err.message : String(err), origin: task.origin };
  }
}
