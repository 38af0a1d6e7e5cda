import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRoute, type PickTurn, type RouteRequest } from '../../../src/routing/policy';
import { RosterError, validateRoster, type RosterSnapshot } from '../../../src/routing/roster';

/** Two office-hours teams (Berlin and Los Angeles) and a Stockholm manager: nobody works at night or at weekends. */
function rawRoster(offHours: Record<string, string> = {}): Record<string, unknown> & { reps: Record<string, unknown>[] } {
  const office = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
  return {
    reps: [
      { id: 'ana', name: 'Ana Weber', email: 'ana@example.com', slackUserId: 'U01ANA', timeZone: 'Europe/Berlin', workingHours: office, skills: ['pricing', 'human_request'], team: 'emea', channels: ['slack', 'email'] },
      { id: 'ben', name: 'Ben Okafor', email: 'ben@example.com', timeZone: 'Europe/Berlin', workingHours: office, skills: ['pricing'], team: 'emea', channels: ['email'] },
      { id: 'carla', name: 'Carla Reyes', email: 'carla@example.com', timeZone: 'America/Los_Angeles', workingHours: { ...office, start: '08:00' }, skills: ['pricing', 'human_request'], team: 'amer', channels: ['email'] },
      { id: 'maria', name: 'Maria Lindqvist', email: 'maria@example.com', timeZone: 'Europe/Stockholm', workingHours: office, channels: ['email'] },
    ],
    teams: [
      { id: 'emea', lead: 'ana' },
      { id: 'amer', lead: 'carla' },
    ],
    managers: ['maria'],
    accounts: { 'acme.com': 'ana' },
    policy: { defaultTeam: 'emea', offHours },
  };
}

function roster(offHours: Record<string, string> = {}, edit?: (raw: ReturnType<typeof rawRoster>) => void): RosterSnapshot {
  const raw = rawRoster(offHours);
  edit?.(raw);
  return validateRoster(raw);
}

function request(at: string, overrides: Partial<RouteRequest> = {}): RouteRequest {
  return {
    conversationId: 'prospect-7',
    reason: 'pricing',
    trigger: 'pricing',
    tier: 1,
    prospect: { email: 'pat@acme.com', company: 'Acme' },
    alreadyAsked: [],
    at,
    ...overrides,
  };
}

function rotation(): { pickTurn: PickTurn; keys: string[] } {
  const counters = new Map<string, number>();
  const keys: string[] = [];
  return {
    keys,
    pickTurn: async (key, n) => {
      keys.push(key);
      const turn = counters.get(key) ?? 0;
      counters.set(key, turn + 1);
      return turn % n;
    },
  };
}

function route(snapshot: RosterSnapshot, req: RouteRequest, pickTurn: PickTurn = rotation().pickTurn, openClaims: Record<string, number> = {}) {
  return decideRoute(snapshot, req, { now: new Date(req.at), openClaims, pickTurn, enabledChannels: ['slack', 'email', 'webhook', 'outbox'] });
}

// Wednesday 11 June 2025 18:00 UTC: 20:00 in Berlin (off), 11:00 in Los Angeles (working).
const WEDNESDAY_EVENING = '2025-06-11T18:00:00.000Z';
// Friday 13 June 2025 16:00 UTC: 18:00 in Berlin (off), 09:00 in Los Angeles.
const FRIDAY_EVENING = '2025-06-13T16:00:00.000Z';
// Sunday 15 June 2025 03:00 UTC: nobody works anywhere.
const SUNDAY_NIGHT = '2025-06-15T03:00:00.000Z';

