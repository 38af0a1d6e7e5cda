/**
 * Unsubscribe links: every automated email carries `List-Unsubscribe` with a mailto and a signed https URL
 * (`POST /v1/unsubscribe/{token}`, one-click per RFC 8058). The token names the conversation and a hash of the
 * recipient's address, never the address itself, so a link in a forwarded mail or a proxy's log reveals nobody.
 *
 * Format (base64url, no padding): `<payload>.<mac>`, `payload` the JSON `{ v: 1, wf, h }` (`h` the address's
 * `sha256:<hex>`), `mac` HMAC-SHA256(secret, `<payload>`). Links do not expire: an unsubscribe must keep working.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { hashEmail } from '../ledger/suppression';

/** What an unsubscribe token names. */
export interface UnsubscribeClaims {
  workflowId: string;
  /** `sha256:<hex>` of the normalised address the email went to. */
  emailHash: string;
}

/** A token that is not ours or was altered. */
export class UnsubscribeTokenError extends Error {
  override readonly name = 'UnsubscribeTokenError';
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** The token for one conversation's recipient. */
export function unsubscribeToken(secret: string, workflowId: string, email: string): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, wf: workflowId, h: hashEmail(email) })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/**
 * What a genuine token names.
 * @throws UnsubscribeTokenError when the token is malformed or its signature does not match.
 */
export function readUnsubscribeToken(secret: string, token: string): UnsubscribeClaims {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) throw new UnsubscribeTokenError('not an unsubscribe token');
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new UnsubscribeTokenError('the unsubscribe link is not genuine');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new UnsubscribeTokenError('not an unsubscribe token');
  }
  const { v, wf, h } = (claims ?? {}) as Record<string, unknown>;
  if (v !== 1 || typeof wf !== 'string' || typeof h !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(h)) throw new UnsubscribeTokenError('not an unsubscribe token');
  return { workflowId: wf, emailHash: h };
}

/** The reply id an unsubscribe is sent into the conversation under: the same link clicked twice counts once. */
export function unsubscribeMessageId(token: string): string {
  return `unsubscribe:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

/** The text of the opt-out an unsubscribe sends into the conversation (the rules read it as an explicit opt-out). */
export const UNSUBSCRIBE_TEXT = 'Unsubscribe me. Please remove me from your mailing list.';

/** Where an email's recipient unsubscribes: the mailto (the sending address) and the signed https link. */
export interface UnsubscribeLinks {
  /** The API's `/v1/unsubscribe` base URL. */
  baseUrl: string;
  secret: string;
  /** The address unsubscribe mail goes to. */
  mailbox: string;
}

/** The `List-Unsubscribe` targets of one email. */
export function unsubscribeTargets(links: UnsubscribeLinks, workflowId: string, email: string): { mailto: string; url: string } {
  return {
    mailto: `mailto:${links.mailbox}?subject=unsubscribe`,
    url: `${links.baseUrl.replace(/\/$/, '')}/${unsubscribeToken(links.secret, workflowId, email)}`,
  };
}
