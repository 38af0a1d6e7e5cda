/**
 * Inbound mail over HTTP: `POST /v1/inbound/email` takes one raw RFC 5322 message (`message/rfc822`), the way
 * mailbox webhooks deliver it, and `GET /v1/inbound/unmatched` lists the messages no conversation claimed. What
 * becomes of a message is `src/inbound/deliver.ts`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { deliverInboundMail, type InboundDeps } from '../inbound/deliver';
import { INBOUND_MAIL_LIMIT_BYTES, UnreadableMailError } from '../inbound/mail';
import type { ReceivedMail } from '../ledger/mailThreads';
import type { ReplayCache } from '../ledger/replay';
import type { Caller, Scope } from './auth';
import { replySignal } from '../../workflows/messages';
import { BEARER_ERRORS, BODY_ERRORS, errorResponse, type RouteContract } from './contract';
import { ConversationRefSchema, currentConversationId } from './enrolments';
import { ApiError, parseRequest, validationError } from './errors';
import { replyForSignal } from './limits';
import type { ApiLedger } from './ledgerAccess';
import { verifySignedRequest } from './signature';

/** The raw message's media type. */
export const RFC822 = 'message/rfc822';

const OutcomeSchema = z.object({
  messageId: z.string().describe('the message\'s Message-ID: the reply\'s idempotency key'),
  disposition: z
    .enum(['reply', 'unmatched', 'bounce', 'rep_message'])
    .describe('sent to a conversation, kept for review, a bounce that suppressed its recipients, or a rep\'s own message that joined its conversation\'s thread'),
  conversationId: z.string().nullable().describe('the conversation (workflow id) a reply went to'),
  reason: z.string().nullable().describe('why a message is unmatched (no_conversation, conversation_over); for a bounce, what it suppressed; for a rep message, the rep'),
  duplicate: z.boolean().describe('the Message-ID was delivered before; nothing was done again'),
});

const UnmatchedSchema = z.object({
  messageId: z.string(),
  sender: z.string().nullable(),
  subject: z.string().nullable(),
  text: z.string().nullable().describe('the message\'s text (its first 64 KiB)'),
  reason: z.string().nullable(),
  conversationId: z.string().nullable().describe('the conversation it answered, when that conversation had ended'),
  receivedAt: z.string(),
});

/** The path of one unmatched message: its Message-ID, URL-encoded. */
export const UnmatchedParams = z.strictObject({ messageId: z.string().min(1).max(998) });
/** Which conversation an unmatched message belongs to. */
export const AssignBodySchema = z.strictObject({
  prospectId: ConversationRefSchema,
});
const AssignedSchema = z.object({
  messageId: z.string(),
  conversationId: z.string().describe('the conversation (workflow id) it went to as a reply'),
  disposition: z.literal('reply'),
});

/** Paging of `GET /v1/inbound/unmatched`. */
export const UnmatchedQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const exampleRaw =
  'From: Dana Reyes <dana@northwind.example>\r\nTo: outreach@acme.example\r\nSubject: Re: Northwind and Acme Sync\r\n' +
  'Message-ID: <CAF1dana@mail.northwind.example>\r\nIn-Reply-To: <3f9c0a@acme.example>\r\nReferences: <3f9c0a@acme.example>\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n\r\nWhat does it cost for 40 seats?\r\n';
const exampleUnmatched = {
  messageId: '<b71@mail.example>',
  sender: 'lee@unknown.example',
  subject: 'Question',
  text: 'Do you integrate with our CRM?',
  reason: 'no_conversation',
  conversationId: null,
  receivedAt: '2026-03-04T09:12:00.000Z',
};
const ledgerUnavailable = errorResponse('the ledger cannot be reached; the mail server should deliver again', 'ledger_unavailable', 'the ledger is unavailable: connection refused');

