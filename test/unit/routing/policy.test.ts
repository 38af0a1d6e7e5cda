import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRoute, type PickTurn, type RouteRequest, RoutingRequestError } from '../../../src/routing/policy';
import type { RosterSnapshot } from '../../../src/routing/roster';
import { roster, setRep } from './rosterFixture';

// Wednesday 11 June 2025: Berlin is UTC+2, London UTC+1, Los Angeles UTC-7.
const WEDNESDAY = '2025-06-11';
const at = (utcTime: string) => `${WEDNESDAY}T${utcTime}:00.000Z`;

function request(overrides: Partial<RouteRequest> = {}): RouteRequest {
  return {
    conversationId: 'prospect-dana',
    reason: 'pricing',
    trigger: 'pricing',
    tier: 1,
    prospect: { email: 'dana@unowned.io', company: 'Unowned' },
    alreadyAsked: [],
    at: at('08:00'),
    ...overrides,
  };
}

/** A rotation per key, counting from zero, recording every turn taken. */
function rotations(): { pickTurn: PickTurn; calls: { key: string; n: number }[] } {
  const counters = new Map<string, number>();
  const calls: { key: string; n: number }[] = [];
  return {
    calls,
    pickTurn: async (key, n) => {
      calls.push({ key, n });
      const turn = counters.get(key) ?? 0;
      counters.set(key, turn + 1);
      return turn % n;
    },
  };
}

async function route(
  snapshot: RosterSnapshot,
  req: RouteRequest,
  options: { openClaims?: Record<string, number>; pickTurn?: PickTurn; enabledChannels?: string[] } = {},
) {
  return decideRoute(snapshot, req, {
    now: new Date(req.at),
    openClaims: options.openClaims ?? {},
    pickTurn: options.pickTurn ?? rotations().pickTurn,
    enabledChannels: options.enabledChannels,
  });
}

describe('availability across time zones', () => {
  test('in the Berlin morning the Berlin pricing rep is picked, not the one in Los Angeles', async () => {
    const decision = await route(roster(), request({ at: at('08:00') }));
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana'],
    );
    assert.equal(decision.tier, 1);
    assert.equal(decision.audience, 'rep');
  });

  test('in the Berlin evening the Los Angeles pricing rep, now at work, is picked', async () => {
    const decision = await route(roster(), request({ at: at('16:00') }));
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['carla'],
    );
  });

  test('an owner whose shift ends at 17:00 is still asked at 16:59 local time', async () => {
    const decision = await route(roster(), request({ prospect: { email: 'dana@acme.com', company: 'Acme' }, at: at('14:59') }));
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana'],
    );
    assert.equal(decision.note, 'account owner ana');
  });

  test('an owner whose shift ends at 17:00 is passed over at 17:00 local time for the next skilled rep', async () => {
    const decision = await route(roster(), request({ prospect: { email: 'dana@acme.com', company: 'Acme' }, at: at('15:00') }));
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['carla'],
    );
    assert.equal(decision.tier, 1);
    assert.match(decision.note, /account owner ana outside working hours \(Europe\/Berlin\)/);
  });

  test('a rep with open claims exactly at capacity is not offered more', async () => {
    const decision = await route(roster(), request({ prospect: { email: 'dana@acme.com', company: 'Acme' } }), {
      openClaims: { ana: 3 },
    });
    assert.equal(decision.tier, 3);
    assert.equal(decision.audience, 'lead');
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['lena'],
    );
    assert.deepEqual(decision.skipped, [
      {
        tier: 1,
        reason:
          'account owner ana at capacity (3/3); no available rep with skill pricing in team sales: ' +
          'ana at capacity (3/3); carla outside working hours (America/Los_Angeles)',
      },
      {
        tier: 2,
        reason:
          'no available rep with skill pricing in team sales: ana at capacity (3/3); carla outside working hours (America/Los_Angeles)',
      },
    ]);
  });

  test('a rep one claim under capacity is still offered the escalation', async () => {
    const decision = await route(roster(), request({ prospect: { email: 'dana@acme.com', company: 'Acme' } }), {
      openClaims: { ana: 2 },
    });
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana'],
    );
  });

  test('when everyone is away every tier is skipped and the whole team and the managers are alerted', async () => {
    const snapshot = roster((raw) => {
      for (const rep of raw.reps) rep.away = true;
    });
    const decision = await route(snapshot, request());
    assert.deepEqual(
      decision.skipped.map((s) => s.tier),
      [1, 2, 3, 4],
    );
    assert.equal(decision.skipped[2]?.reason, 'team lead lena away');
    assert.equal(decision.tier, 5);
    assert.equal(decision.audience, 'team');
    assert.equal(decision.isLastTier, true);
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana', 'carla', 'ben', 'lena', 'maria'],
    );
    assert.match(decision.note, /everyone in team sales is away/);
  });

  test('on a weekend night the whole team not away and the managers are alerted', async () => {
    const snapshot = roster((raw) => setRep(raw, 'ben', { away: true }));
    const decision = await route(snapshot, request({ at: '2025-06-14T03:00:00.000Z' }));
    assert.equal(decision.tier, 5);
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana', 'carla', 'lena', 'maria'],
    );
    assert.deepEqual(decision.eligibleRepIds, ['ana', 'ben', 'carla', 'lena', 'maria']);
  });
});

