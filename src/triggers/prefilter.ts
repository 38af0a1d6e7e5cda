/**
 * Which rules can match a reply at all, found in one pass over it, so a reply runs only those rules' patterns.
 *
 * Every match of a rule contains one of a few strings: "talk to", "speak with", "pricing", "unsubscribe" and the
 * like, and often one of a few others besides ("talk" and "person"). Those strings are worked out once per rule set
 * from each pattern's syntax tree (parsed with `@eslint-community/regexpp`): a run of the pattern with few possible
 * spellings is spelled out, and for each alternative of the pattern the most selective sets that every match of it
 * must contain are kept (see `requiredClauses`). One pass over a reply looks those strings up at every position and
 * marks the rules one of whose alternatives has a string of each of its sets present. A rule left unmarked cannot
 * match, so skipping it changes no verdict: the filter may say "maybe" too often, never "no" wrongly.
 *
 * Case: the patterns run with the `iu` flags, which compare characters by Unicode simple case folding. The filter
 * compares Latin-1 characters by lower case (the same classes, as the tests check for every pair) and maps the few
 * characters outside Latin-1 that fold onto a Latin-1 one (the long s, the Kelvin sign...) onto it; a run that
 * needs any other character ends before it. A rule with an alternative that needs no string (one that may be any
 * word, say) always runs.
 */
import { RegExpParser, type AST } from '@eslint-community/regexpp';

/** A run of a pattern is spelled out only while it has at most this many spellings. */
const MAX_EXACT = 256;
/** A rule with more required strings than this always runs (looking them up would cost more than it saves). */
const MAX_REQUIRED = 4096;
/** Required strings are cut to this many characters: longer ones are rarely more selective and cost more to check. */
const NEEDLE_CHARS = 8;
/** The bit sets that tell which keys of three or four characters start a required string hold 2^KEY_SHIFT bits. */
const KEY_SHIFT = 16;
const KEY_BITS = 1 << KEY_SHIFT;
/** A clause keeps at most this many of its sets, the most selective. */
const MAX_SETS = 3;
/** A set after a clause's most selective one is kept only when each of its strings has at least this many characters. */
const EXTRA_SET_MIN_CHARS = 3;
/** A pattern with more ways than this (see `requiredClauses`) is read as one clause of the strings any way holds. */
const MAX_CLAUSES = 1024;
/** A repeat of more than this many copies is not spelled out. */
const MAX_REPEAT = 3;
/** A class wider than this is not spelled out. */
const MAX_CLASS_CHARS = 32;

/** The rules a reply can match, found in one pass; see the module comment. Built once per rule set. */
export interface RulePrefilter {
  /**
   * For each pattern (by index), 1 when it may match `text`, 0 when it cannot. The filter's one array, which the next
   * call overwrites: read it before classifying another reply.
   */
  candidates(text: string): Uint8Array;
  /** How many rules always run, because no set of required strings was found for them. */
  readonly alwaysRun: number;
}

/**
 * The required strings of two or more characters, in one open-addressing table of typed arrays rather than maps of
 * lists: a lookup reads one short run of memory, where a map's reads its buckets, its entry and the list each in
 * another place, which a reply's other work has pushed out of the cache by the next reply. A slot holds
 * {@link SLOT_FIELDS} numbers: the string's first four (or fewer) characters packed as a key, the characters after
 * those four packed the same way, the string's length (0 in an empty slot), and where its rules start in `lists`
 * (their count, then each rule). The slot of a four-character key holds, in place of characters after it, how many
 * characters its longest string has after the key; it is there (with no rules of its own, maybe) for every key that
 * starts a longer string.
 */
interface StringTable {
  slots: Int32Array;
  /** Slots minus one (the slot count is a power of two). */
  mask: number;
  lists: Int32Array;
}

const SLOT_FIELDS = 4;
const KEY = 0;
const REST = 1;
const LENGTH = 2;
const LIST = 3;

/**
 * Builds the filter for rules' compiled patterns (the `giu` alternations of `compileRuleSet`, or their `iu`
 * conditions), in the caller's order; a null in place of a pattern is never a candidate.
 */
