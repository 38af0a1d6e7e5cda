import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config';
import { conversationInput } from '../../../src/conversations';
import { decideRoute, type RouteDecision, type RouteRequest } from '../../../src/routing/policy';
import { claimRefusal, claimWindowMs, currentRung } from '../../../workflows/conversation/escalation';
import { buildPacket, escalationSummary, suggestedNextStep } from '../../../workflows/conversation/packet';
import { ESCALATION_REASONS as URGENCY } from '../../../workflows/vocabulary';
import type { ConversationPolicy, EscalationRecord, EscalationRung } from '../../../workflows/messages';
import { escalation, rung } from '../../helpers/escalation';
import { prospect } from '../../helpers/prospect';
import { roster } from '../routing/rosterFixture';

const MINUTE = 60_000;

// Wednesday 11 June 2025. At 08:00 UTC it is 10:00 in Berlin (ana works) and 01:00 in Los Angeles (carla does
// not); at 15:00 UTC Berlin's working day has ended and Los Angeles' has begun.
const BERLIN_MORNING = '2025-06-11T08:00:00.000Z';
const BERLIN_EVENING = '2025-06-11T15:00:00.000Z';

/** The rung a conversation opens for a routing decision: its eligible reps are who may claim. */
async function rungRoutedAt(at: string, options: { tier?: number; alreadyAsked?: string[]; openClaims?: Record<string, number> } = {}): Promise<{ decision: RouteDecision; rung: EscalationRung }> {
  const request: RouteRequest = {
    conversationId: 'prospect-acme-1',
    reason: 'pricing',
    trigger: 'pricing',
    tier: options.tier ?? 1,
    prospect: { email: 'dana@acme.com', company: 'Acme' },
    alreadyAsked: options.alreadyAsked ?? [],
    at,
  };
  const decision = await decideRoute(roster(), request, { now: new Date(at), openClaims: options.openClaims ?? {}, pickTurn: async () => 0 });
  return {
    decision,
    rung: { ...rung(decision.tier, decision.eligibleRepIds), audience: decision.audience, assignees: decision.assignees.map(({ repId, name }) => ({ repId, name })) },
  };
}

/** Who of `repIds` may claim an open escalation whose current rung is `current`. */
function claimants(current: EscalationRung, repIds: string[]): string[] {
  const record = escalation(1, 'open', [current]);
  return repIds.filter((repId) => claimRefusal(record, repId) === null);
}

const EVERYONE = ['ana', 'carla', 'ben', 'lena', 'maria', 'otto'];

describe('who may claim an escalation', () => {
  test('a rep eligible at the current rung may claim', () => {
    assert.equal(claimRefusal(escalation(1, 'open', [rung(1, ['ana', 'maria'])]), 'ana'), null);
  });

  test('a rep not eligible at the current rung is refused, naming the tier', () => {
    assert.deepEqual(claimRefusal(escalation(1, 'open', [rung(1, ['ana', 'maria'])]), 'carla'), {
      type: 'NotEligible',
      message: 'carla is not eligible at tier 1',
    });
  });

  test('only the current rung counts: a rep asked at an earlier rung alone may no longer claim', () => {
    const record = escalation(1, 'open', [rung(1, ['ana'], 'expired'), rung(3, ['lena', 'maria'])]);
    assert.deepEqual(claimRefusal(record, 'ana'), { type: 'NotEligible', message: 'ana is not eligible at tier 3' });
    assert.equal(claimRefusal(record, 'lena'), null);
  });

  test('before routing has answered, nobody may claim yet', () => {
    assert.deepEqual(claimRefusal(escalation(1, 'open', []), 'maria'), {
      type: 'NotEligible',
      message: 'maria cannot claim yet: nobody has been assigned',
    });
  });

  test('when routing failed the rung names nobody, and every claim is refused at its tier', () => {
    assert.deepEqual(claimRefusal(escalation(1, 'open', [rung(2, [])]), 'maria'), { type: 'NotEligible', message: 'maria is not eligible at tier 2' });
  });

  test('a claimed escalation is refused to everyone, its holder included, naming the holder', () => {
    const record = escalation(1, 'claimed', [rung(1, ['ana', 'maria'], 'claimed')], 'ana');
    for (const repId of ['ana', 'maria', 'carla']) {
      assert.deepEqual(claimRefusal(record, repId), { type: 'AlreadyClaimed', message: 'already claimed by ana' });
    }
  });

  test('without an escalation, or after it was handed back, closed or cancelled, there is nothing to claim', () => {
    const nothing = { type: 'NotEscalated', message: 'the conversation has no open escalation' };
    assert.deepEqual(claimRefusal(undefined, 'ana'), nothing);
    for (const status of ['handed_back', 'closed', 'cancelled'] as const) {
      assert.deepEqual(claimRefusal(escalation(1, status, [rung(1, ['ana'])]), 'ana'), nothing, status);
    }
  });

  test('currentRung is the newest rung, or none before the first', () => {
    assert.equal(currentRung(escalation(1, 'open', [])), undefined);
    assert.equal(currentRung(escalation(1, 'open', [rung(1, ['ana']), rung(2, ['carla'])]))?.tier, 2);
  });
});

