import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { type Classification, type Intent, classifyReply, loadRuleSet } from '../../../src/triggers';
import { type ScoredReply, evaluate, formatReport } from '../../../src/triggers/evaluate';

/** The labelled sample lives in `shared/`, beside the repository (CI clones it there too). */
const SAMPLE = path.resolve(__dirname, '../../../../shared/replies-sample.jsonl');

function scoreSample(): ReturnType<typeof evaluate> {
  const rules = loadRuleSet();
  const scored = readFileSync(SAMPLE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string; labels: Intent[] })
    .map((r): ScoredReply => ({ id: r.id, text: r.text, expected: r.labels, predicted: classifyReply(r.text, rules) }));
  return evaluate(scored);
}

function verdict(labels: Intent[], escalate: boolean): Classification {
  return {
    labels,
    escalate,
    trigger: null,
    evidence: [],
    rulesFired: {},
    returnDate: null,
    snoozeUntil: null,
    autoReply: false,
    autoReplyRules: [],
    rulesVersion: 'sha256:000000000000',
  };
}

describe('evaluation on the labelled sample', () => {
  test('the rules meet the escalation, opt-out and auto-reply floors on the sample', () => {
    const report = scoreSample();
    assert.equal(report.total, 60);
    assert.ok((report.escalation.recall ?? 0) >= 0.97, `escalation recall ${report.escalation.recall}`);
    assert.ok((report.escalation.precision ?? 0) >= 0.95, `escalation precision ${report.escalation.precision}`);
    const optOut = report.labels.find((l) => l.label === 'opt_out');
    assert.ok((optOut?.recall ?? 0) >= 0.97, `opt_out recall ${optOut?.recall}`);
    assert.deepEqual(report.autoRepliesEscalated, []);
  });
});

describe('evaluate', () => {
  const replies: ScoredReply[] = [
    { id: 'a', text: 'price?', expected: ['pricing'], predicted: verdict(['pricing'], true) },
    { id: 'b', text: 'call me', expected: ['human_request'], predicted: verdict(['none'], false) },
    { id: 'c', text: 'thanks', expected: ['none'], predicted: verdict(['buying_intent'], true) },
    { id: 'd', text: 'OOO', expected: ['out_of_office'], predicted: verdict(['out_of_office', 'pricing'], true) },
  ];
  const report = evaluate(replies);

  test('per-label counts give precision, recall and F1', () => {
    const pricing = report.labels.find((l) => l.label === 'pricing');
    assert.deepEqual(
      { tp: pricing?.tp, fp: pricing?.fp, fn: pricing?.fn, precision: pricing?.precision, recall: pricing?.recall },
      { tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1 },
    );
    assert.equal(pricing?.f1?.toFixed(3), '0.667');
  });

  test('a label never predicted nor expected has undefined precision and recall', () => {
    const referral = report.labels.find((l) => l.label === 'referral');
    assert.equal(referral?.precision, null);
    assert.equal(referral?.recall, null);
  });

  test('the escalation confusion matrix counts replies, not labels', () => {
    assert.deepEqual(
      { tp: report.escalation.tp, fp: report.escalation.fp, fn: report.escalation.fn, tn: report.escalation.tn },
      { tp: 1, fp: 2, fn: 1, tn: 0 },
    );
    assert.deepEqual(report.autoRepliesEscalated, ['d']);
  });

  test('every wrong label is listed as a miss with its reply', () => {
    assert.deepEqual(
      report.misses.map((m) => `${m.id}:${m.kind}:${m.label}`),
      ['b:false_negative:human_request', 'b:false_positive:none', 'c:false_positive:buying_intent', 'c:false_negative:none', 'd:false_positive:pricing'],
    );
  });

  test('the readable report shows the table, the matrix and the misses', () => {
    const text = formatReport(report);
    assert.match(text, /pricing\s+1\s+1\s+1\s+0\s+0\.500\s+1\.000\s+0\.667/u);
    assert.match(text, /Auto-replies escalated: d/u);
    assert.match(text, /b: missed human_request/u);
    assert.match(text, /text: "call me"/u);
  });
});
