/**
 * Rules as data: the schema of a rules file, its validation, and its compilation into a {@link RuleSet} of
 * precompiled regular expressions. Pure (text in, rule set out): reading files lives in `load.ts`.
 *
 * A rules file (YAML or JSON) has `settings`, optional `terms` (named regex fragments, referenced in patterns as
 * `{{name}}`) and `rules`. Every pattern is a case-insensitive Unicode regular expression that must match at
 * word boundaries (the compiler adds Unicode-aware boundaries around it; JavaScript's `\b` is ASCII-only).
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { z } from 'zod';
import { RulesFileError } from './errors';
import { type NegationCues, negationCues } from './negation';
import { type RulePrefilter, buildPrefilter } from './prefilter';
import { type Intent, type Language, type Trigger, INTENTS, LANGUAGES, TRIGGER_PRIORITY } from './types';

/** What a rule can say: an intent, or `auto_reply` (the reply was written by a machine; no label of its own). */
export type RuleLabel = Exclude<Intent, 'none'> | 'auto_reply';

const LABELS: [RuleLabel, ...RuleLabel[]] = [
  'auto_reply',
  ...INTENTS.filter((i): i is Exclude<Intent, 'none'> => i !== 'none'),
];
const TRIGGERS = [...TRIGGER_PRIORITY] as [Trigger, ...Trigger[]];
const INTENT_ENUM = z.enum(INTENTS);
const LANGUAGE_ENUM = z.enum(LANGUAGES as [Language, ...Language[]]);

const PatternsSchema = z.array(z.string().min(1, 'a pattern may not be empty'));

/** One rule of a rules file, as written. */
export const RuleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.:-]+$/u, 'ids use letters, digits and . _ : -'),
  label: z.enum(LABELS),
  description: z.string().min(1),
  lang: LANGUAGE_ENUM.optional(),
  patterns: PatternsSchema.min(1, 'a rule needs at least one pattern'),
  /** Exclusions: when one matches in the same sentence as the match, the match does not count. */
  unless: PatternsSchema.optional(),
  /** Where `unless` looks: the sentence of the match (default) or the whole reply. */
  unlessScope: z.enum(['sentence', 'reply']).optional(),
  /**
   * Exclusions looked for in the whole reply, beside `unless` in its scope: a sign anywhere that a person is writing
   * ("can you send pricing?") keeps an away phrase in one sentence from making the reply an auto-reply.
   */
  unlessInReply: PatternsSchema.optional(),
  /** Context: the match counts only when one of these also matches in the same sentence. */
  requires: PatternsSchema.optional(),
  /** Where `requires` looks: the sentence of the match (default) or the whole reply. */
  requiresScope: z.enum(['sentence', 'reply']).optional(),
  /** Negation cue before the match suppresses it: `true` (settings window), `false`, or a window in words. */
  negation: z.union([z.boolean(), z.number().int().min(1).max(8)]).optional(),
  /** A match marks the reply as written by a machine (never escalated). */
  autoReply: z.boolean().optional(),
});

