/**
 * The codec endpoint the Temporal Web UI decodes payloads through (Temporal's codec-server convention):
 * `POST /codec/decode` and `POST /codec/encode` take and answer `{ payloads: [{ metadata, data }] }` with base64
 * bytes, for the namespace in `X-Namespace`.
 *
 * Only people signed in may use it: a bearer API key with the `rep` scope (`admin` too), or the session cookie
 * that `/codec/login` sets after a person pastes such a key. The UI cannot send a bearer token from our setup (it
 * passes only its own OIDC access token, and only over https), so it sends the cookie: cross-origin, with
 * credentials (the UI's "include credentials" codec setting), allowed by CORS for the UI's origin alone. The
 * cookie is HttpOnly, SameSite=Strict (the UI and the API must be on the same site, e.g. both on `localhost`),
 * scoped to `/codec`, signed with a secret derived from the payload key, and names the API key it was made from,
 * so removing or replacing that key in the config ends its sessions.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { temporalUiUrl, type Config } from '../config';
import { PayloadDecryptionError, UnknownPayloadKeyError, type EncryptionCodec } from '../temporal/codec';
import { authenticate, type ApiKey, type Scope } from './auth';
import { BEARER_ERRORS, BODY_ERRORS, errorResponse, HtmlPageSchema, type ResponseContract, type RouteContract } from './contract';
import { ApiError, validationError } from './errors';

/** The path the codec endpoint is served under. */
export const CODEC_PATH = '/codec';
/** The session cookie's name. */
export const CODEC_SESSION_COOKIE = 'handoff_codec_session';
/** How long a codec session lasts. */
export const CODEC_SESSION_TTL_MS = 12 * 60 * 60_000;
/** Who may decode: reps (and admins, who hold every scope). */
const CODEC_SCOPES: readonly Scope[] = ['rep'];
/** Payloads of a whole history page can be large; Temporal's own limit is 2 MB per payload. */
const CODEC_BODY_LIMIT = 4 * 1024 * 1024;

/** What the codec routes need. */
export interface CodecRoutesOptions {
  codec: EncryptionCodec;
  config: Config;
  /** Keys accepted as bearer tokens and at the login page (hashes). */
  keys: readonly ApiKey[];
  now?: () => number;
}

/**
 * The codec endpoint's URL as a browser reaches it: under `HANDOFF_PUBLIC_URL`, else on `localhost` (the host the
 * embedded UI is opened on: the session cookie only reaches the endpoint from a page on the same site).
 */
export function codecEndpointUrl(config: Config): string {
  if (config.api.publicUrl) return `${config.api.publicUrl.replace(/\/$/, '')}${CODEC_PATH}`;
  const loopback = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(config.api.host);
  return `http://${loopback ? 'localhost' : config.api.host}:${config.api.port}${CODEC_PATH}`;
}

const Base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const JsonPayloadSchema = z.object({
  metadata: z.record(z.string(), Base64Schema).optional(),
  data: Base64Schema.optional(),
});
// protojson leaves an empty list out (the temporal CLI encodes a query without input as `{}`).
const CodecBodySchema = z.strictObject({ payloads: z.array(JsonPayloadSchema).default([]) });
const CodecSignInSchema = z.object({ apiKey: z.string().describe('an API key with the rep or admin scope') });
type JsonPayload = z.infer<typeof JsonPayloadSchema>;