export function buildPrefilter(matchers: ReadonlyArray<RegExp | null>): RulePrefilter {
  const { lower } = latin1Tables();
  const always: number[] = [];
  // The clauses of every pattern (see `requiredClauses`), numbered, and their sets: the reply meets a set when it
  // holds one of the set's strings, a clause when it meets all its sets, and a pattern when it meets one clause.
  const clauseRule: number[] = [];
  const clauseSize: number[] = [];
  const setClause: number[] = [];
  const one: Array<number[] | undefined> = new Array(256);
  // Each string of two or more characters by its key, rest and length, with the sets that hold it.
  const strings = new Map<string, { key: number; rest: number; length: number; sets: number[] }>();
  const under = (key: number, rest: number, length: number) => {
    const id = `${key}:${rest}:${length}`;
    let entry = strings.get(id);
    if (entry === undefined) strings.set(id, (entry = { key, rest, length, sets: [] }));
    return entry;
  };
  matchers.forEach((matcher, rule) => {
    if (matcher === null) return;
    const clauses = requiredClauses(matcher.source);
    if (clauses === null) {
      always.push(rule);
      return;
    }
    for (const clause of clauses) {
      const clauseId = clauseRule.length;
      clauseRule.push(rule);
      clauseSize.push(clause.length);
      for (const required of clause) {
        const set = setClause.length;
        setClause.push(clauseId);
        for (const s of required) {
          const codes = Uint8Array.from(s, (ch) => ch.charCodeAt(0));
          const key = packed(codes, Math.min(codes.length, 4));
          if (codes.length === 1) (one[key] ??= []).push(set);
          else if (codes.length <= 4) under(key, 0, codes.length).sets.push(set);
          else {
            under(key, packed(codes.subarray(4), codes.length - 4), codes.length).sets.push(set);
            const head = under(key, 0, 4);
            head.rest = Math.max(head.rest, codes.length - 4);
          }
        }
      }
    }
  });
  const table = stringTable([...strings.values()]);
  const { slots, lists } = table;
  const count = matchers.length;
  const hasOne = one.some((list) => list !== undefined);
  // A bit for each key of two characters (exact, 8 KB), so most positions never look in the table.
  const maybeTwo = new Uint8Array(65536 / 8);
  // A bit per hashed key, for the keys of three and of four characters: most positions of a reply start no
  // required string, and a bit answers that with one read.
  const maybeThree = new Uint8Array(KEY_BITS / 8);
  const maybeFour = new Uint8Array(KEY_BITS / 8);
  for (const { key, length } of strings.values()) {
    if (length === 2) maybeTwo[key >> 3]! |= 1 << (key & 7);
    else if (length === 3) maybeThree[hashed(key) >> 3]! |= 1 << (hashed(key) & 7);
    else maybeFour[hashed(key) >> 3]! |= 1 << (hashed(key) & 7);
  }
  const hasTwo = maybeTwo.some((bits) => bits !== 0);
  // Reused from reply to reply: an array of one byte per rule is allocated outside V8's heap, slowly.
  const marks = new Uint8Array(count);
  const rulesOfClauses = Int32Array.from(clauseRule);
  const sizesOfClauses = Uint8Array.from(clauseSize);
  const clausesOfSets = Int32Array.from(setClause);
  // The reply each set and clause was last met in, and how many of a clause's sets it met: no pass clears them.
  const setMetIn = new Int32Array(setClause.length);
  const clauseMetIn = new Int32Array(clauseRule.length);
  const clauseSetsMet = new Uint8Array(clauseRule.length);
  let reply = 0;
  /** Meets `set`, and marks the rule of its clause when the reply has then met all the clause's sets. */
  const meet = (set: number): void => {
    if (setMetIn[set] === reply) return;
    setMetIn[set] = reply;
    const clause = clausesOfSets[set]!;
    if (clauseMetIn[clause] !== reply) {
      clauseMetIn[clause] = reply;
      clauseSetsMet[clause] = 0;
    }
    if (++clauseSetsMet[clause]! === sizesOfClauses[clause]) marks[rulesOfClauses[clause]!] = 1;
  };
  /** Meets the sets listed at `at` in the table's lists. */
  const mark = (at: number): void => {
    for (let k = lists[at]!; k > 0; k--) meet(lists[at + k]!);
  };
  return {
    alwaysRun: always.length,
    candidates(text: string): Uint8Array {
      marks.fill(0);
      for (const rule of always) marks[rule] = 1;
      if (++reply === 0x7fffffff) {
        setMetIn.fill(0);
        clauseMetIn.fill(0);
        reply = 1;
      }
      // Each position ends a run of folded characters: `run` of them (a character no required string holds breaks
      // it), the last four packed into `key`. The strings of one to four characters ending here are looked up.
      let key = 0;
      let run = 0;
      for (let i = 0; i < text.length; i++) {
        const unit = fold(text.charCodeAt(i), lower);
        if (unit < 0) {
          run = 0;
          continue;
        }
        key = withNext(key, unit);
        run++;
        if (hasOne) {
          const single = one[unit];
          if (single) for (const set of single) meet(set);
        }
        if (run < 2) continue;
        if (hasTwo) {
          const last = key & 0xffff;
          if ((maybeTwo[last >> 3]! & (1 << (last & 7))) !== 0) mark(slots[slotOf(table, last, 0, 2) + LIST]!);
        }
        if (run < 3) continue;
        const start = key & 0xffffff;
        const startBit = hashed(start);
        if ((maybeThree[startBit >> 3]! & (1 << (startBit & 7))) !== 0) {
          const slot = slotOf(table, start, 0, 3);
          if (slot >= 0) mark(slots[slot + LIST]!);
        }
        if (run < 4) continue;
        const bit = hashed(key);
        if ((maybeFour[bit >> 3]! & (1 << (bit & 7))) === 0) continue;
        const head = slotOf(table, key, 0, 4);
        if (head < 0) continue;
        mark(slots[head + LIST]!);
        // The characters after the key, packed as they are read, looked up by the length they make.
        const longest = slots[head + REST]!;
        let rest = 0;
        for (let n = 1; n <= longest && i + n < text.length; n++) {
          const next = fold(text.charCodeAt(i + n), lower);
          if (next < 0) break;
          rest = withNext(rest, next);
          const slot = slotOf(table, key, rest, 4 + n);
          if (slot >= 0) mark(slots[slot + LIST]!);
        }
      }
      return marks;
    },
  };
}

