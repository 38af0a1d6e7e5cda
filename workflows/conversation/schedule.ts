/**
 * Cadence arithmetic, pure and deterministic: when a step falls due, and how a send time moves into the
 * prospect's working hours in their own time zone. No Temporal calls here.
 */
import { localClock } from '../localClock';
import type { CadenceStepInput, SendWindow } from '../messages';

/** Whether an instant falls inside the send window in the given time zone. */
export function insideSendWindow(atMs: number, timeZone: string, window: SendWindow): boolean {
  const { weekday, hour } = localClock(atMs, timeZone);
  return window.days.includes(weekday) && hour >= window.start && hour < window.end;
}

/**
 * The earliest instant at or after `atMs` inside the prospect's working hours. Without a known time zone the
 * instant is returned unchanged. Steps through whole local hours, so daylight-saving shifts are handled by the
 * time zone database rather than by arithmetic.
 */
export function nextSendTime(atMs: number, timeZone: string | undefined, window: SendWindow): number {
  if (!timeZone) return atMs;
  let t = atMs;
  // Eight days of hours covers any window that has at least one day in it.
  for (let i = 0; i < 24 * 8; i++) {
    if (insideSendWindow(t, timeZone, window)) return t;
    const { minute, second } = localClock(t, timeZone);
    t = t - (t % 1000) + ((60 - minute) * 60 - second) * 1000;
  }
  return atMs;
}

/** Milliseconds from a `YYYY-MM-DD` calendar date's start in a time zone (UTC when unknown). */
export function startOfLocalDay(date: string, timeZone: string | undefined): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  if (!timeZone) return utcMidnight;
  // Find the offset at that moment and correct once (exact except within a DST transition hour). The local clock
  // may already be on the next day (UTC+13, +14) or still on the previous one (west of UTC): the weekday says which.
  const { weekday, minuteOfDay } = localClock(utcMidnight, timeZone);
  const utcWeekday = new Date(utcMidnight).getUTCDay() || 7;
  const dayShift = weekday === utcWeekday ? 0 : weekday === (utcWeekday % 7) + 1 ? 1 : -1;
  const offsetMin = dayShift * 24 * 60 + minuteOfDay;
  return utcMidnight - offsetMin * 60_000;
}

/**
 * When cadence step `index` is due: its offset from the anchor step, never before the anchor, moved into the send
 * window. Infinity when there is no such step.
 */
export function stepDueAt(
  cadence: readonly Pick<CadenceStepInput, 'offsetMs'>[],
  anchor: { step: number; at: string },
  index: number,
  timeZone: string | undefined,
  window: SendWindow,
): number {
  const step = cadence[index];
  const anchorStep = cadence[anchor.step];
  if (!step || !anchorStep) return Number.POSITIVE_INFINITY;
  const anchorAt = Date.parse(anchor.at);
  const due = anchorAt + step.offsetMs - anchorStep.offsetMs;
  return nextSendTime(Math.max(due, anchorAt), timeZone, window);
}
