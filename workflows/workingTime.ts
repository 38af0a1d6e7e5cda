/**
 * Working-time arithmetic over a rep's shifts in their own time zone, like a support SLA that pauses outside office
 * hours: when the next shift starts, and the instant a span of working time ends. Pure and deterministic (the time
 * zone database is read through `./localClock`), so the workflow computes claim deadlines with it and routing judges
 * availability with it.
 *
 * A shift runs from `start` to `end` (local `"HH:MM"`, `end` exclusive, `"24:00"` for midnight) on each of `days`
 * (ISO weekdays); when `end` is not after `start` it runs past midnight and belongs to the day it starts.
 */
import { localClock } from './localClock';

/** A rep's weekly shifts in their own time zone. */
export interface ShiftCalendar {
  /** `"HH:MM"`, local. */
  start: string;
  /** `"HH:MM"`, local and exclusive; `"24:00"` is midnight at the end of the day. */
  end: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
}

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
/** Shifts walked at most while adding working time (about three years of daily shifts): a bound, never a limit in practice. */
const MAX_SHIFTS = 1200;

/** Minutes after local midnight of an `"HH:MM"` time of day. */
function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Thrown when a calendar has no working time at all (a shift that starts and ends at the same minute). */
export class NoWorkingTimeError extends Error {
  override readonly name = 'NoWorkingTimeError';
  constructor(readonly calendar: ShiftCalendar) {
    super(`working hours ${calendar.start}–${calendar.end} contain no working time`);
  }
}

/** Whether `atMs` falls inside a shift of `calendar`, read in `timeZone`. */
export function isWorking(calendar: ShiftCalendar, timeZone: string, atMs: number): boolean {
  const { weekday, minuteOfDay } = localClock(atMs, timeZone);
  const start = minutesOf(calendar.start);
  const end = minutesOf(calendar.end);
  if (start === end) return false;
  if (start < end) return calendar.days.includes(weekday) && minuteOfDay >= start && minuteOfDay < end;
  const previousDay = weekday === 1 ? 7 : weekday - 1;
  return (calendar.days.includes(weekday) && minuteOfDay >= start) || (calendar.days.includes(previousDay) && minuteOfDay < end);
}

/**
 * The instant the local wall clock of `timeZone` reads `minute` (after midnight, up to 1440) on the day `dayOffset`
 * days after the local day of `refMs`. Across a daylight-saving change the first guess is off by the change, so it
 * is corrected against the clock; a local time skipped by the change resolves to the instant the clock jumps past it.
 */
function localInstant(refMs: number, timeZone: string, dayOffset: number, minute: number): number {
  const ref = localClock(refMs, timeZone);
  const intoMinute = ref.second * 1000 + (((refMs % 1000) + 1000) % 1000);
  let guess = refMs - intoMinute + ((dayOffset * DAY_MINUTES + minute - ref.minuteOfDay) * MINUTE);
  const targetWeekday = (((ref.weekday - 1 + dayOffset + Math.floor(minute / DAY_MINUTES)) % 7) + 7) % 7 + 1;
  const targetMinute = minute % DAY_MINUTES;
  for (let i = 0; i < 3; i++) {
    const at = localClock(guess, timeZone);
    let days = targetWeekday - at.weekday;
    if (days > 3) days -= 7;
    if (days < -3) days += 7;
    const off = days * DAY_MINUTES + targetMinute - at.minuteOfDay;
    if (off === 0) break;
    guess += off * MINUTE;
  }
  return guess;
}

/** The earliest instant at or after `atMs` inside a shift (`atMs` itself while working). */
export function nextShiftStart(calendar: ShiftCalendar, timeZone: string, atMs: number): number {
  if (isWorking(calendar, timeZone, atMs)) return atMs;
  const start = minutesOf(calendar.start);
  if (start === minutesOf(calendar.end)) throw new NoWorkingTimeError(calendar);
  for (let day = 0; day <= 8; day++) {
    const candidate = localInstant(atMs, timeZone, day, start);
    if (candidate >= atMs && isWorking(calendar, timeZone, candidate)) return candidate;
  }
  throw new NoWorkingTimeError(calendar);
}

/** The end of the shift that `atMs` falls in (`atMs` must be inside one). */
function shiftEnd(calendar: ShiftCalendar, timeZone: string, atMs: number): number {
  const { minuteOfDay } = localClock(atMs, timeZone);
  const start = minutesOf(calendar.start);
  const end = minutesOf(calendar.end);
  const endsNextDay = start > end && minuteOfDay >= start;
  const candidate = localInstant(atMs, timeZone, endsNextDay ? 1 : 0, end);
  // A shift cut short by a daylight-saving change still ends after it began.
  return candidate > atMs ? candidate : atMs + MINUTE;
}

/**
 * The instant `durationMs` of working time after `fromMs`: time outside the calendar's shifts does not count, so a
 * span started on Friday evening counts from Monday's shift start.
 * @throws NoWorkingTimeError when the calendar has no working time.
 */
export function addWorkingTime(calendar: ShiftCalendar, timeZone: string, fromMs: number, durationMs: number): number {
  let at = fromMs;
  let left = Math.max(0, durationMs);
  for (let shifts = 0; shifts < MAX_SHIFTS; shifts++) {
    const begins = nextShiftStart(calendar, timeZone, at);
    const ends = shiftEnd(calendar, timeZone, begins);
    if (begins + left <= ends) return begins + left;
    left -= ends - begins;
    at = ends;
  }
  throw new NoWorkingTimeError(calendar);
}

/**
 * The working time between `fromMs` and `toMs` (0 when `toMs` is not later): how long a claim took in the held rep's
 * hours, the weekend not counted.
 */
export function workingTimeBetween(calendar: ShiftCalendar, timeZone: string, fromMs: number, toMs: number): number {
  let at = fromMs;
  let total = 0;
  for (let shifts = 0; shifts < MAX_SHIFTS && at < toMs; shifts++) {
    const begins = nextShiftStart(calendar, timeZone, at);
    if (begins >= toMs) break;
    const ends = shiftEnd(calendar, timeZone, begins);
    total += Math.min(ends, toMs) - begins;
    at = ends;
  }
  return total;
}

/** Working time, for people: `30 min`, `1 h 30 min`, `2 h`. */
export function workingSpanLabel(durationMs: number): string {
  const minutes = Math.round(durationMs / MINUTE);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** A claim deadline that counts working time only: the span, when it starts counting, and whose shifts. */
export interface WorkingDeadline {
  windowMs: number;
  /** ISO instant the span starts counting: the shift start (or when the rung opened, if the rep was working). */
  countsFrom: string;
  timeZone: string;
}

/** A working-time deadline in words: `30 min of working time from Mon 16 Jun 09:00 (Europe/Berlin)`. */
export function workingDeadlineLabel(deadline: WorkingDeadline): string {
  const from = new Intl.DateTimeFormat('en-GB', {
    timeZone: deadline.timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.parse(deadline.countsFrom)));
  return `${workingSpanLabel(deadline.windowMs)} of working time from ${from.replace(',', '')} (${deadline.timeZone})`;
}
