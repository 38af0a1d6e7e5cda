import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  claim,
  close,
  escalate,
  handBack,
  markUndeliverable,
  nextTier,
  optOut,
  atRealertCap,
  pendingRung,
  reassign,
  recordFeedback,
  recordReassignment,
  type EscalationCause,
  type Moment,
} from '../../../workflows/conversation/escalation';
import { eventIds } from '../../../workflows/conversation/eventIds';
import { initialMemory, type ConversationMemory } from '../../../workflows/conversation/memory';
import type { ConversationPolicy, EscalationRecord } from '../../../workflows/messages';
import { repActor } from '../../helpers/actor';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number): Moment => ({ conversationId: 'prospect-42', now: T0 + minutes * MINUTE });

const policy: ConversationPolicy = {
  sendWindow: { start: 9, end: 17, days: [1, 2, 3, 4, 5] },
  outOfOfficeDefaultMs: 7 * 24 * 60 * MINUTE,
  notNowDefaultMs: 30 * 24 * 60 * MINUTE,
  claimDeadlineMs: { human_request: 5 * MINUTE, buying_intent: 10 * MINUTE, pricing: 30 * MINUTE, technical: 60 * MINUTE, manual: 15 * MINUTE },
  lastTierRealertMs: 30 * MINUTE,
  replyWindowMs: 14 * 24 * 60 * MINUTE,
  maxHistoryEvents: 5000,
  acknowledgeHumanRequest: true,
};

function cause(reason: EscalationCause['reason'], messageId = 'reply-1'): EscalationCause {
  return {
    reason,
    trigger: reason === 'manual' ? null : reason,
    messageId,
    evidence: [],
    rulesFired: reason === 'manual' ? [] : [`${reason}.rule`],
    rulesVersion: 'sha256:abc',
  };
}

/** A conversation escalated for `reason` at T0, with its first rung open for ana and ben until its deadline. */
function escalated(reason: EscalationCause['reason'] = 'pricing'): { m: ConversationMemory; record: EscalationRecord } {
  const m = initialMemory(new Date(T0).toISOString());
  const opened = escalate(m, cause(reason), policy, at(0));
  assert.equal(opened.merged, false);
  const record = m.escalations[0]!;
  record.rungs.push(
    pendingRung(
      {
        tier: 1,
        eligibleRepIds: ['ana', 'ben'],
        audience: 'rep',
        assignees: [
          { repId: 'ana', name: 'Ana', channels: ['slack'] },
          { repId: 'ben', name: 'Ben', channels: ['email'] },
        ],
        skipped: [],
        isLastTier: false,
      } as unknown as Parameters<typeof pendingRung>[0],
      1,
      T0,
      policy.claimDeadlineMs[reason]!,
      null,
    ),
  );
  m.stage = 'escalated';
  return { m, record };
}

describe('opening an escalation', () => {
  test('a first trigger opens escalation 1, records it in the ledger and moves the conversation to escalated', () => {
    const m = initialMemory(new Date(T0).toISOString());
    const result = escalate(m, cause('pricing'), policy, at(0));
    assert.equal(result.merged, false);
    assert.ok(!result.merged);
    assert.equal(m.escalations.length, 1);
    assert.equal(m.escalations[0]!.status, 'open');
    assert.equal(result.effects.stage, 'escalated');
    assert.deepEqual(
      result.effects.events.map((e) => [e.kind, e.eventId]),
      [['escalated', 'prospect-42/esc-1/escalated']],
    );
  });

  test('a more urgent trigger on an open escalation takes over its reason and brings the deadline in', () => {
    const { m, record } = escalated('technical');
    const result = escalate(m, cause('human_request', 'reply-2'), policy, at(1));
    assert.deepEqual(result, { merged: true, deadlineMoved: true });
    assert.equal(record.reason, 'human_request');
    assert.equal(record.rungs[0]!.deadline, new Date(T0 + 6 * MINUTE).toISOString());
    assert.deepEqual(record.laterTriggers.map((l) => l.reason), ['human_request']);
    assert.equal(m.escalations.length, 1);
  });

  test('a less urgent trigger is noted on the open escalation without moving its reason or deadline', () => {
    const { m, record } = escalated('human_request');
    const deadline = record.rungs[0]!.deadline;
    const result = escalate(m, cause('technical', 'reply-2'), policy, at(1));
    assert.deepEqual(result, { merged: true, deadlineMoved: false });
    assert.equal(record.reason, 'human_request');
    assert.equal(record.rungs[0]!.deadline, deadline);
    assert.ok(record.rulesFired.includes('technical.rule'));
  });
});

