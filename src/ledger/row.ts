/**
 * Checking a ledger event before it is stored, and the indexed columns derived from it. Shared by both stores.
 */
import { z } from 'zod';
import type { LedgerEvent, LedgerEventKind } from './events';
import { LedgerError } from './store';

/** Every ledger event kind. */
export const LEDGER_EVENT_KINDS = [
  'reply_classified',
  'escalated',
  'alerted',
  'alert_failed',
  're_escalated',
  'unclaimed',
  'claimed',
  'reassigned',
  'handed_back',
  'meeting_booked',
  'closed',
  'feedback',
  'manual_trigger',
  'opted_out',
  'reply_task',
  'referred',
  'rep_message',
] as const satisfies readonly LedgerEventKind[];

// Only what the store indexes on is checked; the rest of the event is kept as given.
const StorableEventSchema = z.looseObject({
  eventId: z.string().min(1).max(512),
  kind: z.enum(LEDGER_EVENT_KINDS),
  conversationId: z.string().min(1).max(256),
  prospectId: z.string().max(256),
  company: z.string(),
  at: z.iso.datetime({ offset: true }),
  escalation: z.number().int().min(1).optional(),
});

/** The columns stored beside an event's JSON. */
export interface LedgerRow {
  eventId: string;
  kind: LedgerEventKind;
  conversationId: string;
  prospectId: string;
  /** `at` normalised to UTC with milliseconds, so that strings sort as instants do. */
  at: string;
  escalation: number | null;
  reason: string | null;
  trigger: string | null;
  rulesVersion: string | null;
  json: string;
}

/**
 * Checks an event and derives its columns.
 * @throws LedgerError (`invalid_event`) naming the event id (when it has one) and the field; never the content.
 */
export function toRow(event: LedgerEvent): LedgerRow {
  const parsed = StorableEventSchema.safeParse(event);
  if (!parsed.success) {
    const id = typeof event?.eventId === 'string' && event.eventId !== '' ? event.eventId : undefined;
    const fields = parsed.error.issues.map((i) => i.path.map(String).join('.') || '(event)').join(', ');
    throw new LedgerError(`ledger event ${id ?? '(no id)'} is invalid: ${fields}`, 'invalid_event', id);
  }
  return {
    eventId: event.eventId,
    kind: event.kind,
    conversationId: event.conversationId,
    prospectId: event.prospectId,
    at: new Date(event.at).toISOString(),
    escalation: event.escalation ?? null,
    reason: event.reason ?? null,
    trigger: event.trigger ?? null,
    rulesVersion: event.rulesVersion ?? null,
    json: JSON.stringify(event),
  };
}

/** Normalises a `since` bound the way `at` is stored. @throws LedgerError when it is not an instant. */
export function normaliseInstant(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new LedgerError(`not an instant: ${value}`, 'invalid_event');
  return new Date(ms).toISOString();
}
