import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ClaimTokenFailure, createClaimToken, verifyClaimToken } from '../../../src/alerts/claimLink';

const SECRET = 'claim-secret-0123456789abcdef-0123456789';
const OTHER_SECRET = 'another-deployment-secret-0123456789abcdef';
const NOW = new Date('2025-06-05T14:12:00.000Z');
const claims = { workflowId: 'prospect-dana-42', repId: 'ana', tier: 2, expiresAt: new Date('2025-06-05T15:12:00.000Z') };

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
  test('a genuine token is accepted and names the conversation, rep, tier and expiry', () => {
    const token = createClaimToken(claims, SECRET);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const result = verifyClaimToken(token, SECRET, NOW);
    assert.ok(result.ok);
    assert.deepEqual(result.claims, claims);
  });

  test('a token for another rep or conversation, made by editing the payload, is refused as altered', () => {
    const token = createClaimToken(claims, SECRET);
    assert.equal(refusal(withPayload(token, { rep: 'mallory' })), 'altered');
    assert.equal(refusal(withPayload(token, { wf: 'prospect-other' })), 'altered');
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

  test('text that is not a token is refused as malformed', () => {
    for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', 'a!.b.c', '../etc/passwd']) {
      assert.equal(refusal(junk), 'malformed', junk);
    }
  });

  test('a short secret is refused rather than used', () => {
    assert.throws(() => createClaimToken(claims, 'short'), RangeError);
  });
});