const CodecAnswerSchema = z.object({ payloads: z.array(JsonPayloadSchema) });
const examplePayloads = { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==', 'encryption-key-id': 'azE=' }, data: 'q83vEjRWeJA=' }] };
const signInPage = (description: string): ResponseContract => ({ description, schema: HtmlPageSchema, contentType: 'text/html', example: '<!doctype html>…<h1>Decode Handoff payloads in the Temporal UI</h1>…' });

function codecContract(direction: 'encode' | 'decode'): { preflight: RouteContract; convert: RouteContract } {
  return {
    preflight: {
      method: 'OPTIONS',
      url: `${CODEC_PATH}/${direction}`,
      tag: 'codec',
      summary: `CORS preflight of ${direction}`,
      description: 'Allows the Temporal Web UI\'s origin (TEMPORAL_UI_URL), with credentials; any other origin is refused.',
      responses: {
        204: { description: 'allowed', headers: { 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type, x-namespace, authorization, authorization-extras' } },
        403: errorResponse('the origin is not the Temporal UI', 'origin_not_allowed', 'the codec endpoint answers browsers only from the Temporal UI at http://localhost:8233 (TEMPORAL_UI_URL)'),
        500: BEARER_ERRORS[500],
      },
    },
    convert: {
      method: 'POST',
      url: `${CODEC_PATH}/${direction}`,
      scopes: CODEC_SCOPES,
      sessionCookie: true,
      tag: 'codec',
      summary: direction === 'encode' ? 'Encrypt payloads' : 'Decrypt payloads',
      description: `Temporal's codec-server convention: \`{ payloads: [{ metadata, data }] }\` with base64 bytes, for the namespace in \`X-Namespace\` (empty or this server's). ${direction === 'decode' ? 'Payloads not encrypted pass through.' : ''}`.trim(),
      body: CodecBodySchema,
      bodyExample: examplePayloads,
      responses: {
        200: { description: `the payloads, ${direction}d, in order`, schema: CodecAnswerSchema, example: examplePayloads },
        ...BEARER_ERRORS,
        ...BODY_ERRORS,
        403: errorResponse('the key lacks the rep scope, or another namespace is named', 'namespace_not_served', 'this codec endpoint serves namespace "default", not "other"'),
        422: errorResponse('a payload was encrypted with an unknown key or does not decrypt', 'undecodable_payload', 'no payload key with id k0', { keyId: 'k0' }),
      },
    },
  };
}
const encode = codecContract('encode');
const decode = codecContract('decode');

/** The codec routes, for the route table and the OpenAPI document (served only when the API has a payload codec). */
export const CODEC_ROUTES = {
  codecEncodePreflight: encode.preflight,
  codecEncode: encode.convert,
  codecDecodePreflight: decode.preflight,
  codecDecode: decode.convert,
  codecSignInPage: {
    method: 'GET',
    url: `${CODEC_PATH}/login`,
    tag: 'codec',
    summary: 'Show the codec sign-in page',
    description: 'A page that takes an API key (rep or admin) and sets the session cookie the Temporal UI decodes with; when signed in, it says as whom and until when.',
    responses: { 200: signInPage('the sign-in page, or who is signed in'), 500: BEARER_ERRORS[500] },
  },
  codecSignIn: {
    method: 'POST',
    url: `${CODEC_PATH}/login`,
    tag: 'codec',
    summary: 'Sign in to the codec endpoint',
    description: 'Sets the HttpOnly, SameSite=Strict session cookie (12 hours) from a pasted API key. A form posted from another site is refused (login CSRF).',
    body: CodecSignInSchema,
    bodyContentTypes: ['application/x-www-form-urlencoded'],
    bodyExample: { apiKey: 'hk_…' },
    responses: {
      200: { ...signInPage('signed in'), headers: { 'set-cookie': `${CODEC_SESSION_COOKIE}=…; Path=/codec; HttpOnly; SameSite=Strict` } },
      401: signInPage('the key is not known; the form again'),
      403: signInPage('the key has no rep or admin scope, or the form came from another site; the form again'),
      500: BEARER_ERRORS[500],
    },
  },
  codecSignOut: {
    method: 'POST',
    url: `${CODEC_PATH}/logout`,
    tag: 'codec',
    summary: 'Sign out of the codec endpoint',
    description: 'Clears the session cookie.',
    responses: { 200: { ...signInPage('signed out; the form again'), headers: { 'set-cookie': `${CODEC_SESSION_COOKIE}=; Max-Age=0` } }, 500: BEARER_ERRORS[500] },
  },
} as const satisfies Record<string, RouteContract>;

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

interface Session {
  keyId: string;
  /** Which key under that id signed in: a key replaced under the same id ends its sessions. */
  keyFingerprint: string;
  expiresAt: number;
}

function fingerprint(key: ApiKey): string {
  return createHash('sha256').update(key.hash).digest('base64url').slice(0, 16);
}

function sign(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

function issueSession(secret: Buffer, session: Session): string {
  const body = Buffer.from(JSON.stringify({ k: session.keyId, f: session.keyFingerprint, e: session.expiresAt })).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

function readSession(secret: Buffer, token: string, now: number): Session | null {
  const [body, signature] = token.split('.');
  if (!body || !signature) return null;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { k, f, e } = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { k: unknown; f: unknown; e: unknown };
    if (typeof k !== 'string' || typeof f !== 'string' || typeof e !== 'number' || e <= now) return null;
    return { keyId: k, keyFingerprint: f, expiresAt: e };
  } catch {
    return null;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The codec routes, as an encapsulated Fastify plugin: `app.register(codecRoutes, options)`. */
export async function codecRoutes(app: FastifyInstance, options: CodecRoutesOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const { codec, config, keys } = options;
  const uiOrigin = new URL(temporalUiUrl(config)).origin;
  const endpoint = codecEndpointUrl(config);
  // The path the browser sees (under HANDOFF_PUBLIC_URL's prefix, if any): the cookie goes to the codec alone.
  const cookiePath = new URL(endpoint).pathname;
  /**
   * The endpoint as this request reached it (the public https address, or `localhost` through a tunnel): what a
   * person signing in must give the UI, since the cookie belongs to that host.
   */
  const endpointHere = (request: FastifyRequest) => {
    const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : request.protocol;
    return request.headers.host ? `${proto}://${request.headers.host}${cookiePath}` : endpoint;
  };
  /** Secure cookies over https (directly, behind the TLS proxy, or at the https public address). */
  const secureCookie = (request: FastifyRequest) =>
    endpointHere(request).startsWith('https:') || (endpoint.startsWith('https:') && new URL(endpoint).host === request.headers.host);
  const sessionSecret = codec.deriveSecret('codec-session');

  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  // CORS for the UI's origin only, on every answer (errors included, so the UI can tell a 401 from a network fault).
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers.origin === uiOrigin) {
      void reply.header('access-control-allow-origin', uiOrigin).header('access-control-allow-credentials', 'true');
    }
    void reply.header('vary', 'Origin');
  });

  /** The configured key a valid session cookie on the request was made from. */
  const sessionKey = (request: FastifyRequest): { key: ApiKey; session: Session } | null => {
    const token = cookieValue(request.headers.cookie, CODEC_SESSION_COOKIE);
    const session = token ? readSession(sessionSecret, token, now()) : null;
    const key = session && keys.find((k) => k.id === session.keyId && fingerprint(k) === session.keyFingerprint);
    return key ? { key, session } : null;
  };

  /** The signed-in caller's key, from a bearer token or the session cookie. */
  const caller = (request: FastifyRequest): { keyId: string } => {
    if (request.headers.authorization) return authenticate(request.headers.authorization, keys, CODEC_SCOPES);
    const key = sessionKey(request)?.key;
    if (!key) {
      throw new ApiError(401, 'unauthenticated', `sign in at ${endpointHere(request)}/login, or send Authorization: Bearer <api key>`);
    }
    if (!key.scopes.includes('admin') && !key.scopes.some((s) => CODEC_SCOPES.includes(s))) {
      throw new ApiError(403, 'forbidden', `this key (${key.id}) lacks the scope for the codec endpoint (${CODEC_SCOPES.join(' or ')})`);
    }
    return { keyId: key.id };
  };

  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.origin !== uiOrigin) {
      throw new ApiError(403, 'origin_not_allowed', `the codec endpoint answers browsers only from the Temporal UI at ${uiOrigin} (TEMPORAL_UI_URL)`);
    }
    return reply
      .code(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, x-namespace, authorization, authorization-extras')
      .header('access-control-max-age', '600')
      .send();
  };

  const convert = (direction: 'encode' | 'decode') => async (request: FastifyRequest) => {
    caller(request);
    // The Temporal CLI sends an empty X-Namespace; only a named other namespace is refused.
    const namespace = request.headers['x-namespace'];
    if (namespace && namespace !== config.temporal.namespace) {
      throw new ApiError(403, 'namespace_not_served', `this codec endpoint serves namespace "${config.temporal.namespace}", not "${String(namespace)}"`);
    }
    const parsed = CodecBodySchema.safeParse(request.body);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const payloads = parsed.data.payloads.map(fromJson);
    try {
      const converted = direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
      return { payloads: converted.map(toJson) };
    } catch (err) {
      if (err instanceof UnknownPayloadKeyError || err instanceof PayloadDecryptionError) {
        throw new ApiError(422, 'undecodable_payload', err.message, { keyId: err.keyId });
      }
      throw err;
    }
  };

  for (const direction of ['encode', 'decode'] as const) {
    app.options(`${CODEC_PATH}/${direction}`, preflight);
    app.post(`${CODEC_PATH}/${direction}`, { bodyLimit: CODEC_BODY_LIMIT }, convert(direction));
  }

  const page = (reply: FastifyReply, status: number, body: string) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
      .send(`<!doctype html><meta charset="utf-8"><title>Handoff codec sign-in</title><style>body{font:15px system-ui;max-width:40em;margin:3em auto}code{background:#eee;padding:0 .2em}</style>${body}`);
  const setup = (request: FastifyRequest) =>
    `<p>In the Temporal Web UI (<a href="${escapeHtml(temporalUiUrl(config))}">${escapeHtml(temporalUiUrl(config))}</a>), payloads are decoded through <code>${escapeHtml(endpointHere(request))}</code> with your session. If the UI was not configured with this endpoint and credentials, open <b>Codec Server</b> there (the glasses in the top bar), choose <b>Use my browser setting</b>, enter the endpoint and turn on <b>Include cross-origin credentials</b>.</p>`;
  const form = (request: FastifyRequest, message = '') =>
    `<h1>Decode Handoff payloads in the Temporal UI</h1>${message}<form method="post" action="login"><label>API key (rep or admin) <input type="password" name="apiKey" autocomplete="off" required autofocus></label> <button>Sign in</button></form>${setup(request)}`;

  app.get(`${CODEC_PATH}/login`, async (request, reply) => {
    const signedIn = sessionKey(request);
    if (signedIn) {
      return page(reply, 200, `<h1>Signed in</h1><p>As key <b>${escapeHtml(signedIn.key.id)}</b> until ${new Date(signedIn.session.expiresAt).toISOString()}.</p><form method="post" action="logout"><button>Sign out</button></form>${setup(request)}`);
    }
    return page(reply, 200, form(request));
  });

  app.post(`${CODEC_PATH}/login`, async (request, reply) => {
    // A form posted from another site must not sign this browser in (login CSRF).
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && new URL(origin).host !== request.headers.host) {
      return page(reply, 403, form(request, '<p><b>Sign in from this page.</b></p>'));
    }
    const apiKey = (request.body as { apiKey?: unknown } | undefined)?.apiKey;
    let key: ApiKey;
    try {
      const { keyId } = authenticate(`Bearer ${typeof apiKey === 'string' ? apiKey.trim() : ''}`, keys, CODEC_SCOPES);
      key = keys.find((k) => k.id === keyId)!;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return page(reply, err.status, form(request, `<p><b>${err.status === 403 ? 'That key has no rep or admin scope.' : 'That API key is not known.'}</b></p>`));
    }
    const expiresAt = now() + CODEC_SESSION_TTL_MS;
    const cookie = [
      `${CODEC_SESSION_COOKIE}=${issueSession(sessionSecret, { keyId: key.id, keyFingerprint: fingerprint(key), expiresAt })}`,
      `Path=${cookiePath}`,
      `Max-Age=${CODEC_SESSION_TTL_MS / 1000}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(secureCookie(request) ? ['Secure'] : []),
    ].join('; ');
    void reply.header('set-cookie', cookie);
    return page(reply, 200, `<h1>Signed in</h1><p>As key <b>${escapeHtml(key.id)}</b> until ${new Date(expiresAt).toISOString()}.</p>${setup(request)}`);
  });

  app.post(`${CODEC_PATH}/logout`, async (request, reply) => {
    void reply.header('set-cookie', `${CODEC_SESSION_COOKIE}=; Path=${cookiePath}; Max-Age=0; HttpOnly; SameSite=Strict${secureCookie(request) ? '; Secure' : ''}`);
    return page(reply, 200, form(request, '<p>Signed out.</p>'));
  });
}