describe('claiming', () => {
  test('a claim makes the rep the owner, stops the rung, and tells the ledger and the CRM, and silences only the claim alerts', () => {
    const { m, record } = escalated();
    const effects = claim(m, record, 'ana', repActor('ana'), at(4));
    assert.equal(m.owner, 'ana');
    assert.equal(record.status, 'claimed');
    assert.equal(record.rungs[0]!.outcome, 'claimed');
    assert.equal(effects.stage, 'claimed');
    assert.deepEqual(effects.silence, [{ escalation: 1, alerts: 'claim' }]);
    assert.deepEqual(effects.touches.map((t) => t.kind), ['claimed']);
    const [event] = effects.events;
    assert.equal(event?.eventId, 'prospect-42/esc-1/claimed');
    assert.equal(event?.timeToClaimMs, 4 * MINUTE);
  });
});

describe('reassigning', () => {
  test('reassigning an open escalation counts as its claim by the new owner and stops its claim alerts', () => {
    const { m, record } = escalated();
    const moved = reassign(m, 'cara', at(2));
    assert.equal(moved.record, record);
    assert.equal(moved.from, null);
    assert.equal(record.status, 'claimed');
    assert.equal(record.claimedBy, 'cara');
    assert.equal(record.rungs[0]!.outcome, 'claimed');
    assert.deepEqual(moved.effects.silence, [{ escalation: 1, alerts: 'claim' }]);
    assert.equal(moved.effects.stage, 'claimed');
  });

  test('reassigning a claimed escalation changes its owner, and the reassignment is numbered in the ledger and told to the CRM', () => {
    const { m, record } = escalated();
    claim(m, record, 'ana', repActor('ana'), at(1));
    const moved = reassign(m, 'cara', at(2));
    assert.equal(moved.from, 'ana');
    assert.deepEqual(moved.effects.silence, []);
    const first = recordReassignment(record, 'ana', 'cara', repActor('ana'), at(2));
    const second = recordReassignment(record, 'cara', 'dev', repActor('cara'), at(3));
    assert.equal(first.number, 1);
    assert.equal(second.number, 2);
    assert.equal(second.effects.events[0]?.eventId, eventIds.reassigned('prospect-42', 1, 2));
    assert.deepEqual(second.effects.touches.map((t) => t.kind), ['reassigned']);
    assert.deepEqual(record.reassignments?.map((r) => `${r.from}->${r.to}`), ['ana->cara', 'cara->dev']);
  });
});

describe('handing back', () => {
  test('handing back resumes automation at the next unsent step after the delay, with a fresh round', () => {
    const { m, record } = escalated();
    m.stepIndex = 2;
    claim(m, record, 'ana', repActor('ana'), at(1));
    const effects = handBack(m, { delayMs: 60 * MINUTE, actor: repActor('ana') }, 4, at(10));
    assert.equal(record.status, 'handed_back');
    assert.equal(m.owner, null);
    assert.equal(m.round, 1);
    assert.deepEqual(m.anchor, { step: 2, at: new Date(T0 + 70 * MINUTE).toISOString() });
    assert.equal(effects.stage, 'automating');
    assert.equal(effects.events[0]?.repId, 'ana');
  });

  test('handing back past the last step starts the reply window now', () => {
    const { m, record } = escalated();
    claim(m, record, 'ana', repActor('ana'), at(1));
    handBack(m, { fromStep: 4, actor: repActor('ana') }, 4, at(10));
    assert.equal(m.cadenceDoneAt, new Date(T0 + 10 * MINUTE).toISOString());
  });
});

describe('ending', () => {
  test('closing ends every open or claimed escalation, cancels a pending rung and silences all of their alerts', () => {
    const { m, record } = escalated();
    const effects = close(m, { outcome: 'won', actor: repActor('ana') }, at(5));
    assert.equal(record.status, 'closed');
    assert.equal(record.rungs[0]!.outcome, 'cancelled');
    assert.deepEqual(effects.silence, [{ escalation: 1, alerts: 'all' }]);
    assert.equal(effects.events[0]?.eventId, 'prospect-42/closed');
    assert.equal(effects.events[0]?.repId, 'ana');
    assert.equal(m.outcome, 'won');
    assert.equal(effects.stage, 'closed');
  });

  test('an opt-out cancels the open escalation and silences the alerts of every escalation, even earlier ones', () => {
    const { m, record } = escalated();
    claim(m, record, 'ana', repActor('ana'), at(1));
    handBack(m, { actor: repActor('ana') }, 4, at(2));
    escalate(m, cause('technical', 'reply-2'), policy, at(3));
    const effects = optOut(m, false, at(4));
    assert.equal(m.optedOut, true);
    assert.deepEqual(m.escalations.map((e) => e.status), ['handed_back', 'cancelled']);
    assert.deepEqual(effects.silence, [
      { escalation: 1, alerts: 'all' },
      { escalation: 2, alerts: 'all' },
    ]);
    assert.deepEqual(effects.events.map((e) => [e.kind, e.escalation]), [['opted_out', 2]]);
    assert.equal(effects.stage, 'opted_out');
  });

  test('an address found suppressed ends the conversation as an opt-out marked suppressed', () => {
    const m = initialMemory(new Date(T0).toISOString());
    const effects = optOut(m, true, at(0));
    assert.equal(effects.events[0]?.suppressed, true);
    assert.equal(effects.events[0]?.escalation, undefined);
  });
});

