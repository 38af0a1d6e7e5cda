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
