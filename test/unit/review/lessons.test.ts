import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lessonsFromLedger } from '../../../src/review/lessons';
import { FIXTURE_EVENTS } from './ledgerFixture';

describe('lessons from the ledger', () => {
  const lessons = lessonsFromLedger(FIXTURE_EVENTS);
  const of = (conversation: string) => lessons.find((l) => l.conversationId === conversation);

  test('a false escalation teaches that the reply carried no trigger', () => {
    const b = of('prospect-b');
    assert.equal(b?.why, 'false_escalation');
    assert.deepEqual(b?.labels, ['none']);
  });

  test('a missed escalation teaches the trigger the rep named by hand', () => {
    const e = of('prospect-e');
    assert.equal(e?.why, 'missed_escalation');
    assert.ok(e?.labels.includes('technical'));
    assert.ok(!e?.labels.includes('none'));
  });

  test('a confirmed escalation keeps its labels, and replies nobody judged teach nothing', () => {
    assert.equal(of('prospect-a')?.why, 'confirmed_escalation');
    assert.deepEqual(of('prospect-a')?.labels, ['pricing']);
    assert.equal(of('prospect-c'), undefined);
    for (const l of lessons) assert.equal(typeof l.text, 'string');
  });
});
