/**
 * Claim links: signed, expiring tokens bound to one alert, that is one rung of one escalation of one conversation.
 * A rep's own link (`rep` set) claims as that rep and goes only to channels that reach that rep alone; a team
 * link (`rep` null) goes to shared channels and claims only for a rep who proves who they are with their own key.
 * The conversation refuses a link whose rung or escalation is no longer the current one.
 *
 * Format (all base64url, no padding): `<payload>.<keyId>.<mac>` where
 * - `payload` is the JSON `{ v: 2, wf, esc, rung, tier, rep, exp }` (`rep` a rep id or null, `exp` in Unix
 *   milliseconds: the rung's claim deadline plus a short grace),
 * - `keyId` is the first 6 bytes of HMAC-SHA256(secret, "handoff-claim-key"), naming the secret that signed it,
 * - `mac` is HMAC-SHA256(secret, `<payload>`) over the encoded payload.
 * A token whose key id is not ours is `forged`; ours but with a MAC that does not match is `altered`.
 * The key id reveals nothing about the secret and lets a rotated secret be told apart from tampering.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a claim token grants. */
export interface ClaimTokenClaims {
  workflowId: string;
  /** The escalation (1-based) whose alert carried the link. */
  escalation: number;
  /** The rung (1-based) of that escalation whose alert carried the link. */
  rung: number;
  tier: number;
  /** The rep the link claims for; null for a team link, which needs the rep's own key. */
  repId: string | null;
  /** When the link stops working. */
  expiresAt: Date;
}

/** Why a claim token was refused. */
export type ClaimTokenFailure = 'malformed' | 'forged' | 'altered' | 'expired' | 'outdated';

/** A refused claim token: `reason` says why; `claims` is set for an expired but genuine token. */
export class ClaimTokenError extends Error {
  override readonly name = 'ClaimTokenError';
  constructor(
    readonly reason: ClaimTokenFailure,
    message: string,
    readonly claims?: ClaimTokenClaims,
  ) {
    super(message);
  }
}

/** The outcome of {@link verifyClaimToken}. */
export type ClaimTokenResult = { ok: true; claims: ClaimTokenClaims } | { ok: false; error: ClaimTokenError };

const KEY_ID_LABEL = 'handoff-claim-key';
const MIN_SECRET_LENGTH = 32;

function requireSecret(secret: string): void {
  // A short secret makes every link guessable offline; refuse it rather than sign with it.
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new RangeError(`the claim-link secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function keyId(secret: string): Buffer {
  return createHmac('sha256', secret).update(KEY_ID_LABEL).digest().subarray(0, 6);
}

function mac(secret: string, encodedPayload: string): Buffer {
  return createHmac('sha256', secret).update(encodedPayload).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Signs a claim link token.
 * @throws RangeError when the secret is shorter than 32 characters or the claims are not usable.
 */
export function createClaimToken(claims: ClaimTokenClaims, secret: string): string {
  requireSecret(secret);
  for (const field of ['escalation', 'rung', 'tier'] as const) {
    if (!Number.isInteger(claims[field]) || claims[field] < 1) throw new RangeError(`${field} must be a whole number from 1`);
  }
  if (Number.isNaN(claims.expiresAt.getTime())) throw new RangeError('expiresAt is not a valid date');
  const payload = Buffer.from(
    JSON.stringify({
      v: 2,
      wf: claims.workflowId,
      esc: claims.escalation,
      rung: claims.rung,
      tier: claims.tier,
      rep: claims.repId,
      exp: claims.expiresAt.getTime(),
    }),
  ).toString('base64url');
  return `${payload}.${keyId(secret).toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function refuse(reason: ClaimTokenFailure, message: string, claims?: ClaimTokenClaims): ClaimTokenResult {
  return { ok: false, error: new ClaimTokenError(reason, message, claims) };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** The payload's claims; `1` for a first-version link (bound to a tier only); null for anything else. */
function decodePayload(encoded: string): ClaimTokenClaims | 1 | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { v, wf, esc, rung, rep, tier, exp } = raw as Record<string, unknown>;
  if (v === 1) return 1;
  if (v !== 2 || typeof wf !== 'string' || (typeof rep !== 'string' && rep !== null)) return null;
  if (!isCount(esc) || !isCount(rung) || !isCount(tier) || typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { workflowId: wf, escalation: esc, rung, tier, repId: rep, expiresAt: new Date(exp) };
}

/**
 * Checks a claim link token: shape, signing key, MAC (constant-time), then expiry at `now`.
 * Never throws for a bad token; the result says why it was refused.
 * @throws RangeError only when the secret itself is too short.
 */
export function verifyClaimToken(token: string, secret: string, now: Date = new Date()): ClaimTokenResult {
  requireSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
    return refuse('malformed', 'claim token is not three base64url parts');
  }
  const [payload, kid, signature] = parts as [string, string, string];
  if (!sameBytes(Buffer.from(kid, 'base64url'), keyId(secret))) {
    return refuse('forged', 'claim token was not signed with this deployment’s key');
  }
  if (!sameBytes(Buffer.from(signature, 'base64url'), mac(secret, payload))) {
    return refuse('altered', 'claim token does not match its signature');
  }
  const claims = decodePayload(payload);
  if (claims === 1) return refuse('outdated', 'claim links from before links were bound to their alert no longer claim: use the newest alert');
  if (!claims) return refuse('malformed', 'claim token payload is not a claim');
  if (now.getTime() >= claims.expiresAt.getTime()) {
    return refuse('expired', `claim link expired at ${claims.expiresAt.toISOString()}`, claims);
  }
  return { ok: true, claims };
}
