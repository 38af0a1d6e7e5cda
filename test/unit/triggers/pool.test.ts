import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createClassifyActivities } from '../../../activities/classify';
import { ClassificationFailedError, RulesFileError, loadRuleSet, parseRuleSet } from '../../../src/triggers';
import { DEFAULT_RULES_FILE } from '../../../src/triggers/load';
import { loadLearnedReader } from '../../../src/triggers/learned/reader';
import { classifyWithReaders } from '../../../src/triggers/readers';
import { ClassifierPool } from '../../../src/triggers/pool';
import { WARM_UP_REPLIES } from '../../../src/triggers/warmUp';
import { HOSTILE_FAMILIES, REPLY_MAX_CHARS } from '../../helpers/hostileReplies';

const receivedAt = '2026-03-01T09:00:00Z';

/**
 * A rule set whose one pattern backtracks exponentially (it would be refused from a user's file; built inline
 * here it is not checked): on a line of "a"s it runs for far longer than any time limit.
 */
function runawayRules() {
  return parseRuleSet(
    JSON.stringify({
      settings: { negation: { cues: { en: ['not'] } } },
      rules: [{ id: 'pricing.test.runaway', label: 'pricing', description: 'backtracks', patterns: ['(?:a+)+b'] }],
    }),
  );
}

function rulesFile(patterns: string[]): string {
  return JSON.stringify({
    settings: { negation: { cues: { en: ['not'] } } },
    rules: [{ id: 'pricing.test.price', label: 'pricing', lang: 'en', description: 'asks about price', patterns }],
  });
}

