/**
 * The claim links in alerts. `GET /v1/claim-links/{token}` shows a confirmation page (so a link preview never
 * claims); `POST` claims, from that page's form or from a script. A rep's own link (sent only to channels that
 * reach that rep alone) claims as that rep; a team link (posted to a shared channel) claims only as the rep whose
 * own API key is given, in the page's `apiKey` field or an `Authorization` header. The conversation refuses a
 * link from an earlier rung or escalation, or from one handed back, and the page says so.
 */
import formbody from '@fastify/formbody';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ClaimTokenClaims, verifyClaimToken } from '../alerts/claimLink';
import { reasonLabel } from '../alerts/render';
import { timeToClaimSeconds } from '../metrics';
import type { RosterStore } from '../routing/rosterStore';
import { claimUpdate, stateQuery, type Actor, type ConversationState, type HandoffPacket } from '../../workflows/messages';
import { claimLinkRefusal } from '../../workflows/permissions';
import { actingAs, linkActor } from './actor';
import { authenticate, type ApiKey } from './auth';
import { errorResponse, HtmlPageSchema, type ResponseContract, type RouteContract } from './contract';
import { claimedAnswer } from './conversationRoutes';
import { escapeHtml, sendPage } from './page';
import { ApiError, toApiError } from './errors';

/** What the claim-link routes need. */
export interface ClaimLinkDeps {
  client: Client;
  keys: readonly ApiKey[];
  roster: Pick<RosterStore, 'current'>;
  /** The secret the alert activity signs links with. */
  claimSecret: string;
  now: () => number;
}

const TokenParams = z.strictObject({ token: z.string().min(1).max(2048).describe('the signed token of the alert\'s link') });
/** The page's form, or a script's JSON; an empty body is a claim through a rep's own link. */
const ClaimFormSchema = z.strictObject({ apiKey: z.string().min(1).max(256).optional().describe('the claiming rep\'s own API key, for a team link') });

const pageOf = (description: string, example: string): ResponseContract => ({ description, schema: HtmlPageSchema, contentType: 'text/html', example });
const refused = (status: string, code: string, message: string) =>
  errorResponse(`${status}; a browser gets the same as a page`, code, message);

/** The claim-link routes, for the route table and the OpenAPI document. */
export const CLAIM_LINK_ROUTES = {
  claimLinkPage: {
    method: 'GET',
    url: '/v1/claim-links/:token',
    tag: 'claim links',
    summary: 'Show a claim link\'s confirmation page',
    description: 'The page an alert\'s link opens: who asked what, and a button that claims (a link preview never claims). The token is the credential; a team link\'s page asks for the rep\'s own API key. Refusals are pages too.',
    params: TokenParams,
    responses: {
      200: pageOf('the confirmation page', '<!doctype html>…<h1>Claim this conversation</h1>…'),
      403: pageOf('the link is malformed, expired, forged or superseded by a later rung or escalation', '<!doctype html>…<h1>Not claimed</h1><p>this link is from an earlier rung</p>…'),
      404: pageOf('the conversation no longer exists', '<!doctype html>…<h1>Not claimed</h1><p>this conversation no longer exists</p>…'),
      409: pageOf('already claimed, or no longer open', '<!doctype html>…<h1>Not claimed</h1><p>already claimed by ben</p>…'),
      500: pageOf('an unexpected failure, logged under the request id', '<!doctype html>…<h1>Not claimed</h1>…'),
    },
  },
  claimThroughLink: {
    method: 'POST',
    url: '/v1/claim-links/:token',
    tag: 'claim links',
    summary: 'Claim through a claim link',
    description:
      'Claims the escalation the link was sent for, as the rep it was sent to; a team link claims only as the rep whose own key is given (`apiKey`, or an Authorization header). A script gets JSON; a browser (Accept: text/html) gets a page.',
    params: TokenParams,
    body: ClaimFormSchema,
    bodyContentTypes: ['application/x-www-form-urlencoded', 'application/json'],
    bodyOptional: true,
    bodyExample: {},
    responses: {
      200: claimedAnswer,
      400: refused('the body has a field other than apiKey', 'invalid_request', 'the only field a claim link takes is apiKey'),
      401: refused('a team link without the rep\'s own key, or an unknown key', 'unauthenticated', 'this team link claims only as the rep whose own API key is given'),
      403: refused('the link is malformed, expired, forged or superseded, or the rep is not eligible', 'claim_link_superseded', 'this link is from an earlier rung'),
      404: refused('the conversation no longer exists', 'not_found', 'no conversation for that prospect'),
      409: refused('already claimed, or no longer open', 'already_claimed', 'already claimed by ben'),
      500: refused('an unexpected failure, logged under the request id', 'internal', 'internal error; see the server log for request req-1'),
    },
  },
} as const satisfies Record<string, RouteContract>;

/** Whether the caller is a browser (the page's form) rather than a script. */
function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' || (request.headers.accept ?? '').includes('text/html');
}

