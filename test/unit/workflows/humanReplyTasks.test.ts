import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { claim, claimRefusal, escalate, handBack, pendingRung, type Moment } from '../../../workflows/conversation/escalation';
import { eventIds } from '../../../workflows/conversation/eventIds';
import { initialMemory } from '../../../workflows/conversation/memory';
import { buildPacket } from '../../../workflows/conversation/packet';
import {
  colleagueProspect,
  colleagueProspectId,
  nameFromAddress,
  needsPersonsAnswer,
  openTask,
  referralLines,
  referredColleagues,
  supersedeTask,
  taskLine,
  withReferralOpening,
  type TaskCause,
} from '../../../workflows/conversation/tasks';
import type { ConversationPolicy, Evidence } from '../../../workflows/messages';
import { ProspectSchema } from '../../../workflows/messages';
import { prospect } from '../../helpers/prospect';
import { repActor } from '../../helpers/actor';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (minutes: number): Moment => ({ conversationId: 'prospect-42', now: T0 + minutes * 60_000 });
const verdict = (labels: TaskCause['verdict']['labels'], evidence: Evidence[] = []): TaskCause['verdict'] => ({ labels, evidence, rulesVersion: 'sha256:abc' });
const policy = { claimDeadlineMs: { pricing: 30 * 60_000 } } as unknown as ConversationPolicy;

describe('which replies need a person', () => {
  test('a plain acknowledgement or small talk needs a person', () => {
    assert.equal(needsPersonsAnswer({ labels: ['none'], autoReply: false, escalate: false }), true);
  });
  test('a referral needs a person', () => {
    assert.equal(needsPersonsAnswer({ labels: ['referral'], autoReply: false, escalate: false }), true);
  });
  test('an opt-out, an out-of-office or a not-now reply is automation\'s to handle', () => {
    for (const label of ['opt_out', 'out_of_office', 'not_now'] as const) {
      assert.equal(needsPersonsAnswer({ labels: [label], autoReply: false, escalate: false }), false, label);
    }
    assert.equal(needsPersonsAnswer({ labels: ['referral', 'not_now'], autoReply: false, escalate: false }), false);
  });
  test('a machine-written reply, a trigger and an unclassified reply never do', () => {
    assert.equal(needsPersonsAnswer({ labels: ['none'], autoReply: true, escalate: false }), false);
    assert.equal(needsPersonsAnswer({ labels: ['pricing'], autoReply: false, escalate: true }), false);
    assert.equal(needsPersonsAnswer({ labels: [], autoReply: false, escalate: true, fallback: 'time_limit' }), false);
  });
});

describe('a referral\'s colleagues', () => {
  test('the prospect\'s own address and ours are left out, each colleague once, whatever the case', () => {
    const named = ['Jordan@Buyer.example', 'dana@buyer.example', 'sam@handoff.example', 'DANA@buyer.example', 'lee@buyer.example'];
    assert.deepEqual(referredColleagues(named, ['jordan@buyer.example', 'sam@handoff.example'], 3), ['dana@buyer.example', 'lee@buyer.example']);
  });
  test('at most the limit are taken, and none at a limit of zero', () => {
    assert.deepEqual(referredColleagues(['a@x.example', 'b@x.example', 'c@x.example'], [], 2), ['a@x.example', 'b@x.example']);
    assert.deepEqual(referredColleagues(['a@x.example'], [undefined], 0), []);
  });
  test('a colleague becomes a valid prospect at the referrer\'s company, with their owner and time zone', () => {
    const colleague = colleagueProspect('dana.reyes+ops@buyer.example', prospect('42', { owner: 'dana', timeZone: 'Europe/Berlin' }));
    assert.equal(ProspectSchema.safeParse(colleague).success, true);
    assert.deepEqual(
      { id: colleague.id, name: colleague.name, company: colleague.company, owner: colleague.owner, timeZone: colleague.timeZone },
      { id: colleagueProspectId('dana.reyes+ops@buyer.example'), name: 'Dana Reyes Ops', company: 'Buyer Co', owner: 'dana', timeZone: 'Europe/Berlin' },
    );
  });
  test('the same address gives the same prospect id, so a second referral finds the same conversation', () => {
    assert.equal(colleagueProspectId('Dana@Buyer.example'), colleagueProspectId('dana@buyer.example'));
    assert.notEqual(colleagueProspectId('dana@buyer.example'), colleagueProspectId('dan@buyer.example'));
  });
  test('the prospect id never carries the address: workflow ids are not encrypted', () => {
    assert.match(colleagueProspectId('dana.reyes@buyer.example'), /^referral-[0-9a-f]{16}$/);
  });
  test('an address with no letters in its local part is its own name', () => {
    assert.equal(nameFromAddress('1234@buyer.example'), '1234@buyer.example');
  });
  test('the first touch names the referrer after its greeting, or first when it has none, and only once', () => {
    const referrer = { name: 'Jordan Lee' };
    assert.equal(withReferralOpening('Hi Dana,\n\nOur platform helps.', referrer), 'Hi Dana,\n\nJordan Lee suggested I reach out. Our platform helps.');
    assert.equal(withReferralOpening('Our platform helps.', referrer), 'Jordan Lee suggested I reach out.\n\nOur platform helps.');
    const once = withReferralOpening('Hi Dana,\n\nOur platform helps.', referrer);
    assert.equal(withReferralOpening(once, referrer), once);
  });
  test('the UI links a conversation to its referrer and to those it referred', () => {
    assert.deepEqual(
      referralLines({ conversationId: 'prospect-42', prospectId: '42', name: 'Jordan Lee', company: 'Buyer Co', messageId: 'm-1' }, [
        { email: 'dana@buyer.example', conversationId: 'prospect-referral-0123456789abcdef', messageId: 'm-1', at: new Date(T0).toISOString(), outcome: 'started' },
      ]),
      ['Referred by Jordan Lee (prospect-42)', 'Referred us to: prospect-referral-0123456789abcdef'],
    );
    assert.deepEqual(referralLines(undefined, undefined), []);
  });
});

