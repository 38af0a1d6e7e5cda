/**
 * Signed reply ingestion. A webhook sender signs each request with the shared secret
 * (`HANDOFF_REPLY_SIGNING_SECRET`): `X-Handoff-Timestamp` (Unix seconds) and
 * `X-Handoff-Signature: v2=<hex HMAC-SHA256 of "<timestamp>.<METHOD>.<path>.<raw body>">`, where the path is the
 * request path exactly as sent, with its query string if it has one.
 *
 * v1 (`"<timestamp>.<raw body>"`) is refused: it does not cover the path, so a body signed for one prospect
 * was accepted on another prospect's path. A signature is accepted once: the replay cache lives in the ledger
 * database, shared by every API process and kept across restarts, until the timestamp leaves the window.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplayCache } from '../ledger/replay';
import { ApiError } from './errors';

/** The signed parts of a request. */
export interface SignedRequest {
  method: string;
  /** The path as sent, with its query string. */
  path: string;
  /** The raw body: text (signed as UTF-8) or bytes (an inbound email, signed as received). */
  body: string | Buffer;
}

/** Signature settings for reply ingestion. */
export interface SignatureOptions {
  secret: string;
  /** How far the timestamp may be from now, either way. */
  toleranceMs: number;
}

/** `v2=` + hex HMAC-SHA256 of `${timestamp}.${METHOD}.${path}.${body}`: what a sender puts in `X-Handoff-Signature`. */
export function signRequest(secret: string, timestamp: string, request: SignedRequest): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${request.method.toUpperCase()}.${request.path}.`);
  return `v2=${mac.update(request.body).digest('hex')}`;
}

/**
 * Verifies a signed request and records its signature, so the same request is refused the second time (409),
 * by this process or any other on the same ledger.
 * @throws ApiError 401 when a header is missing, the timestamp is outside the window, the scheme is not v2, or
 * the signature does not match; 409 when the request was already received.
 */
export async function verifySignedRequest(
  headers: { timestamp?: string; signature?: string },
  request: SignedRequest,
  options: SignatureOptions,
  replays: ReplayCache,
  now: number,
): Promise<void> {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) {
    throw new ApiError(401, 'signature_required', 'X-Handoff-Timestamp and X-Handoff-Signature are required on this route');
  }
  const ts = Number(timestamp) * 1000;
  if (!/^\d+$/.test(timestamp) || Math.abs(now - ts) > options.toleranceMs) {
    throw new ApiError(401, 'signature_expired', 'X-Handoff-Timestamp is outside the accepted window');
  }
  if (!signature.startsWith('v2=')) {
    throw new ApiError(401, 'signature_scheme', 'X-Handoff-Signature must be v2=<hex HMAC-SHA256 of "<timestamp>.<METHOD>.<path>.<body>">; v1 is not accepted', {
      accepted: ['v2'],
    });
  }
  const expected = Buffer.from(signRequest(options.secret, timestamp, request));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ApiError(401, 'signature_invalid', 'X-Handoff-Signature does not match the method, path and body');
  }
  const fresh = await replays.remember(signature, ts + options.toleranceMs, now);
  if (!fresh) throw new ApiError(409, 'replayed', 'this signed request was already received');
}
