/**
 * The ledger activity: appends the workflow's ledger events. Idempotent on event ids, so Temporal's retries (and a
 * replayed workflow appending the same events again) never double count.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LedgerEvent } from '../src/ledger/events';
import type { EventDispatch } from './events';
import { type AppendResult, type LedgerStore, LedgerError } from '../src/ledger/store';

/** What the ledger activity needs from the worker. */
export interface LedgerActivityDeps {
  ledger: Pick<LedgerStore, 'append'>;
  /** One line per append, ids and counts only (never reply text). Defaults to none. */
  log?: (line: string) => void;
  /** Tells outreach tools of the events they care about, once appended (conversation events; off when unset). */
  events?: EventDispatch;
}

/** Stable `ApplicationFailure` types the ledger activity throws. */
export const LedgerErrors = {
  /** Non-retryable: an event lacks its id, kind, conversation or a valid time; retrying cannot fix it. */
  InvalidLedgerEvent: 'InvalidLedgerEvent',
} as const;

/** Builds the ledger activity. Database errors are thrown as they are, so the retry policy retries them. */
export function createLedgerActivities(deps: LedgerActivityDeps) {
  return {
    /** Appends events in one transaction; returns how many were new and how many were already recorded. */
    async recordLedgerEvents(events: LedgerEvent[]): Promise<AppendResult> {
      try {
        const result = await deps.ledger.append(events);
        const conversations = [...new Set(events.map((e) => e.conversationId))].join(',');
        deps.log?.(`ledger: ${result.written} written, ${result.duplicates} duplicate (conversation ${conversations})`);
        // After the append, so a tool never hears of an event the ledger lacks; a retry dispatches again, deduplicated.
        await deps.events?.dispatch(events);
        return result;
      } catch (err) {
        if (err instanceof LedgerError && err.code === 'invalid_event') {
          throw ApplicationFailure.create({
            type: LedgerErrors.InvalidLedgerEvent,
            message: err.message,
            nonRetryable: true,
            details: [{ eventId: err.eventId ?? null }],
            cause: err,
          });
        }
        throw err;
      }
    },
  };
}
