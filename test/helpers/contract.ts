/**
 * Holds the API to its contract in the end-to-end tests: every answer must carry a status its route documents, and
 * a JSON body that the documented schema for that status accepts.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { API_ROUTES } from '../../src/api/openapi';

const routes = Object.entries(API_ROUTES)
  .map(([id, route]) => ({ id, route, pattern: new RegExp(`^${route.url.replace(/:\w+/g, '[^/]+')}$`), params: (route.url.match(/:/g) ?? []).length }))
  // A literal path wins over a parameter in the same place (`/v1/conversations/batch` before `/{prospectId}`).
  .sort((a, b) => a.params - b.params);

/** Fails unless `status` is documented for the route of `method url` and `body` (JSON) fits its schema. */
export function assertAnswersAsDocumented(method: string, url: string, status: number, body: string, contentType: string | undefined): void {
  const path = url.split('?')[0]!;
  const match = routes.find(({ route, pattern }) => route.method === method && pattern.test(path));
  assert.ok(match, `${method} ${path} is a documented route`);
  const documented = match.route.responses[status];
  assert.ok(documented, `${match.id} documents status ${status} (it documents ${Object.keys(match.route.responses).join(', ')}): ${body.slice(0, 300)}`);
  if (!documented.schema || !contentType?.startsWith('application/json')) return;
  const parsed = documented.schema.safeParse(JSON.parse(body));
  assert.ok(parsed.success, `${match.id} ${status} answers as documented: ${parsed.error?.message}\n${body.slice(0, 500)}`);
}

/** Calls the API in process, JSON in and out, and holds the answer to the contract (see {@link assertAnswersAsDocumented}). */
export async function callAsDocumented(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const res = await app.inject({
    method,
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  assertAnswersAsDocumented(method, url, res.statusCode, res.body, res.headers['content-type'] as string | undefined);
  return res;
}
