/**
 * The failure a send to a suppressed address ends in, shared by the outreach activity that throws it and the
 * conversation that ends itself on it. Imports nothing but `@temporalio/common`, so it is safe in the sandbox.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

/** Stable `ApplicationFailure` types of suppression. */
export const SuppressionFailures = {
  /** Non-retryable: the address (or its domain) is on the suppression list; nothing was sent. */
  AddressSuppressed: 'AddressSuppressed',
} as const;

/** True when an activity failed because its address is suppressed. */
export function isSuppressedSend(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === SuppressionFailures.AddressSuppressed
  );
}