describe('off-hours routing', () => {
  test('under follow_the_sun, a request for a person in the Berlin evening goes to the Los Angeles team, working now', async () => {
    const decision = await route(roster({ human_request: 'follow_the_sun' }), request(WEDNESDAY_EVENING, { reason: 'human_request', trigger: 'human_request' }));
    assert.equal(decision.tier, 1);
    assert.deepEqual(decision.skipped, []);
    assert.deepEqual(decision.assignees.map((a) => a.repId), ['carla']);
    assert.equal(decision.offHours?.policy, 'follow_the_sun');
    assert.match(decision.offHours!.note, /account owner ana outside working hours/);
    assert.match(decision.offHours!.note, /follows the sun to team amer/);
    assert.equal(decision.hold, undefined);
  });

  test('under follow_the_sun with nobody working in any team, it holds for the account owner', async () => {
    const decision = await route(roster({ human_request: 'follow_the_sun' }), request(SUNDAY_NIGHT, { reason: 'human_request', trigger: 'human_request' }));
    assert.deepEqual(decision.assignees.map((a) => a.repId), ['ana']);
    assert.equal(decision.offHours?.policy, 'hold');
    assert.match(decision.offHours!.note, /nobody with skill human_request is working now in any team/);
    assert.deepEqual(decision.hold, { repId: 'ana', timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] } });
  });

  test('under hold, a Friday-evening pricing question is assigned to the account owner at once, on their own channels only', async () => {
    const decision = await route(roster({ pricing: 'hold' }), request(FRIDAY_EVENING));
    assert.equal(decision.tier, 1);
    assert.deepEqual(decision.skipped, []);
    assert.equal(decision.audience, 'rep');
    assert.deepEqual(decision.assignees, [{ repId: 'ana', name: 'Ana Weber', channels: ['email', 'outbox'] }]);
    assert.equal(decision.hold?.repId, 'ana');
    assert.equal(decision.offHours?.policy, 'hold');
    assert.ok(decision.eligibleRepIds.includes('maria'), 'managers may still claim');
  });

  test('under hold, a prospect with no owner is held for the next skilled rep of the team by round robin', async () => {
    const turns = rotation();
    const first = await route(roster({ pricing: 'hold' }), request(FRIDAY_EVENING, { prospect: { email: 'sam@unowned.io', company: 'Unowned' } }), turns.pickTurn);
    const second = await route(roster({ pricing: 'hold' }), request(FRIDAY_EVENING, { prospect: { email: 'sam@unowned.io', company: 'Unowned' } }), turns.pickTurn);
    assert.deepEqual([first.hold?.repId, second.hold?.repId], ['ana', 'ben']);
    assert.ok(turns.keys.every((key) => key === 'round-robin-emea-pricing'), `rotations used: ${turns.keys.join(', ')}`);
  });

  test('under page, nobody working skips every tier and pages the team and managers, as before policies', async () => {
    const decision = await route(roster({ pricing: 'page' }), request(SUNDAY_NIGHT));
    assert.equal(decision.skipped.length, 4);
    assert.equal(decision.tier, 5);
    assert.deepEqual(decision.assignees.map((a) => a.repId).sort(), ['ana', 'ben', 'maria']);
    assert.equal(decision.offHours, undefined);
  });

  test('a roster that names no policy pages', async () => {
    const decision = await route(roster(), request(SUNDAY_NIGHT));
    assert.equal(decision.tier, 5);
    assert.equal(decision.offHours, undefined);
  });

  test('a tier nobody could take at any hour (everyone away) is skipped even under hold', async () => {
    const snapshot = roster({ pricing: 'hold' }, (raw) => {
      for (const rep of raw.reps) rep.away = rep.id === 'ana' || rep.id === 'ben';
    });
    const decision = await route(snapshot, request(FRIDAY_EVENING));
    assert.equal(decision.hold, undefined);
    assert.equal(decision.skipped[0]?.tier, 1);
    assert.match(decision.skipped[0]!.reason, /away/);
  });

  test("the conversation's own policy overrides the roster's", async () => {
    const decision = await route(roster({ pricing: 'hold' }), request(WEDNESDAY_EVENING, { offHours: 'follow_the_sun' }));
    assert.deepEqual(decision.assignees.map((a) => a.repId), ['carla']);
    assert.equal(decision.offHours?.policy, 'follow_the_sun');
  });

  test('a manual escalation follows its trigger’s policy, else the manual one', async () => {
    const snapshot = roster({ pricing: 'hold', manual: 'follow_the_sun' });
    const asPricing = await route(snapshot, request(WEDNESDAY_EVENING, { reason: 'manual', trigger: 'pricing' }));
    assert.equal(asPricing.offHours?.policy, 'hold');
    const plain = await route(snapshot, request(WEDNESDAY_EVENING, { reason: 'manual', trigger: null }));
    assert.equal(plain.offHours?.policy, 'follow_the_sun');
  });

  test('the managers are told of an unclaimed escalation at any hour, and no tier is asked', async () => {
    const decision = await route(roster({ pricing: 'hold' }), request(SUNDAY_NIGHT, { tier: 4, notify: 'managers' }));
    assert.deepEqual(decision.assignees.map((a) => a.repId), ['maria']);
    assert.deepEqual(decision.skipped, []);
    assert.equal(decision.tier, 4);
  });

  test('an unknown off-hours policy is refused, naming the field', () => {
    assert.throws(
      () => roster({ pricing: 'sometimes' }),
      (err: unknown) => err instanceof RosterError && err.issues.some((i) => i.path === 'policy.offHours.pricing'),
    );
  });

  test('an owner at capacity is passed over for the next skilled rep, and the decision says who was passed over and why', async () => {
    const snapshot = roster({}, (raw) => {
      for (const rep of raw.reps) rep.capacity = 2;
    });
    // Wednesday 10:00 in Berlin: ana and ben are both working; ana already holds two claims.
    const decision = await route(snapshot, request('2025-06-11T08:00:00.000Z'), rotation().pickTurn, { ana: 2 });
    assert.deepEqual(decision.assignees.map((a) => a.repId), ['ben']);
    assert.deepEqual(decision.passedOver, [{ repId: 'ana', reason: 'at capacity (2/2)' }]);
  });
});
