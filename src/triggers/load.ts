/**
 * Reading rules files from disk: the only I/O of the rules engine, kept apart from the pure matcher.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RulesFileError } from './errors';
import { assertSafePatterns } from './redos';
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

/**
 * Loads a user's rules file (a candidate to back-test, or rules to classify with) and refuses it when one of its
 * regular expressions can backtrack catastrophically, checked with recheck (patterns the built-in file shares are
 * trusted; verdicts are kept for the process's life, so loading it again is cheap).
 * @throws RulesFileError when the file cannot be read or is invalid; UnsafePatternError naming the rule, the
 * field and an attack string for a pattern that is not safe.
 */
export async function loadUserRuleSet(file: string): Promise<RuleSet> {
  const rules = loadRuleSet(file);
  await assertSafePatterns(rules, () => loadRuleSet());
  return rules;
}