/** The table of {@link StringTable} holding `strings`, at most half full (a miss then reads a slot or two). */
function stringTable(strings: ReadonlyArray<{ key: number; rest: number; length: number; sets: readonly number[] }>): StringTable {
  let size = 16;
  while (size < strings.length * 2) size *= 2;
  const slots = new Int32Array(size * SLOT_FIELDS);
  const lists = new Int32Array(strings.reduce((sum, s) => sum + 1 + s.sets.length, 0));
  const table = { slots, mask: size - 1, lists };
  let listed = 0;
  for (const { key, rest, length, sets } of strings) {
    let slot = slotHash(key, length === 4 ? 0 : rest, length) & table.mask;
    while (slots[slot * SLOT_FIELDS + LENGTH] !== 0) slot = (slot + 1) & table.mask;
    const at = slot * SLOT_FIELDS;
    slots[at + KEY] = key;
    slots[at + REST] = rest;
    slots[at + LENGTH] = length;
    slots[at + LIST] = listed;
    lists[listed++] = sets.length;
    for (const set of sets) lists[listed++] = set;
  }
  return table;
}

/**
 * Where the slot of the string `key`, `rest`, `length` starts in `table.slots`, or -1 when there is none (`rest` is
 * 0 for a string of four characters or fewer).
 */
