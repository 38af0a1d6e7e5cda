/**
 * Calendar dates in replies: an out-of-office return date ("back on March 3rd", "zurück am 3. Dezember") and a
 * `not_now` snooze date ("circle back next quarter", "no budget until January", "in 3 months").
 *
 * Conventions (documented because they are choices):
 * - The reference is the reply's received time; its calendar day is taken in the offset the ISO string carries
 *   (UTC for `Z` or a `Date`).
 * - A date without a year is the next such date on or after the reference day.
 * - Numeric dates: `.` separators are always day-first (3.12.2026). `/` and `-` are month-first for English
 *   (03/12/2026 = March 12) unless the first number is over 12, and day-first for every other language.
 * - A bare weekday ("back Monday") is the next such weekday strictly after the reference day.
 * - "next week" is the Monday of the following week; "until March 10" returns March 10 itself.
 * Pure and deterministic.
 */
import { execText, matchAll } from './meter';
import { type Language } from './types';

/** A calendar day without a time zone. `month` is 1–12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const MONTHS: Record<string, number> = {};
function months(names: string, ...numbers: number[]): void {
  names.split('|').forEach((group, i) => {
    for (const name of group.split(',')) MONTHS[name] = numbers[i] ?? i + 1;
  });
}
// Full names and common abbreviations per language; a group's index is its month.
months('january,jan|february,feb|march,mar|april,apr|may|june,jun|july,jul|august,aug|september,sep,sept|october,oct|november,nov|december,dec');
months('januar,jänner,jän|februar,feber|märz,maerz,mär,mrz|april|mai|juni|juli|august|september|oktober,okt|november|dezember,dez');
months('janvier,janv|février,fevrier,févr,fevr,fév|mars|avril,avr|mai|juin|juillet,juil|août,aout|septembre|octobre|novembre|décembre,decembre,déc');
months('enero,ene|febrero|marzo|abril,abr|mayo|junio|julio|agosto,ago|septiembre,setiembre|octubre|noviembre|diciembre,dic');
months('janeiro|fevereiro,fev|março,marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro');
months('januari|februari|maart,mrt|april|mei|juni|juli|augustus|september|oktober|november|december');

const WEEKDAYS: Record<string, number> = {};
function weekdays(names: string): void {
  names.split('|').forEach((group, i) => {
    for (const name of group.split(',')) WEEKDAYS[name] = i + 1;
  });
}
weekdays('monday|tuesday|wednesday|thursday|friday|saturday|sunday');
weekdays('montag|dienstag|mittwoch|donnerstag|freitag|samstag,sonnabend|sonntag');
weekdays('lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche');
weekdays('lunes|martes|miércoles,miercoles|jueves|viernes|sábado,sabado|domingo');
weekdays('segunda-feira,segunda|terça-feira,terca-feira,terça,terca|quarta-feira,quarta|quinta-feira,quinta|sexta-feira,sexta|sábado|domingo');
weekdays('maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag');

function alternation(names: string[]): string {
  return [...names].sort((a, b) => b.length - a.length).join('|');
}
const MONTH_RE = alternation(Object.keys(MONTHS));
const WEEKDAY_RE = alternation(Object.keys(WEEKDAYS));

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12,
  couple: 2, 'a couple': 2, 'a couple of': 2, few: 3, 'a few': 3, several: 3,
  ein: 1, einem: 1, einen: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, paar: 2, 'ein paar': 2, einigen: 3,
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, quelques: 3,
  uno: 1, dos: 2, tres: 3, cuatro: 4, seis: 6, unos: 3, unas: 3,
  um: 1, uma: 1, dois: 2, duas: 2, 'três': 3, quatro: 4, alguns: 3, algumas: 3,
  een: 1, twee: 2, drie: 3, zes: 6, 'een paar': 2,
};
const NUMBER_WORD_RE = alternation(Object.keys(NUMBER_WORDS));

const NOT_LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_LETTER_AFTER = '(?![\\p{L}\\p{N}])';

/** Explicit dates, each with a named group layout the scanner understands. */
const ISO_DATE = new RegExp(`${NOT_LETTER_BEFORE}(\\d{4})-(\\d{1,2})-(\\d{1,2})(?!\\d)`, 'gu');
const NUMERIC_DATE = new RegExp(`(?<![\\d./-])(\\d{1,2})([./-])(\\d{1,2})(?:\\2(\\d{4}|\\d{2}))?(\\.?)(?![\\d]|[./-]\\d)`, 'gu');
const DAY_MONTH = new RegExp(
  `${NOT_LETTER_BEFORE}(\\d{1,2})(?:st|nd|rd|th|er|e|º|ª|o)?\\.?\\s+(?:(?:of|de)\\s+)?(${MONTH_RE})\\.?(?:,?\\s+(?:de\\s+)?(\\d{4}))?${NOT_LETTER_AFTER}`,
  'giu',
);
const MONTH_DAY = new RegExp(
  `${NOT_LETTER_BEFORE}(${MONTH_RE})\\.?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?${NOT_LETTER_AFTER}`,
  'giu',
);
const ORDINAL_DAY = new RegExp(`${NOT_LETTER_BEFORE}the (\\d{1,2})(?:st|nd|rd|th)${NOT_LETTER_AFTER}`, 'giu');
const WEEKDAY = new RegExp(`${NOT_LETTER_BEFORE}(${WEEKDAY_RE})${NOT_LETTER_AFTER}`, 'giu');
const TOMORROW = new RegExp(`${NOT_LETTER_BEFORE}(?:tomorrow|morgen|demain|mañana|amanhã|amanha)${NOT_LETTER_AFTER}`, 'giu');
const NEXT_WEEK = new RegExp(
  `${NOT_LETTER_BEFORE}(?:next week|nächste(?:n)? woche|la semaine prochaine|semaine prochaine|la próxima semana|la semana que viene|próxima semana|semana que vem|volgende week)${NOT_LETTER_AFTER}`,
  'giu',
);

