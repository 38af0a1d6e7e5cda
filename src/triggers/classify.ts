/**
 * The trigger rules engine: labels one prospect reply with intents, with the rules that fired and the evidence
 * spans for each. Pure and deterministic (given `receivedAt`); no I/O.
 */
import { readComposed } from './compose';
import { chronoDay } from './chronoFallback';
import { parseReturnDate, parseSnoozeDate, referenceDay } from './dates';
import { startScan, testText } from './meter';
import { type NegationCues, isNegated } from './negation';
import { type CompiledRule, type RuleLabel, type RuleSet, NEGATION_LOOKBACK_CHARS } from './rules';
import { CUT_MARK, PLEASANTRY_QUESTION, findReplyBody, scanText } from './strip';
import {
  type Classification,
  type Evidence,
  type Intent,
  type Language,
  type Trigger,
  INTENTS,
  isTrigger,
} from './types';

/** Options of {@link classifyReply}. */
export interface ClassifyOptions {
  /** When the reply was received (ISO string or Date): the reference for dates without a year. Default: now. */
  receivedAt?: string | Date;
}

interface Hit {
  rule: CompiledRule;
  start: number;
  end: number;
}

/**
 * Labels a reply with the intents of `shared/intents.md`.
 *
 * Only the prospect's own words count: quoted earlier messages, forwarded headers and signatures are ignored,
 * but evidence offsets refer to the original `text`. An auto-reply never escalates (its trigger labels are
 * dropped), and a reply with no label is exactly `['none']`.
 */
export function classifyReply(text: string, rules: RuleSet, options: ClassifyOptions = {}): Classification {
  return readComposed(text, (read) => classifyOwnWords(read, ownWordsOf(read), rules, options));
}

/** The prospect's own words of a reply (quotes, signatures and greetings blanked; offsets unchanged): what every reader reads. */
export function ownWordsOf(text: string): string {
  return scanText(text, findReplyBody(text));
}

/** {@link classifyReply} on own words already found with {@link ownWordsOf}, so other readers can share them. */
export function classifyOwnWords(text: string, scan: string, rules: RuleSet, options: ClassifyOptions = {}): Classification {
  const languages = replyLanguages(scan, rules);
  const hits = findHits(scan, rules, languages);

  const fired = new Set<RuleLabel>();
  const autoReplyRules: string[] = [];
  for (const hit of hits) {
    fired.add(hit.rule.label);
    if (hit.rule.autoReply && !autoReplyRules.includes(hit.rule.id)) autoReplyRules.push(hit.rule.id);
  }
  const declining = fired.has('opt_out') && !asksSomething(scan);
  const anyTrigger = [...fired].some((label) => isTrigger(label) && !(declining && rules.declineDrops.has(label)));
  const autoReply = autoReplyRules.length > 0 || (fired.has('out_of_office') && !anyTrigger);
  const keep = (label: RuleLabel): label is Exclude<Intent, 'none'> => {
    if (label === 'auto_reply') return false;
    if (declining && rules.declineDrops.has(label)) return false;
    if (autoReply) return !rules.autoReplyDrops.has(label);
    // A person mentioning their own absence alongside a real question is not an out-of-office reply.
    return label !== 'out_of_office';
  };

  const evidence: Evidence[] = [];
  const rulesFired: Partial<Record<Intent, string[]>> = {};
  for (const hit of hits) {
    const label = hit.rule.label;
    if (!keep(label)) continue;
    evidence.push({ label, rule: hit.rule.id, start: hit.start, end: hit.end, text: text.slice(hit.start, hit.end) });
    const ids = (rulesFired[label] ??= []);
    if (!ids.includes(hit.rule.id)) ids.push(hit.rule.id);
  }
  evidence.sort((a, b) => a.start - b.start || a.end - b.end);

  const labels = finalLabels(Object.keys(rulesFired) as Intent[]);
  const needsDates = labels.includes('out_of_office') || labels.includes('not_now');
  const reference = needsDates ? referenceDay(options.receivedAt) : null;
  return {
    labels,
    ...escalation(labels, rules.triggerPriority),
    evidence,
    rulesFired,
    returnDate:
      reference && labels.includes('out_of_office')
        ? (parseReturnDate(scan, reference, languageOf(hits, 'out_of_office', languages)) ??
          chronoDay(scan, reference, languageOf(hits, 'out_of_office', languages), 'return'))
        : null,
    snoozeUntil:
      reference && labels.includes('not_now')
        ? (parseSnoozeDate(scan, reference, languageOf(hits, 'not_now', languages)) ??
          chronoDay(scan, reference, languageOf(hits, 'not_now', languages), 'snooze'))
        : null,
    autoReply,
    autoReplyRules,
    rulesVersion: rules.version,
  };
}

