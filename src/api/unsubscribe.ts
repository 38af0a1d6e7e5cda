/**
 * The unsubscribe link of every automated email (`List-Unsubscribe`): `GET /v1/unsubscribe/{token}` shows a page
 * with a button (a link scanner's GET never unsubscribes), `POST` unsubscribes: the one-click request a mail client
 * sends (RFC 8058, `List-Unsubscribe=One-Click`), or the page's form. The token is the credential
 * (`src/outreach/unsubscribe.ts`).
 *
 * An unsubscribe opts out the way an opt-out reply does: the address goes on the suppression list (by the hash the
 * token carries), and the conversation receives an explicit opt-out as a reply (id `unsubscribe:<hash of the
 * token>`, so a second click counts once), which ends it as opted out. A conversation that has already ended
 * needs nothing more: the suppression list stops every later send and start.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readUnsubscribeToken, unsubscribeMessageId, UNSUBSCRIBE_TEXT, UnsubscribeTokenError, type UnsubscribeClaims } from '../outreach/unsubscribe';
import { replySignal } from '../../workflows/messages';
import { HtmlPageSchema, errorResponse, type ResponseContract, type RouteContract } from './contract';
import { ApiError, toApiError } from './errors';
import type { ApiLedger } from './ledgerAccess';
import { escapeHtml, sendPage } from './page';

const TokenParams = z.strictObject({ token: z.string().min(1).max(1024).describe('the signed token from the email\'s List-Unsubscribe URL') });
/** The one-click body (RFC 8058), or the page's empty form. */
const OneClickSchema = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click').optional() });

const pageOf = (description: string, example: string): ResponseContract => ({ description, schema: HtmlPageSchema, contentType: 'text/html', example });
const refused = pageOf('the link is not genuine (a page; a script gets the error JSON)', '<!doctype html>…<h1>Not unsubscribed</h1><p>the unsubscribe link is not genuine</p>…');

/** The unsubscribe routes, for the route table and the OpenAPI document. */
export const UNSUBSCRIBE_ROUTES = {
  unsubscribePage: {
    method: 'GET',
    url: '/v1/unsubscribe/:token',
    tag: 'unsubscribe',
    summary: 'Show an unsubscribe link\'s confirmation page',
    description: 'The page the email\'s unsubscribe link opens: a button that unsubscribes. Opening it changes nothing (link scanners open links).',
    params: TokenParams,
    responses: {
      200: pageOf('the confirmation page', '<!doctype html>…<h1>Unsubscribe</h1>…<button type="submit">Unsubscribe</button>…'),
      403: refused,
    },
  },
  unsubscribe: {
    method: 'POST',
    url: '/v1/unsubscribe/:token',
    tag: 'unsubscribe',
    summary: 'Unsubscribe (one-click)',
    description:
      'Puts the address the email went to on the suppression list and ends its conversation as opted out, as an opt-out reply does. Takes the one-click body of RFC 8058 (`List-Unsubscribe=One-Click`) or the page\'s empty form; a browser (Accept: text/html) gets a page. Repeating it changes nothing.',
    params: TokenParams,
    body: OneClickSchema,
    bodyContentTypes: ['application/x-www-form-urlencoded'],
    bodyOptional: true,
    bodyExample: { 'List-Unsubscribe': 'One-Click' },
    responses: {
      200: { description: 'unsubscribed', schema: z.object({ unsubscribed: z.literal(true) }), example: { unsubscribed: true } },
      400: errorResponse('the body has another field', 'invalid_request', 'the one-click body is List-Unsubscribe=One-Click'),
      403: errorResponse('the link is not genuine', 'unsubscribe_link_invalid', 'the unsubscribe link is not genuine'),
      500: errorResponse('an unexpected failure, logged under the request id', 'internal', 'internal error; see the server log for request req-1'),
      503: errorResponse('the suppression list cannot be written; nothing changed, try again', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
} as const satisfies Record<string, RouteContract>;

/** What the unsubscribe routes need from the API. */
export interface UnsubscribeRouteDeps {
  client: Client;
  ledger: ApiLedger;
  secret: string;
  now: () => number;
}

/** Whether the caller is a browser (the page's form) rather than a mail client or a script. */
const wantsHtml = (request: FastifyRequest) => request.method === 'GET' || (request.headers.accept ?? '').includes('text/html');

/** Registers the unsubscribe routes, in their own scope: they accept form posts. */
export function registerUnsubscribeRoutes(app: FastifyInstance, deps: UnsubscribeRouteDeps): void {
  const verify = (request: FastifyRequest): { token: string; claims: UnsubscribeClaims } => {
    const parsed = TokenParams.safeParse(request.params);
    if (!parsed.success) throw new ApiError(403, 'unsubscribe_link_invalid', 'not an unsubscribe link');
    try {
      return { token: parsed.data.token, claims: readUnsubscribeToken(deps.secret, parsed.data.token) };
    } catch (err) {
      if (err instanceof UnsubscribeTokenError) throw new ApiError(403, 'unsubscribe_link_invalid', err.message);
      throw err;
    }
  };

  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 1024 });
    scope.setErrorHandler((err, request, reply) => {
      const apiError = toApiError(err, request);
      if (!wantsHtml(request)) return reply.code(apiError.status).send({ error: { code: apiError.code, message: apiError.message, details: apiError.details } });
      return sendPage(reply, apiError.status, 'Not unsubscribed', `<p>${escapeHtml(apiError.message)}</p>`);
    });

    scope.get(UNSUBSCRIBE_ROUTES.unsubscribePage.url, async (request, reply) => {
      verify(request);
      return sendPage(
        reply,
        200,
        'Unsubscribe',
        '<p>Stop receiving these emails? Nobody will contact this address automatically again.</p>' +
          '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
      );
    });

    scope.post(UNSUBSCRIBE_ROUTES.unsubscribe.url, async (request, reply) => {
      const { token, claims } = verify(request);
      if (!OneClickSchema.safeParse(request.body ?? {}).success) throw new ApiError(400, 'invalid_request', 'the one-click body is List-Unsubscribe=One-Click');
      await deps.ledger.use((l) => l.suppressions.add({ emailHash: claims.emailHash, source: 'opt_out', reason: 'unsubscribe link' }));
      try {
        await deps.client.workflow.getHandle(claims.workflowId).signal(replySignal, {
          messageId: unsubscribeMessageId(token),
          channel: 'email',
          text: UNSUBSCRIBE_TEXT,
          receivedAt: new Date(deps.now()).toISOString(),
        });
      } catch (err) {
        // An ended conversation sends nothing more; the suppression list keeps it that way.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      request.log.info({ workflowId: claims.workflowId }, 'unsubscribed through the link');
      if (wantsHtml(request)) return sendPage(reply, 200, 'Unsubscribed', '<p>You will not receive these emails again.</p>');
      return reply.send({ unsubscribed: true });
    });
  });
}