/**
 * Words that mark the date after them as the day someone is back: a cue ending at most
 * {@link RETURN_CUE_REACH} characters before the date, in the same sentence.
 */
const RETURN_CUE = new RegExp(
  `${NOT_LETTER_BEFORE}(?:back|return|returning|returns|until|till|til|through|thru|resume|resuming|reply|respond|available|reachable|zurück|wieder|bis|ab|erreichbar|retour|jusqu'?(?:au|à)?|rentre|reviens|reprendrai|disponible|hasta|regreso|regresaré|vuelvo|volveré|estaré|até|volto|retorno|retornarei|tot|terug|vanaf|weer|bereikbaar)${NOT_LETTER_AFTER}`,
  'giu',
);
const RETURN_CUE_REACH = 40;
/** How far before a date its return cue is looked for. */
const RETURN_CUE_LOOKBACK = 60;
const SENTENCE_BREAK = /[.!?\n]/gu;

interface DateMention {
  index: number;
  date: CalendarDate;
  explicit: boolean;
}

/**
 * The calendar day of a reply's received time (see the module conventions). Invalid or missing → `now`.
 */
export function referenceDay(receivedAt?: string | Date, now: Date = new Date()): CalendarDate {
  if (receivedAt instanceof Date && !Number.isNaN(receivedAt.getTime())) return utcDay(receivedAt);
  if (typeof receivedAt === 'string') {
    const at = new Date(receivedAt);
    if (!Number.isNaN(at.getTime())) {
      const offset = /([+-])(\d{2}):?(\d{2})$/u.exec(receivedAt);
      if (!offset || /T/u.test(receivedAt) === false) return utcDay(at);
      const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
      return utcDay(new Date(at.getTime() + minutes * 60_000));
    }
  }
  return utcDay(now);
}

