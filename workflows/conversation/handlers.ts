/**
 * The conversation's signals, updates and queries, each delegating to the move that owns it. Signals only queue
 * work for the loop; updates validate synchronously, then apply one transition; queries read.
 */
import { setHandler } from '@temporalio/workflow';
import {
  bookMeetingUpdate,
  claimUpdate,
  closeUpdate,
  countsQuery,
  feedbackUpdate,
  handBackUpdate,
  reassignUpdate,
  replySignal,
  repMessageUpdate,
  stateQuery,
  triggerSignal,
} from '../messages';
import type { Conversation } from './conversation';
import { receiveReply, receiveTrigger } from './replies';
import { receiveRepMessage, validateRepMessage } from './repMessages';
import {
  bookConversationMeeting,
  claimConversation,
  closeConversation,
  handBackConversation,
  reassignConversation,
  recordConversationFeedback,
  validateBookMeeting,
  validateClaim,
  validateClose,
  validateFeedback,
  validateHandBack,
  validateReassign,
} from './reps';
import { counts, state } from './visibility';

/** Registers every handler of the conversation `c`. */
export function registerHandlers(c: Conversation): void {
  setHandler(replySignal, (raw) => receiveReply(c, raw));
  setHandler(triggerSignal, (raw) => receiveTrigger(c, raw));
  setHandler(stateQuery, () => state(c));
  setHandler(countsQuery, () => counts(c));
  setHandler(claimUpdate, (input) => claimConversation(c, input), { validator: (raw) => validateClaim(c, raw) });
  setHandler(handBackUpdate, (raw) => handBackConversation(c, raw), { validator: (raw) => validateHandBack(c, raw) });
  setHandler(closeUpdate, (raw) => closeConversation(c, raw), { validator: (raw) => validateClose(c, raw) });
  setHandler(reassignUpdate, (raw) => reassignConversation(c, raw), { validator: (raw) => validateReassign(c, raw) });
  setHandler(bookMeetingUpdate, (raw) => bookConversationMeeting(c, raw), { validator: (raw) => validateBookMeeting(c, raw) });
  setHandler(repMessageUpdate, (raw) => receiveRepMessage(c, raw), { validator: (raw) => validateRepMessage(c, raw) });
  setHandler(feedbackUpdate, (raw) => recordConversationFeedback(c, raw), { validator: (raw) => validateFeedback(c, raw) });
}
