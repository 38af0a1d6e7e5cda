import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personalAlertChannels, takeoverRefusal, type TakeoverRequest } from '../../../src/routing/policy';
import { roster, setRep } from './rosterFixture';

const pricing = (tier: number, email = 'buyer@unknown.example'): TakeoverRequest => ({ reason: 'pricing', trigger: 'pricing', tier, prospect: { email, company: 'Buyer' } });

describe('who may take over an escalation by reassignment', () => {
  test('at tier 1 of the default ladder, a rep with the trigger skill in the routing team may; a rep without it is told who may', () => {
    const { roster: r } = roster();
    assert.equal(takeoverRefusal(r, pricing(1), 'ana'), null);
    assert.equal(takeoverRefusal(r, pricing(1), 'carla'), null);
    assert.equal(
      takeoverRefusal(r, pricing(1), 'ben'),
      'ben may not take this pricing escalation at tier 1: up to that tier it goes to the account owner (none) or a rep with the pricing skill in team sales, or a manager',
    );
  });

  test('as the escalation climbs, the lead and then the whole team may take it', () => {
    const { roster: r } = roster();
    assert.notEqual(takeoverRefusal(r, pricing(2), 'lena'), null);
    assert.equal(takeoverRefusal(r, pricing(3), 'lena'), null, 'tier 3 is the lead');
    assert.notEqual(takeoverRefusal(r, pricing(3), 'ben'), null);
    assert.equal(takeoverRefusal(r, pricing(4), 'ben'), null, 'tier 4 is the team');
    assert.equal(takeoverRefusal(r, pricing(6), 'ben'), null, 'past the last tier, the team');
  });

  test('the account owner routes to their own team, so a skilled rep of another team may not take it', () => {
    const { roster: r } = roster();
    assert.equal(takeoverRefusal(r, pricing(1, 'cfo@initech.com'), 'otto'), null);
    assert.match(takeoverRefusal(r, pricing(1, 'cfo@initech.com'), 'ana')!, /the account owner \(otto\) or a rep with the pricing skill in team partners/);
  });

  test('a manager always may; a rep who is away or not in the roster may not, and is told why', () => {
    const { roster: r } = roster((raw) => setRep(raw, 'carla', { away: true }));
    assert.equal(takeoverRefusal(r, pricing(1), 'maria'), null);
    assert.equal(takeoverRefusal(r, pricing(1), 'carla'), 'carla is away');
    assert.equal(takeoverRefusal(r, pricing(1), 'zed'), 'zed is not in the roster');
  });
});

describe('the alert channels that reach a rep alone', () => {
  test('e-mail and their own webhook, in their order, then the outbox; never Slack, which posts to a team channel', () => {
    const { roster: r } = roster((raw) => {
      setRep(raw, 'ben', { channels: ['webhook', 'slack', 'email'], webhookUrl: 'https://hooks.example.com/ben' });
      setRep(raw, 'lena', { channels: ['webhook', 'slack'] });
    });
    const rep = (id: string) => r.reps.find((x) => x.id === id)!;
    const all = ['outbox', 'slack', 'email', 'webhook'];
    assert.deepEqual(personalAlertChannels(r, rep('ben'), all), ['webhook', 'email', 'outbox']);
    assert.deepEqual(personalAlertChannels(r, rep('carla'), all), ['email', 'outbox']);
    assert.deepEqual(personalAlertChannels(r, rep('lena'), all), ['outbox'], 'a webhook that is the team’s or the default is shared');
    assert.deepEqual(personalAlertChannels(r, rep('carla'), ['outbox']), ['outbox'], 'only enabled channels');
  });

  test('without the outbox fallback a rep reachable only on Slack has no personal channel', () => {
    const { roster: r } = roster((raw) => {
      raw.policy = { outboxFallback: false };
    });
    assert.deepEqual(personalAlertChannels(r, r.reps.find((x) => x.id === 'ana')!, ['outbox', 'slack']), []);
  });
});
