/**
 * The wall clock of an instant in a time zone, read through the time zone database (daylight saving included).
 * Deterministic, so both the workflow (send windows) and routing (working hours) read time through it.
 */

/** The local wall-clock position of an instant. */
export interface LocalClock {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes after local midnight. */
  minuteOfDay: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
/** Formatters by their time zone and options: building one costs far more than formatting with it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
/** More than the time zone database's names and aliases in each form; past it a formatter is built for its one use. */
const MAX_FORMATTERS = 4096;

function cachedFormatter(kind: string, timeZone: string, build: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  // Time zone names match whatever the case of their ASCII letters, so those spellings of one zone share a
  // formatter. Only ASCII is folded: a name that folds to a zone's only in Unicode (a Kelvin sign for a K) is refused
  // by `Intl`, and must be refused every time, not accepted once another spelling is cached.
  const key = `${kind} ${timeZone.replace(/[A-Z]/g, (letter) => letter.toLowerCase())}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = build();
    if (formatters.size < MAX_FORMATTERS) formatters.set(key, formatter);
  }
  return formatter;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  return cachedFormatter('clock', timeZone, () => new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

function labelFormatterFor(timeZone: string, zoneName: boolean): Intl.DateTimeFormat {
  return cachedFormatter(zoneName ? 'label with zone' : 'label', timeZone, () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      ...(zoneName ? { timeZoneName: 'short' as const } : {}),
    }),
  );
}

/**
 * An instant on `timeZone`'s wall clock, for people: `Mon 16 Jun 09:00`, or with the zone's short name
 * (`Mon 16 Jun 09:00 CEST`) when `zoneName` is set.
 */
export function wallClockLabel(atMs: number, timeZone: string, options: { zoneName?: boolean } = {}): string {
  return labelFormatterFor(timeZone, options.zoneName === true).format(new Date(atMs)).replace(',', '');
}

/** The weekday, hour, minute and second of `atMs` on the wall clock of `timeZone`. */
export function localClock(atMs: number, timeZone: string): LocalClock {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(atMs))) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return { weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1, hour, minute, second: Number(parts.second), minuteOfDay: hour * 60 + minute };
}
