import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LedgerEvent } from '../../../src/ledger/events';
import { computeReview } from '../../../src/review/compute';
import { formatReview } from '../../../src/review/format';

const MINUTE = 60_000;

function conversation(id: string) {
  return (suffix: string, kind: LedgerEvent['kind'], at: string, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({
    eventId: `${id}/${suffix}`,
    kind,
    conversationId: id,
    prospectId: id,
    company: 'Acme',
    at,
    escalation: 1,
    reason: 'pricing',
    trigger: 'pricing',
    ...extra,
  });
}

// Wednesday: escalated at 10:00 Berlin and claimed 5 minutes later, in hours.
const weekday = conversation('prospect-w');
// Friday 18:00 Berlin: held for ana, claimed Monday 09:20, 20 minutes into her shift.
const held = conversation('prospect-h');
// Saturday: followed the sun to Los Angeles, claimed in 10 minutes.
const sun = conversation('prospect-s');
// Sunday night: nobody claimed it; the ladder ended at the re-alert cap.
const ended = conversation('prospect-u');

const EVENTS: LedgerEvent[] = [
  weekday('escalated', 'escalated', '2025-06-11T08:00:00.000Z'),
  weekday('alerted', 'alerted', '2025-06-11T08:00:01.000Z', { tier: 1, repId: 'ana' }),
  weekday('claimed', 'claimed', '2025-06-11T08:05:00.000Z', { tier: 1, repId: 'ana', timeToClaimMs: 5 * MINUTE }),
  held('escalated', 'escalated', '2025-06-13T16:00:00.000Z'),
  held('alerted', 'alerted', '2025-06-13T16:00:01.000Z', { tier: 1, repId: 'ana', offHours: 'hold' }),
  held('claimed', 'claimed', '2025-06-16T07:20:00.000Z', { tier: 1, repId: 'ana', timeToClaimMs: 2 * 86_400_000 + 15 * 60 * MINUTE + 20 * MINUTE, workingTimeToClaimMs: 20 * MINUTE, offHours: 'hold' }),
  sun('escalated', 'escalated', '2025-06-14T18:00:00.000Z'),
  sun('alerted', 'alerted', '2025-06-14T18:00:01.000Z', { tier: 1, repId: 'carla', offHours: 'follow_the_sun' }),
  sun('claimed', 'claimed', '2025-06-14T18:10:00.000Z', { tier: 1, repId: 'carla', timeToClaimMs: 10 * MINUTE, offHours: 'follow_the_sun' }),
  ended('escalated', 'escalated', '2025-06-15T01:00:00.000Z', { reason: 'technical', trigger: 'technical' }),
  ended('unclaimed', 'unclaimed', '2025-06-15T07:00:00.000Z', { reason: 'technical', trigger: 'technical', tier: 4, realerts: 8, managers: ['maria'] }),
];

describe('the review, in and off hours', () => {
  const review = computeReview(EVENTS, { now: '2025-06-17T12:00:00.000Z' });
  const pricing = review.triggers.find((t) => t.reason === 'pricing')!;

  test('escalations routed off hours are counted apart from those in hours', () => {
    assert.equal(pricing.escalations, 3);
    assert.equal(pricing.inHours.escalations, 1);
    assert.equal(pricing.inHours.timeToClaimMs.p50, 5 * MINUTE);
    assert.equal(pricing.offHours.escalations, 2);
  });

  test('off hours, time to claim is shown in wall time and in working time (the weekend does not count against a held claim)', () => {
    assert.deepEqual([pricing.offHours.timeToClaimMs.p50, pricing.offHours.timeToClaimMs.p90], [10 * MINUTE, 2 * 86_400_000 + 15 * 60 * MINUTE + 20 * MINUTE]);
    assert.deepEqual([pricing.offHours.workingTimeToClaimMs.p50, pricing.offHours.workingTimeToClaimMs.p90], [10 * MINUTE, 20 * MINUTE]);
  });

  test('a ladder that ended at the re-alert cap is counted as ended unclaimed, and stays unclaimed', () => {
    const technical = review.triggers.find((t) => t.reason === 'technical')!;
    assert.equal(technical.endedUnclaimed, 1);
    assert.equal(technical.unclaimedNow, 1);
    assert.equal(review.totals.endedUnclaimed, 1);
  });

  test('the text review has a row per trigger for in and off hours', () => {
    const text = formatReview(review);
    assert.match(text, /In and off hours/);
    assert.match(text, /pricing\s+1\s+5m 00s\s+5m 00s\s+2\s+10m 00s\s+2d 15h\s+10m 00s\s+20m 00s\s+0/);
  });
});
