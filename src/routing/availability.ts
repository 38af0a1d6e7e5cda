/**
 * Whether a rep can take an escalation at an instant: inside their working hours in their own time zone, not
 * away, and under capacity. Pure: the instant and the open-claim counts are passed in; the shift arithmetic is
 * `workflows/workingTime.ts`, shared with the workflow's claim deadlines.
 */
import { localClock } from '../../workflows/localClock';
import { isWorking } from '../../workflows/workingTime';
import type { Rep, WorkingHours } from './roster';

/** The local calendar position of an instant in a time zone. */
export interface LocalTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Minutes after local midnight. */
  minuteOfDay: number;
}

/** The weekday and minute of day of `at` on the wall clock of `timeZone` (daylight saving included). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const { weekday, minuteOfDay } = localClock(at.getTime(), timeZone);
  return { isoWeekday: weekday, minuteOfDay };
}

/** Whether `at` falls inside the working hours, read in `timeZone`. The end minute itself is outside. */
export function isWithinWorkingHours(hours: WorkingHours, timeZone: string, at: Date): boolean {
  return isWorking(hours, timeZone, at.getTime());
}

/** Why a rep cannot take an escalation now, or `null` when they can. Names ids and counts, never content. */
export function unavailability(rep: Rep, at: Date, openClaims: number, options: { ignoreHours?: boolean } = {}): string | null {
  if (rep.away) return 'away';
  if (!options.ignoreHours && !isWithinWorkingHours(rep.workingHours, rep.timeZone, at)) return `outside working hours (${rep.timeZone})`;
  if (openClaims >= rep.capacity) return `at capacity (${openClaims}/${rep.capacity})`;
  return null;
}

/** An availability entry set through the API or the CLI (see `src/ledger/repAvailability.ts`). */
export interface AvailabilityOverride {
  repId: string;
  status: 'away' | 'out_of_office';
  until: string | null;
}

/**
 * The roster with availability set through the API or the CLI laid over it: a rep with an entry in force at
 * `at` counts as away (so routing passes them over, recording why). Reps without an entry keep the roster's word.
 */
export function withAvailability<T extends { roster: { reps: readonly Rep[] } }>(snapshot: T, overrides: readonly AvailabilityOverride[], at: Date): T {
  const away = new Map(overrides.filter((o) => o.until === null || Date.parse(o.until) > at.getTime()).map((o) => [o.repId, o]));
  if (away.size === 0) return snapshot;
  return { ...snapshot, roster: { ...snapshot.roster, reps: snapshot.roster.reps.map((rep) => (away.has(rep.id) ? { ...rep, away: true } : rep)) } };
}
