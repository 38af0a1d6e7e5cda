/**
 * Conversation events for outreach tools: what the tool needs to pause its own sequence the moment a rep takes
 * over, taken from the ledger events the conversation records. Each has a stable id (the ledger event's), so a
 * receiver deduplicates redeliveries by it. Posted as JSON to `HANDOFF_EVENTS_URL`, signed like the alert webhook:
 * `X-Handoff-Timestamp` and `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
 */
import { z } from 'zod';
import { ESCALATION_REASONS, TRIGGERS } from '../../workflows/vocabulary';
import { CLOSE_OUTCOMES } from '../../workflows/messages';
import type { LedgerEvent, LedgerEventKind } from '../ledger/events';

/** The event types, and the ledger event kind each comes from. */
export const CONVERSATION_EVENT_TYPES = {
  'conversation.escalated': 'escalated',
  'conversation.claimed': 'claimed',
  'conversation.handed_back': 'handed_back',
  'conversation.meeting_booked': 'meeting_booked',
  'conversation.closed': 'closed',
  'conversation.opted_out': 'opted_out',
} as const satisfies Record<string, LedgerEventKind>;

/** An event type, such as `conversation.claimed`. */
export type ConversationEventType = keyof typeof CONVERSATION_EVENT_TYPES;

/** The body of one conversation event, as the receiver gets it. */
export const ConversationEventSchema = z.strictObject({
  /** Unique and stable: redeliveries carry the same id. */
  id: z.string().min(1),
  type: z.enum(Object.keys(CONVERSATION_EVENT_TYPES) as [ConversationEventType, ...ConversationEventType[]]),
  /** When it happened (ISO 8601). */
  occurredAt: z.iso.datetime({ offset: true }),
  conversation: z.strictObject({
    /** The Temporal workflow id, `prospect-<prospectId>`. */
    workflowId: z.string(),
    prospectId: z.string(),
    company: z.string(),
  }),
  /** The escalation (1-based) it concerns. */
  escalation: z.number().int().min(1).optional(),
  reason: z.enum(ESCALATION_REASONS).optional(),
  trigger: z.enum(TRIGGERS).nullable().optional(),
  /** The rep who escalated to, claimed, handed back or closed, when known. */
  repId: z.string().optional(),
  /** closed: how it ended. */
  outcome: z.enum([...CLOSE_OUTCOMES, 'opted_out']).optional(),
  /** meeting_booked: when the meeting starts and how long it runs. */
  meeting: z.strictObject({ number: z.number().int().min(1), startsAt: z.iso.datetime({ offset: true }), durationMinutes: z.number().int().positive() }).optional(),
});
/** One conversation event. */
export type ConversationEvent = z.infer<typeof ConversationEventSchema>;

const TYPE_OF_KIND = new Map<LedgerEventKind, ConversationEventType>(
  Object.entries(CONVERSATION_EVENT_TYPES).map(([type, kind]) => [kind, type as ConversationEventType]),
);

/** The conversation event a ledger event stands for, or null when outreach tools are not told of its kind. */
export function conversationEventFor(event: LedgerEvent): ConversationEvent | null {
  const type = TYPE_OF_KIND.get(event.kind);
  if (!type) return null;
  return {
    id: event.eventId,
    type,
    occurredAt: event.at,
    conversation: { workflowId: event.conversationId, prospectId: event.prospectId, company: event.company },
    ...(event.escalation !== undefined ? { escalation: event.escalation } : {}),
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
    ...(event.trigger !== undefined ? { trigger: event.trigger } : {}),
    ...(event.repId !== undefined ? { repId: event.repId } : {}),
    ...(event.outcome !== undefined ? { outcome: event.outcome } : {}),
    ...(event.meeting !== undefined && event.startsAt && event.durationMinutes
      ? { meeting: { number: event.meeting, startsAt: event.startsAt, durationMinutes: event.durationMinutes } }
      : {}),
  };
}
