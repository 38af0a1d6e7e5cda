/**
 * A route's contract: what the route table of each API module declares about a route (method, path, scopes, its
 * words for people, its zod schemas and examples, every status it answers), and what the OpenAPI document at
 * `/openapi.json` is built from (`openapi.ts`). The handlers parse with the same schemas, so the document is the
 * validation the API does.
 */
import { z } from 'zod';
import { REQUEST_BODY_LIMIT_BYTES } from '../../workflows/limits';
import type { Scope } from './auth';

/** One status a route answers: its meaning, its body's schema (JSON unless `contentType` says otherwise) and an example. */
export interface ResponseContract {
  /** A response many routes share is named once in `components.responses` and referenced. */
  name?: string;
  description: string;
  /** The body; absent for an empty body (204). */
  schema?: z.ZodType;
  contentType?: 'application/json' | 'text/html' | 'text/plain' | 'text/calendar';
  example?: unknown;
  /** Response headers a client reads (e.g. `set-cookie`). */
  headers?: Record<string, string>;
}

/** A route as the API serves it and documents it. */
export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Fastify's form: `/v1/conversations/:prospectId`. */
  url: string;
  /** The bearer key scopes that may call it; absent: no bearer key (public, or its own credential). */
  scopes?: readonly Scope[];
  /** Where the route is grouped in the document. */
  tag: string;
  summary: string;
  description: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body's media types; JSON unless said. */
  bodyContentTypes?: readonly ('application/json' | 'application/x-www-form-urlencoded' | 'message/rfc822')[];
  /** The body may be left out. */
  bodyOptional?: boolean;
  /** Besides a bearer key, the codec session cookie signs the caller in. */
  sessionCookie?: boolean;
  bodyExample?: unknown;
  /** Every status the route answers, errors included. */
  responses: Readonly<Record<number, ResponseContract>>;
}

/** A whole HTML page (claim links, codec sign-in). */
export const HtmlPageSchema = z.string().describe('a whole HTML page');

/** The body of every error response: `{ error: { code, message, details } }`. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('stable, machine-readable: invalid_request, unauthenticated, not_found, suppressed, …'),
      message: z.string().describe('for people: names the field or the rule'),
      details: z.record(z.string(), z.unknown()).describe('structured facts: the rejected fields, a limit, who holds a claim'),
    }),
  })
  .meta({ id: 'Error' });

/** An error response of the common shape, with an example naming its code. */
export function errorResponse(description: string, code: string, message: string, details: Record<string, unknown> = {}, name?: string): ResponseContract {
  return { ...(name ? { name } : {}), description, schema: ErrorBodySchema, example: { error: { code, message, details } } };
}

/** The errors every JSON route behind a bearer key can answer. */
export const BEARER_ERRORS = {
  400: errorResponse('the request does not match the schema; `details.fields` names each field', 'invalid_request', 'body.prospect.email: Invalid email address', {
    fields: [{ field: 'body.prospect.email', message: 'Invalid email address' }],
  }, 'InvalidRequest'),
  401: errorResponse('no bearer key, or an unknown one', 'unauthenticated', 'missing bearer token (Authorization: Bearer <api key>)', {}, 'Unauthenticated'),
  403: errorResponse('the key lacks the scope for this route', 'forbidden', 'this key (outreach) lacks the scope for this route (rep)', {}, 'Forbidden'),
  500: errorResponse('an unexpected failure, logged under the request id', 'internal', 'internal error; see the server log for request req-1', {}, 'Internal'),
} as const satisfies Record<number, ResponseContract>;

/** The extra errors of a route that takes a JSON body. */
export const BODY_ERRORS = {
  413: errorResponse('the body is over the request limit', 'payload_too_large', `the request body is over the limit of ${REQUEST_BODY_LIMIT_BYTES} bytes`, { limit: REQUEST_BODY_LIMIT_BYTES }, 'PayloadTooLarge'),
  415: errorResponse('the body is not JSON', 'unsupported_media_type', 'send JSON with content-type application/json', {}, 'UnsupportedMediaType'),
} as const satisfies Record<number, ResponseContract>;

/** The 503 of a route that reads or writes the ledger database when it cannot be reached. */
export const LEDGER_UNAVAILABLE = errorResponse('the ledger cannot be reached', 'ledger_unavailable', 'the ledger is unavailable: connection refused');

/** The 404 of a conversation route whose prospect has no conversation. */
export const conversationNotFound = errorResponse('no conversation for that prospect', 'not_found', 'no conversation for prospect p-1042', {}, 'ConversationNotFound');
