/**
 * The HTTP API for outreach tools, reps and ops: start conversations, send replies in, escalate by hand, claim
 * and hand back, look things up. The zod schemas of `workflows/messages.ts` are the single source of
 * validation and of the OpenAPI document at `/openapi.json` (`openapi.ts`, from each module's route table). Rep-side routes act as the key's rep (see
 * `actor.ts`); claim links are `claimLinks.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { draftingModel, rosterFile } from '../activityDeps';
import { configuredChannelNames } from '../alerts/config';
import type { Config } from '../config';
import { RosterStore } from '../routing/rosterStore';
import { startConversation } from '../conversations';
import { suggestRepReply, type RepSuggestionDeps } from '../outreach/repSuggestion';
import { type conversationWorkflow } from '../../workflows/conversation';
import {
  claimUpdate,
  bookMeetingUpdate,
  closeUpdate,
  feedbackUpdate,
  handBackUpdate,
  reassignUpdate,
  replySignal,
  repMessageUpdate,
  stateQuery,
  triggerSignal,
  type ConversationState,
  type ReplyInput,
} from '../../workflows/messages';
import type { EncryptionCodec } from '../temporal/codec';
import { actingAs, newOwnerFor } from './actor';
import { conversationRuns, currentConversationId, likelyConversationId, reenrolment } from './enrolments';
import { authenticate, type ApiKey, type Scope } from './auth';
import { registerClaimLinks } from './claimLinks';
import { codecRoutes } from './codecRoutes';
import { BATCH_BODY_LIMIT_BYTES, BatchStartSchema, startBatch } from './batchStart';
import { CONVERSATION_ROUTES, MeetingParams, ProspectIdParams, ReplyParams, type ConversationAnswers } from './conversationRoutes';
import { meetingInvite } from '../meetings/invite';
import { registerEraseRoutes } from './erase';
import { registerInboundRoutes } from './inbound';
import { openApiDocument } from './openapi';
import { OPERATIONS_ROUTES } from './operationsRoutes';
import { ApiError, handleError, parseRequest } from './errors';
import { REQUEST_BODY_LIMIT_BYTES } from '../../workflows/limits';
import { apiLedger } from './ledgerAccess';
import { checkManualEscalationLimit, replyForSignal, travelsInline, type ReplyRequest } from './limits';
import { verifySignedRequest } from './signature';
import { registerRepRoutes } from './reps';
import { assertNotSuppressed, registerSuppressionRoutes } from './suppressions';
import { registerUnsubscribeRoutes } from './unsubscribe';
import type { LedgerStore } from '../ledger/store';
import { registry, timeToClaimSeconds } from '../metrics';

/** What the API needs. */
export interface ApiDeps {
  client: Client;
  config: Config;
  /** Keys accepted as bearer tokens (hashes). */
  keys: readonly ApiKey[];
  /** The claim-link secret the alert activity signs with. */
  claimSecret: string;
  /** The secret the outreach activity signs unsubscribe links with; without it, unsubscribe links are refused. */
  unsubscribeSecret?: string;
  /** The roster rep-side routes check (who exists, who manages, who may take a reassignment); the config's file when unset. */
  roster?: Pick<RosterStore, 'current'>;
  /** The local worker's state, when this process runs one. */
  workerState?: () => string;
  /** Where the Temporal SDK serves its own metrics, appended to `/metrics`. */
  sdkMetricsUrl?: string;
  /**
   * The ledger (suppression list, replay cache, erasure, long reply bodies); default: the process's shared one for
   * the config.
   */
  ledger?: LedgerStore;
  /** The payload codec; when given, the codec endpoint for the Temporal UI is served under `/codec`. */
  payloadCodec?: EncryptionCodec;
  /** Where `GET …/suggested-reply` writes from; default: the config's campaigns and model. */
  suggestions?: RepSuggestionDeps;
  /** Operational log lines (ids and reasons, never bodies). Default: stderr. */
  log?: (line: string) => void;
  now?: () => number;
  /** Told of every route as it is registered (the contract's test compares them with the document). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

const ROUTES = CONVERSATION_ROUTES;

/**
 * How long a client may take to send a whole request (headers and body): a 10 MiB message at under 200 KB/s. A
 * request still arriving after it gets 408 and its connection is closed, so a stalled upload holds nothing for long
 * (Node checks every 30 s, so the cut comes 60 to 90 s after the request began).
 */
export const REQUEST_RECEIVE_TIMEOUT_MS = 60_000;


/** Builds the API (not yet listening). */
export function buildApi(deps: ApiDeps): FastifyInstance {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => console.error(line));
  const app = Fastify({ logger: false, bodyLimit: REQUEST_BODY_LIMIT_BYTES, requestTimeout: REQUEST_RECEIVE_TIMEOUT_MS, routerOptions: { maxParamLength: 2048 } });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  const ledger = apiLedger(deps.ledger, { dataDir: deps.config.dataDir, databaseUrl: deps.config.ledger.databaseUrl });
  app.addHook('onClose', () => ledger.close());
  const replays = { remember: (signature: string, expiresAtMs: number, nowMs: number) => ledger.use((l) => l.replays.remember(signature, expiresAtMs, nowMs)) };
  const roster = deps.roster ?? RosterStore.fromFile(rosterFile(deps.config));
  const enabledChannels = configuredChannelNames(deps.config.alerts);
  const signing = deps.config.api.replySigningSecret;
  const suggestions = deps.suggestions ?? { campaigns: () => deps.config.campaigns, model: draftingModel(deps.config) };