/** Registers the claim-link routes, in their own scope: only they accept form posts. */
export function registerClaimLinks(app: FastifyInstance, deps: ClaimLinkDeps): void {
  const verify = (request: FastifyRequest): ClaimTokenClaims => {
    const parsed = TokenParams.safeParse(request.params);
    const result = parsed.success ? verifyClaimToken(parsed.data.token, deps.claimSecret, new Date(deps.now())) : null;
    if (!result) throw new ApiError(403, 'claim_link_malformed', 'claim token is missing or too long');
    if (!result.ok) throw new ApiError(403, `claim_link_${result.error.reason}`, result.error.message);
    return result.claims;
  };

  void app.register(async (scope) => {
    await scope.register(formbody, { bodyLimit: 4096 });
    scope.setErrorHandler((err, request, reply) => {
      const apiError = toApiError(err, request);
      if (!wantsHtml(request)) return reply.code(apiError.status).send({ error: { code: apiError.code, message: apiError.message, details: apiError.details } });
      return sendPage(reply, apiError.status, 'Not claimed', `<p>${escapeHtml(apiError.message)}</p><p><small>${escapeHtml(apiError.code)}</small></p>`);
    });

    scope.get(CLAIM_LINK_ROUTES.claimLinkPage.url, async (request, reply) => {
      const claims = verify(request);
      let state: ConversationState;
      try {
        state = await deps.client.workflow.getHandle(claims.workflowId).query(stateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new ApiError(404, 'not_found', 'this conversation no longer exists');
        throw err;
      }
      const stale = claimLinkRefusal(state.escalations, claims);
      if (stale) throw new ApiError(403, 'claim_link_superseded', stale.message, stale.details);
      const record = state.escalations[claims.escalation - 1]!;
      if (record.status === 'claimed') throw new ApiError(409, 'already_claimed', `already claimed by ${record.claimedBy}`, { holder: record.claimedBy });
      if (record.status !== 'open') throw new ApiError(409, 'not_escalated', 'this escalation is no longer open');
      const what = `<p><b>${escapeHtml(reasonLabel(record.reason))}</b> from <b>${escapeHtml(state.prospect.name)}</b> (${escapeHtml(state.prospect.company)}), tier ${claims.tier}.</p>`;
      if (claims.repId !== null) {
        const { roster } = await deps.roster.current();
        const name = roster.reps.find((r) => r.id === claims.repId)?.name ?? claims.repId;
        return sendPage(reply, 200, 'Claim this conversation', `${what}<form method="post"><button type="submit">Claim as ${escapeHtml(name)}</button></form>`);
      }
      return sendPage(
        reply,
        200,
        'Claim this conversation',
        `${what}<p>This link was posted where the whole team reads it, so it claims only as you: give your own Handoff API key.</p>` +
          `<form method="post"><label for="apiKey">Your Handoff API key</label><input id="apiKey" name="apiKey" type="password" required autocomplete="off" size="40">` +
          `<button type="submit">Claim as myself</button></form>`,
      );
    });

    scope.post(CLAIM_LINK_ROUTES.claimThroughLink.url, async (request, reply) => {
      const claims = verify(request);
      const form = ClaimFormSchema.safeParse(request.body ?? {});
      if (!form.success) throw new ApiError(400, 'invalid_request', 'the only field a claim link takes is apiKey');
      const { roster } = await deps.roster.current();
      let actor: Actor;
      if (claims.repId !== null) {
        actor = linkActor(claims.repId, roster);
      } else {
        const header = form.data.apiKey ? `Bearer ${form.data.apiKey}` : request.headers.authorization;
        if (!header) {
          throw new ApiError(401, 'unauthenticated', 'this team link claims only as the rep whose own API key is given (the apiKey field, or an Authorization header)');
        }
        actor = actingAs(authenticate(header, deps.keys, ['rep']), undefined, roster);
      }
      const packet: HandoffPacket = await deps.client.workflow
        .getHandle(claims.workflowId)
        .executeUpdate(claimUpdate, { args: [{ repId: actor.repId, actor, link: { escalation: claims.escalation, rung: claims.rung } }] });
      timeToClaimSeconds.observe({ trigger: packet.reason }, Math.max(0, (deps.now() - Date.parse(packet.escalatedAt)) / 1000));
      if (!wantsHtml(request)) return reply.send({ packet, claimedBy: actor.repId });
      const name = roster.reps.find((r) => r.id === actor.repId)?.name ?? actor.repId;
      return sendPage(
        reply,
        200,
        'Claimed',
        `<p>${escapeHtml(packet.prospect.name)} (${escapeHtml(packet.prospect.company)}) is yours, ${escapeHtml(name)}.</p>` +
          `<p>${escapeHtml(packet.summary)}</p><p>Next: ${escapeHtml(packet.suggestedNextStep)}</p>`,
      );
    });
  });
}
