/**
 * The conversation routes' contract (`/v1/conversations…`, `/v1/escalations`): their schemas, words and
 * examples. `server.ts` registers the handlers and parses with these schemas; `openapi.ts` documents them.
 */
import { z } from 'zod';
import { StartConversationSchema } from '../conversations';
import {
  BookMeetingInputSchema,
  ClaimInputSchema,
  CloseInputSchema,
  FeedbackInputSchema,
  HandBackInputSchema,
  ProspectSchema,
  ReassignInputSchema,
  RepMessageInputSchema,
  TriggerInputSchema,
  ESCALATION_REASONS,
  TASK_LABELS,
} from '../../workflows/messages';
import { BATCH_BODY_LIMIT_BYTES, BATCH_LIMIT, BatchStartDocumentedSchema, BatchStartResultSchema } from './batchStart';
import { BEARER_ERRORS, BODY_ERRORS, conversationNotFound, errorResponse, type ResponseContract, type RouteContract } from './contract';
import { ConversationStateSchema, HandoffPacketSchema } from './conversationStateSchema';
import { examplePacket, exampleProspect, exampleState } from './examples';
import { ReplyRequestSchema } from './limits';
import { ConversationRefSchema } from './enrolments';

/** A manual escalation as a tool or a rep asks for it: the trigger signal's input, less who sent it (the API sets that). */
export const ManualEscalationSchema = TriggerInputSchema.omit({ by: true });

