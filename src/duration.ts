/**
 * Durations as configured (`'15 minutes'`, `'3 days'`, `'90s'`): the schema that accepts them and their length
 * in milliseconds. Temporal accepts the same strings. No duration may exceed a year (`MAX_DURATION_DAYS`): a
 * longer one would put a timer or a deadline past what a conversation can wait for (and past the range of a
 * date, for `100000000 days`).
 */
import { z } from 'zod';
import { MAX_DURATION_DAYS, MAX_DURATION_MS } from '../workflows/limits';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|seconds?|m|mins?|minutes?|h|hours?|d|days?)\s*$/i;

/** A duration string such as `'15 minutes'`, `'3 days'` or `'90s'`, at most 365 days. */
export const DurationSchema = z
  .string()
  .regex(PATTERN, { message: 'expected a duration such as "15 minutes", "3 days" or "90s"' })
  .refine((text) => !PATTERN.test(text) || durationMs(text) <= MAX_DURATION_MS, { message: `at most ${MAX_DURATION_DAYS} days` });

/**
 * A duration's length in milliseconds.
 * @throws RangeError when the text is not a duration.
 */
export function durationMs(duration: string): number {
  const match = PATTERN.exec(duration);
  if (!match) throw new RangeError(`not a duration: ${duration}`);
  const unit = match[2]!.toLowerCase();
  const key = unit.startsWith('ms') || unit.startsWith('milli') ? 'ms' : unit[0]!;
  return Math.round(Number(match[1]) * UNIT_MS[key]!);
}
