import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actingAs, linkActor, newOwnerFor } from '../../../src/api/actor';
import { ApiKeySchema, authenticate, hashApiKey, type ApiKey, type Caller } from '../../../src/api/auth';
import { ApiError } from '../../../src/api/errors';
import type { ConversationState, EscalationRecord } from '../../../workflows/messages';
import { escalation, rung } from '../../helpers/escalation';
import { prospect } from '../../helpers/prospect';
import { roster } from '../routing/rosterFixture';

const { roster: r } = roster();
const keys: ApiKey[] = [
  { id: 'ana-key', hash: hashApiKey('token-ana'), scopes: ['rep'], repId: 'ana' },
  { id: 'shared-rep-key', hash: hashApiKey('token-shared'), scopes: ['rep'] },
  { id: 'ops', hash: hashApiKey('token-ops'), scopes: ['admin'] },
  { id: 'maria-admin', hash: hashApiKey('token-maria'), scopes: ['admin'], repId: 'maria' },
];
const caller = (token: string): Caller => authenticate(`Bearer ${token}`, keys, ['rep']);

function refusedWith(code: string, status = 403) {
  return (err: unknown) => {
    assert.ok(err instanceof ApiError, String(err));
    assert.equal(err.code, code);
    assert.equal(err.status, status);
    return true;
  };
}

describe('API keys bound to reps', () => {
  test('a key may name the rep it acts as; the caller carries it, and a key bound to nobody carries null', () => {
    assert.equal(caller('token-ana').repId, 'ana');
    assert.equal(caller('token-shared').repId, null);
    assert.equal(caller('token-ops').repId, null);
  });

  test('a tool key cannot be bound to a rep, and a rep id must look like a roster id', () => {
    const tool = ApiKeySchema.safeParse({ id: 't', hash: hashApiKey('x'), scopes: ['tool'], repId: 'ana' });
    assert.ok(!tool.success);
    assert.deepEqual(tool.error.issues[0]?.path, ['repId']);
    assert.match(tool.error.issues[0]!.message, /rep \(or admin\) scope/);
    assert.ok(!ApiKeySchema.safeParse({ id: 't', hash: hashApiKey('x'), scopes: ['rep'], repId: 'Ana Weber' }).success);
  });
});

describe('who a request acts as', () => {
  test('a rep key acts as its own rep, whether or not the body names them', () => {
    for (const named of [undefined, 'ana']) {
      assert.deepEqual(actingAs(caller('token-ana'), named, r), { via: 'api_key', keyId: 'ana-key', repId: 'ana', onBehalfOf: false, manager: false });
    }
  });

  test('a rep key naming another rep is refused, naming both', () => {
    assert.throws(() => actingAs(caller('token-ana'), 'carla', r), (err: unknown) => {
      refusedWith('not_your_rep')(err);
      assert.equal((err as ApiError).message, 'this key (ana-key) acts as ana; it cannot act as carla');
      return true;
    });
  });

  test('a rep key bound to no rep cannot act on claims at all', () => {
    assert.throws(() => actingAs(caller('token-shared'), undefined, r), refusedWith('key_not_bound'));
    assert.throws(() => actingAs(caller('token-shared'), 'ana', r), refusedWith('key_not_bound'));
  });

  test('an admin key acts for the rep it names, and the actor says it was on their behalf', () => {
    assert.deepEqual(actingAs(caller('token-ops'), 'carla', r), { via: 'api_key', keyId: 'ops', repId: 'carla', onBehalfOf: true, manager: false });
    assert.throws(() => actingAs(caller('token-ops'), undefined, r, 'by'), (err: unknown) => {
      refusedWith('rep_required')(err);
      assert.match((err as ApiError).message, /name the rep it acts for in by/);
      return true;
    });
  });

  test('an admin key bound to a manager acts as that manager, or for another rep on their behalf', () => {
    assert.deepEqual(actingAs(caller('token-maria'), undefined, r), { via: 'api_key', keyId: 'maria-admin', repId: 'maria', onBehalfOf: false, manager: true });
    assert.equal(actingAs(caller('token-maria'), 'ana', r).onBehalfOf, true);
  });

  test('a rep who is not in the roster cannot act, whatever the key', () => {
    assert.throws(() => actingAs(caller('token-ops'), 'zed', r), refusedWith('unknown_rep'));
    assert.throws(() => linkActor('zed', r), refusedWith('unknown_rep'));
    assert.deepEqual(linkActor('maria', r), { via: 'claim_link', keyId: null, repId: 'maria', onBehalfOf: false, manager: true });
  });
});

describe('the new owner of a reassignment', () => {
  const record = (status: EscalationRecord['status']): EscalationRecord =>
    escalation(1, status, [rung(1, ['ana', 'maria'], 'claimed')], status === 'claimed' ? 'ana' : null);
  const state = (status: EscalationRecord['status']) =>
    ({ stage: 'claimed', prospect: prospect('p'), escalations: [record(status)] }) as unknown as ConversationState;

  test('an eligible rep is named with the channels that reach them alone', () => {
    assert.deepEqual(newOwnerFor(state('claimed'), 'carla', r, ['outbox', 'email', 'slack']), { name: 'Carla Reyes', channels: ['email', 'outbox'] });
  });

  test('a rep the roster does not let take it, or an unknown rep, is refused with the reason', () => {
    assert.throws(() => newOwnerFor(state('claimed'), 'ben', r, ['outbox']), (err: unknown) => {
      refusedWith('not_eligible')(err);
      assert.match((err as ApiError).message, /^ben may not take this pricing escalation at tier 1/);
      return true;
    });
    assert.throws(() => newOwnerFor(state('open'), 'zed', r, ['outbox']), refusedWith('not_eligible'));
  });

  test('a rep no enabled channel reaches alone is refused as unreachable', () => {
    const { roster: noOutbox } = roster((raw) => {
      raw.policy = { outboxFallback: false };
    });
    assert.throws(() => newOwnerFor(state('claimed'), 'carla', noOutbox, ['outbox', 'slack']), refusedWith('unreachable', 409));
  });
});
