import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { backtest } from '../../../src/review/backtest';
import { formatBacktest } from '../../../src/review/format';
import { parseRuleSet } from '../../../src/triggers';
import { CANDIDATE_RULES, CURRENT_RULES, CURRENT_VERSION, FIXTURE_EVENTS } from './ledgerFixture';

// The rules alone: these fixtures test what a rules change does; the learned reader has its own back-test below.
const candidate = { rules: parseRuleSet(CANDIDATE_RULES, 'candidate.yaml'), learned: null };
const current = { rules: parseRuleSet(CURRENT_RULES, 'current.yaml'), learned: null };
const result = backtest(FIXTURE_EVENTS, candidate);

describe('backtest', () => {
  test('re-classifies every recorded reply with text, and counts the ones without', () => {
    assert.equal(result.replies, 8);
    assert.equal(result.skipped, 1);
    assert.equal(result.candidateVersion, candidate.rules.version);
    assert.equal(result.candidateModelVersion, null);
    assert.deepEqual(result.currentVersions, [CURRENT_VERSION]);
  });

  test('lists the replies that would start escalating, with their text and what reps said', () => {
    assert.deepEqual(
      result.started.map((c) => [c.conversationId, c.messageId, c.candidate.trigger, c.truth, c.text]),
      [['prospect-e', 'msg-e1', 'technical', 'missed', 'Our security team wants to see your SOC 2 report before we go further.']],
    );
    assert.deepEqual(result.started[0]?.candidate.rulesFired, ['technical.security']);
  });

  test('lists the replies that would stop escalating', () => {
    assert.deepEqual(
      result.stopped.map((c) => [c.conversationId, c.current.trigger, c.candidate.escalate, c.truth]),
      [['prospect-g', 'pricing', false, 'not_needed']],
    );
    assert.deepEqual(result.retriggered, []);
  });

  test("scores both rule sets against reps' feedback and manual triggers", () => {
    assert.equal(result.labelled, 5);
    assert.deepEqual(result.current, { tp: 1, fp: 3, fn: 1, tn: 0, precision: 0.25, recall: 0.5, f1: 1 / 3 });
    assert.deepEqual(result.candidate, { tp: 2, fp: 2, fn: 0, tn: 1, precision: 0.5, recall: 1, f1: 2 / 3 });
  });

  test('names the rules that would fire on a different number of replies', () => {
    assert.deepEqual(result.rules, [
      { ruleId: 'pricing.how-much', current: 4, candidate: 3 },
      { ruleId: 'technical.security', current: 0, candidate: 1 },
    ]);
  });

  test('with the current rules given, the baseline is re-run on the same text and agrees with the record', () => {
    const rerun = backtest(FIXTURE_EVENTS, candidate, current);
    assert.deepEqual(rerun.currentVersions, [current.rules.version]);
    assert.deepEqual({ ...rerun, currentVersions: [] }, { ...result, currentVersions: [] });
  });

  test('the same rules back-tested against themselves change nothing', () => {
    const same = backtest(FIXTURE_EVENTS, current, current);
    assert.deepEqual([same.started, same.stopped, same.retriggered, same.rules], [[], [], [], []]);
    assert.deepEqual(same.candidate, same.current);
  });

  test('the text report shows each changed reply and the scores before and after', () => {
    const text = formatBacktest(result);
    assert.match(text, /Would start escalating \(1\)\n {2}prospect-e msg-e1 .*no \(none\) → escalate \(technical\); reps said: missed/);
    assert.match(text, /"Just curious what the price is, no need to call\."/);
    assert.match(text, /current {5}1 {3}3 {3}1 {3}0 {6}0\.250 {3}0\.500/);
    assert.match(text, /candidate {3}2 {3}2 {3}0 {3}1 {6}0\.500 {3}1\.000/);
  });
});