describe('who may claim, as the roster routes each tier', () => {
  test('in the Berlin morning the account owner and the managers may claim at tier 1, nobody else', async () => {
    const { rung: first } = await rungRoutedAt(BERLIN_MORNING);
    assert.equal(first.tier, 1);
    assert.deepEqual(claimants(first, EVERYONE), ['ana', 'maria']);
  });

  test('outside the owner’s working hours the rep now at work takes tier 1, and the owner may not claim', async () => {
    const { rung: first } = await rungRoutedAt(BERLIN_EVENING);
    assert.equal(first.tier, 1);
    assert.deepEqual(claimants(first, EVERYONE), ['carla', 'maria']);
    assert.equal(claimRefusal(escalation(1, 'open', [first]), 'ana')?.type, 'NotEligible');
  });

  test('an owner at capacity is passed over: the lead takes the escalation at tier 3, and the owner may not claim', async () => {
    const { decision, rung: lead } = await rungRoutedAt(BERLIN_MORNING, { openClaims: { ana: 3 } });
    assert.deepEqual(decision.skipped.map((s) => s.tier), [1, 2]);
    assert.equal(lead.tier, 3);
    assert.deepEqual(claimants(lead, EVERYONE), ['lena', 'maria']);
  });

  test('a rep already asked at an earlier tier may still claim when the lead is asked', async () => {
    const { rung: lead } = await rungRoutedAt(BERLIN_MORNING, { tier: 3, alreadyAsked: ['ana'] });
    assert.equal(lead.audience, 'lead');
    assert.deepEqual(claimants(lead, EVERYONE), ['ana', 'lena', 'maria']);
  });

  test('at the team tier the whole team may claim, even members outside their hours; another team may not', async () => {
    const { rung: team } = await rungRoutedAt(BERLIN_MORNING, { tier: 4, alreadyAsked: ['ana', 'lena'] });
    assert.equal(team.audience, 'team');
    assert.ok(!team.assignees.some((a) => a.repId === 'carla'), 'carla, off duty, is not alerted');
    assert.deepEqual(claimants(team, EVERYONE), ['ana', 'carla', 'ben', 'lena', 'maria']);
  });
});

