/**
 * The suppression activity: an opt-out puts the prospect's address on the suppression list, which lives in the
 * ledger database and so outlasts the conversation's workflow.
 */
import { ApplicationFailure } from '@temporalio/common';
import { LedgerError } from '../src/ledger/store';
import type { Suppression, SuppressionList } from '../src/ledger/suppression';

/** What the suppression activity needs from the worker. */
export interface SuppressionActivityDeps {
  suppressions: Pick<SuppressionList, 'add' | 'match'>;
  /** One line per entry, ids only (never the address). Defaults to none. */
  log?: (line: string) => void;
}

/** Stable `ApplicationFailure` types the suppression activity throws. */
export const SuppressionActivityErrors = {
  /** Non-retryable: the address is not one the list can hold; retrying cannot fix it. */
  InvalidAddress: 'InvalidSuppressionAddress',
} as const;

/** Builds the suppression activity. Database errors are thrown as they are, so the retry policy retries them. */
export function createSuppressionActivities(deps: SuppressionActivityDeps) {
  return {
    /** Whether an address (or its domain) is on the suppression list, and why; null when it is not. */
    async suppressionOf(input: { email: string }): Promise<Pick<Suppression, 'kind' | 'source'> | null> {
      const found = await deps.suppressions.match(input.email);
      return found ? { kind: found.kind, source: found.source } : null;
    },
    /** Suppresses an opted-out prospect's address; an address already on the list is left as it was. */
    async suppressOptedOut(input: { prospectId: string; email: string; conversationId: string }): Promise<Pick<Suppression, 'kind' | 'source'> & { created: boolean }> {
      let added: Awaited<ReturnType<SuppressionList['add']>>;
      try {
        added = await deps.suppressions.add({
          email: input.email,
          source: 'opt_out',
          reason: `opted out (${input.conversationId})`,
          prospectId: input.prospectId,
        });
      } catch (err) {
        if (err instanceof LedgerError && err.code === 'invalid_suppression') {
          throw ApplicationFailure.create({ type: SuppressionActivityErrors.InvalidAddress, message: err.message, nonRetryable: true, cause: err });
        }
        throw err;
      }
      const { suppression, created } = added;
      deps.log?.(`suppression: opt-out of prospect ${input.prospectId} ${created ? 'added' : 'already listed'}`);
      return { kind: suppression.kind, source: suppression.source, created };
    },
  };
}