/**
 * Whether the prospect's own words hold a question mark (any script's; the scan holds a fullwidth one as `?`) other
 * than one closing a pleasantry after at most a greeting and a name on their first line ("Oi, tudo bem?", "Hi Sam,
 * how are you?"; see `PLEASANTRY_QUESTION`): a reply that asks nothing declines what it names when it also asks to
 * stop. "Did you get my note, how are you?" asks.
 */
export function asksSomething(scan: string): boolean {
  let marks = 0;
  for (let at = scan.indexOf('?'); at >= 0; at = scan.indexOf('?', at + 1)) marks++;
  if (marks === 0) return false;
  const start = scan.search(NOT_SPACE);
  const lineEnd = scan.indexOf('\n', start);
  const firstLine = scan.slice(start, lineEnd < 0 ? scan.length : lineEnd);
  const re = startScan(PLEASANTRY_QUESTION, firstLine);
  const m = re.exec(firstLine);
  if (m === null || wordsIn(firstLine.slice(0, m.index)) > PLEASANTRY_WORDS_BEFORE) return true;
  let closing = 0;
  for (const unit of m[0]) if (unit === '?') closing++;
  return marks > closing;
}

const NOT_SPACE = /\S/u;
/**
 * At most this many words (a greeting and a name: "Hallo Frau Berg", "Olá, Rafael") before a pleasantry that asks
 * nothing; more ("Nos vemos el martes, ¿qué tal?") and the mark is read as a question, erring toward a person.
 */
const PLEASANTRY_WORDS_BEFORE = 3;

function wordsIn(text: string): number {
  const re = startScan(WORD_TOKEN, text);
  let words = 0;
  while (re.exec(text) !== null) words++;
  return words;
}

/** A reply of more words than this is never a bare acknowledgement: the check stops there. */
const ACKNOWLEDGEMENT_MAX_WORDS = 12;

/**
 * Whether a reply's own words (`scan`) are a bare thank-you or acknowledgement: at least one word, every word among
 * `settings.acknowledgementWords`, and no question ("Gracias.", "Merci beaucoup, bien reçu", "Dank je wel 🙏").
 * Such a reply asks for nothing and refuses nothing. Pure.
 */
export function isBareAcknowledgement(scan: string, rules: RuleSet): boolean {
  // A reply cut short for its length may go on to ask for anything.
  if (rules.acknowledgementWords.size === 0 || asksSomething(scan) || scan.endsWith(CUT_MARK)) return false;
  // Each word is lower-cased alone: the check stops at the first other word, long before the scan's end.
  const re = startScan(WORD_TOKEN, scan);
  let words = 0;
  for (let m = re.exec(scan); m !== null; m = re.exec(scan)) {
    // Any other word, a name included, leaves the reply to the readers: "Thanks Unsubscribe" is no thank-you.
    if (++words > ACKNOWLEDGEMENT_MAX_WORDS || !rules.acknowledgementWords.has(m[0].toLowerCase())) return false;
  }
  return words > 0;
}

/** Labels in report order; exactly `['none']` when there are none. */
export function finalLabels(labels: Iterable<Intent>): Intent[] {
  const present = new Set(labels);
  present.delete('none');
  const ordered = INTENTS.filter((i) => present.has(i));
  return ordered.length > 0 ? ordered : ['none'];
}

/** Whether labels escalate, and the most urgent trigger among them. */
export function escalation(
  labels: readonly Intent[],
  priority: readonly Trigger[],
): { escalate: boolean; trigger: Trigger | null } {
  const trigger = priority.find((t) => labels.includes(t)) ?? null;
  return { escalate: trigger !== null, trigger };
}