describe('the default ladder', () => {
  test('tier 1 goes to the owner named on the prospect before the owner of the email domain', async () => {
    const decision = await route(
      roster(),
      request({ prospect: { email: 'dana@acme.com', company: 'Acme', owner: 'otto' } }),
    );
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['otto'],
    );
  });

  test('tier 1 finds the account owner of a subdomain through its parent domain', async () => {
    const decision = await route(roster(), request({ prospect: { email: 'dana@eu.ACME.com', company: 'Acme' } }));
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ana'],
    );
  });

  test('without an owner, tier 1 takes turns among the available reps with the skill, in id order', async () => {
    const { pickTurn, calls } = rotations();
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const decision = await route(roster(), request({ reason: 'technical', trigger: 'technical', at: at('16:00') }), {
        pickTurn,
      });
      picked.push(decision.assignees[0]!.repId);
    }
    assert.deepEqual(picked, ['ben', 'carla', 'ben']);
    assert.deepEqual(calls[0], { key: 'round-robin-sales-technical', n: 2 });
  });

  test('tier 2 asks the next skilled rep, passing over reps already asked', async () => {
    const decision = await route(
      roster(),
      request({ reason: 'technical', trigger: 'technical', tier: 2, alreadyAsked: ['ben'], at: at('16:00') }),
    );
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['carla'],
    );
    assert.equal(decision.tier, 2);
    assert.equal(decision.isLastTier, false);
    assert.deepEqual(decision.eligibleRepIds, ['ben', 'carla', 'maria']);
  });

  test('tier 3 asks the team lead', async () => {
    const decision = await route(roster(), request({ tier: 3, alreadyAsked: ['ana', 'carla'] }));
    assert.equal(decision.audience, 'lead');
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['lena'],
    );
  });

  test('an away team lead is skipped at once and the whole team is asked at tier 4', async () => {
    const snapshot = roster((raw) => setRep(raw, 'lena', { away: true }));
    const decision = await route(snapshot, request({ tier: 3, at: at('16:00') }));
    assert.deepEqual(decision.skipped, [{ tier: 3, reason: 'team lead lena away' }]);
    assert.equal(decision.tier, 4);
    assert.equal(decision.audience, 'team');
    assert.equal(decision.isLastTier, true);
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['carla', 'ben'],
    );
    assert.deepEqual(decision.eligibleRepIds, ['ana', 'ben', 'carla', 'lena', 'maria']);
  });

  test('after the last tier the whole team is asked again', async () => {
    const decision = await route(roster(), request({ tier: 6, at: at('16:00') }));
    assert.equal(decision.tier, 6);
    assert.equal(decision.audience, 'team');
    assert.equal(decision.isLastTier, true);
    assert.deepEqual(decision.skipped, []);
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['carla', 'ben', 'lena'],
    );
  });

  test('the decision carries the roster content hash it was made under', async () => {
    const snapshot = roster();
    const decision = await route(snapshot, request());
    assert.equal(decision.policyVersion, snapshot.policyVersion);
    assert.match(decision.policyVersion, /^roster-[0-9a-f]{16}$/);
  });

  test('a tier below 1 is refused', async () => {
    await assert.rejects(route(roster(), request({ tier: 0 })), RoutingRequestError);
  });
});

describe('manual escalations and per-trigger ladders', () => {
  test('a manual escalation naming a trigger routes like that trigger', async () => {
    const { pickTurn, calls } = rotations();
    const decision = await route(roster(), request({ reason: 'manual', trigger: 'technical', at: at('16:00') }), { pickTurn });
    assert.deepEqual(calls, [{ key: 'round-robin-sales-technical', n: 2 }]);
    assert.deepEqual(
      decision.assignees.map((a) => a.repId),
      ['ben'],
    );
  });

  test('a manual escalation without a trigger goes to any available rep in turn', async () => {
    const { pickTurn, calls } = rotations();
    await route(roster(), request({ reason: 'manual', trigger: null, at: at('16:00') }), { pickTurn });
    assert.deepEqual(calls, [{ key: 'round-robin-sales-any', n: 3 }]);
  });

  test('a ladder configured for a trigger replaces the default one for that trigger only', async () => {
    const snapshot = roster((raw) => {
      raw.policy = { ladders: { pricing: ['managers', 'team'] } };
    });
    const pricing = await route(snapshot, request());
    assert.deepEqual(
      pricing.assignees.map((a) => a.repId),
      ['maria'],
    );
    assert.equal(pricing.isLastTier, false);
    const technical = await route(snapshot, request({ reason: 'technical', trigger: 'technical' }));
    assert.deepEqual(
      technical.assignees.map((a) => a.repId),
      ['ben'],
    );
  });
});

describe('alert channels per assignee', () => {
  test('each assignee carries their channels in order, without Slack when they have no Slack id, ending with the outbox', async () => {
    const decision = await route(roster(), request({ tier: 4, at: at('16:00') }));
    assert.deepEqual(
      decision.assignees.map((a) => [a.repId, a.channels]),
      [
        ['carla', ['email', 'slack', 'outbox']],
        ['ben', ['email', 'outbox']],
        ['lena', ['slack', 'email', 'outbox']],
      ],
    );
  });

  test('channels the deployment cannot deliver on are left out, and the outbox fallback can be turned off', async () => {
    const snapshot = roster((raw) => {
      raw.policy = { outboxFallback: false };
    });
    const decision = await route(snapshot, request({ tier: 3 }), { enabledChannels: ['email', 'outbox'] });
    assert.deepEqual(decision.assignees[0]?.channels, ['email']);
  });
});