/** The filters of `GET /v1/escalations`. */
export const EscalationsQuerySchema = z.strictObject({
  status: z.enum(['open', 'claimed']).default('open'),
  /** A trigger, `manual`, or a low-priority task's `human_reply` or `referral`. */
  trigger: z.enum([...ESCALATION_REASONS, ...TASK_LABELS]).optional(),
  company: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * The path of every route about one prospect's conversation: the prospect's id (their current conversation), or
 * `<id>~<campaign>` for the conversation a re-enrolment into that campaign started.
 */
export const ProspectIdParams = z.strictObject({ prospectId: ConversationRefSchema });
/** The filter of `GET /v1/conversations`. */
export const ConversationsQuerySchema = z.strictObject({ prospectId: ProspectSchema.shape.id });
/** The path of one stored reply. */
export const ReplyParams = z.strictObject({ prospectId: ProspectIdParams.shape.prospectId, messageId: z.string().min(1).max(256) });

// Rep-side bodies: the updates' inputs without what the API adds (who acts, the link, the new owner's channels).
// A repId (reassign: by) names the acting rep: the key's own, or the rep an admin key acts for.
const ClaimBodySchema = ClaimInputSchema.omit({ actor: true, link: true }).partial({ repId: true });
const HandBackBodySchema = HandBackInputSchema.omit({ actor: true });
const CloseBodySchema = CloseInputSchema.omit({ actor: true });
const ReassignBodySchema = ReassignInputSchema.omit({ actor: true, newOwner: true });
const FeedbackBodySchema = FeedbackInputSchema.omit({ actor: true });
const BookMeetingBodySchema = BookMeetingInputSchema.omit({ actor: true });
/** A rep's own message as they post it: who wrote it comes from the key (an admin key names the rep). */
export const RepMessageBodySchema = z.strictObject({
  text: RepMessageInputSchema.shape.text,
  channel: RepMessageInputSchema.shape.channel,
  /** The message's id in the rep's mailbox or tool: the idempotency key (one is made up when absent). */
  messageId: RepMessageInputSchema.shape.messageId.optional(),
  sentAt: RepMessageInputSchema.shape.sentAt.optional(),
  repId: RepMessageInputSchema.shape.repId.optional(),
});

/** The path of one booked meeting's invite. */
export const MeetingParams = z.strictObject({ prospectId: ProspectIdParams.shape.prospectId, number: z.coerce.number().int().min(1).max(10_000) });

/** What a start answers. */
export const StartedSchema = z.object({
  conversation: z.object({
    prospectId: z.string(),
    workflowId: z.string(),
    created: z.boolean(),
    enrolment: z.string().optional().describe('set for a re-enrolment: the campaign its new conversation runs in'),
  }),
});
const AcceptedSchema = z.object({ accepted: z.literal(true) });
const ReplyAcceptedSchema = AcceptedSchema.extend({
  messageId: z.string(),
  bodyRef: z.string().optional().describe('set when the text was stored whole and the conversation got its first bytes'),
  bodyBytes: z.number().int().optional(),
});
const StateBodySchema = z.object({ state: ConversationStateSchema });
const RepMessageAcceptedSchema = z.object({
  messageId: z.string(),
  repId: z.string(),
  duplicate: z.boolean().describe('the message id was in the thread already; nothing was added'),
});
const ClaimedSchema = z.object({ packet: HandoffPacketSchema, claimedBy: z.string() });
/** A claim's answer, through the API or a claim link. */
export const claimedAnswer: ResponseContract = { name: 'Claimed', description: 'claimed; the handoff packet', schema: ClaimedSchema, example: { packet: examplePacket, claimedBy: 'ana' } };
const EscalationSummarySchema = z.object({
  prospectId: z.string(),
  workflowId: z.string(),
  company: z.string().nullable(),
  trigger: z.string().nullable(),
  tier: z.number().nullable(),
  assignees: z.array(z.string()),
  nextActionTime: z.string().nullable(),
  startedAt: z.string(),
});
const StoredReplySchema = z.object({
  reply: z.object({ messageId: z.string(), text: z.string(), bytes: z.number().int(), bodyRef: z.string().optional().describe('set when the text came from the body store') }),
});

const EscalationListSchema = z.object({ escalations: z.array(EscalationSummarySchema) });
const ConversationRunSchema = z.object({
  prospectId: z.string(),
  workflowId: z.string(),
  enrolment: z.string().nullable().describe('the campaign a re-enrolment started it in; null for the prospect\'s first conversation'),
  status: z.string().describe('Temporal\'s execution status: running, completed, …'),
  stage: z.string().nullable().describe('the stage its search attribute last showed (closed, opted_out, …)'),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
});
const SuggestedReplyBodySchema = z.object({
  suggestedReply: z.object({
    text: z.string().describe('the reply, ready for the rep to edit and send'),
    source: z.enum(['model', 'template']).describe('`model` when the model wrote it, `template` when the campaign\'s reply template did'),
  }),
});
const ConversationListSchema = z.object({ conversations: z.array(ConversationRunSchema) });

/** The bodies the conversation routes answer with, as the handlers must build them (checked with `satisfies`). */
export interface ConversationAnswers {
  started: z.infer<typeof StartedSchema>;
  replyAccepted: z.infer<typeof ReplyAcceptedSchema>;
  accepted: z.infer<typeof AcceptedSchema>;
  storedReply: z.infer<typeof StoredReplySchema>;
  claimed: z.infer<typeof ClaimedSchema>;
  state: z.infer<typeof StateBodySchema>;
  escalations: z.infer<typeof EscalationListSchema>;
  repMessage: z.infer<typeof RepMessageAcceptedSchema>;
  conversations: z.infer<typeof ConversationListSchema>;
  suggestedReply: z.infer<typeof SuggestedReplyBodySchema>;
}

const started = { conversation: { prospectId: 'p-1042', workflowId: 'prospect-p-1042', created: true } };
const stateAnswer = { name: 'ConversationUpdated', description: 'the conversation after the update', schema: StateBodySchema, example: { state: exampleState } };
const repErrors = {
  403: errorResponse(
    'the key lacks the rep scope, acts for another rep, or the rep may not do this now (not_owner, not_eligible, unknown_rep, …)',
    'not_owner',
    'only the owner (ana) or a manager may do this',
    {},
    'RepRefused',
  ),
  404: conversationNotFound,
  409: errorResponse('the conversation is not at a stage that allows it (not_claimed, not_escalated, conversation_over)', 'not_claimed', 'the conversation is not claimed', {}, 'StageRefused'),
};

/** Every conversation route. */
export const CONVERSATION_ROUTES = {
  startConversation: {
    method: 'POST',
    url: '/v1/conversations',
    scopes: ['tool'],
    tag: 'conversations',
    summary: 'Start a conversation with a prospect',
    description:
      'Starts the prospect\'s conversation (workflow `prospect-<id>`), or returns the one it already has, running or finished: a start is idempotent by prospect id. A prospect on the suppression list is refused. With `reenrol: true` and a `campaign`, a prospect whose conversations have all ended without an opt-out is started again in that campaign: a new conversation `prospect-<id>~<campaign>` (idempotent by prospect and campaign), listed with the earlier ones by `GET /v1/conversations?prospectId=`; refused while one still runs (409 `conversation_running`), after an opt-out (409 `opted_out`) and while the address is suppressed (409 `suppressed`).',
    body: StartConversationSchema,
    bodyExample: { prospect: exampleProspect },
    responses: {
      201: { description: 'started', schema: StartedSchema, example: started },
      200: { description: 'the prospect already had a conversation; it is returned', schema: StartedSchema, example: { conversation: { ...started.conversation, created: false } } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      409: errorResponse(
        'the address or its domain is on the suppression list (`suppressed`); for a re-enrolment, a conversation still runs (`conversation_running`) or the prospect opted out (`opted_out`)',
        'suppressed',
        'prospect p-1042 is on the suppression list (email, opt_out); no conversation is started',
        { kind: 'email', source: 'opt_out' },
      ),
      503: errorResponse('the suppression list cannot be read, so nobody is contacted unchecked', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
  listConversations: {
    method: 'GET',
    url: '/v1/conversations',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'List a prospect\'s conversations',
    description:
      'Every conversation of the prospect Temporal still has, newest first: the first one (`prospect-<id>`) and those re-enrolments started (`prospect-<id>~<campaign>`), with their status and stage. Address one with `GET /v1/conversations/{id}~{campaign}`.',
    query: ConversationsQuerySchema,
    responses: {
      200: {
        description: 'the prospect\'s conversations, newest first',
        schema: ConversationListSchema,
        example: {
          conversations: [
            { prospectId: 'p-1042', workflowId: 'prospect-p-1042~spring-launch', enrolment: 'spring-launch', status: 'running', stage: 'automating', startedAt: '2026-05-02T08:00:00.000Z', closedAt: null },
            { prospectId: 'p-1042', workflowId: 'prospect-p-1042', enrolment: null, status: 'completed', stage: 'closed', startedAt: '2026-03-02T08:00:00.000Z', closedAt: '2026-03-30T08:00:00.000Z' },
          ],
        },
      },
      ...BEARER_ERRORS,
    },
  },
  startConversations: {
    method: 'POST',
    url: '/v1/conversations/batch',
    scopes: ['tool'],
    tag: 'conversations',
    summary: 'Start conversations with a list of prospects',
    description: `Starts up to ${BATCH_LIMIT} conversations, each as \`POST /v1/conversations\` would, and answers with a result per item in order: \`created\`, \`existing\` (the prospect already had a conversation), \`suppressed\`, or \`invalid\` (with the fields that are wrong). Each item is validated on its own, so one bad row does not refuse the others; starts are idempotent by prospect id, so a batch sent again answers \`existing\` for what it already started.`,
    body: BatchStartDocumentedSchema,
    bodyExample: { items: [{ prospect: exampleProspect }, { prospect: { ...exampleProspect, id: 'p-1043', name: 'Sam Ortiz', email: 'sam@contoso.example', company: 'Contoso' } }] },
    responses: {
      200: {
        description: 'a result per item, in the order sent, and the counts',
        schema: BatchStartResultSchema,
        example: {
          results: [
            { index: 0, status: 'created', prospectId: 'p-1042', workflowId: 'prospect-p-1042' },
            { index: 1, status: 'suppressed', prospectId: 'p-1043', suppression: { kind: 'domain', source: 'manual' } },
            { index: 2, status: 'invalid', prospectId: 'p-1044', fields: [{ field: 'prospect.email', message: 'Invalid email address' }] },
          ],
          counts: { created: 1, existing: 0, suppressed: 1, invalid: 1, refused: 0 },
        },
      },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      413: errorResponse('the body is over the batch limit', 'payload_too_large', `the request body is over the limit of ${BATCH_BODY_LIMIT_BYTES} bytes`, { limit: BATCH_BODY_LIMIT_BYTES }),
      503: errorResponse('the suppression list cannot be read; nothing in the batch after that point was started', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
  reply: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/replies',
    scopes: ['tool'],
    tag: 'conversations',
    summary: 'Send a prospect\'s reply into the conversation',
    description:
      'Signals the reply to the conversation, which pauses automation and classifies it. A repeated message id is ignored. A text over the inline limit is stored whole first and the conversation gets its first bytes (`bodyRef`). With a signing secret configured, the request must carry `X-Handoff-Timestamp` and a `v2=` `X-Handoff-Signature`.',
    params: ProspectIdParams,
    body: ReplyRequestSchema,
    bodyExample: { messageId: 'm-77', channel: 'email', text: 'What does it cost for 40 seats?', receivedAt: '2026-03-04T09:12:00.000Z' },
    responses: {
      202: { description: 'accepted; the conversation classifies it', schema: ReplyAcceptedSchema, example: { accepted: true, messageId: 'm-77' } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      401: errorResponse('no bearer key or an unknown one; or, with signing on, a missing, expired or wrong signature', 'signature_invalid', 'X-Handoff-Signature does not match the method, path and body'),
      404: conversationNotFound,
      409: errorResponse('the conversation has ended, or this signed request was already received', 'conversation_over', 'the conversation with p-1042 has ended (completed)'),
      503: errorResponse('a long text could not be stored, or the replay cache read, in the ledger; nothing was signalled', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
  replyText: {
    method: 'GET',
    url: '/v1/conversations/:prospectId/replies/:messageId',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'Read a stored reply in full',
    description: 'The whole text of a reply longer than the inline limit (the thread shows its first bytes and `bodyRef`).',
    params: ReplyParams,
    responses: {
      200: { description: 'the stored reply', schema: StoredReplySchema, example: { reply: { messageId: 'm-77', text: 'What does it cost for 40 seats? …', bytes: 40213, bodyRef: '9f2c…' } } },
      ...BEARER_ERRORS,
      404: errorResponse('no such reply stored for the conversation', 'not_found', 'no reply m-77 in the conversation with p-1042'),
      503: errorResponse('the ledger cannot be reached', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
  escalate: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/escalations',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'Escalate a conversation by hand',
    description: 'Asks for a rep now, with a reason (and optionally a trigger to route by). A conversation takes a bounded number of manual escalations.',
    params: ProspectIdParams,
    body: ManualEscalationSchema,
    bodyExample: { reason: 'asked for a call on the phone', trigger: 'human_request' },
    responses: {
      202: { description: 'accepted; the conversation escalates', schema: AcceptedSchema, example: { accepted: true } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      404: conversationNotFound,
      409: errorResponse('the conversation has ended, or has reached its limit of manual escalations', 'manual_escalation_limit', 'the conversation has reached its limit of 200 manual escalations', { limit: 200, manualEscalations: 200 }),
    },
  },
  claim: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/claim',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Claim the open escalation',
    description: 'The first eligible rep to claim wins and gets the handoff packet; a later claim is told who holds it. A rep key claims as its rep; an admin key names the rep in `repId`.',
    params: ProspectIdParams,
    body: ClaimBodySchema,
    bodyExample: { repId: 'ana' },
    responses: {
      200: claimedAnswer,
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      403: errorResponse('the rep is not eligible at the current tier, or the key may not act as that rep', 'not_eligible', 'ana is not eligible at tier 2'),
      404: conversationNotFound,
      409: errorResponse('already claimed (`details.holder`), or nothing is escalated', 'already_claimed', 'already claimed by ben', { holder: 'ben' }),
    },
  },
  handBack: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/hand-back',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Hand the conversation back to automation',
    description: 'The owner (or a manager) resumes the cadence, from a given step and after a delay if asked.',
    params: ProspectIdParams,
    body: HandBackBodySchema,
    bodyExample: { fromStep: 2, delayMs: 86_400_000 },
    responses: { 200: stateAnswer, ...BEARER_ERRORS, ...BODY_ERRORS, ...repErrors },
  },
  close: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/close',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Close the conversation with an outcome',
    description: 'The owner (or a manager) closes it as won, lost, disqualified or no response.',
    params: ProspectIdParams,
    body: CloseBodySchema,
    bodyExample: { outcome: 'won', note: 'signed for 40 seats' },
    responses: { 200: stateAnswer, ...BEARER_ERRORS, ...BODY_ERRORS, ...repErrors },
  },
  reassign: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/reassign',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Reassign the conversation to another rep',
    description: 'The owner (or a manager) gives it to a rep the roster\'s ladder reaches at this tier (or a manager), who is alerted on their own channels.',
    params: ProspectIdParams,
    body: ReassignBodySchema,
    bodyExample: { repId: 'ben' },
    responses: {
      200: stateAnswer,
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      ...repErrors,
      409: errorResponse('no enabled channel reaches the new owner alone, or the stage does not allow it', 'unreachable', 'no enabled alert channel reaches ben alone (e-mail, or their own webhook)', { repId: 'ben' }),
    },
  },
  feedback: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/feedback',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Say whether an escalation was needed',
    description: 'A rep involved in the escalation (the latest, or the one numbered) records whether it was needed; the review and training read it.',
    params: ProspectIdParams,
    body: FeedbackBodySchema,
    bodyExample: { verdict: 'needed', note: 'real pricing question' },
    responses: { 200: stateAnswer, ...BEARER_ERRORS, ...BODY_ERRORS, ...repErrors },
  },
  bookMeeting: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/meetings',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Record a meeting booked with the buyer',
    description:
      'The owner (or a manager) of a claimed conversation records a meeting with the buyer: the state lists it, the ledger (`meeting_booked`) and the CRM hear of it, the outreach tool gets `conversation.meeting_booked`, and the stage becomes `meeting_booked` (the rep still owns it, and can hand it back or close it). Its invite is at `GET …/meetings/{number}/invite.ics`.',
    params: ProspectIdParams,
    body: BookMeetingBodySchema,
    bodyExample: { startsAt: '2026-03-05T14:00:00.000Z', durationMinutes: 30, note: 'seats and terms for 40 users' },
    responses: { 200: stateAnswer, ...BEARER_ERRORS, ...BODY_ERRORS, ...repErrors },
  },
  repMessage: {
    method: 'POST',
    url: '/v1/conversations/:prospectId/messages',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Add the rep\'s own message to the thread',
    description:
      'A message the rep wrote to the prospect (by email, phone, LinkedIn…) joins the conversation\'s thread as author `rep`, so the packet, the next rep and the review see the whole story; the ledger records it (`rep_message`). It is the key\'s rep\'s own message: a rep key naming another rep is refused (403 `not_your_rep`); an admin key names the rep in `repId`. Idempotent by `messageId`: a repeated id answers `duplicate: true` and adds nothing.',
    params: ProspectIdParams,
    body: RepMessageBodySchema,
    bodyExample: { messageId: '<CAB7ana@mail.acme.example>', channel: 'email', text: 'Hi Dana, happy to walk you through seats and terms: does Thursday 10:00 work?', sentAt: '2026-03-04T09:30:00.000Z' },
    responses: {
      201: { description: 'the message joined the thread', schema: RepMessageAcceptedSchema, example: { messageId: '<CAB7ana@mail.acme.example>', repId: 'ana', duplicate: false } },
      200: { description: 'a message with this id was already in the thread; nothing was added', schema: RepMessageAcceptedSchema, example: { messageId: '<CAB7ana@mail.acme.example>', repId: 'ana', duplicate: true } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      403: errorResponse('the key acts as another rep than the one named, is bound to no rep, or the rep is not in the roster', 'not_your_rep', 'this key (ana-key) acts as ana; it cannot act as ben', { field: 'repId' }),
      404: conversationNotFound,
      409: errorResponse('the conversation has ended', 'conversation_over', 'the conversation is already closed'),
    },
  },
  meetingInvite: {
    method: 'GET',
    url: '/v1/conversations/:prospectId/meetings/:number/invite.ics',
    scopes: ['rep'],
    tag: 'claims',
    summary: 'Download a booked meeting\'s calendar invite',
    description: 'The iCalendar (`.ics`) invite of meeting `number` (1-based): from the rep who booked it to the buyer, with a UID stable per conversation and meeting.',
    params: MeetingParams,
    responses: {
      200: {
        description: 'the invite',
        schema: z.string().describe('an iCalendar (RFC 5545) object'),
        contentType: 'text/calendar',
        example: 'BEGIN:VCALENDAR\r\nPRODID:-//Handoff//Meetings//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:prospect-p-1042-meeting-1@handoff\r\n…\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      },
      ...BEARER_ERRORS,
      404: errorResponse('no conversation for that prospect, or no meeting with that number', 'not_found', 'no meeting 2 in the conversation with p-1042 (it has 1)'),
    },
  },
  show: {
    method: 'GET',
    url: '/v1/conversations/:prospectId',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'Show a conversation',
    description: 'The conversation\'s state: stage, thread (texts cut to a few KB), ladder, packet, escalations, owner, next step.',
    params: ProspectIdParams,
    responses: { 200: { description: 'the conversation', schema: StateBodySchema, example: { state: exampleState } }, ...BEARER_ERRORS, 404: conversationNotFound },
  },
  suggestedReply: {
    method: 'GET',
    url: '/v1/conversations/:prospectId/suggested-reply',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'Suggest the rep\'s next reply',
    description:
      'A reply the rep could send next, written from the conversation\'s thread as its claim alerts carry it: by the model when one is configured (`HANDOFF_MODEL_URL`) and answers in time, else from the reply template (the campaign\'s for a re-enrolment, the shipped one otherwise). It answers the prospect\'s latest reply and picks up what the automation already said. Nothing is sent or recorded.',
    params: ProspectIdParams,
    responses: {
      200: {
        description: 'the suggested reply',
        schema: SuggestedReplyBodySchema,
        example: {
          suggestedReply: {
            text: 'Hi Dana,\n\nThanks for your reply. I\'m picking up our conversation about Handoff for Northwind Traders.\n\nOn "What does it cost for 40 seats?": happy to go through that with you.\n\nWhat would be most useful for you as a next step?\n\nThe team',
            source: 'template',
          },
        },
      },
      ...BEARER_ERRORS,
      404: conversationNotFound,
    },
  },
  escalations: {
    method: 'GET',
    url: '/v1/escalations',
    scopes: ['tool', 'rep'],
    tag: 'conversations',
    summary: 'List open or claimed escalations',
    description: 'Conversations whose stage is escalated (`status=open`) or claimed, newest first, filtered by trigger or company.',
    query: EscalationsQuerySchema,
    responses: {
      200: {
        description: 'the escalations',
        schema: EscalationListSchema,
        example: {
          escalations: [
            { prospectId: 'p-1042', workflowId: 'prospect-p-1042', company: 'Northwind Traders', trigger: 'pricing', tier: 1, assignees: ['ana'], nextActionTime: '2026-03-04T09:42:00.000Z', startedAt: '2026-03-02T08:00:00.000Z' },
          ],
        },
      },
      ...BEARER_ERRORS,
    },
  },
} as const satisfies Record<string, RouteContract>;