/** Languages a reply shows (see `settings.languageHints`); empty when it shows none, so every rule runs. */
function replyLanguages(scan: string, rules: RuleSet): Language[] {
  // Each language's hint words, the languages in the order first shown (a tie keeps that order).
  const shown: Language[] = [];
  const scores: number[] = [];
  const lower = scan.length > LANGUAGE_SAMPLE_CHARS ? scan.slice(0, LANGUAGE_SAMPLE_CHARS).toLowerCase() : scan.toLowerCase();
  forEachWord(lower, (from, to) => {
    const langs = rules.languageHints.get(lower.slice(from, to));
    if (!langs) return;
    for (const lang of langs) {
      const at = shown.indexOf(lang);
      if (at >= 0) scores[at]!++;
      else {
        shown.push(lang);
        scores.push(1);
      }
    }
  });
  if (shown.length <= 1) return shown;
  let best = 0;
  for (const n of scores) best = Math.max(best, n);
  return shown
    .map((lang, i) => ({ lang, n: scores[i]! }))
    .filter(({ n }) => n * LANGUAGE_SHARE >= best)
    .sort((a, b) => b.n - a.n)
    .map(({ lang }) => lang);
}

/**
 * Calls `word` with the offsets of each run of {@link WORD_TOKEN} in `text`, in order. A one-byte text is read unit
 * by unit against a table of its characters; any other goes through the pattern.
 */
function forEachWord(text: string, word: (from: number, to: number) => void): void {
  if (!isLatin1(text)) {
    const re = startScan(WORD_TOKEN, text);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) word(m.index, m.index + m[0].length);
    return;
  }
  const inWord = wordUnits();
  let from = -1;
  for (let i = 0; i < text.length; i++) {
    if (inWord[text.charCodeAt(i)] === 1) {
      if (from < 0) from = i;
    } else if (from >= 0) {
      word(from, i);
      from = -1;
    }
  }
  if (from >= 0) word(from, text.length);
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

let wordUnitTable: Uint8Array | undefined;

/** For each Latin-1 character, 1 when {@link WORD_TOKEN} takes it into a word. */
function wordUnits(): Uint8Array {
  if (wordUnitTable) return wordUnitTable;
  const table = new Uint8Array(256);
  const one = new RegExp(`^${WORD_TOKEN.source}$`, 'u');
  for (let u = 0; u < 256; u++) table[u] = one.test(String.fromCharCode(u)) ? 1 : 0;
  wordUnitTable = table;
  return table;
}

