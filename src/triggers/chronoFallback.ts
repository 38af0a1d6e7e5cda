/**
 * A second date parser for replies the hand-written one (`dates.ts`) finds no date in: chrono-node, a maintained
 * multilingual natural-language date parser, in the reply's language. Measured on `data/dates/dates.jsonl`
 * (300 replies with gold dates in six languages), `dates.ts` is the better parser everywhere (it knows the
 * conventions a sales cadence needs: "Q3", "KW 12", "after the summer", "next quarter" as its first day), and
 * chrono-node adds the weekdays and month phrases it lacks. So chrono-node is asked only when `dates.ts` found
 * nothing, and only its answers that name a day of the month count (bare weekdays and months there are
 * conventions `dates.ts` already owns; counting them added false dates).
 *
 * Hazards handled here: chrono ignores IANA zone names (an offset in minutes is given: the product's reference day
 * is a UTC day); with `forwardDate` a date on the reference day jumps a year after noon (the reference instant is
 * the day's midnight); "now", "today" and their translations come back as dates (only days after the reference
 * day count).
 */
import * as chrono from 'chrono-node';
import type { CalendarDate } from './dates';
import type { Language } from './types';

/** chrono-node reads at most this much of a reply: return and snooze dates sit near the top. */
export const CHRONO_SCAN_CHARS = 2000;

const PARSERS: Record<Language, chrono.Chrono> = {
  en: chrono.en.casual,
  de: chrono.de.casual,
  fr: chrono.fr.casual,
  es: chrono.es.casual,
  pt: chrono.pt.casual,
  nl: chrono.nl.casual,
};

function iso(c: chrono.ParsedComponents): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${c.get('year')}-${pad(c.get('month') ?? 1)}-${pad(c.get('day') ?? 1)}`;
}

/**
 * The first day after `reference` that chrono-node reads in `scan` (the reply's own words) with a known day of the
 * month, as `YYYY-MM-DD`, or null. For a return date, a range gives its end ("out 1–10 July": the 10th).
 */
export function chronoDay(scan: string, reference: CalendarDate, lang: Language, kind: 'return' | 'snooze'): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${reference.year}-${pad(reference.month)}-${pad(reference.day)}`;
  const results = PARSERS[lang].parse(scan.slice(0, CHRONO_SCAN_CHARS), { instant: new Date(`${day}T00:00:00Z`), timezone: 0 }, { forwardDate: true });
  for (const result of results) {
    const component = kind === 'return' && result.end ? result.end : result.start;
    if (!component.isCertain('day')) continue;
    const date = iso(component);
    if (date > day) return date;
  }
  return null;
}