function slotOf(table: StringTable, key: number, rest: number, length: number): number {
  const { slots, mask } = table;
  for (let slot = slotHash(key, rest, length) & mask; ; slot = (slot + 1) & mask) {
    const at = slot * SLOT_FIELDS;
    const stored = slots[at + LENGTH]!;
    if (stored === 0) return -1;
    if (stored === length && slots[at + KEY] === key && (length === 4 || slots[at + REST] === rest)) return at;
  }
}

function slotHash(key: number, rest: number, length: number): number {
  return Math.imul(Math.imul(key ^ length, 0x9e3779b1) ^ rest, 0x85ebca6b) >>> 0;
}

/** The key of the last four folded characters after `next` is read: one byte each, the oldest dropped. */
function withNext(key: number, next: number): number {
  // A signed 32-bit result: V8 keeps it a small integer, which a map looks up without allocating.
  return (key << 8) | next;
}

/** The key of a required string's first `n` (at most four) folded characters, as the pass packs them. */
function packed(codes: Uint8Array, n: number): number {
  let key = 0;
  for (let i = 0; i < n; i++) key = withNext(key, codes[i]!);
  return key;
}

/** A key of four characters hashed into the bit set's range. */
function hashed(key: number): number {
  return Math.imul(key | 0, 0x9e3779b1) >>> (32 - KEY_SHIFT);
}

/** Conditions that all hold of a match: in each set, one of its strings is in the match. */
type Clause = Array<Set<string>>;

/**
 * The ways every match of the pattern is made, as clauses: each match meets at least one clause, that is, contains
 * one string of each of the clause's sets, case-folded (Latin-1 characters in lower case). The alternatives of a
 * pattern are kept apart ("talk ... person" needs "talk" and "person", "call me" needs "call me"), so a reply that
 * holds a string of one alternative and another of another does not run the rule. Null when some way needs no
 * string (the rule then always runs).
 */
export function requiredClauses(source: string): Clause[] | null {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, { unicode: true });
  } catch {
    return null;
  }
  const clauses = clausesOf(pattern);
  if (clauses.some((clause) => clause.length === 0)) return null;
  // The most selective set of each clause, and with it at most a few more whose strings are long enough to be rare
  // (a set of short strings such as "to" or " " is met by nearly every reply, and costs a look at every one of them).
  return clauses.map((clause) =>
    [...clause]
      .sort((a, b) => selectivity(b) - selectivity(a))
      .filter((set, i) => i === 0 || shortestOf(set) >= EXTRA_SET_MIN_CHARS)
      .slice(0, MAX_SETS)
      .map(fewest),
  );
}

/** The clauses of `node` (see {@link requiredClauses}); an empty clause needs nothing. */
function clausesOf(node: AST.Node): Clause[] {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup': {
      const clauses: Clause[] = [];
      for (const alternative of node.alternatives) {
        clauses.push(...clausesOf(alternative));
        if (clauses.length > MAX_CLAUSES) return [oneSet(required(node))];
      }
      return clauses;
    }
    case 'Quantifier':
      return node.min >= 1 ? clausesOf(node.element) : [[]];
    case 'Alternative':
      return clausesInSequence(node.elements);
    default:
      return [oneSet(exact(node))];
  }
}

/**
 * In a sequence every run of elements with known strings, and every element that must occur, holds one of its
 * strings: all of those sets go into each clause. One element with several ways of its own (the alternation of a
 * rule's patterns, say) lends each way a clause of its own.
 */
function clausesInSequence(elements: readonly AST.Element[]): Clause[] {
  const all: Clause = [];
  let ways: Clause[] | null = null;
  let waysElement: AST.Element | null = null;
  walkSequence(
    elements,
    (run) => all.push(...oneSet(run)),
    (element) => {
      const own = clausesOf(element);
      if (own.length === 1) all.push(...own[0]!);
      else if (ways === null) {
        ways = own;
        waysElement = element;
      } else all.push(...oneSet(required(element)));
    },
  );
  if (ways === null) return [all];
  // Ways are kept apart only where nothing else is required beside them (the alternation of a rule's patterns):
  // elsewhere each way would repeat the sequence's other sets, and the reply's pass would meet each copy.
  return all.length === 0 ? ways : [[...all, ...oneSet(required(waysElement!))]];
}