describe('a low-priority task', () => {
  test('opens as an escalation with a task, records a reply_task event (never escalated) and moves to escalated', () => {
    const m = initialMemory(new Date(T0).toISOString());
    const effects = openTask(m, { kind: 'reply', messageId: 'm-1', verdict: verdict(['none']) }, at(0));
    const record = m.escalations[0]!;
    assert.deepEqual(record.task, { kind: 'reply', priority: 'low' });
    assert.equal(record.status, 'open');
    assert.equal(record.triggeringMessageId, 'm-1');
    assert.equal(effects.stage, 'escalated');
    assert.deepEqual(
      effects.events.map((e) => ({ eventId: e.eventId, kind: e.kind, task: e.task, escalation: e.escalation })),
      [{ eventId: eventIds.replyTask('prospect-42', 1), kind: 'reply_task', task: 'reply', escalation: 1 }],
    );
    assert.deepEqual(effects.touches, []);
  });
  test('a referral task carries the words that named someone, and its packet says so', () => {
    const m = initialMemory(new Date(T0).toISOString());
    const evidence: Evidence[] = [{ label: 'referral', rule: 'referral.en.elsewhere', start: 0, end: 24, text: 'please talk to someone in our' }];
    openTask(m, { kind: 'referral', messageId: 'm-2', verdict: verdict(['referral'], evidence) }, at(0));
    const record = m.escalations[0]!;
    assert.equal(record.task?.named, 'please talk to someone in our');
    assert.match(record.manualNote ?? '', /referral with no address we could contact/);
    const packet = buildPacket({ conversationId: 'prospect-42', prospect: prospect('42'), research: null, record, thread: [], sent: [] });
    assert.equal(packet.task?.kind, 'referral');
    assert.match(packet.summary, /pointed us to someone else/);
    assert.match(packet.suggestedNextStep, /find the person or department/);
  });
  test('its rep may claim it like any escalation, and hand it back to automation', () => {
    const m = initialMemory(new Date(T0).toISOString());
    openTask(m, { kind: 'reply', messageId: 'm-1', verdict: verdict(['none']) }, at(0));
    const record = m.escalations[0]!;
    record.rungs.push(
      pendingRung({ tier: 1, eligibleRepIds: ['ana', 'max'], audience: 'rep', assignees: [{ repId: 'ana', name: 'Ana', channels: ['outbox'] }], isLastTier: false, skipped: [], policyVersion: 'v1', note: '' }, 1, at(0).now, 14 * 86_400_000, null),
    );
    assert.equal(claimRefusal(record, 'ana'), null);
    const claimed = claim(m, record, 'ana', repActor('ana'), at(90));
    assert.equal(claimed.stage, 'claimed');
    assert.equal(m.owner, 'ana');
    assert.equal(handBack(m, { actor: repActor('ana') }, 4, at(100)).stage, 'automating');
  });
  test('a trigger supersedes it: the task ends, its notice stops, and the escalation opens apart with its own number', () => {
    const m = initialMemory(new Date(T0).toISOString());
    openTask(m, { kind: 'reply', messageId: 'm-1', verdict: verdict(['none']) }, at(0));
    const task = m.escalations[0]!;
    const ended = supersedeTask(m, task);
    assert.equal(task.status, 'cancelled');
    assert.equal(task.task?.supersededBy, 2);
    assert.deepEqual(ended.silence, [{ escalation: 1, alerts: 'claim' }]);
    const opened = escalate(m, { reason: 'pricing', trigger: 'pricing', messageId: 'm-2', evidence: [], rulesFired: [], rulesVersion: null }, policy, at(5));
    assert.equal(opened.merged, false);
    assert.equal(m.escalations[1]!.number, 2);
    assert.equal(m.escalations[1]!.task, undefined);
  });
  test('the UI line says who has it and that there is no deadline', () => {
    assert.equal(
      taskLine({ kind: 'reply', priority: 'low' }, { tier: 1, eligibleRepIds: [], audience: 'rep', assignees: [{ repId: 'ana', name: 'Ana' }], alertedAt: '', deadline: '', outcome: 'pending' }),
      'Reply needs a human answer: low-priority task for Ana, no deadline',
    );
  });
});
