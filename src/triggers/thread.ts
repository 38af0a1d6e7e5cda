/**
 * A classification worker thread, run by the classifier pool (`pool.ts`): classifies one reply with the rule set
 * the task names. The thread loads that rule set itself, from its file, once per version; when the file on disk
 * holds another version (it was edited since) or the rules were not read from a file, it asks for the rules
 * themselves, which then come with the task.
 */
import path from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { type ClassifyOptions, classifyReply } from './classify';
import { loadRuleSet } from './load';
import { type RuleSet, type RulesFile, compileRuleSet } from './rules';
import type { Classification } from './types';

/** One reply to classify, as sent to a thread. */
export interface ClassifyTask {
  text: string;
  options: ClassifyOptions;
  /** The rule set's version and origin (a file path, or `<inline>`). */
  rulesVersion: string;
  rulesOrigin: string;
  /** The rules themselves, when the thread asked for them. */
  rulesFile?: RulesFile;
  /** Told once the thread has the rules and starts reading the reply: the time limit counts from then. */
  started: MessagePort;
}

/** What a thread answers. */
export type ClassifyTaskResult = { kind: 'classified'; classification: Classification } | { kind: 'rules_needed' };

/** Rule sets this thread has compiled, by version; a handful, since a reload replaces the one in force. */
const ruleSets = new Map<string, RuleSet>();
const RULE_SETS_KEPT = 4;

function ruleSetFor(task: ClassifyTask): RuleSet | null {
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
  if (ruleSets.size >= RULE_SETS_KEPT) ruleSets.delete(ruleSets.keys().next().value as string);
  ruleSets.set(rules.version, rules);
  return rules;
}

/** Classifies one reply (piscina's entry point). */
export default function classifyTask(task: ClassifyTask): ClassifyTaskResult {
  const rules = ruleSetFor(task);
  if (!rules) return { kind: 'rules_needed' };
  // The time limit counts the reading of the reply, not the compiling of the operator's rules file.
  task.started.postMessage('started');
  return { kind: 'classified', classification: classifyReply(task.text, rules, task.options) };
}