function utcDay(d: Date): CalendarDate {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYY-MM-DD`. */
export function formatDay(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

function valid(year: number, month: number, day: number): CalendarDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCMonth() === month - 1 ? { year, month, day } : null;
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function addDays(d: CalendarDate, days: number): CalendarDate {
  return utcDay(new Date(Date.UTC(d.year, d.month - 1, d.day + days)));
}

function addMonths(d: CalendarDate, count: number): CalendarDate {
  const first = new Date(Date.UTC(d.year, d.month - 1 + count, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return { year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: Math.min(d.day, lastDay) };
}

/** The next date with this month and day on or after `ref` (when no year was written). */
function nextOccurrence(month: number, day: number, ref: CalendarDate): CalendarDate | null {
  for (let year = ref.year; year <= ref.year + 4; year++) {
    const d = valid(year, month, day);
    if (d && compare(d, ref) >= 0) return d;
  }
  return null;
}

/** "the 10th": the next 10th of a month on or after `ref`. */
function nextDayOfMonth(day: number, ref: CalendarDate): CalendarDate | null {
  for (let i = 0; i < 3; i++) {
    const month = addMonths({ ...ref, day: 1 }, i);
    const d = valid(month.year, month.month, day);
    if (d && compare(d, ref) >= 0) return d;
  }
  return null;
}

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

function dated(year: string | undefined, month: number, day: number, ref: CalendarDate): CalendarDate | null {
  return year ? valid(fullYear(year), month, day) : nextOccurrence(month, day, ref);
}

function nextWeekday(isoWeekday: number, ref: CalendarDate): CalendarDate {
  const refWeekday = new Date(Date.UTC(ref.year, ref.month - 1, ref.day)).getUTCDay() || 7;
  const ahead = (isoWeekday - refWeekday + 7) % 7 || 7;
  return addDays(ref, ahead);
}

const matches = matchAll;

/** Whether a return cue ends within reach of `index`, with no sentence break between them. */
function cuedAt(text: string, index: number): boolean {
  let before = text.slice(Math.max(0, index - RETURN_CUE_LOOKBACK), index);
  let lastBreak = -1;
  for (const m of matchAll(SENTENCE_BREAK, before)) lastBreak = m.index;
  before = before.slice(lastBreak + 1);
  for (const m of matchAll(RETURN_CUE, before)) {
    if (before.length - (m.index + m[0].length) <= RETURN_CUE_REACH) return true;
  }
  return false;
}

/** At most this many dates of one reply are considered (an out-of-office reply names a few). */
export const DATE_MENTIONS_READ = 64;

/** Every date the text names, explicit (a day of a month) or relative (a weekday, tomorrow, next week). */
function dateMentions(text: string, ref: CalendarDate, lang: Language): DateMention[] {
  const found: DateMention[] = [];
  const taken: Array<[number, number]> = [];
  const add = (m: RegExpExecArray, date: CalendarDate | null, explicit: boolean): void => {
    if (found.length >= DATE_MENTIONS_READ) return;
    const span: [number, number] = [m.index, m.index + m[0].length];
    if (!date || taken.some(([s, e]) => span[0] < e && s < span[1])) return;
    taken.push(span);
    found.push({ index: m.index, date, explicit });
  };
  // Every explicit date has a digit: a text without one is not scanned for them.
  if (holdsDigit(text)) {
    for (const m of matches(ISO_DATE, text)) add(m, valid(Number(m[1]), Number(m[2]), Number(m[3])), true);
    for (const m of matches(DAY_MONTH, text)) {
      add(m, dated(m[3], MONTHS[(m[2] ?? '').toLowerCase()] ?? 0, Number(m[1]), ref), true);
    }
    for (const m of matches(MONTH_DAY, text)) {
      add(m, dated(m[3], MONTHS[(m[1] ?? '').toLowerCase()] ?? 0, Number(m[2]), ref), true);
    }
    for (const m of matches(NUMERIC_DATE, text)) {
      const [, a, sep, b, year, trailingDot] = m;
      // "3.12." needs its trailing dot and "3-12" its year: otherwise they are times, ranges or scores.
      if (!year && (sep === '-' || (sep === '.' && trailingDot !== '.'))) continue;
      const first = Number(a);
      const second = Number(b);
      const monthFirst = sep !== '.' && lang === 'en' && first <= 12;
      add(m, monthFirst ? dated(year, first, second, ref) : dated(year, second, first, ref), true);
    }
    for (const m of matches(ORDINAL_DAY, text)) add(m, nextDayOfMonth(Number(m[1]), ref), true);
  }
  for (const m of matches(TOMORROW, text)) add(m, addDays(ref, 1), false);
  for (const m of matches(NEXT_WEEK, text)) add(m, nextWeekday(1, ref), false);
  for (const m of matches(WEEKDAY, text)) add(m, nextWeekday(WEEKDAYS[(m[1] ?? '').toLowerCase()] ?? 1, ref), false);
  return found.sort((x, y) => x.index - y.index);
}

/** Whether `text` holds an ASCII digit (what `\d` matches). */
function holdsDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 48 && unit <= 57) return true;
  }
  return false;
}

/**
 * The day an out-of-office sender is back, from the reply's own text: the first explicit date introduced by a
 * return cue ("back", "until", "bis", "jusqu'au", "hasta", "até", "tot"…), else the last explicit date (the end of
 * a range), else a weekday / "tomorrow" / "next week". Null when the reply names no date.
 */
export function parseReturnDate(text: string, ref: CalendarDate, lang: Language = 'en'): string | null {
  const mentions = dateMentions(text, ref, lang);
  const cued = (m: DateMention): boolean => cuedAt(text, m.index);
  const explicit = mentions.filter((m) => m.explicit);
  const relative = mentions.filter((m) => !m.explicit);
  const pick = explicit.find(cued) ?? explicit.at(-1) ?? relative.find(cued) ?? relative[0];
  return pick ? formatDay(pick.date) : null;
}

const SEASON_START: Record<string, number> = {
  spring: 3, summer: 6, fall: 9, autumn: 9, winter: 12,
  frühjahr: 3, frühling: 3, sommer: 6, herbst: 9,
  printemps: 3, été: 6, automne: 9, hiver: 12,
  primavera: 3, verano: 6, otoño: 9, invierno: 12, verão: 6, outono: 9, inverno: 12,
  voorjaar: 3, lente: 3, zomer: 6, najaar: 9, herfst: 9,
};
const SEASON_RE = alternation(Object.keys(SEASON_START));

interface SnoozePattern {
  re: RegExp;
  resolve: (m: RegExpExecArray, ref: CalendarDate) => CalendarDate | null;
}

function firstOfQuarterAfter(ref: CalendarDate): CalendarDate {
  const month = Math.floor((ref.month - 1) / 3) * 3 + 4;
  return month > 12 ? { year: ref.year + 1, month: 1, day: 1 } : { year: ref.year, month, day: 1 };
}

function unitCount(word: string): number {
  const w = word.toLowerCase().replace(/\s+/gu, ' ');
  return /^\d+$/u.test(w) ? Number(w) : (NUMBER_WORDS[w] ?? 1);
}

const UNIT_DAYS = '(?:days?|tage[n]?|jours?|días|dias|dagen|dag)';
const UNIT_WEEKS = '(?:weeks?|wochen|woche|semaines?|semanas?|weken|week)';
const UNIT_MONTHS = '(?:months?|monate[n]?|monat|mois|meses|mes|mês|maanden|maand)';
const IS_MONTHS = new RegExp(`^${UNIT_MONTHS}$`, 'u');
const IS_WEEKS = new RegExp(`^${UNIT_WEEKS}$`, 'u');
const IN = '(?:in|within|in about|in around|dans|en|dentro de|em|daqui a|over|binnen)';
const MONTH_PREPOSITION =
  '(?:after|until|till|til|in|by|from|around|before|early|mid|late|end of|beginning of|start of|ab|bis|im|nach|anfang|mitte|ende|après|en|à partir de|fin|début|mi-|a partir de|después de|hasta|em|depois de|até|no início de|vanaf|tot|na|eind|begin|half|medio)';

const SNOOZE_PATTERNS: readonly SnoozePattern[] = [
  {
    re: new RegExp(
      `${NOT_LETTER_BEFORE}(?:next quarter|nächste[snm]? quartal|le trimestre prochain|trimestre prochain|prochain trimestre|próximo trimestre|volgend kwartaal|komend kwartaal)${NOT_LETTER_AFTER}`,
      'iu',
    ),
    resolve: (_m, ref) => firstOfQuarterAfter(ref),
  },
  {
    re: new RegExp(`${NOT_LETTER_BEFORE}(?:q([1-4])|([1-4])(?:st|nd|rd|th)? quarter)(?:\\s+(\\d{4}))?${NOT_LETTER_AFTER}`, 'iu'),
    resolve: (m, ref) => dated(m[3], (Number(m[1] ?? m[2]) - 1) * 3 + 1, 1, ref),
  },
  {
    re: new RegExp(
      `${NOT_LETTER_BEFORE}(?:next year|nächste[snm]? jahr|l'année prochaine|el (?:próximo )?año (?:que viene|próximo)|el próximo año|(?:o )?próximo ano|ano que vem|volgend jaar|komend jaar|(?:in )?the new year|after the holidays|nach neujahr)${NOT_LETTER_AFTER}`,
      'iu',
    ),
    resolve: (_m, ref) => ({ year: ref.year + 1, month: 1, day: 1 }),
  },
  {
    re: new RegExp(
      `${NOT_LETTER_BEFORE}(?:next month|nächste[snm]? monat|le mois prochain|el (?:próximo )?mes (?:que viene|próximo)|el próximo mes|(?:o )?próximo mês|mês que vem|volgende maand)${NOT_LETTER_AFTER}`,
      'iu',
    ),
    resolve: (_m, ref) => ({ ...addMonths({ ...ref, day: 1 }, 1), day: 1 }),
  },
  {
    re: new RegExp(`${NOT_LETTER_BEFORE}${IN}\\s+(\\d{1,2}|${NUMBER_WORD_RE})\\s+(?:of\\s+)?(${UNIT_DAYS}|${UNIT_WEEKS}|${UNIT_MONTHS})${NOT_LETTER_AFTER}`, 'iu'),
    resolve: (m, ref) => {
      const count = unitCount(m[1] ?? '1');
      const unit = (m[2] ?? '').toLowerCase();
      if (IS_MONTHS.test(unit)) return addMonths(ref, count);
      if (IS_WEEKS.test(unit)) return addDays(ref, 7 * count);
      return addDays(ref, count);
    },
  },
  {
    re: new RegExp(`${NOT_LETTER_BEFORE}(?:(next|after the|after|nach dem|après l'|après le|después del|depois do|na de|in the|im|in|en)\\s*)?(${SEASON_RE})${NOT_LETTER_AFTER}`, 'iu'),
    resolve: (m, ref) => {
      const start = SEASON_START[(m[2] ?? '').toLowerCase()] ?? 1;
      const after = /^(after|nach|après|después|depois|na de)/iu.test(m[1] ?? '');
      const month = after ? (start + 3 > 12 ? start - 9 : start + 3) : start;
      // "next spring" said in March means the spring after this one.
      return /^next/iu.test(m[1] ?? '') ? nextOccurrence(month, 1, addDays(ref, 1)) : nextOccurrence(month, 1, ref);
    },
  },
  {
    re: new RegExp(`${NOT_LETTER_BEFORE}${MONTH_PREPOSITION}\\s+(?:the\\s+)?(?:(?:end|beginning|start|middle) of\\s+)?(${MONTH_RE})\\.?(?:\\s+(\\d{4}))?${NOT_LETTER_AFTER}`, 'iu'),
    resolve: (m, ref) => dated(m[2], MONTHS[(m[1] ?? '').toLowerCase()] ?? 0, 1, ref),
  },
];

