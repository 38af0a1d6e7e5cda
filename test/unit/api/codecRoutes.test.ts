import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generateApiKey, hashApiKey, type ApiKey } from '../../../src/api/auth';
import { CODEC_SESSION_COOKIE, CODEC_SESSION_TTL_MS, codecEndpointUrl } from '../../../src/api/codecRoutes';
import { buildApi } from '../../../src/api/server';
import { loadConfig } from '../../../src/config';
import { EncryptionCodec } from '../../../src/temporal/codec';

const UI = 'http://localhost:8233';
const tokens = { rep: generateApiKey(), tool: generateApiKey(), admin: generateApiKey() };
const keys: ApiKey[] = [
  { id: 'ana', hash: hashApiKey(tokens.rep), scopes: ['rep'] },
  { id: 'outreach-tool', hash: hashApiKey(tokens.tool), scopes: ['tool'] },
  { id: 'ops', hash: hashApiKey(tokens.admin), scopes: ['admin'] },
];
const codec = new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]);
const prospect = { name: 'Jordan Lee', email: 'jordan@buyer.example' };

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const fromJson = (p: { metadata: Record<string, string>; data: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const errorCode = (res: LightMyRequestResponse) => (res.json() as { error: { code: string } }).error.code;

describe('the codec endpoint', () => {
  let app: FastifyInstance;
  let now = Date.parse('2026-03-02T09:00:00Z');
  let encrypted: ReturnType<typeof toJson>;
  const config = loadConfig({ TEMPORAL_UI_URL: `${UI}/`, HANDOFF_API_PORT: '3000' }, '/nonexistent');

  before(async () => {
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = buildApi({ client, config, keys, claimSecret: 'unused-claim-secret-0123456789abcdef', payloadCodec: codec, now: () => now });
    await app.ready();
    encrypted = toJson((await codec.encode([defaultPayloadConverter.toPayload(prospect)]))[0]!);
  });
  after(async () => {
    await app?.close();
  });

  const decode = (headers: Record<string, string>, payloads: unknown[] = [encrypted]) =>
    app.inject({ method: 'POST', url: '/codec/decode', headers: { host: 'localhost:3000', 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, payload: { payloads } });
  const signIn = async (apiKey: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/codec/login', headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'localhost:3000', ...headers }, payload: new URLSearchParams({ apiKey }).toString() });
  const sessionCookie = (res: LightMyRequestResponse) => {
    const header = String(res.headers['set-cookie'] ?? '');
    return { header, value: /^handoff_codec_session=([^;]*)/.exec(header)?.[1] };
  };

  test('is announced to the embedded UI on localhost, the site the UI is opened on', () => {
    assert.equal(codecEndpointUrl(config), 'http://localhost:3000/codec');
    assert.equal(codecEndpointUrl(loadConfig({ HANDOFF_PUBLIC_URL: 'https://handoff.example.com/' }, '/nonexistent')), 'https://handoff.example.com/codec');
  });

  test('answers 401 without a key or a session, and decodes nothing', async () => {
    const res = await decode({ origin: UI });
    assert.equal(res.statusCode, 401);
    assert.equal(errorCode(res), 'unauthenticated');
    assert.match(res.json().error.message, /sign in at http:\/\/localhost:3000\/codec\/login/);
    assert.equal(res.headers['access-control-allow-origin'], UI, 'the UI can read the 401 and tell it from a network fault');
    assert.ok(!res.body.includes(Buffer.from(JSON.stringify(prospect)).toString('base64')));
  });

  test('decodes payloads for a rep or admin bearer key, and answers 403 for an outreach tool key', async () => {
    for (const token of [tokens.rep, tokens.admin]) {
      const res = await decode({ authorization: `Bearer ${token}` });
      assert.equal(res.statusCode, 200, res.body);
      const [payload] = (res.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
      assert.deepEqual(defaultPayloadConverter.fromPayload(fromJson(payload!)), prospect);
    }
    const tool = await decode({ authorization: `Bearer ${tokens.tool}` });
    assert.equal(tool.statusCode, 403);
    assert.equal(errorCode(tool), 'forbidden');
  });

  test('encodes payloads into ones the workers decrypt', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload({ note: 'typed in the UI' }));
    const res = await app.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${tokens.rep}`, 'x-namespace': 'default' }, payload: { payloads: [plain] } });
    assert.equal(res.statusCode, 200, res.body);
    const [payload] = (res.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    assert.equal(Buffer.from(payload!.metadata.encoding!, 'base64').toString(), 'binary/encrypted');
    assert.deepEqual(defaultPayloadConverter.fromPayload((await codec.decode([fromJson(payload!)]))[0]!), { note: 'typed in the UI' });
  });

  test('takes a page of payloads larger than the API\'s 256 KiB body limit', async () => {
    const big = toJson((await codec.encode([defaultPayloadConverter.toPayload({ thread: 'x'.repeat(600 * 1024) })]))[0]!);
    const res = await decode({ authorization: `Bearer ${tokens.rep}` }, [big]);
    assert.equal(res.statusCode, 200, res.body.slice(0, 200));
  });

  test('passes plaintext payloads from before encryption through decoding', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload('recorded before encryption'));
    const res = await decode({ authorization: `Bearer ${tokens.rep}` }, [plain]);
    assert.deepEqual(res.json(), { payloads: [plain] });
  });

  test('signs a person in with their API key: an HttpOnly, SameSite=Strict cookie scoped to /codec that decodes', async () => {
    const res = await signIn(tokens.rep);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /Signed in/);
    const { header, value } = sessionCookie(res);
    assert.ok(value, `a session cookie is set: ${header}`);
    assert.ok(!header.includes(tokens.rep), 'the cookie does not carry the API key');
    assert.match(header, /; Path=\/codec/);
    assert.match(header, /; HttpOnly/);
    assert.match(header, /; SameSite=Strict/);
    assert.match(header, new RegExp(`; Max-Age=${CODEC_SESSION_TTL_MS / 1000}`));
    assert.doesNotMatch(header, /Secure/, 'plain http on localhost cannot keep a Secure cookie');

    const decoded = await decode({ origin: UI, cookie: `${CODEC_SESSION_COOKIE}=${value}` });
    assert.equal(decoded.statusCode, 200, decoded.body);
    assert.equal(decoded.headers['access-control-allow-origin'], UI);
    assert.equal(decoded.headers['access-control-allow-credentials'], 'true');
    const page = await app.inject({ method: 'GET', url: '/codec/login', headers: { cookie: `${CODEC_SESSION_COOKIE}=${value}` } });
    assert.match(page.body, /Signed in.*As key <b>ana<\/b>/s);
  });

  test('behind the TLS proxy, sets a Secure cookie and names the https endpoint the browser used', async () => {
    const res = await signIn(tokens.rep, { host: 'handoff.example.com', 'x-forwarded-proto': 'https' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(sessionCookie(res).header, /; Secure/);
    assert.match(res.body, /<code>https:\/\/handoff\.example\.com\/codec<\/code>/);
  });

  test('refuses a sign-in with an unknown key or a tool key, and one posted from another site', async () => {
    const unknown = await signIn('hk_not-a-key');
    assert.equal(unknown.statusCode, 401);
    assert.match(unknown.body, /That API key is not known/);
    assert.equal(unknown.headers['set-cookie'], undefined);
    const tool = await signIn(tokens.tool);
    assert.equal(tool.statusCode, 403);
    assert.equal(tool.headers['set-cookie'], undefined);
    const crossSite = await signIn(tokens.rep, { origin: 'https://evil.example' });
    assert.equal(crossSite.statusCode, 403);
    assert.equal(crossSite.headers['set-cookie'], undefined);
  });

  test('refuses a session that expired, was forged, or whose key was removed from the config or replaced', async () => {
    const { value } = sessionCookie(await signIn(tokens.rep));
    const [body, signature] = value!.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'ops', e: now + 1000 })).toString('base64url')}.${signature}`;
    assert.equal((await decode({ cookie: `${CODEC_SESSION_COOKIE}=${forged}` })).statusCode, 401, 'a session claiming another key');
    assert.equal((await decode({ cookie: `${CODEC_SESSION_COOKIE}=${body}.${'A'.repeat(signature!.length)}` })).statusCode, 401, 'a session with a made-up signature');

    const withKeys = (configured: ApiKey[]) =>
      buildApi({ client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }), config, keys: configured, claimSecret: 'unused-claim-secret-0123456789abcdef', payloadCodec: codec, now: () => now });
    const removed = withKeys(keys.filter((k) => k.id !== 'ana'));
    const replaced = withKeys(keys.map((k) => (k.id === 'ana' ? { ...k, hash: hashApiKey(generateApiKey()) } : k)));
    try {
      for (const [what, other] of [['a key no longer configured', removed], ['a key replaced under the same id', replaced]] as const) {
        const res = await other.inject({ method: 'POST', url: '/codec/decode', headers: { cookie: `${CODEC_SESSION_COOKIE}=${value}` }, payload: { payloads: [encrypted] } });
        assert.equal(res.statusCode, 401, `a session of ${what}`);
      }
    } finally {
      await removed.close();
      await replaced.close();
    }

    const saved = now;
    now += CODEC_SESSION_TTL_MS + 1;
    try {
      assert.equal((await decode({ cookie: `${CODEC_SESSION_COOKIE}=${value}` })).statusCode, 401, 'an expired session');
    } finally {
      now = saved;
    }
  });

  test('signs out by clearing the cookie', async () => {
    const res = await app.inject({ method: 'POST', url: '/codec/logout' });
    assert.match(String(res.headers['set-cookie']), /^handoff_codec_session=; Path=\/codec; Max-Age=0/);
  });

  test('answers the UI\'s CORS preflight with credentials allowed, and refuses other origins', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], UI);
    assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /x-namespace/);

    const other = await app.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(other.statusCode, 403);
    assert.equal(errorCode(other), 'origin_not_allowed');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    const post = await decode({ origin: 'https://evil.example', authorization: `Bearer ${tokens.rep}` });
    assert.equal(post.headers['access-control-allow-origin'], undefined, 'a page on another origin cannot read what was decoded');
  });

  test('serves only its own namespace, and names what is wrong with a bad body or a payload it cannot decrypt', async () => {
    const auth = { authorization: `Bearer ${tokens.rep}` };
    const otherNamespace = await decode({ ...auth, 'x-namespace': 'payments' });
    assert.equal(otherNamespace.statusCode, 403);
    assert.equal(errorCode(otherNamespace), 'namespace_not_served');
    assert.equal((await decode({ ...auth, 'x-namespace': '' })).statusCode, 200, 'an empty X-Namespace, as the Temporal CLI sends, is no other namespace');

    const bad = await app.inject({ method: 'POST', url: '/codec/decode', headers: auth, payload: { payloads: [{ data: 'not base64!' }] } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /body\.payloads\.0\.data: expected base64/);

    const [foreign] = await new EncryptionCodec([{ id: 'k0', key: randomBytes(32) }]).encode([defaultPayloadConverter.toPayload('x')]);
    const unknownKey = await decode(auth, [toJson(foreign!)]);
    assert.equal(unknownKey.statusCode, 422);
    assert.equal(errorCode(unknownKey), 'undecodable_payload');
    assert.deepEqual(unknownKey.json().error.details, { keyId: 'k0' });
  });
});