describe('feedback', () => {
  test('feedback lands on the named escalation, and its ledger id carries the time so later feedback is kept too', () => {
    const { m, record } = escalated();
    const effects = recordFeedback(m, { verdict: 'not_needed', note: 'just curious', escalation: 1, actor: repActor('ana') }, at(9));
    assert.equal(record.feedback?.verdict, 'not_needed');
    assert.equal(record.feedback?.repId, 'ana');
    assert.equal(effects.events[0]?.eventId, `prospect-42/esc-1/feedback/${new Date(T0 + 9 * MINUTE).toISOString()}`);
  });
});

describe('the ladder', () => {
  test('the ladder climbs a tier when a rung expires, and stays on the last tier past it', () => {
    const { record } = escalated();
    assert.equal(nextTier(record), 2);
    record.rungs[0]!.lastTier = true;
    assert.equal(nextTier(record), 1);
    record.rungs[0]!.outcome = 'expired';
    assert.equal(nextTier(record), 1, 'with no pending rung the ladder starts at the first tier');
  });

  test('an alert that reached nobody is a fact on the rung, not only words in its note', () => {
    const { record } = escalated();
    const rung = record.rungs[0]!;
    markUndeliverable(rung, 'ana');
    markUndeliverable(rung, 'ben');
    assert.deepEqual(rung.undeliverableTo, ['ana', 'ben']);
    assert.match(rung.note ?? '', /ana on every channel; .*ben on every channel/);
  });

  test('a rung whose routing failed says so in a field', () => {
    const rung = pendingRung(null, 2, T0, 10 * MINUTE, 'roster unreadable');
    assert.equal(rung.routingError, 'roster unreadable');
    assert.deepEqual(rung.assignees, []);
    assert.equal(rung.deadline, new Date(T0 + 10 * MINUTE).toISOString());
  });

  test('a rung held off hours waits for working time from the shift start, and says so in fields beside the instant', () => {
    // Friday 13 June 2025, 18:00 in Berlin.
    const friday = Date.parse('2025-06-13T16:00:00.000Z');
    const hold = { repId: 'ana', timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } };
    const decision = { tier: 1, eligibleRepIds: ['ana'], audience: 'rep', assignees: [{ repId: 'ana', name: 'Ana', channels: ['email'] }], skipped: [], isLastTier: false, hold, passedOver: [{ repId: 'ben', reason: 'at capacity (2/2)' }] };
    const rung = pendingRung(decision as unknown as Parameters<typeof pendingRung>[0], 1, friday, 30 * MINUTE, null);
    assert.equal(rung.deadline, '2025-06-16T07:30:00.000Z');
    assert.deepEqual(rung.workingTime, { windowMs: 30 * MINUTE, countsFrom: '2025-06-16T07:00:00.000Z', timeZone: 'Europe/Berlin', repId: 'ana', hours: hold.workingHours });
    assert.deepEqual(rung.passedOver, [{ repId: 'ben', reason: 'at capacity (2/2)' }]);
  });

  test('a more urgent trigger on a held rung shortens the span in working time, not the weekend', () => {
    const { m, record } = escalated('pricing');
    const friday = Date.parse('2025-06-13T16:00:00.000Z');
    const rung = record.rungs[0]!;
    rung.deadline = '2025-06-16T07:30:00.000Z';
    rung.workingTime = { windowMs: 30 * MINUTE, countsFrom: '2025-06-16T07:00:00.000Z', timeZone: 'Europe/Berlin', repId: 'ana', hours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } };
    const merged = escalate(m, cause('human_request', 'reply-2'), policy, { conversationId: 'prospect-42', now: friday + MINUTE });
    assert.deepEqual(merged, { merged: true, deadlineMoved: true });
    assert.equal(rung.deadline, '2025-06-16T07:05:00.000Z', 'five minutes of Monday’s shift');
  });

  test('the ladder ends at the re-alert cap only once the last tier has been re-alerted that many times', () => {
    const { record } = escalated();
    const last = record.rungs[0]!;
    last.lastTier = true;
    assert.equal(atRealertCap(record, undefined), false, 'no cap: conversations started before it');
    assert.equal(atRealertCap(record, 0), true);
    assert.equal(atRealertCap(record, 1), false);
    record.rungs.push({ ...last, realert: true });
    assert.equal(atRealertCap(record, 1), true);
  });
});
