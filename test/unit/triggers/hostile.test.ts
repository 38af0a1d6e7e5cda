import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyReply, loadRuleSet } from '../../../src/triggers';
import { LEARNED_READ_CHARS } from '../../../src/triggers/learned/features';
import { loadLearnedReader, readReply } from '../../../src/triggers/learned/reader';
import { classifyWithReaders } from '../../../src/triggers/readers';
import { RULE_MATCHES_EXAMINED } from '../../../src/triggers/classify';
import { DATE_MENTIONS_READ } from '../../../src/triggers/dates';
import { type ScanCost, measureScanCost } from '../../../src/triggers/meter';
import { NEGATION_LOOKBACK_CHARS } from '../../../src/triggers/rules';
import { REPLY_SCAN_CHARS, STRIP_SCAN_CHARS } from '../../../src/triggers/strip';
import { HOSTILE_FAMILIES, REPLY_MAX_CHARS } from '../../helpers/hostileReplies';

const rules = loadRuleSet();
const receivedAt = '2026-03-01T09:00:00Z';

/**
 * The most characters one classification may hand to regular expressions: every rule reads the prospect's words
 * (at most REPLY_SCAN_CHARS) for its patterns, once more for an exclusion that looks at the whole reply, and each
 * sentence holding one of its matches once for its exclusions and context (at most the words again, twice), plus
 * a short stretch before each match it examines for negation; the stripping passes read each line of the first
 * STRIP_SCAN_CHARS a bounded number of times; the date parser reads the words a bounded number of times and a
 * short stretch before each date it considers. Quadratic work (a rescan of the reply per match, a pattern scanned
 * from every position) exceeds it by orders of magnitude on 100 KB.
 */
const budget =
  rules.rules.length * (4 * REPLY_SCAN_CHARS + RULE_MATCHES_EXAMINED * NEGATION_LOOKBACK_CHARS) +
  48 * STRIP_SCAN_CHARS +
  32 * REPLY_SCAN_CHARS +
  DATE_MENTIONS_READ * 2 * 60;

function classify(text: string) {
  return measureScanCost(() => classifyReply(text, rules, { receivedAt }));
}

describe('hostile replies: the cost of classifying a reply is bounded whatever its text', () => {
  for (const family of HOSTILE_FAMILIES) {
    test(`${family.name}, 100 KB: the lead reply keeps its labels and the work stays within the budget`, () => {
      const text = family.text(REPLY_MAX_CHARS);
      assert.ok(text.length > REPLY_MAX_CHARS - 100 && text.length <= REPLY_MAX_CHARS);
      const { result, cost } = classify(text);
      assert.deepEqual(result.labels, family.labels);
      assert.ok(cost.longest <= STRIP_SCAN_CHARS, `no regular expression is handed more than ${STRIP_SCAN_CHARS} characters (${cost.longest})`);
      assert.ok(cost.chars <= budget, `${cost.chars} characters read, budget ${budget}`);
      for (const e of result.evidence) assert.equal(e.text, text.slice(e.start, e.end), 'evidence offsets point into the reply');
    });
  }

  test('past the stripping window, a longer reply costs nothing more: 100 KB reads exactly what 20 KB reads', () => {
    for (const family of HOSTILE_FAMILIES) {
      const long: ScanCost = classify(family.text(REPLY_MAX_CHARS)).cost;
      const shorter: ScanCost = classify(family.text(20_000)).cost;
      assert.deepEqual(long, shorter, family.name);
    }
  });

  test('a question within the first 8,000 characters of the prospect\'s words is read; one after them is not', () => {
    const prose = 'We have been reviewing our outbound process with the team this quarter and have notes to share. ';
    const pad = (chars: number) => prose.repeat(Math.ceil(chars / prose.length)).slice(0, chars);
    const early = `${pad(REPLY_SCAN_CHARS - 500)}How much does it cost for 40 seats? ${pad(20_000)}`;
    const late = `${pad(REPLY_SCAN_CHARS + 500)}How much does it cost for 40 seats?`;
    assert.deepEqual(classifyReply(early, rules, { receivedAt }).labels, ['pricing']);
    assert.deepEqual(classifyReply(late, rules, { receivedAt }).labels, ['none']);
  });

  test('a reply cut at the cap does not end there: a short yes followed by 100 KB of emoji and a word is no yes', () => {
    const text = `yes ${'👍 '.repeat(30_000)}but actually no`;
    assert.deepEqual(classifyReply(text, rules, { receivedAt }).labels, ['none']);
    assert.deepEqual(classifyReply('yes 👍 👍', rules, { receivedAt }).labels, ['buying_intent']);
  });

  test('with both readers, padding never turns a reply into an opt-out and never sets its question aside', () => {
    const learned = loadLearnedReader();
    for (const family of HOSTILE_FAMILIES) {
      const labels = classifyWithReaders(family.text(REPLY_MAX_CHARS), { rules, learned }, { receivedAt }).labels;
      assert.ok(!labels.includes('opt_out'), `${family.name}: read as an opt-out (${labels.join(', ')})`);
      for (const label of family.labels.filter((l) => l !== 'none')) assert.ok(labels.includes(label), `${family.name}: lost ${label} (${labels.join(', ')})`);
    }
  });

  test('the learned reader reads the first LEARNED_READ_CHARS characters of a reply, whatever follows them', () => {
    const learned = loadLearnedReader();
    const head = `How much is it per seat? ${'We are looking at options for the team this year. '.repeat(Math.ceil(LEARNED_READ_CHARS / 50))}`;
    const plain = readReply(learned, head);
    const padded = readReply(learned, `${head}${'Please remove me from your list, stop emailing. '.repeat(2_000)}`);
    assert.deepEqual(padded.labels, plain.labels);
    assert.deepEqual(padded.scores, plain.scores);
  });

  test('the learned reader counts a phrase once: a price question followed by endless thanks reads as it does with a few', () => {
    const learned = loadLearnedReader();
    const question = 'How much is it per seat? ';
    const two = readReply(learned, `${question}${'thanks '.repeat(2)}`);
    // Thirty thanks already make a long reply (the reply's length is a feature of its own), so from there on only
    // counting a phrase more than once could move a score.
    const thirty = readReply(learned, `${question}${'thanks '.repeat(30)}`);
    const endless = readReply(learned, `${question}${'thanks '.repeat(10_000)}`);
    assert.deepEqual(endless.labels, two.labels);
    assert.ok(endless.labels.includes('pricing'));
    for (const [label, score] of Object.entries(thirty.scores)) {
      const scoreEndless = endless.scores[label as keyof typeof endless.scores] ?? 0;
      assert.ok(Math.abs(scoreEndless - score) < 1e-9, `${label}: ${score} with thirty, ${scoreEndless} with 10,000`);
    }
  });
});
