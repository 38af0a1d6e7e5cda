/**
 * A conversation's bookkeeping in one activity: a batch of its ledger events appended, then a batch of its CRM
 * touches logged. One activity instead of one per batch and one per touch keeps the conversation's history short
 * and the task queue free for the activities a rep waits on.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { LedgerEvent } from '../src/ledger/events';
import type { AppendResult } from '../src/ledger/store';
import type { CrmTouch } from '../src/outreach/crm';
import { LedgerErrors } from './ledger';

/** What one bookkeeping activity carries: ledger events (in order) and CRM touches (in order), either may be empty. */
export interface BookkeepingBatch {
  events: LedgerEvent[];
  touches: CrmTouch[];
}

/**
 * Bookkeeping a rung's first claim alert carries (runs with `alert-carries-bookkeeping`): what the conversation
 * held when the alert went out, and the alert's own `alerted` event, recorded once the alert is delivered.
 */
export interface CarriedBookkeeping extends BookkeepingBatch {
  /** The `alerted` event but for when it happened and how long after the reply, which the delivery tells. */
  alerted: Omit<LedgerEvent, 'at' | 'replyToAlertMs'>;
  /** When the reply that triggered the escalation was received (the escalation's moment for a manual one). */
  replyAt: string;
  /** The conversation's moment (workflow time) when the alert went out: the event is never earlier than what it carries. */
  notBefore: string;
}

/** The batch a delivered alert records: what it carried, then its `alerted` event, at `deliveredAt` (or `notBefore`, if later). */
export function deliveredBatch(carried: CarriedBookkeeping, deliveredAt: string): BookkeepingBatch {
  const replyToAlertMs = Math.max(0, Date.parse(deliveredAt) - Date.parse(carried.replyAt));
  const at = new Date(Math.max(Date.parse(deliveredAt), Date.parse(carried.notBefore))).toISOString();
  return { events: [...carried.events, { ...carried.alerted, at, replyToAlertMs }], touches: carried.touches };
}

/** The two activities bookkeeping is made of. */
export interface BookkeepingActivityDeps {
  recordLedgerEvents(events: LedgerEvent[]): Promise<AppendResult>;
  logTouch(touch: CrmTouch): Promise<void>;
}

function isInvalidEvent(err: unknown): boolean {
  return err instanceof ApplicationFailure && err.type === LedgerErrors.InvalidLedgerEvent;
}

/** Builds the bookkeeping activity over the ledger and CRM activities. */
export function createBookkeepingActivities(deps: BookkeepingActivityDeps) {
  return {
    /**
     * Appends the events, then logs the touches. Both are idempotent (event ids, touch keys), so a retry repeats
     * nothing. An invalid event fails the activity for good, but only after the touches are logged: they are not
     * dropped with it.
     */
    async recordBookkeeping(batch: BookkeepingBatch): Promise<AppendResult> {
      let result: AppendResult = { written: 0, duplicates: 0 };
      let invalid: unknown = null;
      if (batch.events.length > 0) {
        try {
          result = await deps.recordLedgerEvents(batch.events);
        } catch (err) {
          if (!isInvalidEvent(err)) throw err;
          invalid = err;
        }
      }
      for (const touch of batch.touches) await deps.logTouch(touch);
      if (invalid) throw invalid;
      return result;
    },
  };
}
