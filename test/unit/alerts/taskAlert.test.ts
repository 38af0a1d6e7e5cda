import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderAlert } from '../../../src/alerts/render';
import { packet } from './fixtures';

function titleFor(task: ReturnType<typeof packet>['task']): string {
  return renderAlert({
    idempotencyKey: 'k',
    workflowId: 'prospect-dana-42',
    tier: 1,
    deadline: '2025-06-05T14:42:05.000Z',
    packet: { ...packet(), ...(task ? { task } : {}) },
    team: null,
    uiUrl: 'http://localhost:8233/',
    namespace: 'default',
    claimUrl: null,
  }).title;
}

describe('the notice of a low-priority task', () => {
  test('says a reply needs a human answer, at low priority, with no tier', () => {
    const title = titleFor({ kind: 'reply', priority: 'low' });
    assert.match(title, /^Reply needs a human answer \(low priority\): /);
    assert.doesNotMatch(title, /tier/);
  });
  test('says a referral is to follow up', () => {
    assert.match(titleFor({ kind: 'referral', priority: 'low', named: 'try Dana in ops' }), /^Referral to follow up \(low priority\): /);
  });
  test('an escalation keeps its reason and tier', () => {
    assert.match(titleFor(undefined), /tier 1$/);
  });
});
