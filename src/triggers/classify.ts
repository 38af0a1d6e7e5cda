/**
 * The trigger rules engine: labels one prospect reply with intents, with the rules that fired and the evidence
 * spans for each. Pure and deterministic (given `receivedAt`); no I/O.
 */
import { parseReturnDate, parseSnoozeDate, referenceDay } from './dates';
import { type CompiledRule, type RuleLabel, type RuleSet, NEGATION_LOOKBACK_CHARS } from './rules';
import { findReplyBody, scanText } from './strip';
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
  const body = findReplyBody(text);
  const scan = scanText(text, body);
  const languages = replyLanguages(scan, rules);
  const hits = findHits(scan, rules, languages);

  const fired = new Set<RuleLabel>();
  const autoReplyRules: string[] = [];
  for (const hit of hits) {
    fired.add(hit.rule.label);
    if (hit.rule.autoReply && !autoReplyRules.includes(hit.rule.id)) autoReplyRules.push(hit.rule.id);
  }
  const anyTrigger = [...fired].some(isTrigger);
  const autoReply = autoReplyRules.length > 0 || (fired.has('out_of_office') && !anyTrigger);
  const keep = (label: RuleLabel): label is Exclude<Intent, 'none'> => {
    if (label === 'auto_reply') return false;
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
        ? parseReturnDate(scan, reference, languageOf(hits, 'out_of_office', languages))
        : null,
    snoozeUntil:
      reference && labels.includes('not_now')
        ? parseSnoozeDate(scan, reference, languageOf(hits, 'not_now', languages))
        : null,
    autoReply,
    autoReplyRules,
    rulesVersion: rules.version,
  };
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
  const scores = new Map<Language, number>();
  const lower = scan.length > LANGUAGE_SAMPLE_CHARS ? scan.slice(0, LANGUAGE_SAMPLE_CHARS).toLowerCase() : scan.toLowerCase();
  WORD_TOKEN.lastIndex = 0;
  for (let m = WORD_TOKEN.exec(lower); m !== null; m = WORD_TOKEN.exec(lower)) {
    const langs = rules.languageHints.get(m[0]);
    if (langs) for (const lang of langs) scores.set(lang, (scores.get(lang) ?? 0) + 1);
  }
  let best = 0;
  for (const n of scores.values()) best = Math.max(best, n);
  return [...scores]
    .filter(([, n]) => n * LANGUAGE_SHARE >= best)
    .sort((a, b) => b[1] - a[1])
    .map(([lang]) => lang);
}

const WORD_TOKEN = /[\p{L}\p{N}']+/gu;
/** Only the start of a long reply is used to tell its language. */
const LANGUAGE_SAMPLE_CHARS = 600;
/** A language counts when it has at least 1/LANGUAGE_SHARE of the strongest language's hint words. */
const LANGUAGE_SHARE = 3;

function findHits(scan: string, rules: RuleSet, languages: readonly Language[]): Hit[] {
  const hits: Hit[] = [];
  for (const rule of rules.rules) {
    if (rule.lang && languages.length > 0 && !languages.includes(rule.lang)) continue;
    const re = rule.matcher;
    re.lastIndex = 0;
    let found = 0;
    for (let m = re.exec(scan); m !== null; m = re.exec(scan)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) {
        re.lastIndex++;
        continue;
      }
      if (!counts(rule, rules, languages, scan, start, end)) continue;
      hits.push({ rule, start, end });
      if (++found >= rules.maxEvidencePerRule) break;
    }
  }
  return hits;
}

function counts(
  rule: CompiledRule,
  rules: RuleSet,
  languages: readonly Language[],
  scan: string,
  start: number,
  end: number,
): boolean {
  if (rule.negationWindow !== null && start > 0) {
    const negated = rules.negationMatcher(rule.lang, languages, rule.negationWindow);
    if (negated?.test(scan.slice(Math.max(0, start - NEGATION_LOOKBACK_CHARS), start))) return false;
  }
  if (!rule.unless && !rule.requires) return true;
  const sentence = scan.slice(sentenceStart(scan, start), sentenceEnd(scan, end));
  if (rule.unless?.test(rule.unlessScope === 'reply' ? scan : sentence)) return false;
  return rule.requires ? rule.requires.test(rule.requiresScope === 'reply' ? scan : sentence) : true;
}

const SENTENCE_END = /[.!?\n;]/u;

function sentenceStart(scan: string, at: number): number {
  for (let i = at - 1; i >= 0; i--) {
    const c = scan[i] as string;
    if (SENTENCE_END.test(c) && !isDecimalPoint(scan, i)) return i + 1;
  }
  return 0;
}

function sentenceEnd(scan: string, at: number): number {
  for (let i = at; i < scan.length; i++) {
    const c = scan[i] as string;
    if (SENTENCE_END.test(c) && !isDecimalPoint(scan, i)) return c === '\n' ? i : i + 1;
  }
  return scan.length;
}

function isDecimalPoint(scan: string, i: number): boolean {
  return scan[i] === '.' && /\d/u.test(scan[i - 1] ?? '') && /\d/u.test(scan[i + 1] ?? '');
}

function languageOf(hits: readonly Hit[], label: RuleLabel, languages: readonly Language[]): Language {
  return hits.find((h) => h.rule.label === label && h.rule.lang)?.rule.lang ?? languages[0] ?? 'en';
}