/** A clause of the one set `strings`, or an empty clause when they cannot serve (see {@link usable}). */
function oneSet(strings: Strings): Clause {
  const set = usable(strings);
  return set === null ? [] : [set];
}

/**
 * The same guarantee with fewer, shorter strings: each cut to its first {@link NEEDLE_CHARS} characters (a match
 * containing a string contains its start), then every string that contains another dropped.
 */
function fewest(strings: ReadonlySet<string>): Set<string> {
  const cut = [...new Set([...strings].map((s) => s.slice(0, NEEDLE_CHARS)))].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept = new Set<string>();
  for (const s of cut) if (!containsAny(s, kept)) kept.add(s);
  return kept;
}

/** Whether one of `strings` occurs in `s` (checked substring by substring: `s` is short). */
function containsAny(s: string, strings: ReadonlySet<string>): boolean {
  for (let from = 0; from < s.length; from++) for (let to = from + 1; to <= s.length; to++) if (strings.has(s.slice(from, to))) return true;
  return false;
}

/** A set of strings, or null when it is unknown, infinite or larger than {@link MAX_EXACT}. */
type Strings = Set<string> | null;

/** Every string `node` can match, when they are few and all Latin-1; otherwise null. */
function exact(node: AST.Node): Strings {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return unionOf(node.alternatives.map(exact));
    case 'Alternative': {
      let acc: Strings = new Set(['']);
      for (const element of node.elements) {
        acc = product(acc, exact(element));
        if (acc === null) return null;
      }
      return acc;
    }
    case 'Assertion':
      return new Set(['']); // zero-width: it consumes nothing
    case 'Character': {
      const c = foldPatternChar(node.value);
      return c === null ? null : new Set([c]);
    }
    case 'CharacterClass':
      return classChars(node);
    case 'CharacterSet':
      return node.kind === 'digit' && !node.negate ? new Set('0123456789') : null;
    case 'Quantifier': {
      if (node.max > MAX_REPEAT) return null;
      const once = exact(node.element);
      if (once === null) return null;
      let copies: Strings = new Set(['']);
      for (let i = 0; i < node.min; i++) copies = product(copies, once);
      let all = copies;
      for (let i = node.min; i < node.max && all !== null && copies !== null; i++) {
        copies = product(copies, once);
        all = unionOf([all, copies]);
      }
      return all;
    }
    default:
      return null;
  }
}

/** Strings one of which every match of `node` contains (none empty), or null. */
function required(node: AST.Node): Strings {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return unionOf(node.alternatives.map(required), MAX_REQUIRED);
    case 'Quantifier':
      return node.min >= 1 ? required(node.element) : null;
    case 'Alternative':
      return requiredInSequence(node.elements);
    default:
      return usable(exact(node));
  }
}

/**
 * In a sequence, every run of elements with known strings is matched by one of the run's concatenations, and every
 * element that must occur contains one of its own required strings: the most selective of these sets is kept.
 */
function requiredInSequence(elements: readonly AST.Element[]): Strings {
  let best: Set<string> | null = null;
  const consider = (candidate: Strings): void => {
    const set = usable(candidate);
    if (set !== null && (best === null || selectivity(set) > selectivity(best))) best = set;
  };
  walkSequence(elements, consider, (element) => consider(required(element)));
  return best;
}

/**
 * Walks a sequence's elements in order: each run of elements whose strings are known, joined (the strings of a
 * whole run, as long as joining stays within bounds), goes to `onRun`; each element whose strings are not known goes
 * to `onUnknown`, in its place between the runs.
 */
function walkSequence(elements: readonly AST.Element[], onRun: (run: Strings) => void, onUnknown: (element: AST.Element) => void): void {
  let run: Strings = new Set(['']);
  for (const element of elements) {
    const strings = exact(element);
    const joined: Strings = strings === null ? null : product(run, strings);
    if (joined !== null) {
      run = joined;
      continue;
    }
    onRun(run);
    run = strings ?? new Set(['']);
    if (strings === null) onUnknown(element);
  }
  onRun(run);
}

