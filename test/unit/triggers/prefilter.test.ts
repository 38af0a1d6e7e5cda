import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { classifyReply, loadRuleSet, parseRuleSet } from '../../../src/triggers';
import { ownWordsOf } from '../../../src/triggers/classify';
import { seededRandom } from '../../../src/triggers/learned/train';
import { buildPrefilter, latin1Tables, outsideLatin1, requiredClauses } from '../../../src/triggers/prefilter';
import { HOSTILE_FAMILIES, REPLY_MAX_CHARS } from '../../helpers/hostileReplies';

const rules = loadRuleSet();
const corpusDir = join(__dirname, '../../../data/corpus');
const corpus: string[] = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) => readFileSync(join(corpusDir, f), 'utf8').split('\n'))
  .filter((line) => line.trim())
  .map((line) => (JSON.parse(line) as { text: string }).text);

/** The rules whose matcher finds a match in `scan`, by index. */
function matching(matchers: readonly RegExp[], scan: string): number[] {
  return matchers.flatMap((matcher, index) => {
    matcher.lastIndex = 0;
    const found = matcher.exec(scan) !== null;
    matcher.lastIndex = 0;
    return found ? [index] : [];
  });
}

describe('the rule prefilter: a reply runs only the rules that can match it', () => {
  test('Latin-1 characters are compared by lower case exactly as case-insensitive Unicode patterns compare them', () => {
    const { lower } = latin1Tables();
    for (let p = 0; p < 256; p++) {
      const pattern = new RegExp(`^\\u{${p.toString(16)}}$`, 'iu');
      for (let t = 0; t < 256; t++) {
        assert.equal(pattern.test(String.fromCharCode(t)), lower[p] === lower[t], `U+${p.toString(16)} against U+${t.toString(16)}`);
      }
    }
  });

  test('the characters outside Latin-1 that patterns take for a Latin-1 one are folded onto it, and no others', () => {
    const folded = outsideLatin1();
    assert.deepEqual(
      [...folded.keys()].sort((a, b) => a - b).map((u) => u.toString(16)),
      ['178', '17f', '39c', '3bc', '1e9e', '212a', '212b'],
    );
    assert.equal(String.fromCharCode(folded.get(0x17f)!), 's', 'the long s is an "s"');
    assert.equal(String.fromCharCode(folded.get(0x212a)!), 'k', 'the Kelvin sign is a "k"');
    for (const [unit, to] of folded) assert.ok(new RegExp(`^\\u{${to.toString(16)}}$`, 'iu').test(String.fromCharCode(unit)));
    const anyLatin1 = /^[\u0000-\u00ff]$/iu;
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 1) assert.equal(anyLatin1.test(String.fromCodePoint(cp)), false);
  });

  test('a pattern yields the strings every match must contain, cut short and without strings that contain others', () => {
    const one = (...strings: string[]) => [[new Set(strings)]];
    assert.deepEqual(requiredClauses('(?:talk|speak) to (?:a )?person'), one('talk to ', 'speak to'));
    assert.deepEqual(requiredClauses('\\p{L}+ is (?:the )?right'), one(' is the ', ' is righ'));
    assert.deepEqual(requiredClauses('(?:unsub|unsubscribe|unsubscribed)'), one('unsub'));
    assert.deepEqual(requiredClauses('PRICE[sd]?'), one('price'));
    assert.deepEqual(requiredClauses('\\d{1,2} ?(?:am|pm)'), one('am', 'pm'));
    assert.deepEqual(requiredClauses('.+\\?'), one('?'));
  });

  test('each alternative of a pattern is a clause of its own, which needs a string of each of its sets', () => {
    assert.deepEqual(requiredClauses('(?:talk|speak) \\p{L}+ (?:person|human)|call me'), [
      [new Set([' person', ' human']), new Set(['talk ', 'speak '])],
      [new Set(['call me'])],
    ]);
    const filter = buildPrefilter([/(?<![\p{L}\p{N}_])(?:(?:talk|speak) \p{L}+ (?:person|human)|call me)/giu]);
    assert.deepEqual([...filter.candidates('Can I talk to a person?')], [1]);
    assert.deepEqual([...filter.candidates('A person will call you')], [0], 'a string of one of the clause\'s sets is not enough');
    assert.deepEqual([...filter.candidates('Call me')], [1]);
  });

  test('a pattern with no string every match must contain always runs', () => {
    assert.equal(requiredClauses('.+'), null);
    assert.equal(requiredClauses('\\p{L}+'), null);
    assert.equal(requiredClauses('(?:stop|\\w+)'), null, 'one alternative with nothing required is enough');
    const filter = buildPrefilter([/(?:stop|\w+)/giu]);
    assert.equal(filter.alwaysRun, 1);
    assert.deepEqual([...filter.candidates('nothing here')], [1]);
  });

  test('a reply that holds none of a rule\'s strings does not run it; one that does, does', () => {
    const filter = buildPrefilter([/(?<![\p{L}\p{N}_])(?:unsubscribe|remove me)/giu, /(?<![\p{L}\p{N}_])(?:pric(?:e|ing)|cost)/giu]);
    assert.deepEqual([...filter.candidates('Please REMOVE ME from this list')], [1, 0]);
    assert.deepEqual([...filter.candidates('What is the pricing?')], [0, 1]);
    assert.deepEqual([...filter.candidates('What does it ﬁx?')], [0, 0]);
    assert.deepEqual([...filter.candidates('Unſubſcribe')], [1, 0], 'the long s is folded as the pattern folds it');
  });

  test('every rule that matches a corpus, sample or hostile reply is among its candidates, and so is every condition', () => {
    const matchers = rules.rules.map((r) => r.matcher);
    const sample = readFileSync(join(__dirname, '../../../../shared/replies-sample.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => (JSON.parse(line) as { text: string }).text);
    const hostile = HOSTILE_FAMILIES.map((f) => f.text(REPLY_MAX_CHARS));
    let skipped = 0;
    let runs = 0;
    for (const text of [...corpus, ...sample, ...hostile]) {
      const scan = ownWordsOf(text);
      const candidates = rules.prefilter.candidates(scan);
      for (const index of matching(matchers, scan)) assert.equal(candidates[index], 1, `${rules.rules[index]!.id} matches ${JSON.stringify(text.slice(0, 80))}`);
      for (const [offset, field] of [[matchers.length, 'unless'], [2 * matchers.length, 'requires']] as const) {
        rules.rules.forEach((rule, index) => {
          const condition = rule[field];
          if (condition !== null && candidates[offset + index] === 0) {
            assert.equal(condition.test(scan), false, `${rule.id}'s ${field} matches ${JSON.stringify(text.slice(0, 80))}`);
          }
        });
      }
      for (const mark of candidates.subarray(0, matchers.length)) {
        if (mark === 1) runs++;
        else skipped++;
      }
    }
    assert.ok(skipped > runs, `most rules are skipped (${skipped} skipped, ${runs} run)`);
  });

  test('random patterns and replies: a rule the filter skips never matches', () => {
    const next = seededRandom(20261203); // seeded, so a failure reproduces
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const words = ['stop', 'STOP', 'ſtop', 'Preis', 'prix', 'coût', 'Kelvin', 'kelvin', 'straße', 'STRASSE', 'µs', 'talk', 'to', 'a', 'person', '\\?', 'ÿes', 'Ÿes', '42', 'é'];
    const atom = (): string =>
      pick([
        () => pick(words),
        () => `[${pick(['a-c', 'sS', 'kK', 'éè', '0-9', '\\d'])}]`,
        () => `(?:${pick(words)}|${pick(words)})`,
        () => `(?:${pick(words)} )?`,
        () => `${pick(words)}${pick(['?', '+', '{1,2}', '*', ''])}`,
        () => pick(['\\p{L}+', '.', '\\s', '\\w', '(?=x)', '\\b']),
      ])();
    const textWords = [...words.filter((w) => w !== '\\?'), '?', 'xo', 'the', 'ſ', 'K', 'Å', 'å', ' ', '.', '\n', 'ﬁ', '😀'];
    for (let round = 0; round < 300; round++) {
      const sources = Array.from({ length: 3 }, () => Array.from({ length: 1 + Math.floor(next() * 3) }, atom).join(pick(['', ' '])));
      const matchers = sources.map((s) => new RegExp(`(?<![\\p{L}\\p{N}_])(?:${s})`, 'giu'));
      const filter = buildPrefilter(matchers);
      for (let t = 0; t < 20; t++) {
        const text = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(textWords)).join(pick(['', ' ']));
        const candidates = filter.candidates(text);
        for (const index of matching(matchers, text)) assert.equal(candidates[index], 1, `/${sources[index]}/ matches ${JSON.stringify(text)}`);
      }
    }
  });

  test('a rules file of its own gets its own filter, and verdicts are those of running every rule', () => {
    const own = parseRuleSet(
      `settings:\n  triggerPriority: [human_request, buying_intent, pricing, technical]\n  negation:\n    window: 6\n    labels: []\n    cues: {}\n    breaks: []\n  languageHints: {}\n  autoReplyDrops: []\n  declineDrops: []\n  maxEvidencePerRule: 3\nrules:\n  - id: pricing.quote\n    label: pricing\n    description: asks for a quote\n    patterns: ['(?:send|need) (?:me |us )?a quote']\n`,
    );
    assert.equal(own.prefilter.alwaysRun, 0);
    assert.deepEqual(classifyReply('Could you send us a quote?', own).labels, ['pricing']);
    assert.deepEqual(classifyReply('Could you send us the deck?', own).labels, ['none']);
  });
});