  // Bodies are kept raw for signature checks; JSON errors become 400s naming the problem.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    (request as FastifyRequest & { rawBody?: string }).rawBody = body as string;
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(new ApiError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
  app.setErrorHandler((err, request, reply) => handleError(err, request, reply));
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, details: {} } }));

  /** The conversation a route's `prospectId` names: the prospect's current one, or `<id>~<campaign>`'s. */
  const handleFor = async (prospectId: string): Promise<WorkflowHandle<typeof conversationWorkflow>> =>
    deps.client.workflow.getHandle<typeof conversationWorkflow>(await currentConversationId(deps.client, prospectId));
  /** The state query's answer for a route's `prospectId`; 404 when there is no such conversation. */
  const stateOf = async (prospectId: string): Promise<ConversationState> => {
    try {
      return await (await handleFor(prospectId)).query(stateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ApiError(404, 'not_found', `no conversation for prospect ${prospectId}`);
      throw err;
    }
  };
  const guard = (request: FastifyRequest, scopes: readonly Scope[]) => authenticate(request.headers.authorization, deps.keys, scopes);
  const prospectOf = (request: FastifyRequest) => parseRequest(ProspectIdParams, request.params, 'params').prospectId;

  /** A signal to a conversation that must exist and still be running (`found`: its handle, when already looked up). */
  const signalConversation = async <A extends unknown[]>(
    prospectId: string,
    send: (h: WorkflowHandle<typeof conversationWorkflow>) => Promise<A | void>,
    found?: WorkflowHandle<typeof conversationWorkflow>,
  ) => {
    const handle = found ?? (await handleFor(prospectId));
    try {
      await send(handle);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // The server answers "not found" for a finished conversation too: only then is it worth a look-up.
      const status = await handle.describe().then(
        (d) => d.status.name,
        (lookup: unknown) => {
          if (lookup instanceof WorkflowNotFoundError) return null;
          throw lookup;
        },
      );
      if (status === null) throw new ApiError(404, 'not_found', `no conversation for prospect ${prospectId}`);
      throw new ApiError(409, 'conversation_over', `the conversation with ${prospectId} has ended (${status.toLowerCase()})`);
    }
  };

  /**
   * Signals a reply to the prospect's current conversation. A short reply goes first to the conversation the
   * reference means without a look-up (the prospect's first, or the enrolment named): a hot reply waits for no
   * round trip but its signal. Where that conversation is not running, or the body is long (stored first, under the
   * conversation it goes to, so a reply the API accepts is never lost), the current conversation is looked up.
   */
  const signalReply = async (prospectId: string, body: ReplyRequest): Promise<ReplyInput> => {
    if (travelsInline(body)) {
      try {
        await deps.client.workflow.getHandle(likelyConversationId(prospectId)).signal(replySignal, body);
        return body;
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    const current = await handleFor(prospectId);
    const input = await replyForSignal(current.workflowId, body, (stored) => ledger.use((l) => l.replyBodies.put(stored)));
    await signalConversation(prospectId, (h) => h.signal(replySignal, input), current);
    return input;
  };

  app.post(ROUTES.startConversation.url, async (request, reply) => {
    guard(request, ROUTES.startConversation.scopes);
    const body = parseRequest(ROUTES.startConversation.body, request.body, 'body');
    await assertNotSuppressed(ledger, body.prospect);
    const enrolment = body.reenrol ? await reenrolment(deps.client, ledger, body) : undefined;
    const started = await startConversation(deps.client, deps.config, body, enrolment);
    return reply.code(started.created ? 201 : 200).send({
      conversation: { prospectId: body.prospect.id, workflowId: started.workflowId, created: started.created, ...(enrolment ? { enrolment } : {}) },
    } satisfies ConversationAnswers['started']);
  });

  app.post(ROUTES.startConversations.url, { bodyLimit: BATCH_BODY_LIMIT_BYTES }, async (request) => {
    guard(request, ROUTES.startConversations.scopes);
    const { items } = parseRequest(BatchStartSchema, request.body, 'body');
    return startBatch({ client: deps.client, config: deps.config, ledger }, items);
  });

  app.post(ROUTES.reply.url, async (request, reply) => {
    guard(request, ROUTES.reply.scopes);
    if (signing) {
      await verifySignedRequest(
        { timestamp: request.headers['x-handoff-timestamp'] as string | undefined, signature: request.headers['x-handoff-signature'] as string | undefined },
        { method: request.method, path: request.url, body: (request as FastifyRequest & { rawBody?: string }).rawBody ?? '' },
        { secret: signing, toleranceMs: 5 * 60_000 },
        replays,
        now(),
      );
    }
    const prospectId = prospectOf(request);
    const body = parseRequest(ROUTES.reply.body, request.body, 'body');
    const input = await signalReply(prospectId, body);
    return reply.code(202).send({
      accepted: true,
      messageId: body.messageId,
      ...(input.bodyRef ? { bodyRef: input.bodyRef, bodyBytes: input.bodyBytes } : {}),
    } satisfies ConversationAnswers['replyAccepted']);
  });

  app.get(ROUTES.replyText.url, async (request) => {
    guard(request, ROUTES.replyText.scopes);
    const { prospectId, messageId } = parseRequest(ReplyParams, request.params, 'params');
    const conversationId = await currentConversationId(deps.client, prospectId);
    const found = await ledger.use((l) => l.replyBodies.replyText(conversationId, messageId));
    if (!found) throw new ApiError(404, 'not_found', `no reply ${messageId} in the conversation with ${prospectId}`);
    return { reply: found } satisfies ConversationAnswers['storedReply'];
  });

  app.post(ROUTES.escalate.url, async (request, reply) => {
    const caller = guard(request, ROUTES.escalate.scopes);
    const prospectId = prospectOf(request);
    const body = parseRequest(ROUTES.escalate.body, request.body, 'body');
    await checkManualEscalationLimit(deps.client, await handleFor(prospectId));
    await signalConversation(prospectId, (h) => h.signal(triggerSignal, { ...body, by: caller.keyId }));
    return reply.code(202).send({ accepted: true } satisfies ConversationAnswers['accepted']);
  });

  app.post(ROUTES.claim.url, async (request) => {
    const caller = guard(request, ROUTES.claim.scopes);
    const prospectId = prospectOf(request);
    const body = parseRequest(ROUTES.claim.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    const packet = await (await handleFor(prospectId)).executeUpdate(claimUpdate, { args: [{ repId: actor.repId, actor }] });
    timeToClaimSeconds.observe({ trigger: packet.reason }, Math.max(0, (now() - Date.parse(packet.escalatedAt)) / 1000));
    return { packet, claimedBy: actor.repId } satisfies ConversationAnswers['claimed'];
  });

  app.post(ROUTES.handBack.url, async (request) => {
    const caller = guard(request, ROUTES.handBack.scopes);
    const body = parseRequest(ROUTES.handBack.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    return { state: await (await handleFor(prospectOf(request))).executeUpdate(handBackUpdate, { args: [{ ...body, repId: actor.repId, actor }] }) };
  });

  app.post(ROUTES.close.url, async (request) => {
    const caller = guard(request, ROUTES.close.scopes);
    const body = parseRequest(ROUTES.close.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    return { state: await (await handleFor(prospectOf(request))).executeUpdate(closeUpdate, { args: [{ ...body, repId: actor.repId, actor }] }) };
  });

  app.post(ROUTES.reassign.url, async (request) => {
    const caller = guard(request, ROUTES.reassign.scopes);
    const handle = await handleFor(prospectOf(request));
    const body = parseRequest(ROUTES.reassign.body, request.body, 'body');
    const { roster: current } = await roster.current();
    const actor = actingAs(caller, body.by, current, 'by');
    // The roster's rules are checked here, on the state as it is now; the workflow checks the owner and stage again
    // when the update arrives. A rung climbing in between only widens who may take it.
    const newOwner = newOwnerFor(await handle.query(stateQuery), body.repId, current, enabledChannels);
    return { state: await handle.executeUpdate(reassignUpdate, { args: [{ ...body, by: actor.repId, actor, newOwner }] }) };
  });

  app.post(ROUTES.feedback.url, async (request) => {
    const caller = guard(request, ROUTES.feedback.scopes);
    const body = parseRequest(ROUTES.feedback.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    return { state: await (await handleFor(prospectOf(request))).executeUpdate(feedbackUpdate, { args: [{ ...body, repId: actor.repId, actor }] }) };
  });

  app.post(ROUTES.bookMeeting.url, async (request) => {
    const caller = guard(request, ROUTES.bookMeeting.scopes);
    const body = parseRequest(ROUTES.bookMeeting.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    return { state: await (await handleFor(prospectOf(request))).executeUpdate(bookMeetingUpdate, { args: [{ ...body, repId: actor.repId, actor }] }) };
  });

  app.post(ROUTES.repMessage.url, async (request, reply) => {
    const caller = guard(request, ROUTES.repMessage.scopes);
    const prospectId = prospectOf(request);
    const body = parseRequest(ROUTES.repMessage.body, request.body, 'body');
    const actor = actingAs(caller, body.repId, (await roster.current()).roster);
    const input = {
      messageId: body.messageId ?? `rep-${randomUUID()}`,
      repId: actor.repId,
      channel: body.channel,
      text: body.text,
      sentAt: body.sentAt ?? new Date(now()).toISOString(),
      source: 'api' as const,
      actor,
    };
    const result = await (await handleFor(prospectId)).executeUpdate(repMessageUpdate, { args: [input] });
    return reply.code(result.duplicate ? 200 : 201).send({ ...result, repId: actor.repId } satisfies ConversationAnswers['repMessage']);
  });

  app.get(ROUTES.meetingInvite.url, async (request, reply) => {
    guard(request, ROUTES.meetingInvite.scopes);
    const { prospectId, number } = parseRequest(MeetingParams, request.params, 'params');
    const state = await stateOf(prospectId);
    const meetings = state.meetings ?? [];
    const meeting = meetings[number - 1];
    if (!meeting) throw new ApiError(404, 'not_found', `no meeting ${number} in the conversation with ${prospectId} (it has ${meetings.length})`);
    const rep = (await roster.current()).roster.reps.find((r) => r.id === meeting.repId);
    const invite = meetingInvite(meeting, {
      conversationId: state.conversationId,
      prospect: state.prospect,
      // A rep since gone from the roster is named by id, with no organizer address.
      rep: rep ? { name: rep.name, email: rep.email, ...(rep.bookingUrl ? { bookingUrl: rep.bookingUrl } : {}) } : { name: meeting.repId },
    });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="meeting-${number}.ics"`)
      .send(invite);
  });

  app.get(ROUTES.show.url, async (request) => {
    guard(request, ROUTES.show.scopes);
    return { state: await stateOf(prospectOf(request)) } satisfies ConversationAnswers['state'];
  });

  app.get(ROUTES.suggestedReply.url, async (request) => {
    guard(request, ROUTES.suggestedReply.scopes);
    const state = await stateOf(prospectOf(request));
    // The state's thread, not the packet's: it holds what came (and what the rep wrote) since the escalation. The
    // packet names the campaign, once there is one.
    const campaign = state.packet?.campaign;
    const suggestedReply = await suggestRepReply({ ...state, ...(campaign === undefined ? {} : { campaign }) }, suggestions);
    return { suggestedReply } satisfies ConversationAnswers['suggestedReply'];
  });

  app.get(ROUTES.listConversations.url, async (request) => {
    guard(request, ROUTES.listConversations.scopes);
    const { prospectId } = parseRequest(ROUTES.listConversations.query, request.query, 'query');
    return { conversations: await conversationRuns(deps.client, prospectId) } satisfies ConversationAnswers['conversations'];
  });

  app.get(ROUTES.escalations.url, async (request) => {
    guard(request, ROUTES.escalations.scopes);
    const q = parseRequest(ROUTES.escalations.query, request.query, 'query');
    const clauses = [`WorkflowType = "conversationWorkflow"`, q.status === 'open' ? 'HandoffStage = "escalated"' : 'HandoffStage IN ("claimed", "meeting_booked")'];
    if (q.trigger) clauses.push(`HandoffTrigger = "${q.trigger}"`);
    if (q.company) clauses.push(`HandoffCompany = "${q.company.replace(/["\\]/g, '')}"`);
    const escalations = [];
    for await (const wf of deps.client.workflow.list({ query: clauses.join(' AND '), pageSize: q.limit })) {
      // The search attributes' kinds as the worker sets them (keyword, int, keyword list, datetime).
      const sa = wf.searchAttributes as {
        HandoffCompany?: string[];
        HandoffTrigger?: string[];
        HandoffTier?: number[];
        HandoffAssignee?: string[];
        HandoffNextActionTime?: (Date | string)[];
      };
      const nextAction = sa.HandoffNextActionTime?.[0];
      escalations.push({
        prospectId: wf.workflowId.replace(/^prospect-/, ''),
        workflowId: wf.workflowId,
        company: sa.HandoffCompany?.[0] ?? null,
        trigger: sa.HandoffTrigger?.[0] ?? null,
        tier: sa.HandoffTier?.[0] ?? null,
        assignees: sa.HandoffAssignee ?? [],
        nextActionTime: nextAction === undefined ? null : new Date(nextAction).toISOString(),
        startedAt: wf.startTime.toISOString(),
      });
      if (escalations.length >= q.limit) break;
    }
    return { escalations } satisfies ConversationAnswers['escalations'];
  });

  registerClaimLinks(app, { client: deps.client, keys: deps.keys, roster, claimSecret: deps.claimSecret, now });

  registerSuppressionRoutes(app, { guard, ledger });
  registerRepRoutes(app, { guard, ledger, roster, now });
  const reps = async () => (await roster.current()).roster.reps;
  const { repMailAuthservId } = deps.config.inbound;
  registerInboundRoutes(app, { guard, ledger, client: deps.client, now, reps, ...(repMailAuthservId ? { repMailAuthservId } : {}), ...(signing ? { signing: { secret: signing, replays } } : {}) });
  // Without a secret every token fails its signature check: no link is honoured that was not signed here.
  registerUnsubscribeRoutes(app, { client: deps.client, ledger, secret: deps.unsubscribeSecret ?? randomUUID(), now });
  registerEraseRoutes(app, { guard, ledger, client: deps.client, dataDir: deps.config.dataDir });

  if (deps.payloadCodec) void app.register(codecRoutes, { codec: deps.payloadCodec, config: deps.config, keys: deps.keys, now });

  app.get(OPERATIONS_ROUTES.openApiDocument.url, async () => openApiDocument());

  app.get(OPERATIONS_ROUTES.metrics.url, async (_request, reply) => {
    let text = await registry.metrics();
    if (deps.sdkMetricsUrl) {
      try {
        const sdk = await fetch(deps.sdkMetricsUrl, { signal: AbortSignal.timeout(2000) });
        if (sdk.ok) text += `\n${await sdk.text()}`;
      } catch {
        text += '\n# Temporal SDK metrics unavailable\n';
      }
    }
    return reply.type(registry.contentType).send(text);
  });

  // Unauthenticated: answers with a status and a generic reason per check; what went wrong goes to the log under
  // an id the answer names.
  app.get(OPERATIONS_ROUTES.health.url, async (_request, reply) => {
    const checks: Record<string, string> = {};
    let incident: string | undefined;
    try {
      // A deadline, or the client's own retries would hold the answer for about 20 s.
      await deps.client.withDeadline(Date.now() + 2000, () => deps.client.workflowService.getSystemInfo({}));
      checks.temporal = 'ok';
    } catch (err) {
      incident = randomUUID();
      checks.temporal = 'unreachable';
      log(`healthz ${incident}: Temporal unreachable: ${(err as Error).message}`);
    }
    if (deps.workerState) {
      const state = deps.workerState();
      checks.worker = state === 'RUNNING' ? 'ok' : 'not running';
      if (state !== 'RUNNING') {
        incident ??= randomUUID();
        log(`healthz ${incident}: worker ${state}`);
      }
    }
    const healthy = incident === undefined;
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable', checks, ...(incident ? { incident } : {}) });
  });
  return app;
}
