/**
 * The search attributes a conversation keeps current, so ops can filter in the Temporal UI
 * (for example: every escalated pricing conversation still unclaimed).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The conversation's stage: automating, paused, escalated, claimed, closed, opted_out. */
export const HandoffStage = defineSearchAttributeKey('HandoffStage', SearchAttributeType.KEYWORD);
/** The open (or last) escalation's trigger, or `manual`. */
export const HandoffTrigger = defineSearchAttributeKey('HandoffTrigger', SearchAttributeType.KEYWORD);
/** Rep ids alerted at the current tier, or the owner once claimed. */
export const HandoffAssignee = defineSearchAttributeKey('HandoffAssignee', SearchAttributeType.KEYWORD_LIST);
/** The current escalation tier (0 when not escalated). */
export const HandoffTier = defineSearchAttributeKey('HandoffTier', SearchAttributeType.INT);
/** The prospect's company. */
export const HandoffCompany = defineSearchAttributeKey('HandoffCompany', SearchAttributeType.KEYWORD);
/** When the next automated step or claim deadline falls. */
export const HandoffNextActionTime = defineSearchAttributeKey('HandoffNextActionTime', SearchAttributeType.DATETIME);

/** The prospect's id (an opaque id from the outreach tool), set at start: every conversation (enrolment) of a prospect. */
export const HandoffProspect = defineSearchAttributeKey('HandoffProspect', SearchAttributeType.KEYWORD);

/** Every search attribute Handoff registers on a namespace. */
export const HANDOFF_SEARCH_ATTRIBUTES = [
  HandoffStage,
  HandoffTrigger,
  HandoffAssignee,
  HandoffTier,
  HandoffCompany,
  HandoffNextActionTime,
  HandoffProspect,
] as const;
