/**
 * Meetings a buyer can book: the next free half-hour slots in a rep's working hours (their shifts, less the busy
 * times of their calendar), shown on the buyer's wall clock, and the meetings a rep records. Pure and deterministic
 * (time zones are read through `./workingTime` and `Intl`), so the workflow offers slots when a rung opens and the
 * offer replays exactly.
 */
import { localClock, wallClockLabel } from './localClock';
import { isWorking, nextShiftStart, NoWorkingTimeError, type ShiftCalendar } from './workingTime';

/** A span a rep's calendar marks busy (ISO instants, `end` exclusive). */
export interface BusyInterval {
  start: string;
  end: string;
}

/** What routing knows of the rep a rung asks first, for offering their time: hours, zone, link and busy times. */
export interface BookingCalendar {
  repId: string;
  name: string;
  timeZone: string;
  workingHours: ShiftCalendar;
  bookingUrl?: string;
  /** Busy times from the rep's free/busy calendar over the next days (empty without one, or when it could not be read). */
  busy: BusyInterval[];
}

/** One meeting time offered to the buyer: the instants, and how it reads on the buyer's clock. */
export interface MeetingSlot {
  startsAt: string;
  endsAt: string;
  /** E.g. `Mon 16 Jun 09:30 CEST`, in `MeetingOffer.timeZone`. */
  label: string;
}

/** The meeting times a rung offers: whose time, shown in which zone, and the rep's booking link. */
export interface MeetingOffer {
  repId: string;
  repName: string;
  /** The zone the labels are in: the buyer's, else the rep's. */
  timeZone: string;
  slots: MeetingSlot[];
  bookingUrl?: string;
}

/** A meeting a rep booked with the buyer. */
export interface BookedMeeting {
  /** 1-based, in the order they were booked. */
  number: number;
  startsAt: string;
  durationMinutes: number;
  repId: string;
  /** The escalation it came from. */
  escalation: number;
  bookedAt: string;
  bookedBy: string;
  note?: string;
}

const MINUTE = 60_000;
const HALF_HOUR = 30 * MINUTE;
/** Candidate slots examined at most (about a month of half-hours): a bound, never a limit in practice. */
const MAX_CANDIDATES = 1500;

/** How many slots, how long, and how far ahead the first may start. */
export interface SlotRules {
  count: number;
  durationMs: number;
  /** The earliest start is this long after now. */
  leadMs: number;
}

/** Three 30-minute slots, the first at least an hour from now. */
export const DEFAULT_SLOT_RULES: SlotRules = { count: 3, durationMs: 30 * MINUTE, leadMs: 60 * MINUTE };

/** The first instant at or after `atMs` on a half-hour of `timeZone`'s wall clock. */
function nextHalfHour(atMs: number, timeZone: string): number {
  const { minuteOfDay, second } = localClock(atMs, timeZone);
  const into = ((minuteOfDay % 30) * 60 + second) * 1000 + (((atMs % 1000) + 1000) % 1000);
  return into === 0 ? atMs : atMs + HALF_HOUR - into;
}

function overlapsBusy(startMs: number, endMs: number, busy: readonly { start: number; end: number }[]): boolean {
  return busy.some((b) => b.start < endMs && startMs < b.end);
}

/**
 * The next free slots of `calendar` after `nowMs`: each starts on a half-hour of the rep's clock, lies wholly inside
 * one of their shifts, and overlaps none of their busy times. Hours with no working time offer nothing.
 */
export function freeSlots(calendar: Pick<BookingCalendar, 'timeZone' | 'workingHours' | 'busy'>, nowMs: number, rules: SlotRules = DEFAULT_SLOT_RULES): { startMs: number; endMs: number }[] {
  const busy = calendar.busy.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) })).filter((b) => b.end > b.start);
  const found: { startMs: number; endMs: number }[] = [];
  let at = nowMs + rules.leadMs;
  try {
    for (let i = 0; i < MAX_CANDIDATES && found.length < rules.count; i++) {
      const start = nextHalfHour(nextShiftStart(calendar.workingHours, calendar.timeZone, at), calendar.timeZone);
      const end = start + rules.durationMs;
      const inShift = isWorking(calendar.workingHours, calendar.timeZone, start) && isWorking(calendar.workingHours, calendar.timeZone, end - MINUTE);
      if (inShift && !overlapsBusy(start, end, busy)) found.push({ startMs: start, endMs: end });
      at = start + HALF_HOUR;
    }
  } catch (err) {
    if (err instanceof NoWorkingTimeError) return [];
    throw err;
  }
  return found;
}

/** A slot's start on `timeZone`'s wall clock: `Mon 16 Jun 09:30 CEST`. */
export function slotLabel(startMs: number, timeZone: string): string {
  return wallClockLabel(startMs, timeZone, { zoneName: true });
}

/** The offer a rung makes the buyer: the rep's next free slots, labelled in the buyer's zone (else the rep's). */
export function meetingOffer(calendar: BookingCalendar, nowMs: number, buyerTimeZone: string | undefined, rules: SlotRules = DEFAULT_SLOT_RULES): MeetingOffer {
  const timeZone = buyerTimeZone ?? calendar.timeZone;
  return {
    repId: calendar.repId,
    repName: calendar.name,
    timeZone,
    slots: freeSlots(calendar, nowMs, rules).map(({ startMs, endMs }) => ({
      startsAt: new Date(startMs).toISOString(),
      endsAt: new Date(endMs).toISOString(),
      label: slotLabel(startMs, timeZone),
    })),
    ...(calendar.bookingUrl ? { bookingUrl: calendar.bookingUrl } : {}),
  };
}
