/**
 * Reading rules files from disk: the only I/O of the rules engine, kept apart from the pure matcher.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RulesFileError } from './errors';
import { type RuleSet, parseRuleSet } from './rules';

/** The rules file shipped with Handoff. */
export const DEFAULT_RULES_FILE = path.join(__dirname, 'rules.default.yaml');

let defaultRuleSet: RuleSet | undefined;

/**
 * Loads and compiles a rules file; without an argument, the shipped default (compiled once and cached).
 * @throws RulesFileError when the file cannot be read or is invalid (naming the rule and the field).
 */
export function loadRuleSet(file?: string): RuleSet {
  if (file === undefined) {
    defaultRuleSet ??= readRuleSet(DEFAULT_RULES_FILE);
    return defaultRuleSet;
  }
  return readRuleSet(path.resolve(file));
}

function readRuleSet(file: string): RuleSet {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read';
    throw new RulesFileError(reason, { origin: file, cause: err });
  }
  return parseRuleSet(source, file);
}
