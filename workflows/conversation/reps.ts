/**
 * What reps do to a conversation through updates: claim it, hand it back, close it, reassign it, say whether an
 * escalation was needed. Each has a synchronous validator (who may, and is the input sound) and a handler that
 * applies one transition of `./escalation`.
 */
import {
  BookMeetingInputSchema,
  ClaimInputSchema,
  CloseInputSchema,
  FeedbackInputSchema,
  HandBackInputSchema,
  isOwnedStage,
  ReassignInputSchema,
  // Updates accepted before they carried an actor (or the new owner's channels) replay without them. Validators
  // never run on replay, so they require both; the handlers read the recorded input with these (built once per
  // worker with the rest of the contract's schemas, see `../contract`).
  RecordedCloseInputSchema as RecordedCloseInput,
  RecordedFeedbackInputSchema as RecordedFeedbackInput,
  RecordedHandBackInputSchema as RecordedHandBackInput,
  RecordedReassignInputSchema as RecordedReassignInput,
  type ClaimInput,
  type ConversationState,
  type HandoffPacket,
} from '../messages';
import { actorMismatch, claimLinkRefusal, feedbackRefusal, meetingRefusal, ownerActionRefusal, reassignRefusal, type Refusal } from '../permissions';
import { failure, type Conversation } from './conversation';
import { bookMeeting, claim, claimRefusal, claimTarget, close, handBack, reassign, reassignTarget, recordFeedback, recordReassignment } from './escalation';
import { isOver } from './memory';
import { state } from './visibility';

/** Rejects an update for the rule that refused it, if one did. */
function reject(refusal: Refusal | null): void {
  if (refusal) throw failure(refusal.type, refusal.message, refusal.details);
}

/** Parses an update's input, or rejects it naming the first field that is wrong. */
function parseOrReject<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'input';
    throw failure('InvalidInput', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return result.data;
}

// ---- claim -------------------------------------------------------------------------------------------

/** A claim is from the acting rep, through a current link if any, for an escalation they may take now. */
export function validateClaim(c: Conversation, raw: unknown): void {
  const { repId, actor, link } = parseOrReject(ClaimInputSchema, raw);
  reject(actorMismatch(actor, repId, 'repId'));
  if (link) reject(claimLinkRefusal(c.m.escalations, link));
  const record = claimTarget(c.m);
  const refusal = claimRefusal(record, repId);
  if (refusal) throw failure(refusal.type, refusal.message, refusal.type === 'AlreadyClaimed' && record?.claimedBy ? { holder: record.claimedBy } : undefined);
}

/** The first claim wins: the rep owns the conversation and receives the packet. */
export function claimConversation(c: Conversation, { repId, actor }: ClaimInput): HandoffPacket {
  const record = claimTarget(c.m);
  const refusal = claimRefusal(record, repId);
  if (refusal || !record) throw failure(refusal?.type ?? 'NotEscalated', refusal?.message ?? 'no escalation');
  c.apply(claim(c.m, record, repId, actor, c.moment()));
  return c.packetFor(record);
}

// ---- hand back ---------------------------------------------------------------------------------------

/** Only the owner (or a manager) hands back a claimed conversation, to a step the cadence has. */
export function validateHandBack(c: Conversation, raw: unknown): void {
  const input = parseOrReject(HandBackInputSchema, raw);
  reject(actorMismatch(input.actor, input.repId, 'repId'));
  if (!isOwnedStage(c.m.stage)) throw failure('NotClaimed', `only a claimed conversation can be handed back (stage: ${c.m.stage})`);
  reject(ownerActionRefusal('hand back', c.m.owner, input.actor));
  if (input.fromStep !== undefined && input.fromStep > c.cadence.length) {
    throw failure('InvalidInput', `fromStep: the cadence has ${c.cadence.length} steps`, { field: 'fromStep' });
  }
}

