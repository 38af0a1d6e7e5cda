import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type TriggerReview, computeReview, percentile } from '../../../src/review/compute';
import { FIXTURE_EVENTS, NOW, SINCE } from './ledgerFixture';

const review = computeReview(FIXTURE_EVENTS, { now: NOW, since: SINCE });
const row = (reason: TriggerReview['reason']): TriggerReview => {
  const found = reason === 'all' ? review.totals : review.triggers.find((t) => t.reason === reason);
  assert.ok(found, reason);
  return found;
};
const s = 1000;
const min = 60 * s;

describe('computeReview', () => {
  test('counts the escalations that started in the window, per trigger, and the replies classified', () => {
    assert.deepEqual(
      review.triggers.map((t) => [t.reason, t.escalations]),
      [
        ['human_request', 1],
        ['buying_intent', 1],
        ['pricing', 3],
        ['technical', 0],
        ['manual', 1],
      ],
    );
    assert.equal(row('all').escalations, 6, 'the escalation before the window is left out');
    assert.deepEqual(review.replies, { classified: 8, escalating: 5 });
  });

  test('reply-to-alert takes the first alert of each escalation, with p50 and p90 by nearest rank', () => {
    assert.deepEqual(row('pricing').replyToAlertMs, { count: 3, p50: 30 * s, p90: 40 * s });
    assert.deepEqual(row('human_request').replyToAlertMs, { count: 1, p50: 60 * s, p90: 60 * s }, 'the tier-2 alert does not count');
    assert.deepEqual(row('all').replyToAlertMs, { count: 6, p50: 30 * s, p90: 90 * s });
    assert.deepEqual(row('technical').replyToAlertMs, { count: 0, p50: null, p90: null });
  });

  test('time to claim comes from the claims, unclaimed escalations left out', () => {
    assert.deepEqual(row('pricing').timeToClaimMs, { count: 2, p50: 2 * min, p90: 10 * min });
    assert.deepEqual(row('buying_intent').timeToClaimMs, { count: 1, p50: 30 * min, p90: 30 * min });
    assert.deepEqual(row('all').timeToClaimMs, { count: 5, p50: 7 * min, p90: 30 * min });
  });

  test('re-escalation rate is the share of escalations that went past tier 1', () => {
    assert.equal(row('human_request').reEscalated, 1);
    assert.equal(row('human_request').reEscalationRate, 1);
    assert.equal(row('pricing').reEscalationRate, 0);
    assert.equal(row('all').reEscalationRate, 1 / 6);
    assert.equal(row('technical').reEscalationRate, null);
  });

  test('unclaimed now are escalations with no claim, close or opt-out, longest waiting first', () => {
    assert.equal(row('pricing').unclaimedNow, 1);
    assert.equal(row('all').unclaimedNow, 1);
    assert.deepEqual(
      review.unclaimed.map((u) => [u.conversationId, u.escalation, u.escalatedAt]),
      [['prospect-c', 1, '2025-03-06T08:00:03.000Z']],
    );
  });

  test('false escalations are those reps marked not needed; missed ones are manual triggers the rules said no to', () => {
    assert.deepEqual(
      review.triggers.map((t) => [t.reason, t.confirmed, t.falseEscalations, t.missedEscalations]),
      [
        ['human_request', 0, 1, 0],
        ['buying_intent', 0, 1, 0],
        ['pricing', 1, 1, 0],
        ['technical', 0, 0, 1],
        ['manual', 1, 0, 0],
      ],
    );
    assert.deepEqual(review.missed, [
      { conversationId: 'prospect-e', company: 'Echo', at: '2025-03-07T11:00:00.000Z', reason: 'technical', note: 'security review' },
    ]);
  });

  test('outcomes: closes and opt-outs end an escalation, unless the rep had handed it back first', () => {
    assert.deepEqual(row('pricing').outcomes, {
      won: 1,
      lost: 0,
      disqualified: 0,
      no_response: 0,
      opted_out: 1,
      handed_back: 0,
      in_progress: 0,
      unclaimed: 1,
    });
    assert.equal(row('human_request').outcomes.handed_back, 1);
    assert.equal(row('human_request').outcomes.no_response, 0);
    assert.equal(row('buying_intent').outcomes.disqualified, 1);
    assert.equal(row('manual').outcomes.in_progress, 1);
  });

  test('rule quality lists the rules behind the most false escalations first', () => {
    assert.deepEqual(review.rules, [
      { ruleId: 'pricing.how-much', fired: 3, confirmed: 1, false: 1, unreviewed: 1, precision: 0.5 },
      { ruleId: 'buying.demo', fired: 1, confirmed: 0, false: 1, unreviewed: 0, precision: 0 },
      { ruleId: 'human.talk-to-person', fired: 1, confirmed: 0, false: 1, unreviewed: 0, precision: 0 },
      { ruleId: 'pricing.budget', fired: 1, confirmed: 0, false: 0, unreviewed: 1, precision: null },
    ]);
  });

  test('escalations per day cover every day of the window, by trigger', () => {
    assert.deepEqual(
      review.perDay.map((d) => d.day),
      ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08', '2025-03-09', '2025-03-10'],
    );
    const day = (date: string) => review.perDay.find((d) => d.day === date)?.counts;
    assert.deepEqual(day('2025-03-06'), { human_request: 0, buying_intent: 1, pricing: 1, technical: 0, manual: 0 });
    assert.deepEqual(day('2025-03-07'), { human_request: 0, buying_intent: 0, pricing: 0, technical: 0, manual: 1 });
    assert.equal(review.perDay.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0), 6);
  });

  test('the time-to-claim distribution puts each claim in its bucket, a bucket holding its lower bound', () => {
    assert.deepEqual(review.timeToClaimHistogram.pricing, [0, 1, 1, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(review.timeToClaimHistogram.manual, [0, 0, 1, 0, 0, 0, 0, 0, 0], 'exactly 5 minutes is in 5–15');
    assert.deepEqual(review.timeToClaimHistogram.buying_intent, [0, 0, 0, 0, 1, 0, 0, 0, 0], 'exactly 30 minutes is in 30–60');
  });

  test('without a window every escalation counts, including ones whose claim came much later', () => {
    const all = computeReview(FIXTURE_EVENTS, { now: NOW });
    assert.equal(all.window.since, null);
    assert.equal(all.totals.escalations, 7);
    assert.equal(all.triggers.find((t) => t.reason === 'pricing')?.timeToClaimMs.p90, 187_199_000);
    assert.equal(all.perDay[0]?.day, '2025-03-01');
  });

  test('events later than now are ignored, so a review as of an earlier moment sees an open escalation', () => {
    const earlier = computeReview(FIXTURE_EVENTS, { now: '2025-03-04T09:05:00.000Z', since: SINCE });
    assert.equal(earlier.totals.escalations, 1);
    assert.equal(earlier.totals.unclaimedNow, 1);
    assert.equal(earlier.totals.timeToClaimMs.count, 0);
  });

  test('the events of a window that only holds the tail of an old escalation are not counted', () => {
    const tail = FIXTURE_EVENTS.filter((e) => e.at >= SINCE);
    assert.deepEqual(computeReview(tail, { now: NOW, since: SINCE }), review);
  });

  test('an empty ledger gives zero counts and no percentiles', () => {
    const empty = computeReview([], { now: NOW, since: SINCE });
    assert.equal(empty.totals.escalations, 0);
    assert.deepEqual(empty.totals.timeToClaimMs, { count: 0, p50: null, p90: null });
    assert.deepEqual(empty.rules, []);
    assert.equal(empty.perDay.length, 8);
  });

  test('percentiles are by nearest rank', () => {
    assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9);
    assert.equal(percentile([7], 0.9), 7);
    assert.equal(percentile([], 0.5), null);
  });
});

describe('meetings booked', () => {
  test('an escalation on which the rep booked a meeting is counted under its trigger, once however many were booked', () => {
    const claimed = FIXTURE_EVENTS.find((e) => e.kind === 'claimed' && Date.parse(e.at) >= Date.parse(SINCE))!;
    const booked = (n: number) => ({
      ...claimed,
      eventId: `${claimed.conversationId}/meeting-${n}/booked`,
      kind: 'meeting_booked' as const,
      at: new Date(Date.parse(claimed.at) + n * min).toISOString(),
      meeting: n,
      startsAt: '2026-03-10T14:00:00.000Z',
      durationMinutes: 30,
    });
    const withMeetings = computeReview([...FIXTURE_EVENTS, booked(1), booked(2)], { now: NOW, since: SINCE });
    const reason = FIXTURE_EVENTS.find((e) => e.kind === 'escalated' && e.conversationId === claimed.conversationId && e.escalation === claimed.escalation)!.reason!;
    assert.equal(withMeetings.triggers.find((t) => t.reason === reason)?.meetingsBooked, 1);
    assert.equal(withMeetings.totals.meetingsBooked, 1);
    assert.equal(row('all').meetingsBooked, 0, 'none without the event');
  });
});