const WORD_TOKEN = /[\p{L}\p{N}']+/gu;
/** Only the start of a long reply is used to tell its language. */
const LANGUAGE_SAMPLE_CHARS = 600;
/** A language counts when it has at least 1/LANGUAGE_SHARE of the strongest language's hint words. */
const LANGUAGE_SHARE = 3;
/**
 * A rule looks at no more than this many matches in one reply (whether they count or are negated or excluded):
 * a real reply has a handful, and the cap bounds the per-match checks of a reply that repeats a phrase.
 */
export const RULE_MATCHES_EXAMINED = 32;

/**
 * The sentences of the scan text, found once per reply: every rule's `unless`/`requires` check of a sentence is
 * then computed at most once per rule, and finding a match's sentence is a binary search.
 */
class Sentences {
  /** Offsets of sentence-ending characters (a decimal point is not one), ascending. */
  private readonly breaks: number[] = [];

  constructor(private readonly scan: string) {
    for (let i = 0; i < scan.length; i++) {
      const c = scan.charCodeAt(i);
      // . ! ? \n ;
      if ((c === 46 || c === 33 || c === 63 || c === 10 || c === 59) && !isDecimalPoint(scan, i)) this.breaks.push(i);
    }
  }

  /** The sentence around `[start, end)`: from just after the last break before `start` to the first at or after `end`. */
  around(start: number, end: number): [number, number] {
    const before = this.firstBreakAtOrAfter(start) - 1;
    const from = before >= 0 ? (this.breaks[before] as number) + 1 : 0;
    const after = this.firstBreakAtOrAfter(end);
    const stop = this.breaks[after];
    const to = stop === undefined ? this.scan.length : this.scan.charCodeAt(stop) === 10 ? stop : stop + 1;
    return [from, to];
  }

  private firstBreakAtOrAfter(at: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.breaks[mid] as number) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function findHits(scan: string, rules: RuleSet, languages: readonly Language[]): Hit[] {
  const hits: Hit[] = [];
  let sentences: Sentences | undefined;
  // A reply's negation cues by rule language, asked of the rule set once per reply and language, not once per rule.
  let cuesByLanguage: Map<Language | undefined, NegationCues | null> | undefined;
  const negationFor = (lang: Language | undefined): NegationCues | null => {
    cuesByLanguage ??= new Map();
    let cues = cuesByLanguage.get(lang);
    if (cues === undefined) cuesByLanguage.set(lang, (cues = rules.negation(lang, languages)));
    return cues;
  };
  const candidates = rules.prefilter.candidates(scan);
  const count = rules.rules.length;
  for (let index = 0; index < count; index++) {
    const rule = rules.rules[index] as CompiledRule;
    if (candidates[index] === 0) continue; // the reply holds none of the strings every match of this rule contains
    if (rule.lang && languages.length > 0 && !languages.includes(rule.lang)) continue;
    // Most rules match nothing: their context is only built for a first match.
    let context: MatchContext | undefined;
    let found = 0;
    let examined = 0;
    const re = startScan(rule.matcher, scan);
    for (let m = re.exec(scan); m !== null; m = re.exec(scan)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) {
        re.lastIndex++;
        continue;
      }
      if (++examined > RULE_MATCHES_EXAMINED) break;
      context ??= new MatchContext(
        rule,
        rule.negationWindow === null ? null : negationFor(rule.lang),
        scan,
        () => (sentences ??= new Sentences(scan)),
        // The prefilter's marks for the rule's conditions (see `RuleSet.prefilter`): read now, before another reply.
        candidates[count + index] === 1,
        candidates[2 * count + index] === 1,
      );
      if (!context.counts(start, end)) continue;
      hits.push({ rule, start, end });
      if (++found >= rules.maxEvidencePerRule) break;
    }
  }
  return hits;
}

/** Whether a rule's matches count in one reply; each `unless`/`requires` verdict is computed once and kept. */
class MatchContext {
  /** Whether the rule's reply-scoped `unless` matches the reply (tested once). */
  private unlessMatchesReply: boolean | undefined;
  /** Whether the rule's `unlessInReply` matches the reply (tested once). */
  private unlessInReplyMatches: boolean | undefined;
  private requiresInReply: boolean | undefined;
  private readonly bySentence = new Map<number, boolean>();
  constructor(
    private readonly rule: CompiledRule,
    /** The negation cues for this rule in this reply; null when the rule ignores negation or there are none. */
    private readonly cues: NegationCues | null,
    private readonly scan: string,
    private readonly sentences: () => Sentences,
    /** False when the reply holds none of the strings every match of the rule's `unless` contains: it matches nowhere in it. */
    private readonly unlessCanMatch: boolean,
    /** The same for the rule's `requires`. */
    private readonly requiresCanMatch: boolean,
  ) {}

  counts(start: number, end: number): boolean {
    const { rule, scan, cues } = this;
    if (rule.negationWindow !== null && start > 0) {
      if (cues && isNegated(scan.slice(Math.max(0, start - NEGATION_LOOKBACK_CHARS), start), cues, rule.negationWindow)) return false;
    }
    if (rule.unlessInReply) {
      this.unlessInReplyMatches ??= testText(rule.unlessInReply, scan);
      if (this.unlessInReplyMatches) return false;
    }
    // A condition that matches nowhere in the reply matches in none of its sentences either.
    const unless = this.unlessCanMatch ? rule.unless : null;
    if (rule.requires && !this.requiresCanMatch) return false;
    if (!unless && !rule.requires) return true;
    if (unless && rule.unlessScope === 'reply') {
      this.unlessMatchesReply ??= testText(unless, scan);
      if (this.unlessMatchesReply) return false;
    }
    if (rule.requires && rule.requiresScope === 'reply') {
      this.requiresInReply ??= testText(rule.requires, scan);
      if (!this.requiresInReply) return false;
    }
    const [from, to] = this.sentences().around(start, end);
    const key = from * (scan.length + 1) + to;
    let verdict = this.bySentence.get(key);
    if (verdict === undefined) {
      const sentence = scan.slice(from, to);
      verdict =
        !(unless && rule.unlessScope === 'sentence' && testText(unless, sentence)) &&
        (rule.requires && rule.requiresScope === 'sentence' ? testText(rule.requires, sentence) : true);
      this.bySentence.set(key, verdict);
    }
    return verdict;
  }
}

function isDecimalPoint(scan: string, i: number): boolean {
  return scan[i] === '.' && isDigit(scan, i - 1) && isDigit(scan, i + 1);
}

function isDigit(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 48 && unit <= 57;
}

function languageOf(hits: readonly Hit[], label: RuleLabel, languages: readonly Language[]): Language {
  return hits.find((h) => h.rule.label === label && h.rule.lang)?.rule.lang ?? languages[0] ?? 'en';
}
