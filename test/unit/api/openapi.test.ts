import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { API_ROUTES, openApiDocument } from '../../../src/api/openapi';
import { buildApi } from '../../../src/api/server';
import { loadConfig } from '../../../src/config';
import { EncryptionCodec } from '../../../src/temporal/codec';
import { OPENAPI_TYPES_FILE, openApiTypes } from '../../../scripts/openapiTypes';

type Operation = {
  summary?: string;
  description?: string;
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }>;
};
type Response = Operation['responses'][string] & { $ref?: string };
const document = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Response> } };
const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
/** A response, or the shared one it refers to. */
const resolve = (response: Response): Response => (response.$ref ? document.components.responses[response.$ref.replace('#/components/responses/', '')]! : response);

describe('the OpenAPI document', () => {
  test('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
    assert.equal(result.valid, true);
  });

  test("lints with Redocly's recommended rules without an error", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    assert.deepEqual(errors, []);
    // The only warnings left: routes that answer no 4xx at all (health, metrics, this document, the codec pages).
    const warnings = problems.filter((p) => p.severity === 'warn');
    assert.deepEqual([...new Set(warnings.map((p) => p.ruleId))], warnings.length ? ['operation-4xx-response'] : []);
  });

  test('gives every operation a summary, a description, and a schema with an example for each status and body', () => {
    assert.ok(operations.length >= 25, `${operations.length} operations`);
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(op.summary && op.description, `${where} has a summary and a description`);
      const statuses = Object.keys(op.responses);
      assert.ok(statuses.some((s) => s.startsWith('2')), `${where} answers a 2xx`);
      assert.ok(statuses.some((s) => /^[45]/.test(s)) || ['/healthz', '/metrics', '/openapi.json', '/codec/login', '/codec/logout'].includes(path), `${where} documents its errors`);
      for (const [status, reference] of Object.entries(op.responses)) {
        const response = resolve(reference);
        assert.ok(response, `${where} ${status} resolves`);
        for (const [type, media] of Object.entries(response.content ?? {})) {
          assert.ok(media.schema, `${where} ${status} ${type} has a schema`);
          assert.notEqual(media.example, undefined, `${where} ${status} ${type} has an example`);
        }
        // The health check's 503 is its own answer (a status per check), which load balancers read.
        if (/^[45]/.test(status) && response.content?.['application/json'] && path !== '/healthz') {
          assert.deepEqual(response.content['application/json'].schema, { $ref: '#/components/schemas/Error' }, `${where} ${status} has the error shape`);
        }
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        assert.notEqual(media.example, undefined, `${where} ${type} body has an example`);
      }
    }
  });

  test("every example is one the route's own zod schemas accept", () => {
    for (const [id, route] of Object.entries(API_ROUTES)) {
      if (route.body && route.bodyExample !== undefined) {
        const parsed = route.body.safeParse(route.bodyExample);
        assert.ok(parsed.success, `${id} body example: ${parsed.error?.message}`);
      }
      for (const [status, response] of Object.entries(route.responses)) {
        if (!response.schema || response.example === undefined) continue;
        const parsed = response.schema.safeParse(response.example);
        assert.ok(parsed.success, `${id} ${status} example: ${parsed.error?.message}`);
      }
    }
  });

  test('the committed client types (src/api/openapiTypes.d.ts) are the ones generated from the document', async () => {
    const committed = readFileSync(OPENAPI_TYPES_FILE, 'utf8');
    assert.ok(committed === (await openApiTypes()), 'src/api/openapiTypes.d.ts is out of date: run `npm run openapi:types` and commit it');
  });
});

describe('the routes the API registers', () => {
  let app: FastifyInstance;
  const registered: string[] = [];

  before(async () => {
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = buildApi({
      client,
      config: loadConfig({}, '/nonexistent'),
      keys: [],
      claimSecret: 'openapi-test-claim-secret-0123456789',
      payloadCodec: new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }]),
      onRoute: (route) => registered.push(...[route.method].flat().map((method) => `${method} ${route.url}`)),
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  test('are exactly the operations of the document', () => {
    // Fastify answers HEAD for every GET on its own; a client never needs it described.
    const heads = registered.filter((r) => r.startsWith('HEAD '));
    for (const head of heads) assert.ok(registered.includes(head.replace(/^HEAD /, 'GET ')), `${head} is the twin of a GET`);
    const served = registered
      .filter((r) => !r.startsWith('HEAD '))
      .map((r) => r.replace(/:(\w+)/g, '{$1}'))
      .sort();
    const documented = operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    assert.deepEqual(served, documented);
  });
});