describe('classification in worker threads with a time limit', () => {
  // Generous enough for any real reply on a busy machine; the runaway pattern below would run for hours.
  const pool = new ClassifierPool({ threads: 2, timeLimitMs: 5_000 });
  const strict = new ClassifierPool({ threads: 1, timeLimitMs: 300 });
  after(async () => {
    await pool.close();
    await strict.close();
  });

  test('a reply is classified in a thread exactly as in this one, with the built-in rules loaded by the thread', async () => {
    const readers = { rules: loadRuleSet(), learned: loadLearnedReader() };
    for (const text of ['How much is it for 40 seats?', 'Is this a bot? I want to talk to a person.', HOSTILE_FAMILIES[0]!.text(REPLY_MAX_CHARS)]) {
      assert.deepEqual(await pool.classify(text, readers, { receivedAt }), classifyWithReaders(text, readers, { receivedAt }));
    }
  });

  test('warming up has every thread load the readers and read the warm-up replies, and changes no verdict', async () => {
    const readers = { rules: loadRuleSet(), learned: loadLearnedReader() };
    const warm = new ClassifierPool({ threads: 2, timeLimitMs: 5_000 });
    try {
      assert.deepEqual(await warm.warmUp(readers), [WARM_UP_REPLIES.length, WARM_UP_REPLIES.length]);
      const text = 'Is this a bot? I want to talk to a person.';
      assert.deepEqual(await warm.classify(text, readers, { receivedAt }), classifyWithReaders(text, readers, { receivedAt }));
    } finally {
      await warm.close();
    }
  });

  test('a rules file parsed in a thread reads every reply as the same file parsed here, and a bad one is refused naming the rule and field', async () => {
    const source = readFileSync(DEFAULT_RULES_FILE, 'utf8');
    const here = parseRuleSet(source, DEFAULT_RULES_FILE);
    const there = await pool.parseRules(source, DEFAULT_RULES_FILE);
    assert.equal(there.version, here.version);
    for (const text of ['How much is it for 40 seats?', 'Is this a bot? I want to talk to a person.', 'Please take me off your list.', WARM_UP_REPLIES[0]!]) {
      assert.deepEqual(classifyWithReaders(text, { rules: there, learned: null }, { receivedAt }), classifyWithReaders(text, { rules: here, learned: null }, { receivedAt }));
    }

    for (const bad of [rulesFile(['(unclosed']), rulesFile(['x*'])]) {
      const expected = (() => {
        try {
          parseRuleSet(bad, 'candidate.yaml');
        } catch (err) {
          return err as RulesFileError;
        }
        throw new Error('the file was expected to be refused');
      })();
      await assert.rejects(pool.parseRules(bad, 'candidate.yaml'), (err: unknown) => {
        assert.ok(err instanceof RulesFileError);
        assert.equal(err.message, expected.message);
        assert.equal(err.ruleId, 'pricing.test.price');
        assert.equal(err.field, 'patterns[0]');
        return true;
      });
    }
  });

  test('a reload warms every thread in turn, each task waiting for a thread not yet reached, while replies are read', async () => {
    const readers = { rules: loadRuleSet(), learned: loadLearnedReader() };
    const reload = new ClassifierPool({ threads: 2, timeLimitMs: 5_000 });
    try {
      const text = 'How much is it for 40 seats?';
      const [read, verdicts] = await Promise.all([
        reload.warmUp(readers, 'one thread at a time'),
        Promise.all(Array.from({ length: 4 }, () => reload.classify(text, readers, { receivedAt }))),
      ]);
      assert.deepEqual(read, [WARM_UP_REPLIES.length, WARM_UP_REPLIES.length], 'both threads reached, not the first idle one twice');
      for (const verdict of verdicts) assert.deepEqual(verdict, classifyWithReaders(text, readers, { receivedAt }));
      assert.deepEqual(await reload.warmUp({ rules: parseRuleSet(rulesFile(['tarif'])), learned: null }, 'one thread at a time'), [WARM_UP_REPLIES.length, WARM_UP_REPLIES.length]);
    } finally {
      await reload.close();
    }
  });

  test('warming up with readers built in code sends them with the task', async () => {
    const rules = parseRuleSet(rulesFile(['tarif']));
    assert.deepEqual(await pool.warmUp({ rules, learned: null }), [WARM_UP_REPLIES.length, WARM_UP_REPLIES.length]);
  });

  test('a reply that runs past the time limit fails as "time_limit", and the next reply is classified', async () => {
    await assert.rejects(strict.classify(`${'a'.repeat(40)}!`, { rules: runawayRules(), learned: null }, { receivedAt }), (err: unknown) => {
      assert.ok(err instanceof ClassificationFailedError);
      assert.equal(err.reason, 'time_limit');
      return true;
    });
    const rules = parseRuleSet(rulesFile(['cost']));
    assert.deepEqual((await strict.classify('What does it cost?', { rules: rules, learned: null }, { receivedAt })).labels, ['pricing']);
  });

  test('rules built in code reach the thread with the task', async () => {
    const rules = parseRuleSet(rulesFile(['tarif']));
    const result = await pool.classify('Quel est le tarif ?', { rules: rules, learned: null }, { receivedAt });
    assert.deepEqual(result.labels, ['pricing']);
    assert.equal(result.rulesVersion, rules.version);
  });

  test('the learned reader reaches the thread: from its file, or with the task when it was built in code', async () => {
    const shipped = loadLearnedReader();
    const rules = loadRuleSet();
    const fromFile = await pool.classify('ok so what would the damage be for the three of us', { rules, learned: shipped }, { receivedAt });
    assert.equal(fromFile.modelVersion, shipped.version);
    const { parseLearnedReader } = await import('../../../src/triggers/learned/reader');
    const inCode = parseLearnedReader(shipped.source, 'built in code');
    const withTask = await pool.classify('Is this a bot?', { rules, learned: inCode }, { receivedAt });
    assert.equal(withTask.modelVersion, shipped.version);
  });

  test('a rules file edited on disk: each reply is classified with the version it was sent with, and a reload takes effect', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'handoff-pool-')), 'rules.json');
    writeFileSync(file, rulesFile(['price']));
    const first = loadRuleSet(file);
    assert.deepEqual((await pool.classify('the price?', { rules: first, learned: null }, { receivedAt })).labels, ['pricing']);
    writeFileSync(file, rulesFile(['cost']));
    const sentWithFirst = await pool.classify('the price?', { rules: first, learned: null }, { receivedAt });
    assert.deepEqual(sentWithFirst.labels, ['pricing'], 'the version the reply was sent with, though the file changed');
    assert.equal(sentWithFirst.rulesVersion, first.version);
    const reloaded = loadRuleSet(file);
    const withReloaded = await pool.classify('the price?', { rules: reloaded, learned: null }, { receivedAt });
    assert.deepEqual(withReloaded.labels, ['none']);
    assert.equal(withReloaded.rulesVersion, reloaded.version);
    assert.notEqual(reloaded.version, first.version);
  });

  test('the classify activity escalates a reply its thread could not classify in time, with the reason, never silence', async () => {
    const rules = runawayRules();
    const activities = createClassifyActivities({ readers: async () => ({ rules, learned: null }), classifier: strict });
    const verdict = await new MockActivityEnvironment().run(activities.classifyReply, { text: `${'a'.repeat(40)}!`, receivedAt });
    assert.deepEqual(verdict, {
      labels: [],
      escalate: true,
      trigger: null,
      evidence: [],
      returnDate: null,
      snoozeUntil: null,
      autoReply: false,
      rulesVersion: rules.version,
      modelVersion: null,
      decidedBy: {},
      fallback: 'time_limit',
    });
  });

  test('a closed pool fails what it is asked as "thread_failed"', async () => {
    const closing = new ClassifierPool({ threads: 1, timeLimitMs: 60_000 });
    const failed = assert.rejects(
      closing.classify(`${'a'.repeat(40)}!`, { rules: runawayRules(), learned: null }, { receivedAt }),
      (err: unknown) => err instanceof ClassificationFailedError && err.reason === 'thread_failed',
    );
    await closing.close();
    await failed;
  });
});