describe('how long each tier waits for a claim', () => {
  const { policy } = conversationInput(loadConfig({}, '/nonexistent'), { prospect: prospect('ladder-1') });

  test('by default each trigger waits its own deadline, the most urgent the shortest, and a manual escalation 15 minutes', () => {
    assert.deepEqual(URGENCY, ['human_request', 'buying_intent', 'pricing', 'technical', 'manual']);
    assert.deepEqual(
      URGENCY.map((reason) => claimWindowMs(policy, reason, false)),
      [5 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE, 15 * MINUTE],
    );
  });

  test('past the last tier the re-alert interval applies, whatever the trigger', () => {
    for (const reason of URGENCY) assert.equal(claimWindowMs(policy, reason, true), policy.lastTierRealertMs);
  });

  test('a policy carried over from before a trigger had a deadline of its own waits the manual deadline for it', () => {
    const { pricing: _pricing, ...withoutPricing } = policy.claimDeadlineMs;
    const older = { ...policy, claimDeadlineMs: withoutPricing as ConversationPolicy['claimDeadlineMs'] };
    assert.equal(claimWindowMs(older, 'pricing', false), 15 * MINUTE);
  });
});

describe('the handoff packet a rep receives', () => {
  const record: EscalationRecord = {
    ...escalation(1, 'open', [rung(1, ['ana'])]),
    rulesFired: ['pricing.how-much', 'pricing.seats'],
    rulesVersion: 'sha256:0123456789ab',
    triggeringMessageId: 'm-2',
  };
  const person = prospect('ladder-2');

  test('the summary names the prospect, their title and company, why it escalated and the rules that fired', () => {
    assert.equal(
      escalationSummary(person, record),
      'Jordan Lee (VP Revenue Operations, Buyer Co) asked about pricing or commercial terms. Rules: pricing.how-much, pricing.seats.',
    );
    assert.equal(escalationSummary({ ...person, title: undefined }, { ...record, rulesFired: [], manualNote: 'Called twice.' }), 'Jordan Lee (Buyer Co) asked about pricing or commercial terms. Note: Called twice.');
  });

  test('a manual escalation naming a trigger suggests that trigger’s next step', () => {
    assert.equal(suggestedNextStep('manual', 'technical'), suggestedNextStep('technical', null));
    assert.notEqual(suggestedNextStep('manual', null), suggestedNextStep('technical', null));
  });

  test('the packet carries the thread, what automation sent, and names the triggering reply', () => {
    const thread = [
      { messageId: 'm-1', author: 'automation' as const, channel: 'email' as const, text: 'Hello', at: '2025-06-05T13:00:00.000Z' },
      { messageId: 'm-2', author: 'prospect' as const, channel: 'email' as const, text: 'Price for 40 seats?', at: '2025-06-05T14:00:00.000Z' },
    ];
    const packet = buildPacket({
      conversationId: 'prospect-ladder-2',
      prospect: person,
      research: { employees: 800 },
      record,
      thread,
      sent: [{ step: 1, name: 'intro', at: '2025-06-05T13:00:00.000Z' }],
    });
    assert.equal(packet.conversationId, 'prospect-ladder-2');
    assert.equal(packet.triggeringMessageId, 'm-2');
    assert.deepEqual(packet.thread, thread);
    assert.deepEqual(packet.automationSent, [{ step: 1, name: 'intro', at: '2025-06-05T13:00:00.000Z' }]);
    assert.deepEqual(packet.rulesFired, ['pricing.how-much', 'pricing.seats']);
    assert.equal(packet.suggestedNextStep, suggestedNextStep('pricing', 'pricing'));
    assert.equal(packet.escalatedAt, record.escalatedAt);
    assert.equal(packet.readers, undefined, 'no reader details when the escalation recorded none');
    assert.equal(packet.manualNote, undefined);
  });

  test('the packet names the readers behind the labels when the escalation recorded them', () => {
    const packet = buildPacket({
      conversationId: 'prospect-ladder-2',
      prospect: person,
      research: null,
      record: { ...record, modelVersion: 'model-7', decidedBy: { pricing: 'model' } },
      thread: [],
      sent: [],
    });
    assert.deepEqual(packet.readers, { rulesVersion: 'sha256:0123456789ab', modelVersion: 'model-7', decidedBy: { pricing: 'model' } });
  });
});