/** A set that can serve as required strings: none of them empty. */
function usable(set: Strings): Strings {
  if (set === null || set.size === 0) return null;
  for (const s of set) if (s.length === 0) return null;
  return set;
}

/** Longer strings are rarer in replies; among sets of equally long strings, fewer is better. */
function selectivity(set: ReadonlySet<string>): number {
  return Math.min(shortestOf(set), 6) * 10_000 - set.size;
}

function shortestOf(set: ReadonlySet<string>): number {
  let shortest = Infinity;
  for (const s of set) shortest = Math.min(shortest, s.length);
  return shortest;
}

function product(left: Strings, right: Strings): Strings {
  if (left === null || right === null || left.size * right.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const a of left) for (const b of right) out.add(a + b);
  return out;
}

function unionOf(parts: readonly Strings[], cap = MAX_EXACT): Strings {
  const out = new Set<string>();
  for (const part of parts) {
    if (part === null) return null;
    for (const s of part) out.add(s);
  }
  return out.size > cap ? null : out;
}

function classChars(node: AST.CharacterClass): Strings {
  if (node.negate || node.unicodeSets) return null;
  const chars = new Set<string>();
  for (const element of node.elements) {
    if (element.type === 'Character') {
      const c = foldPatternChar(element.value);
      if (c === null) return null;
      chars.add(c);
    } else if (element.type === 'CharacterClassRange') {
      if (element.max.value - element.min.value > MAX_CLASS_CHARS) return null;
      for (let v = element.min.value; v <= element.max.value; v++) {
        const c = foldPatternChar(v);
        if (c === null) return null;
        chars.add(c);
      }
    } else if (element.type === 'CharacterSet' && element.kind === 'digit' && !element.negate) {
      for (const d of '0123456789') chars.add(d);
    } else {
      return null;
    }
  }
  return chars;
}

/** A pattern's Latin-1 character in lower case, or null for any other (a spelled-out run ends before it). */
function foldPatternChar(codePoint: number): string | null {
  if (codePoint >= 256) return null;
  return String.fromCharCode(latin1Tables().lower[codePoint]!);
}

/** A reply's code unit folded as the filter compares it: Latin-1 lower case, or -1 when no required string holds it. */
function fold(unit: number, lower: Uint8Array): number {
  if (unit < 256) return lower[unit]!;
  return outsideLatin1().get(unit) ?? -1;
}

let tables: { lower: Uint8Array } | undefined;

/** The lower case of each Latin-1 character (itself when it has none within Latin-1). */
export function latin1Tables(): { lower: Uint8Array } {
  if (tables) return tables;
  const lower = new Uint8Array(256);
  for (let u = 0; u < 256; u++) {
    const l = String.fromCharCode(u).toLowerCase();
    lower[u] = l.length === 1 && l.charCodeAt(0) < 256 ? l.charCodeAt(0) : u;
  }
  tables = { lower };
  return tables;
}

let folded: Map<number, number> | undefined;

/**
 * The characters outside Latin-1 that a case-insensitive Unicode pattern takes for a Latin-1 one (the long s for
 * "s", the Kelvin sign for "k"...), each with that character's lower case; found once by asking the regular
 * expression engine about every other character of the Basic Multilingual Plane (none outside it folds into Latin-1).
 */
export function outsideLatin1(): ReadonlyMap<number, number> {
  if (folded) return folded;
  const map = new Map<number, number>();
  const anyLatin1 = /^[\u0000-\u00ff]$/iu;
  const { lower } = latin1Tables();
  for (let u = 256; u < 0x10000; u++) {
    if (u >= 0xd800 && u <= 0xdfff) continue;
    const ch = String.fromCharCode(u);
    if (!anyLatin1.test(ch)) continue;
    for (let p = 0; p < 256; p++) {
      if (new RegExp(`^\\u{${p.toString(16)}}$`, 'iu').test(ch)) {
        map.set(u, lower[p]!);
        break;
      }
    }
  }
  folded = map;
  return map;
}
