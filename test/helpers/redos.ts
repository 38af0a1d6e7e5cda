/**
 * The backtracking check of rule patterns, shared by the test files that run it. The built-in rules file's
 * patterns are checked in two halves, one per test file, so the two can use two cores (the check of all of them
 * takes minutes of one core). `scripts/run-tests.cjs` runs both files in idle CPU time, beside the other tests, so
 * a check may wait long for a core: each has half an hour of wall-clock time rather than recheck's two minutes.
 */
import { loadRuleSet } from '../../src/triggers';
import { checkPatternWithin } from '../../src/triggers/redos';
import { patternSources } from '../../src/triggers/rules';

/** A pattern to check, with where it is for the failure message. */
export interface CheckedPattern {
  where: string;
  source: string;
  flags: string;
}

/** How long one pattern's check may take in wall-clock time, waiting for a core included (see the module comment). */
const CHECK_WITHIN_MS = 30 * 60_000;

/** Checks each pattern with recheck and lists every one it does not find safe, with where it is and an attack. */
export async function unsafePatterns(patterns: readonly CheckedPattern[]): Promise<string[]> {
  const found: string[] = [];
  for (const p of patterns) {
    const verdict = await checkPatternWithin(p.source, p.flags, CHECK_WITHIN_MS);
    if (verdict.status !== 'safe') found.push(`${p.where}: ${verdict.status} (${verdict.complexity ?? ''}); attack: ${verdict.attack ?? 'none'}`);
  }
  return found;
}

/** Every distinct regular expression of the built-in rules file, in file order, each named by its first place. */
export function builtInRulePatterns(): CheckedPattern[] {
  const seen = new Set<string>();
  const out: CheckedPattern[] = [];
  for (const p of patternSources(loadRuleSet().file)) {
    const key = `${p.flags}/${p.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ where: p.ruleId ? `rule ${p.ruleId} ${p.field}` : p.field, source: p.source, flags: p.flags });
  }
  return out;
}

/** Half `half` (0 or 1) of {@link builtInRulePatterns}: every other pattern, so both halves mix every kind of rule. */
export function builtInRulePatternsHalf(half: 0 | 1): CheckedPattern[] {
  return builtInRulePatterns().filter((_, i) => i % 2 === half);
}
