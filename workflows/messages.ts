/**
 * The conversation workflow's public contract: its input, its state, the handoff packet, and the signal,
 * update and query definitions, and the vocabulary (`./vocabulary`) they speak. The API, the CLI, activities and
 * tests import this module; it imports nothing but `@temporalio/workflow` and `./contract` (zod and plain modules),
 * so importing it never pulls in the workflow body.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { contractSchemas, type BookMeetingInput, type ClaimInput, type CloseInput, type ConversationCounts, type ConversationState, type FeedbackInput, type HandBackInput, type HandoffPacket, type ReassignInput, type RepMessageInput, type RepMessageResult, type ReplyInput, type TriggerInput } from './contract';

export * from './contract';

/** The contract's schemas (see `./contract`): the same objects for every conversation a worker runs. */
export const { TimeZoneSchema, ProspectSchema, VoiceSchema, CadenceStepInputSchema, SendWindowSchema, ConversationPolicySchema, ReferrerSchema, CampaignNameSchema, ConversationStartSchema, ConversationInputSchema, ReplyInputSchema, TriggerInputSchema, ActorSchema, ClaimLinkRefSchema, ClaimInputSchema, HandBackInputSchema, CloseInputSchema, ReassignInputSchema, FeedbackInputSchema, BookMeetingInputSchema, RepMessageInputSchema, RecordedHandBackInputSchema, RecordedCloseInputSchema, RecordedReassignInputSchema, RecordedFeedbackInputSchema } = contractSchemas();

/** A prospect reply arrives. Repeated message ids are ignored. */
export const replySignal = defineSignal<[ReplyInput]>('reply');
/** A tool or a person escalates directly. */
export const triggerSignal = defineSignal<[TriggerInput]>('trigger');
/** A rep claims the open escalation; the first claim wins and receives the packet. */
export const claimUpdate = defineUpdate<HandoffPacket, [ClaimInput]>('claim');
/** The owner hands the conversation back to automation. */
export const handBackUpdate = defineUpdate<ConversationState, [HandBackInput]>('handBack');
/** The owner closes the conversation with an outcome; the workflow completes. */
export const closeUpdate = defineUpdate<ConversationState, [CloseInput]>('close');
/** Ownership moves to another rep. */
export const reassignUpdate = defineUpdate<ConversationState, [ReassignInput]>('reassign');
/** A rep says whether an escalation was needed, for tuning the rules. */
export const feedbackUpdate = defineUpdate<ConversationState, [FeedbackInput]>('feedback');
/** The owner (or a manager) records a meeting booked with the buyer; the stage becomes `meeting_booked`. */
export const bookMeetingUpdate = defineUpdate<ConversationState, [BookMeetingInput]>('bookMeeting');
/** A rep's own message to the prospect joins the thread (and the ledger); a repeated message id is a no-op. */
export const repMessageUpdate = defineUpdate<RepMessageResult, [RepMessageInput]>('repMessage');
/** The conversation's current state. */
export const stateQuery = defineQuery<ConversationState>('state');
/** What the conversation has received against its limits (small: the API checks it before a manual escalation). */
export const countsQuery = defineQuery<ConversationCounts>('counts');