/**
 * The day a `not_now` prospect asked to be contacted again: "next quarter" → the first day of the next quarter,
 * "in Q2" / "until January" / "after January" → the 1st of that quarter or month, "in 3 months" → three months on,
 * "next spring" → March 1, "after the summer" → September 1, or an explicit date. The earliest such phrase in
 * the text wins. Null when the reply names no time.
 */
export function parseSnoozeDate(text: string, ref: CalendarDate, lang: Language = 'en'): string | null {
  let best: { index: number; date: CalendarDate } | null = null;
  for (const { re, resolve } of SNOOZE_PATTERNS) {
    const m = execText(re, text);
    if (!m || (best && best.index <= m.index)) continue;
    const date = resolve(m, ref);
    if (date) best = { index: m.index, date };
  }
  const explicit = dateMentions(text, ref, lang).find((m) => m.explicit);
  if (explicit && (!best || explicit.index < best.index)) best = explicit;
  return best ? formatDay(best.date) : null;
}

/** Every fixed pattern of date parsing, by name: checked for catastrophic backtracking by the test suite. */
export const DATE_PATTERNS: Readonly<Record<string, RegExp>> = {
  isoDate: ISO_DATE,
  numericDate: NUMERIC_DATE,
  dayMonth: DAY_MONTH,
  monthDay: MONTH_DAY,
  ordinalDay: ORDINAL_DAY,
  weekday: WEEKDAY,
  tomorrow: TOMORROW,
  nextWeek: NEXT_WEEK,
  returnCue: RETURN_CUE,
  sentenceBreak: SENTENCE_BREAK,
  ...Object.fromEntries(SNOOZE_PATTERNS.map((p, i) => [`snooze[${i}]`, p.re])),
};