const SettingsSchema = z.strictObject({
  triggerPriority: z
    .array(z.enum(TRIGGERS))
    .length(TRIGGERS.length)
    .refine((list) => new Set(list).size === list.length, 'each trigger exactly once')
    .default([...TRIGGER_PRIORITY]),
  negation: z.strictObject({
    /** How many words before a match a negation cue reaches. */
    window: z.number().int().min(1).max(8).default(3),
    /** Labels whose rules check negation unless a rule says otherwise. */
    labels: z.array(z.enum(LABELS)).default([]),
    /** Negation cues per language, as regex fragments matching one whole word. */
    cues: z.partialRecord(LANGUAGE_ENUM, z.array(z.string().min(1)).min(1)),
    /** Words that end a negation's reach ("not now, but a demo in May would be good"). */
    breaks: z.array(z.string().min(1)).default([]),
  }),
  /**
   * Words that show a reply is written in a language. A rule with a `lang` runs only on replies that show its
   * language (at least a third as many hint words as the reply's strongest language), or that show none.
   */
  languageHints: z
    .partialRecord(
      LANGUAGE_ENUM,
      z.array(z.string().regex(/^[\p{L}\p{N}']+$/u, 'a hint is one lowercase word (letters, digits, apostrophe)')).min(1),
    )
    .default({}),
  /**
   * The words a bare thank-you or acknowledgement is made of, per language ("Gracias.", "Merci beaucoup, bien reçu",
   * "Danke, gelesen.", "Thanks 🙏"): a reply whose own words are all among them and that asks nothing is one (see
   * `isBareAcknowledgement`). No word of a refusal belongs here ("no", "nein", "pass"): "No, gracias." is an opt-out.
   */
  acknowledgementWords: z
    .partialRecord(
      LANGUAGE_ENUM,
      z.array(z.string().regex(/^[\p{Ll}\p{N}']+$/u, 'an acknowledgement word is one lowercase word (letters, digits, apostrophe)')).min(1),
    )
    .default({}),
  /** Labels dropped from a reply detected as an auto-reply. */
  autoReplyDrops: z.array(INTENT_ENUM).default([...TRIGGER_PRIORITY]),
  /**
   * Labels dropped from a reply that asks to stop (an `opt_out` rule fired) and asks nothing (no question mark in
   * the prospect's own words but one closing a pleasantry, see `asksSomething`): the demo, price or security word in
   * "Great, another demo. Remove me." is what is being declined, not asked for.
   */
  declineDrops: z.array(INTENT_ENUM).default([]),
  /** At most this many evidence spans per rule and reply. */
  maxEvidencePerRule: z.number().int().min(1).max(50).default(3),
}).superRefine((settings, ctx) => {
  // A refusal's word in the list would make "No, gracias." a thank-you, and the learned reader's opt-out would go.
  const refusing = [...Object.values(settings.negation.cues).flat(), ...settings.negation.breaks].flatMap((cue) => {
    try {
      return [new RegExp(`^(?:${cue})$`, 'u')];
    } catch {
      return []; // a cue that does not compile is reported where the cues are compiled
    }
  });
  for (const [lang, words] of Object.entries(settings.acknowledgementWords)) {
    words.forEach((word, i) => {
      if (refusing.some((re) => re.test(word))) {
        ctx.addIssue({ code: 'custom', path: ['acknowledgementWords', lang, i], message: `"${word}" is a negation cue or a break word, which no thank-you is made of` });
      }
    });
  }
});

/** A whole rules file, as written. */
export const RulesFileSchema = z.strictObject({
  settings: SettingsSchema,
  terms: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/u, 'term names are lower_snake_case'), z.string().min(1)).optional(),
  rules: z.array(RuleSchema).min(1, 'a rules file needs at least one rule'),
});

/** A rules file after validation. */
export type RulesFile = z.infer<typeof RulesFileSchema>;

/** One rule, compiled. The regular expressions are shared: callers must reset `lastIndex` before use. */
export interface CompiledRule {
  id: string;
  label: RuleLabel;
  lang?: Language;
  description: string;
  /** All patterns as one global, sticky-free alternation. */
  matcher: RegExp;
  unless: RegExp | null;
  unlessScope: 'sentence' | 'reply';
  unlessInReply: RegExp | null;
  requires: RegExp | null;
  requiresScope: 'sentence' | 'reply';
  /** How many words before a match a negation cue reaches; null when the rule ignores negation. */
  negationWindow: number | null;
  autoReply: boolean;
}

/** A validated, compiled rule set. Immutable; safe to share across calls. */
export interface RuleSet {
  /** Content hash of the rules file: `sha256:` and the first 12 hex digits of its canonical JSON. */
  version: string;
  /** Where the rules came from (a path, or `<inline>`). */
  origin: string;
  /** The validated rules file it was compiled from: plain data, so it can be sent to a worker thread. */
  file: RulesFile;
  rules: readonly CompiledRule[];
  triggerPriority: readonly Trigger[];
  /**
   * The negation cues for a rule of language `lang` in a reply showing `replyLanguages`: cues of the rule's
   * language and of every language the reply shows (all languages when neither is known), for `isNegated`.
   * Memoised; null when there are none.
   */
  negation(lang: Language | undefined, replyLanguages: readonly Language[]): NegationCues | null;
  /** Hint word (lowercase) → the languages it shows. */
  languageHints: ReadonlyMap<string, readonly Language[]>;
  /** Every language's acknowledgement words (see the settings schema). */
  acknowledgementWords: ReadonlySet<string>;
  autoReplyDrops: ReadonlySet<Intent>;
  /** Labels dropped from a reply that asks to stop and asks nothing (see the settings schema). */
  declineDrops: ReadonlySet<Intent>;
  maxEvidencePerRule: number;
  /**
   * Which rules can match a reply at all, so only those patterns run (see `prefilter.ts`); built on first use. Its
   * candidates are the rules' matchers in rule order, then each rule's `unless` (at `rules.length + index`), then
   * each rule's `requires` (at `2 * rules.length + index`): a condition the reply cannot match anywhere is not run
   * on it or on any of its sentences.
   */
  readonly prefilter: RulePrefilter;
}

const WORD = '[\\p{L}\\p{N}_]';
/**
 * Unicode-aware word boundaries (JavaScript's `\\b` is ASCII-only). A match must start at the start of a word:
 * besides being the rule, this rejects every mid-word position before any alternative is tried, which is what
 * keeps scanning fast. At either end of an `unless`/`requires` pattern, and at the end of a pattern, a boundary is
 * only required between two word characters, so "bot\\?" or "\\?" work.
 */
const WORD_START = `(?<!${WORD})`;
/** A word boundary between two word characters only (see {@link WORD_START}). */
const BOUNDARY = `(?:(?<!${WORD})|(?!${WORD}))`;
/** How far back (in characters) a negation cue is looked for; a window of 8 words fits easily. */
export const NEGATION_LOOKBACK_CHARS = 80;

/**
 * Parses, validates and compiles a rules file's text (YAML, or JSON, which is YAML too).
 * @throws RulesFileError naming the rule (id and index) and the field when the file is invalid.
 */
export function parseRuleSet(source: string, origin = '<inline>'): RuleSet {
  let raw: unknown;
  try {
    raw = YAML.parse(source, { prettyErrors: true });
  } catch (err) {
    throw new RulesFileError(`not valid YAML or JSON: ${err instanceof Error ? err.message : String(err)}`, {
      origin,
      cause: err,
    });
  }
  const parsed = RulesFileSchema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error, raw, origin);
  return compileRuleSet(parsed.data, origin);
}

function fromZod(error: z.ZodError, raw: unknown, origin: string): RulesFileError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  let ruleIndex: number | undefined;
  let ruleId: string | undefined;
  let fieldPath = path;
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    ruleIndex = path[1];
    const rule = (raw as { rules?: unknown[] } | null)?.rules?.[ruleIndex];
    const id = (rule as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') ruleId = id;
    fieldPath = path.slice(2);
  }
  const unknownKeys = issue?.code === 'unrecognized_keys' ? issue.keys : [];
  const field = formatPath([...fieldPath, ...(unknownKeys.length === 1 ? unknownKeys : [])]) || undefined;
  return new RulesFileError(issue?.message ?? 'invalid rules file', { origin, ruleIndex, ruleId, field, cause: error });
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** How {@link compileRuleSet} compiles. */
export interface CompileOptions {
  /**
   * Every pattern of this file was already compiled and tried on the empty string, by another thread: only build
   * the matchers (running each pattern once is most of compiling a rule set cold).
   */
  patternsChecked?: boolean;
}

/**
 * Compiles a validated rules file. Exposed for callers that build rules in code.
 * @throws RulesFileError for duplicate ids, unknown `{{terms}}` and regular expressions that do not compile.
 */
export function compileRuleSet(file: RulesFile, origin = '<inline>', options: CompileOptions = {}): RuleSet {
  const terms = file.terms ?? {};
  const { negation } = file.settings;
  const cueCache = new Map<string, NegationCues | null>();
  const negationFor = (lang: Language | undefined, replyLanguages: readonly Language[]): NegationCues | null => {
    const key = `${lang ?? '*'}|${replyLanguages.join(',')}`;
    const cached = cueCache.get(key);
    if (cached !== undefined) return cached;
    const langs = new Set<Language>(replyLanguages);
    if (lang) langs.add(lang);
    const cues = langs.size > 0 ? [...langs].flatMap((l) => negation.cues[l] ?? []) : Object.values(negation.cues).flat();
    const compiled = cues.length === 0 ? null : negationCues(cues, negation.breaks);
    cueCache.set(key, compiled);
    return compiled;
  };

  const seen = new Map<string, number>();
  const rules = file.rules.map((rule, ruleIndex): CompiledRule => {
    const context = { origin, ruleIndex, ruleId: rule.id };
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) {
      throw new RulesFileError(`duplicate id (also rule #${earlier})`, { ...context, field: 'id' });
    }
    seen.set(rule.id, ruleIndex);
    const compile = (
      field: string,
      patterns: readonly string[] | undefined,
      flags: string,
      start: string,
    ): RegExp | null => {
      if (!patterns || patterns.length === 0) return null;
      const sources = patterns.map((p, i) => {
        const source = expandTerms(p, terms, { ...context, field: `${field}[${i}]` });
        if (options.patternsChecked) return source;
        try {
          const alone = new RegExp(`^(?:${source})$`, 'iu');
          if (alone.test('')) throw new Error('it matches the empty string');
        } catch (err) {
          throw new RulesFileError(`invalid pattern: ${err instanceof Error ? err.message : String(err)}`, {
            ...context,
            field: `${field}[${i}]`,
            cause: err,
          });
        }
        return source;
      });
      return new RegExp(`${start}(?:${sources.join('|')})${BOUNDARY}`, flags);
    };
    const window = rule.negation ?? negation.labels.includes(rule.label);
    return {
      id: rule.id,
      label: rule.label,
      lang: rule.lang,
      description: rule.description,
      matcher: compile('patterns', rule.patterns, 'giu', WORD_START) as RegExp,
      unless: compile('unless', rule.unless, 'iu', BOUNDARY),
      unlessScope: rule.unlessScope ?? 'sentence',
      unlessInReply: compile('unlessInReply', rule.unlessInReply, 'iu', BOUNDARY),
      requires: compile('requires', rule.requires, 'iu', BOUNDARY),
      requiresScope: rule.requiresScope ?? 'sentence',
      negationWindow: window === false ? null : window === true ? negation.window : window,
      autoReply: rule.autoReply === true || rule.label === 'auto_reply',
    };
  });

  let prefilter: RulePrefilter | undefined;
  return {
    version: rulesVersion(file),
    origin,
    file,
    rules,
    triggerPriority: file.settings.triggerPriority,
    negation: negationFor,
    languageHints: hintIndex(file.settings.languageHints),
    acknowledgementWords: new Set(Object.values(file.settings.acknowledgementWords).flat()),
    autoReplyDrops: new Set(file.settings.autoReplyDrops),
    declineDrops: new Set(file.settings.declineDrops),
    maxEvidencePerRule: file.settings.maxEvidencePerRule,
    // Built with the first reply read, not here: it is most of compiling a rule set, and the worker's main thread,
    // which compiles a deployed rules file, never reads a reply itself (its classification threads do).
    get prefilter(): RulePrefilter {
      prefilter ??= buildPrefilter([...rules.map((rule) => rule.matcher), ...rules.map((rule) => rule.unless), ...rules.map((rule) => rule.requires)]);
      return prefilter;
    },
  };
}

function hintIndex(hints: Partial<Record<Language, string[]>>): Map<string, Language[]> {
  const index = new Map<string, Language[]>();
  for (const [lang, words] of Object.entries(hints) as Array<[Language, string[]]>) {
    for (const word of words) {
      const key = word.toLowerCase();
      const langs = index.get(key) ?? [];
      if (!langs.includes(lang)) langs.push(lang);
      index.set(key, langs);
    }
  }
  return index;
}

function expandTerms(pattern: string, terms: Record<string, string>, context: ConstructorParameters<typeof RulesFileError>[1]): string {
  return pattern.replace(/\{\{([a-z][a-z0-9_]*)\}\}/gu, (_all, name: string) => {
    const term = terms[name];
    if (term === undefined) throw new RulesFileError(`unknown term {{${name}}} (define it under "terms")`, context);
    return `(?:${term})`;
  });
}

/** One regular expression of a rules file as the engine runs it, and where in the file it comes from. */
export interface PatternSource {
  /** The rule's id and index, unless the pattern belongs to the settings. */
  ruleId?: string;
  ruleIndex?: number;
  /** The field, as in errors: `patterns[2]`, `unless[0]`, `settings.negation.cues`. */
  field: string;
  /** The source as compiled: terms expanded, word boundaries added. */
  source: string;
  flags: string;
}

/**
 * Every regular expression a validated rules file makes the engine run: each pattern, exclusion and context of
 * each rule (one by one, as compiled), and the negation cues and break words of all languages.
 * @throws RulesFileError for unknown `{{terms}}`.
 */
export function patternSources(file: RulesFile): PatternSource[] {
  const terms = file.terms ?? {};
  const out: PatternSource[] = [];
  file.rules.forEach((rule, ruleIndex) => {
    const fields = [
      ['patterns', rule.patterns, WORD_START],
      ['unless', rule.unless, BOUNDARY],
      ['unlessInReply', rule.unlessInReply, BOUNDARY],
      ['requires', rule.requires, BOUNDARY],
    ] as const;
    for (const [name, patterns, start] of fields) {
      (patterns ?? []).forEach((pattern, i) => {
        const field = `${name}[${i}]`;
        const source = expandTerms(pattern, terms, { ruleId: rule.id, ruleIndex, field });
        out.push({ ruleId: rule.id, ruleIndex, field, source: `${start}(?:${source})${BOUNDARY}`, flags: 'iu' });
      });
    }
  });
  const { cue, breakWord } = negationCues(Object.values(file.settings.negation.cues).flat(), file.settings.negation.breaks);
  out.push({ field: 'settings.negation.cues', source: cue.source, flags: cue.flags });
  if (breakWord) out.push({ field: 'settings.negation.breaks', source: breakWord.source, flags: breakWord.flags });
  return out;
}

/** The content hash of a rules file: `sha256:` + the first 12 hex digits of its canonical (key-sorted) JSON. */
export function rulesVersion(file: RulesFile): string {
  return `sha256:${createHash('sha256').update(canonicalJson(file)).digest('hex').slice(0, 12)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
