/**
 * API keys. Keys are bearer tokens; the config stores only their SHA-256 hashes, each with scopes (`tool` for
 * outreach tools, `rep` for reps, `admin` for everything) and, for a rep's key, the rep it acts as (`repId`). A
 * missing or unknown key is 401; a known key without the route's scope is 403. Signed reply ingestion is in
 * `./signature`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { ApiError } from './errors';

/** What a key may do. */
export const SCOPES = ['tool', 'rep', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** One configured key: an id for logs, the hash of the token, its scopes, and the rep a rep's key acts as. */
export const ApiKeySchema = z
  .strictObject({
    id: z.string().min(1).max(64),
    hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" and 64 hex digits (see `handoff api-key new`)'),
    scopes: z.array(z.enum(SCOPES)).min(1),
    /** The roster rep this key acts as (`handoff api-key new --rep ana`). A rep key without one cannot claim. */
    repId: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected a roster rep id such as "ana"').optional(),
  })
  .refine((key) => key.repId === undefined || key.scopes.includes('rep') || key.scopes.includes('admin'), {
    message: 'a key bound to a rep needs the rep (or admin) scope',
    path: ['repId'],
  });
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** The stored form of a token. */
export function hashApiKey(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** A new random token. */
export function generateApiKey(): string {
  return `hk_${randomBytes(24).toString('base64url')}`;
}

/**
 * The key of the embedded default when none is configured: generated once, kept in the data directory (0600)
 * so the local CLI can use it, printed at every start. Never an open API.
 */
export function embeddedApiKey(dataDir: string): { token: string; key: ApiKey } {
  const file = path.join(dataDir, 'api-key');
  let token: string;
  if (existsSync(file)) token = readFileSync(file, 'utf8').trim();
  else {
    mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
    token = generateApiKey();
    writeFileSync(file, `${token}\n`, { mode: DATA_FILE_MODE });
  }
  return { token, key: { id: 'embedded-admin', hash: hashApiKey(token), scopes: ['admin'] } };
}

/** Who made a request. */
export interface Caller {
  keyId: string;
  scopes: Scope[];
  /** The rep the key acts as; null for a key bound to no rep. */
  repId: string | null;
}

/** Checks a bearer token against the keys and the route's scopes. */
export function authenticate(header: string | undefined, keys: readonly ApiKey[], allowed: readonly Scope[]): Caller {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new ApiError(401, 'unauthenticated', 'missing bearer token (Authorization: Bearer <api key>)');
  const hash = Buffer.from(hashApiKey(match[1]!));
  const key = keys.find((k) => k.hash.length === hash.length && timingSafeEqual(Buffer.from(k.hash), hash));
  if (!key) throw new ApiError(401, 'unauthenticated', 'unknown API key');
  if (!key.scopes.includes('admin') && !key.scopes.some((s) => allowed.includes(s))) {
    throw new ApiError(403, 'forbidden', `this key (${key.id}) lacks the scope for this route (${allowed.join(' or ')})`);
  }
  return { keyId: key.id, scopes: key.scopes, repId: key.repId ?? null };
}
