import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { type ClaimTokenFailure, createClaimToken, verifyClaimToken } from '../../../src/alerts/claimLink';

const SECRET = 'claim-secret-0123456789abcdef-0123456789';
const OTHER_SECRET = 'another-deployment-secret-0123456789abcdef';
const NOW = new Date('2025-06-05T14:12:00.000Z');
const claims = { workflowId: 'prospect-dana-42', escalation: 1, rung: 3, tier: 2, repId: 'ana', expiresAt: new Date('2025-06-05T15:12:00.000Z') };

function refusal(token: string, secret = SECRET, now = NOW): ClaimTokenFailure | 'accepted' {
  const result = verifyClaimToken(token, secret, now);
  return result.ok ? 'accepted' : result.error.reason;
}

/** Re-encodes the token's payload with one field changed, keeping the original signature. */
function withPayload(token: string, change: Record<string, unknown>): string {
  const [payload, kid, mac] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [Buffer.from(JSON.stringify({ ...decoded, ...change })).toString('base64url'), kid, mac].join('.');
}

describe('claim links', () => {
  test('a genuine token is accepted and names the conversation, escalation, rung, tier, rep and expiry', () => {
    const token = createClaimToken(claims, SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const result = verifyClaimToken(token, SECRET, NOW);
    assert.ok(result.ok);
    assert.deepEqual(result.claims, claims);
  });

  test('a team link names no rep: whoever opens it must prove who they are', () => {
    const team = { ...claims, repId: null };
    const result = verifyClaimToken(createClaimToken(team, SECRET), SECRET, NOW);
    assert.ok(result.ok);
    assert.equal(result.claims.repId, null);
  });

  test('a token for another rep, conversation, escalation or rung, made by editing the payload, is refused as altered', () => {
    const token = createClaimToken(claims, SECRET);
    assert.equal(refusal(withPayload(token, { rep: 'mallory' })), 'altered');
    assert.equal(refusal(withPayload(token, { rep: null })), 'altered');
    assert.equal(refusal(withPayload(token, { wf: 'prospect-other' })), 'altered');
    assert.equal(refusal(withPayload(token, { esc: 2 })), 'altered');
    assert.equal(refusal(withPayload(token, { rung: 4 })), 'altered');
    assert.equal(refusal(withPayload(token, { exp: Date.parse('2030-01-01T00:00:00Z') })), 'altered');
  });

  test('a token with a changed signature is refused as altered', () => {
    const token = createClaimToken(claims, SECRET);
    const mac = token.split('.')[2]!;
    const flipped = `${token.slice(0, token.length - mac.length)}${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    assert.equal(refusal(flipped), 'altered');
  });

  test('a token signed with another secret is refused as forged', () => {
    assert.equal(refusal(createClaimToken(claims, OTHER_SECRET)), 'forged');
  });

  test('a token is refused as expired from its expiry instant on', () => {
    const token = createClaimToken(claims, SECRET);
    assert.equal(refusal(token, SECRET, new Date(claims.expiresAt.getTime() - 1)), 'accepted');
    assert.equal(refusal(token, SECRET, claims.expiresAt), 'expired');
    const result = verifyClaimToken(token, SECRET, new Date('2025-06-06T00:00:00Z'));
    assert.ok(!result.ok);
    assert.deepEqual(result.error.claims, claims);
  });

  test('a genuine link of the first kind, bound to a tier only, is refused as outdated', () => {
    const payload = Buffer.from(JSON.stringify({ v: 1, wf: claims.workflowId, rep: 'ana', tier: 2, exp: claims.expiresAt.getTime() })).toString('base64url');
    const [, kid] = createClaimToken(claims, SECRET).split('.');
    const mac = createHmac('sha256', SECRET).update(payload).digest('base64url');
    const result = verifyClaimToken(`${payload}.${kid}.${mac}`, SECRET, NOW);
    assert.ok(!result.ok);
    assert.equal(result.error.reason, 'outdated');
    assert.match(result.error.message, /use the newest alert/);
  });

  test('a link for no escalation or rung cannot be made', () => {
    assert.throws(() => createClaimToken({ ...claims, rung: 0 }, SECRET), /rung must be a whole number from 1/);
    assert.throws(() => createClaimToken({ ...claims, escalation: 1.5 }, SECRET), /escalation must be a whole number from 1/);
  });

  test('text that is not a token is refused as malformed', () => {
    for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', 'a!.b.c', '../etc/passwd']) {
      assert.equal(refusal(junk), 'malformed', junk);
    }
  });

  test('a short secret is refused rather than used', () => {
    assert.throws(() => createClaimToken(claims, 'short'), RangeError);
  });
});
