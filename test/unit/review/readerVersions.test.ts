import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LedgerEvent } from '../../../src/ledger/events';
import { computeReview } from '../../../src/review/compute';
import { formatReview } from '../../../src/review/format';
import { CURRENT_VERSION, FIXTURE_EVENTS, NOW } from './ledgerFixture';

describe('the review per reader version', () => {
  test('counts replies, escalations and what reps said for each rules and model version', () => {
    const later: LedgerEvent = {
      eventId: 'prospect-z/reply/msg-z1/classified',
      kind: 'reply_classified',
      conversationId: 'prospect-z',
      prospectId: 'z',
      company: 'Zeta',
      at: '2025-03-08T17:00:00.000Z',
      messageId: 'msg-z1',
      text: 'what would it cost us?',
      labels: ['pricing'],
      escalate: true,
      trigger: 'pricing',
      rulesVersion: CURRENT_VERSION,
      modelVersion: 'sha256:0123456789ab',
      decidedBy: { pricing: 'model' },
    };
    const review = computeReview([...FIXTURE_EVENTS, later], { now: NOW });
    assert.equal(review.readers.length, 2);
    const newest = review.readers.find((r) => r.modelVersion !== null);
    const older = review.readers.find((r) => r.modelVersion === null);
    assert.deepEqual(
      { rules: newest!.rulesVersion, model: newest!.modelVersion, replies: newest!.replies, byModel: newest!.decidedByModel },
      { rules: CURRENT_VERSION, model: 'sha256:0123456789ab', replies: 1, byModel: 1 },
    );
    assert.equal(older!.modelVersion, null);
    assert.equal(older!.falseEscalations, 3);
    assert.equal(older!.missedEscalations, 1);
    assert.ok(older!.confirmed >= 1);
    assert.match(formatReview(review), /By reader version \(newest first\)[\s\S]*sha256:0123456789ab/);
  });
});
