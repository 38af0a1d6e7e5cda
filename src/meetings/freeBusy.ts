/**
 * A rep's busy times from their free/busy calendar (an ICS feed, `freeBusyUrl` in the roster), read with ical.js:
 * events (recurring ones expanded), and `VFREEBUSY` periods marked busy. Transparent and cancelled events do not
 * block time. Fetched by the routing activity, never by workflow code; a feed that cannot be read offers the
 * rep's working hours as they are.
 */
import ICAL from 'ical.js';
import type { BusyInterval } from '../../workflows/meetings';

/** Busy spans kept per rep: enough for weeks of meetings, small enough for a routing decision's payload. */
export const MAX_BUSY_INTERVALS = 200;
/** Occurrences of one recurring event examined at most. */
const MAX_OCCURRENCES = 500;

/** Thrown when a calendar cannot be fetched or parsed; names the feed's host, never its path (it may carry a secret). */
export class FreeBusyError extends Error {
  override readonly name = 'FreeBusyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function registerTimezones(calendar: ICAL.Component): void {
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
}

/**
 * The busy spans of an ICS calendar that overlap `[fromMs, toMs)`, sorted and at most {@link MAX_BUSY_INTERVALS}.
 * @throws FreeBusyError when the text is not iCalendar.
 */
export function busyTimes(icsText: string, fromMs: number, toMs: number): BusyInterval[] {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(icsText));
  } catch (err) {
    throw new FreeBusyError(`the free/busy calendar is not iCalendar: ${(err as Error).message}`, { cause: err });
  }
  registerTimezones(calendar);
  const spans: { start: number; end: number }[] = [];
  const keep = (start: number, end: number): void => {
    if (end > fromMs && start < toMs && end > start) spans.push({ start, end });
  };
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
    const transparency = String(vevent.getFirstPropertyValue('transp') ?? '').toUpperCase();
    if (status === 'CANCELLED' || transparency === 'TRANSPARENT') continue;
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    if (!event.isRecurring()) {
      keep(event.startDate.toJSDate().getTime(), event.endDate.toJSDate().getTime());
      continue;
    }
    const occurrences = event.iterator();
    for (let i = 0, next = occurrences.next(); next && i < MAX_OCCURRENCES; i++, next = occurrences.next()) {
      const details = event.getOccurrenceDetails(next);
      const start = details.startDate.toJSDate().getTime();
      if (start >= toMs) break;
      keep(start, details.endDate.toJSDate().getTime());
    }
  }
  for (const vfreebusy of calendar.getAllSubcomponents('vfreebusy')) {
    for (const property of vfreebusy.getAllProperties('freebusy')) {
      const type = String(property.getParameter('fbtype') ?? 'BUSY').toUpperCase();
      if (type === 'FREE') continue;
      for (const value of property.getValues()) {
        const period = value as ICAL.Period;
        keep(period.start.toJSDate().getTime(), period.getEnd().toJSDate().getTime());
      }
    }
  }
  spans.sort((a, b) => a.start - b.start);
  return spans.slice(0, MAX_BUSY_INTERVALS).map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() }));
}

/** How a feed is fetched (the global `fetch` by default; tests pass their own or serve one on loopback). */
export type FetchText = (url: string, signal: AbortSignal) => Promise<string>;

const fetchText: FetchText = async (url, signal) => {
  const response = await fetch(url, { signal, headers: { accept: 'text/calendar' } });
  if (!response.ok) throw new Error(`answered ${response.status}`);
  return response.text();
};

/**
 * Fetches a rep's free/busy feed and reads its busy spans over `[fromMs, toMs)`.
 * @throws FreeBusyError naming the feed's host when it cannot be fetched in `timeoutMs` or is not iCalendar.
 */
export async function fetchBusyTimes(url: string, fromMs: number, toMs: number, options: { timeoutMs?: number; fetch?: FetchText } = {}): Promise<BusyInterval[]> {
  const host = new URL(url).host;
  let text: string;
  try {
    text = await (options.fetch ?? fetchText)(url, AbortSignal.timeout(options.timeoutMs ?? 3000));
  } catch (err) {
    throw new FreeBusyError(`the free/busy calendar at ${host} could not be fetched: ${(err as Error).message}`, { cause: err });
  }
  return busyTimes(text, fromMs, toMs);
}
