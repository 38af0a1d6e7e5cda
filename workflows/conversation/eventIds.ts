/**
 * Ledger event ids, built in one place. An id is the conversation's workflow id and what happened, so a retried
 * append never counts twice: `prospect-42/esc-1/claimed`, `prospect-42/esc-1/rung-2/alerted/dana`,
 * `prospect-42/reply/<message id>/classified`. No Temporal calls here.
 */

/** The id of each kind of ledger event, given the conversation (workflow) id and what identifies the event. */
export const eventIds = {
  replyClassified: (conversationId: string, messageId: string) => `${conversationId}/reply/${messageId}/classified`,
  manualTrigger: (conversationId: string, at: string) => `${conversationId}/manual/${at}`,
  escalated: (conversationId: string, escalation: number) => `${conversationId}/esc-${escalation}/escalated`,
  /** `rung` is 1-based across skipped tiers. */
  reEscalated: (conversationId: string, escalation: number, rung: number) => `${conversationId}/esc-${escalation}/rung-${rung}/re-escalated`,
  alerted: (conversationId: string, escalation: number, rung: number, repId: string) =>
    `${conversationId}/esc-${escalation}/rung-${rung}/alerted/${repId}`,
  alertFailed: (conversationId: string, escalation: number, rung: number, repId: string) =>
    `${conversationId}/esc-${escalation}/rung-${rung}/alert-failed/${repId}`,
  /** A low-priority task for a reply that needs a person (it takes an escalation number, with no ladder). */
  replyTask: (conversationId: string, escalation: number) => `${conversationId}/esc-${escalation}/task`,
  /** A conversation started with a colleague named in reply `messageId`. */
  referred: (conversationId: string, messageId: string, colleagueConversationId: string) => `${conversationId}/reply/${messageId}/referred/${colleagueConversationId}`,
  claimed: (conversationId: string, escalation: number) => `${conversationId}/esc-${escalation}/claimed`,
  unclaimed: (conversationId: string, escalation: number) => `${conversationId}/esc-${escalation}/unclaimed`,
  /** `reassignment` is 1-based within the escalation. */
  reassigned: (conversationId: string, escalation: number, reassignment: number) => `${conversationId}/esc-${escalation}/reassigned-${reassignment}`,
  handedBack: (conversationId: string, escalation: number) => `${conversationId}/esc-${escalation}/handed-back`,
  feedback: (conversationId: string, escalation: number, at: string) => `${conversationId}/esc-${escalation}/feedback/${at}`,
  /** `meeting` is 1-based within the conversation. */
  meetingBooked: (conversationId: string, meeting: number) => `${conversationId}/meeting-${meeting}/booked`,
  /** A rep's own message to the prospect, by its message id. */
  repMessage: (conversationId: string, messageId: string) => `${conversationId}/rep-message/${messageId}`,
  closed: (conversationId: string) => `${conversationId}/closed`,
  optedOut: (conversationId: string) => `${conversationId}/opted-out`,
} as const;
