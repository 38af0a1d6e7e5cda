/**
 * Catastrophic backtracking (ReDoS) checks of rule patterns with recheck (its native binary): a pattern whose
 * matching time can grow polynomially or exponentially with the reply is refused when a user's rules file is
 * loaded. The built-in rules file is checked by the test suite, so its patterns are trusted here; every other
 * verdict is kept per pattern (by hash) for the life of the process, so loading the same file again is cheap.
 */
import { createHash } from 'node:crypto';
import type * as Recheck from 'recheck';
import type { Diagnostics, Parameters } from 'recheck';
import { UnsafePatternError } from './errors';
import { type PatternSource, type RuleSet, patternSources } from './rules';

/**
 * recheck's settings: its checker of choice (the fuzz checker, for any pattern with look-arounds, which every rule
 * pattern has), seeded and limited by steps rather than by time, so a verdict is the same on a busy machine; the
 * overall limit only stops a check that would never end.
 */
export const REDOS_CHECK_PARAMS: Readonly<Parameters> = {
  checker: 'auto',
  randomSeed: 0,
  incubationTimeout: null,
  attackTimeout: null,
  timeout: 120_000,
};

/** What recheck says of one pattern. */
export interface PatternVerdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** For an unsafe pattern: `2nd degree polynomial`, `exponential`, or why the check did not finish. */
  complexity?: string;
  /** For a vulnerable pattern: an input that makes it backtrack, as recheck writes it. */
  attack?: string;
}

const verdicts = new Map<string, Promise<PatternVerdict>>();
let builtIn: Set<string> | undefined;
let checksRun = 0;

/** How many patterns this process has handed to recheck through {@link checkPattern} (a kept verdict is not asked for again). */
export function patternChecksRun(): number {
  return checksRun;
}

function key(source: string, flags: string): string {
  return createHash('sha256').update(`${flags}/${source}`).digest('hex');
}

/** Checks one regular expression with recheck; the verdict is kept for the process's life. */
export function checkPattern(source: string, flags: string): Promise<PatternVerdict> {
  const id = key(source, flags);
  let verdict = verdicts.get(id);
  if (!verdict) {
    checksRun++;
    verdict = runCheck(source, flags);
    verdicts.set(id, verdict);
  }
  return verdict;
}

async function runCheck(source: string, flags: string, params: Readonly<Parameters> = REDOS_CHECK_PARAMS): Promise<PatternVerdict> {
  // Loaded on first use: recheck is large, and only loading a user's rules file needs it.
  const { check } = (await import('recheck')) as typeof Recheck;
  return toVerdict(await check(source, flags, { ...params }));
}

/**
 * Checks one regular expression as {@link checkPattern} does, but with `timeoutMs` of wall-clock time in place of
 * the settings' two minutes, and keeps no verdict: for the test suite's check of the built-in patterns, which runs in
 * the idle CPU time other tests leave, where a check may wait minutes for a core (recheck counts its limit from the
 * check's start, in wall-clock time, so a starved check would otherwise end as `unknown`).
 */
export function checkPatternWithin(source: string, flags: string, timeoutMs: number): Promise<PatternVerdict> {
  return runCheck(source, flags, { ...REDOS_CHECK_PARAMS, timeout: timeoutMs });
}

function toVerdict(d: Diagnostics): PatternVerdict {
  if (d.status === 'safe') return { status: 'safe' };
  if (d.status === 'vulnerable') return { status: 'vulnerable', complexity: d.complexity.summary, attack: d.attack.pattern };
  return { status: 'unknown', complexity: 'message' in d.error ? `${d.error.kind}: ${d.error.message}` : d.error.kind };
}

/** The first of `patterns` that recheck does not find safe, with its verdict; null when all are safe. */
export async function findUnsafePattern(
  patterns: readonly PatternSource[],
): Promise<{ pattern: PatternSource; verdict: PatternVerdict } | null> {
  for (const pattern of patterns) {
    const verdict = await checkPattern(pattern.source, pattern.flags);
    if (verdict.status !== 'safe') return { pattern, verdict };
  }
  return null;
}

/**
 * Proves every regular expression of a rule set safe from catastrophic backtracking, skipping those the built-in
 * rules file has (the test suite checks them).
 * @throws UnsafePatternError naming the first unsafe pattern's rule, field and attack string.
 */
export async function assertSafePatterns(rules: RuleSet, builtInRules: () => RuleSet): Promise<void> {
  builtIn ??= new Set(patternSources(builtInRules().file).map((p) => key(p.source, p.flags)));
  const trusted = builtIn;
  const unsafe = await findUnsafePattern(patternSources(rules.file).filter((p) => !trusted.has(key(p.source, p.flags))));
  if (!unsafe) return;
  const { pattern, verdict } = unsafe;
  const problem =
    verdict.status === 'vulnerable'
      ? `pattern can backtrack catastrophically (${verdict.complexity}); an input that shows it: ${verdict.attack}`
      : `pattern could not be shown safe from catastrophic backtracking (${verdict.complexity})`;
  throw new UnsafePatternError(problem, {
    origin: rules.origin,
    ruleId: pattern.ruleId,
    ruleIndex: pattern.ruleIndex,
    field: pattern.field,
    complexity: verdict.complexity ?? verdict.status,
    attack: verdict.attack,
  });
}
