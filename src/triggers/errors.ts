/**
 * Errors of the trigger rules engine.
 */
import type { ClassificationFallback } from '../../workflows/messages';

/** Context of a {@link RulesFileError}: where in the rules file the problem is. */
export interface RulesFileErrorContext {
  /** The file (or other origin) the rules came from. */
  origin?: string;
  /** The id of the offending rule, when the rule has a readable id. */
  ruleId?: string;
  /** The 0-based index of the offending rule in `rules`. */
  ruleIndex?: number;
  /** The offending field, as a path such as `patterns[2]` or `settings.negation.window`. */
  field?: string;
  cause?: unknown;
}

/**
 * Thrown by `parseRuleSet`/`loadRuleSet` when a rules file cannot be read, is not YAML/JSON, fails validation or
 * holds a regular expression that does not compile. The message names the rule (id and index) and the field.
 */
export class RulesFileError extends Error {
  /** What is wrong, without where (the message says both). */
  readonly problem: string;
  readonly origin?: string;
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  readonly field?: string;

  constructor(problem: string, context: RulesFileErrorContext = {}) {
    super(RulesFileError.describe(problem, context), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'RulesFileError';
    this.problem = problem;
    this.origin = context.origin;
    this.ruleId = context.ruleId;
    this.ruleIndex = context.ruleIndex;
    this.field = context.field;
  }

  private static describe(problem: string, c: RulesFileErrorContext): string {
    const where: string[] = [];
    if (c.origin) where.push(`rules file ${c.origin}`);
    if (c.ruleIndex !== undefined || c.ruleId !== undefined) {
      const id = c.ruleId ? `"${c.ruleId}"` : '';
      const index = c.ruleIndex !== undefined ? `#${c.ruleIndex}` : '';
      where.push(`rule ${[id, index && (id ? `(${index})` : index)].filter(Boolean).join(' ')}`);
    }
    if (c.field) where.push(`field "${c.field}"`);
    return where.length > 0 ? `${where.join(', ')}: ${problem}` : problem;
  }
}

/** Context of an {@link UnsafePatternError}: where the pattern is, and what recheck found. */
export interface UnsafePatternErrorContext extends RulesFileErrorContext {
  /** How matching time grows with the input: `exponential`, `polynomial` (with its degree), or `unknown`. */
  complexity: string;
  /** An input that makes the pattern backtrack, as recheck writes it (`'a' + 'a'.repeat(31) + '\x00'`). */
  attack?: string;
}

/**
 * Thrown when a user's rules file is loaded (`loadUserRuleSet`) and one of its regular expressions can backtrack
 * catastrophically (ReDoS): recheck found an input on which matching time grows polynomially or exponentially
 * with its length, or could not show the pattern safe within its time limit. Names the rule, the field and the
 * attack string.
 */
export class UnsafePatternError extends RulesFileError {
  readonly complexity: string;
  readonly attack?: string;

  constructor(problem: string, context: UnsafePatternErrorContext) {
    super(problem, context);
    this.name = 'UnsafePatternError';
    this.complexity = context.complexity;
    this.attack = context.attack;
  }
}


/**
 * Thrown by the classifier pool (`ClassifierPool.classify`) when a reply is not classified: the thread ran past the
 * time limit and was stopped, or it failed (crashed, ran out of memory, threw). The caller escalates the reply for
 * a human to read rather than stay silent.
 */
export class ClassificationFailedError extends Error {
  readonly reason: ClassificationFallback;

  constructor(reason: ClassificationFallback, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClassificationFailedError';
    this.reason = reason;
  }
}