/** The inbound mail routes, for the route table and the OpenAPI document. */
export const INBOUND_ROUTES = {
  inboundEmail: {
    method: 'POST',
    url: '/v1/inbound/email',
    scopes: ['tool'],
    tag: 'inbound mail',
    summary: 'Deliver one inbound email',
    description:
      'Takes one raw RFC 5322 message (`content-type: message/rfc822`, up to 10 MiB), signed over its bytes as a posted reply is when HANDOFF_REPLY_SIGNING_SECRET is set. Mail from a rep in the roster (their own message, BCC\'d to the inbound address or answering our thread) joins its conversation\'s thread as the rep\'s message (found by the Message-IDs it answers, else by its To/Cc recipients), never read as a prospect\'s reply. A reply goes to its conversation (found by the Message-IDs it answers, else by its sender) as the reply signal, its Message-ID the idempotency key; auto-replies (`Auto-Submitted`, `X-Autoreply`, `Precedence: auto_reply|bulk`) never escalate; a delivery status notification puts its failed recipients on the suppression list (`bounce`); anything else is kept as unmatched. A redelivered message answers what its first delivery did, with `duplicate: true`.',
    body: z.string().describe('the raw message'),
    bodyContentTypes: [RFC822],
    bodyExample: exampleRaw,
    responses: {
      202: { description: 'delivered: to a conversation, to the unmatched list, or as a bounce', schema: OutcomeSchema, example: { messageId: '<CAF1dana@mail.northwind.example>', disposition: 'reply', conversationId: 'prospect-p-1042', reason: null, duplicate: false } },
      ...BEARER_ERRORS,
      400: errorResponse('the body is empty or not a message', 'invalid_message', 'the body is empty: send the raw message'),
      401: errorResponse(
        'no bearer key or an unknown one; or, with HANDOFF_REPLY_SIGNING_SECRET set, a missing, expired or wrong signature over the raw message',
        'signature_invalid',
        'X-Handoff-Signature does not match the method, path and body',
      ),
      409: errorResponse('the signed request was received before (a replay)', 'replayed', 'this signed request was already received'),
      413: errorResponse('the message is over the limit', 'payload_too_large', `the request body is over the limit of ${INBOUND_MAIL_LIMIT_BYTES} bytes`, { limit: INBOUND_MAIL_LIMIT_BYTES }),
      415: errorResponse('the body is not message/rfc822', 'unsupported_media_type', 'send the raw message with content-type message/rfc822'),
      503: ledgerUnavailable,
    },
  },
  unmatchedMail: {
    method: 'GET',
    url: '/v1/inbound/unmatched',
    scopes: ['admin'],
    tag: 'inbound mail',
    summary: 'List inbound mail no conversation claimed',
    description: 'Messages that answered no email of ours and came from no address a conversation is writing to, or answered a conversation that had ended: newest first, with the total.',
    query: UnmatchedQuerySchema,
    responses: {
      200: {
        description: 'a page of unmatched messages',
        schema: z.object({ messages: z.array(UnmatchedSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
        example: { messages: [exampleUnmatched], total: 1, limit: 100, offset: 0 },
      },
      ...BEARER_ERRORS,
      503: ledgerUnavailable,
    },
  },
  assignUnmatched: {
    method: 'POST',
    url: '/v1/inbound/unmatched/:messageId/assign',
    scopes: ['admin'],
    tag: 'inbound mail',
    summary: 'Assign an unmatched message to a conversation',
    description:
      'A person who knows where an unmatched message belongs sends it to that conversation as the prospect\'s reply (its Message-ID the reply\'s id, its kept text the reply, classified like any other) and it leaves the unmatched list. The Message-ID goes in the path URL-encoded (`%3Cb71%40mail.example%3E`).',
    params: UnmatchedParams,
    body: AssignBodySchema,
    bodyExample: { prospectId: 'p-1042' },
    responses: {
      200: { description: 'delivered as the conversation\'s reply and removed from the unmatched list', schema: AssignedSchema, example: { messageId: '<b71@mail.example>', conversationId: 'prospect-p-1042', disposition: 'reply' } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      404: errorResponse('no unmatched message with that Message-ID, or no conversation for that prospect', 'not_found', 'no unmatched message <b71@mail.example>'),
      409: errorResponse('the conversation has ended', 'conversation_over', 'the conversation with p-1042 has ended (completed)'),
      503: ledgerUnavailable,
    },
  },
} as const satisfies Record<string, RouteContract>;

/** What the inbound routes need from the API. */
export interface InboundRouteDeps {
  guard(request: FastifyRequest, scopes: readonly Scope[]): Caller;
  /** When set (`HANDOFF_REPLY_SIGNING_SECRET`), a message must be signed as a posted reply is. */
  signing?: { secret: string; replays: ReplayCache };
  ledger: ApiLedger;
  client: Client;
  now: () => number;
  /** The roster's reps, so a rep's own mail joins the thread as theirs. */
  reps?: InboundDeps['reps'];
  /** Whose `Authentication-Results` verdict makes mail from a rep's address theirs (see `InboundDeps`). */
  repMailAuthservId?: string;
}

const view = (m: ReceivedMail): z.infer<typeof UnmatchedSchema> => ({
  messageId: m.messageId,
  sender: m.sender,
  subject: m.subject,
  text: m.text,
  reason: m.reason,
  conversationId: m.conversationId,
  receivedAt: m.receivedAt,
});

/** Registers the inbound mail routes; only they read `message/rfc822` bodies. */
export function registerInboundRoutes(app: FastifyInstance, deps: InboundRouteDeps): void {
  app.addContentTypeParser(RFC822, { parseAs: 'buffer', bodyLimit: INBOUND_MAIL_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  app.post(INBOUND_ROUTES.inboundEmail.url, { bodyLimit: INBOUND_MAIL_LIMIT_BYTES }, async (request, reply) => {
    const caller = deps.guard(request, INBOUND_ROUTES.inboundEmail.scopes);
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== RFC822) throw new ApiError(415, 'unsupported_media_type', 'send the raw message with content-type message/rfc822');
    const raw = request.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) throw new ApiError(400, 'invalid_message', 'the body is empty: send the raw message');
    if (deps.signing) {
      await verifySignedRequest(
        { timestamp: request.headers['x-handoff-timestamp'] as string | undefined, signature: request.headers['x-handoff-signature'] as string | undefined },
        { method: request.method, path: request.url, body: raw },
        { secret: deps.signing.secret, toleranceMs: 5 * 60_000 },
        deps.signing.replays,
        deps.now(),
      );
    }
    const outcome = await deliverInboundMail(raw, {
      client: deps.client,
      ledger: deps.ledger,
      now: () => new Date(deps.now()),
      ...(deps.reps ? { reps: deps.reps } : {}),
      ...(deps.repMailAuthservId ? { repMailAuthservId: deps.repMailAuthservId } : {}),
    }).catch(
      (err: unknown) => {
        if (err instanceof UnreadableMailError) throw new ApiError(400, 'invalid_message', err.message);
        throw err;
      },
    );
    request.log.info({ keyId: caller.keyId, messageId: outcome.messageId, disposition: outcome.disposition, duplicate: outcome.duplicate }, 'inbound email');
    return reply.code(202).send(outcome);
  });

  app.post(INBOUND_ROUTES.assignUnmatched.url, async (request) => {
    deps.guard(request, INBOUND_ROUTES.assignUnmatched.scopes);
    const { messageId } = parseRequest(UnmatchedParams, request.params, 'params');
    const { prospectId } = parseRequest(AssignBodySchema, request.body, 'body');
    const record = await deps.ledger.use((l) => l.mail.received(messageId));
    if (!record || record.disposition !== 'unmatched') throw new ApiError(404, 'not_found', `no unmatched message ${messageId}`);
    const conversationId = await currentConversationId(deps.client, prospectId);
    const input = await replyForSignal(
      conversationId,
      { messageId, channel: 'email', text: record.text || record.subject || '', receivedAt: record.receivedAt },
      (stored) => deps.ledger.use((l) => l.replyBodies.put(stored)),
    );
    const handle = deps.client.workflow.getHandle(conversationId);
    try {
      await handle.signal(replySignal, input);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const status = await handle.describe().then(
        (d) => d.status.name,
        () => null,
      );
      if (status === null) throw new ApiError(404, 'not_found', `no conversation for prospect ${prospectId}`);
      throw new ApiError(409, 'conversation_over', `the conversation with ${prospectId} has ended (${status.toLowerCase()})`);
    }
    await deps.ledger.use((l) => l.mail.assign(messageId, conversationId));
    request.log.info({ messageId, conversationId }, 'unmatched inbound email assigned');
    return { messageId, conversationId, disposition: 'reply' as const } satisfies z.infer<typeof AssignedSchema>;
  });

  app.get(INBOUND_ROUTES.unmatchedMail.url, async (request) => {
    deps.guard(request, INBOUND_ROUTES.unmatchedMail.scopes);
    const parsed = UnmatchedQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) throw validationError(parsed.error, 'query');
    const { messages, total } = await deps.ledger.use((l) => l.mail.unmatched(parsed.data));
    return { messages: messages.map(view), total, limit: parsed.data.limit, offset: parsed.data.offset };
  });
}
