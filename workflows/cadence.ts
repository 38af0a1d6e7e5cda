/**
 * Cadence arithmetic, pure and deterministic: when a step falls due, and how a send time moves into the
 * prospect's working hours in their own time zone.
 */
import type { SendWindow } from './messages';

const formatters: Record<string, Intl.DateTimeFormat> = {};

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters[timeZone];
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters[timeZone] = f;
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local wall-clock parts of an instant in a time zone: ISO weekday (1 = Monday), hour, minute, second. */
export function localClock(atMs: number, timeZone: string): { weekday: number; hour: number; minute: number; second: number } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(atMs))) parts[p.type] = p.value;
  return {
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

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
  // Find the offset at that moment and correct once (exact except within a DST transition hour).
  const { hour, minute } = localClock(utcMidnight, timeZone);
  let offsetMin = hour * 60 + minute;
  if (offsetMin > 12 * 60) offsetMin -= 24 * 60;
  return utcMidnight - offsetMin * 60_000;
}