/** Automation resumes. */
export function handBackConversation(c: Conversation, raw: unknown): ConversationState {
  c.apply(handBack(c.m, RecordedHandBackInput.parse(raw), c.cadence.length, c.moment()));
  return state(c);
}

// ---- close -------------------------------------------------------------------------------------------

/** Only the owner (or a manager) closes a conversation that is not over. */
export function validateClose(c: Conversation, raw: unknown): void {
  const input = parseOrReject(CloseInputSchema, raw);
  reject(actorMismatch(input.actor, input.repId, 'repId'));
  if (isOver(c.m)) throw failure('ConversationOver', `the conversation is already ${c.m.stage}`);
  reject(ownerActionRefusal('close', c.m.owner, input.actor));
}

/** The conversation ends with an outcome. */
export function closeConversation(c: Conversation, raw: unknown): ConversationState {
  c.apply(close(c.m, RecordedCloseInput.parse(raw), c.moment()));
  return state(c);
}

// ---- reassign ----------------------------------------------------------------------------------------

/** A reassignment is by the acting rep, and allowed by who owns the conversation and who asks. */
export function validateReassign(c: Conversation, raw: unknown): void {
  const input = parseOrReject(ReassignInputSchema, raw);
  reject(actorMismatch(input.actor, input.by, 'by'));
  reject(reassignRefusal(c.m.stage, reassignTarget(c.m), c.m.owner, input.actor, input.repId));
}

/** Ownership moves; the new owner, the ledger and the CRM are told. */
export function reassignConversation(c: Conversation, raw: unknown): ConversationState {
  const input = RecordedReassignInput.parse(raw);
  const moved = reassign(c.m, input.repId, c.moment());
  c.apply(moved.effects);
  // Reassigning used to move ownership silently; it now tells the new owner, the ledger and the CRM.
  if (c.patches.has('reassign-tells-new-owner') && moved.record && input.actor && input.newOwner) {
    const told = { ...input, actor: input.actor, newOwner: input.newOwner };
    const { entry, number, effects } = recordReassignment(moved.record, moved.from, input.repId, input.actor, c.moment());
    c.apply(effects);
    c.alerts.tellNewOwner(moved.record, entry, number, told);
  }
  return state(c);
}

// ---- meetings ---------------------------------------------------------------------------------------

/** A meeting is booked by the acting rep, on a conversation they own (or any, for a manager). */
export function validateBookMeeting(c: Conversation, raw: unknown): void {
  const input = parseOrReject(BookMeetingInputSchema, raw);
  reject(actorMismatch(input.actor, input.repId, 'repId'));
  reject(meetingRefusal(c.m.stage, c.m.owner, input.actor));
}

/** The meeting is kept in the state; the ledger and the CRM hear of it; the stage becomes `meeting_booked`. */
export function bookConversationMeeting(c: Conversation, raw: unknown): ConversationState {
  const input = BookMeetingInputSchema.parse(raw);
  c.apply(bookMeeting(c.m, { ...input, repId: c.m.owner ?? input.actor.repId }, c.moment()).effects);
  return state(c);
}

// ---- feedback ----------------------------------------------------------------------------------------

/** Feedback names an escalation that exists, from a rep involved in it (or a manager). */
export function validateFeedback(c: Conversation, raw: unknown): void {
  const input = parseOrReject(FeedbackInputSchema, raw);
  reject(actorMismatch(input.actor, input.repId, 'repId'));
  const count = c.m.escalations.length;
  const n = input.escalation ?? count;
  if (n < 1 || n > count) {
    throw failure('NotEscalated', count ? `escalation ${n} does not exist (there are ${count})` : 'the conversation has never escalated');
  }
  reject(feedbackRefusal(c.m.escalations[n - 1]!, input.actor));
}

/** The verdict is kept on the escalation and in the ledger, for tuning the rules. */
export function recordConversationFeedback(c: Conversation, raw: unknown): ConversationState {
  c.apply(recordFeedback(c.m, RecordedFeedbackInput.parse(raw), c.moment()));
  return state(c);
}
