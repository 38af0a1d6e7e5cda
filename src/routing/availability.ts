/**
 * Whether a rep can take an escalation at an instant: inside their working hours in their own time zone, not
 * away, and under capacity. Pure: the instant and the open-claim counts are passed in.
 */
import { localClock } from '../../workflows/localClock';
import { minuteOfDay as minutesOf, type Rep, type WorkingHours } from './roster';

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
  const { isoWeekday, minuteOfDay } = localTime(at, timeZone);
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return false;
  if (start < end) {
    return hours.days.includes(isoWeekday) && minuteOfDay >= start && minuteOfDay < end;
  }
  // An overnight shift belongs to the day it starts: Friday 22:00–06:00 covers Saturday 03:00.
  const previousDay = isoWeekday === 1 ? 7 : isoWeekday - 1;
  return (
    (hours.days.includes(isoWeekday) && minuteOfDay >= start) ||
    (hours.days.includes(previousDay) && minuteOfDay < end)
  );
}

/** Why a rep cannot take an escalation now, or `null` when they can. Names ids and counts, never content. */
export function unavailability(rep: Rep, at: Date, openClaims: number): string | null {
  if (rep.away) return 'away';
  if (!isWithinWorkingHours(rep.workingHours, rep.timeZone, at)) return `outside working hours (${rep.timeZone})`;
  if (openClaims >= rep.capacity) return `at capacity (${openClaims}/${rep.capacity})`;
  return null;
}
