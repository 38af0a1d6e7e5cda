/**
 * Stand-ins for starting conversations without a Temporal server: a client whose starts remember what runs (a
 * second start of the same workflow id is refused as Temporal refuses it) and count how many are in flight, and a
 * ledger that only answers the suppression check.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { LedgerStore } from '../../src/ledger/store';

/** A Temporal client whose starts take a moment, remember what runs, and count how many are in flight. */
export function fakeTemporal(running: Set<string> = new Set()) {
  const seen = { inFlight: 0, most: 0, started: [] as string[] };
  const client = {
    workflow: {
      async start(_workflow: unknown, options: { workflowId: string }) {
        seen.inFlight += 1;
        seen.most = Math.max(seen.most, seen.inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.inFlight -= 1;
        if (running.has(options.workflowId)) throw new WorkflowExecutionAlreadyStartedError('already started', options.workflowId, 'conversationWorkflow');
        running.add(options.workflowId);
        seen.started.push(options.workflowId);
        return {};
      },
      getHandle: () => ({}),
    },
  } as unknown as Client;
  return { client, seen };
}

/** A ledger whose suppression list holds `suppressed` addresses (lower case), and nothing else. */
export function ledgerSuppressing(...suppressed: string[]): LedgerStore {
  return {
    suppressions: { match: async (email: string) => (suppressed.includes(email.toLowerCase()) ? { kind: 'email', source: 'opt_out' } : null) },
    close: async () => undefined,
  } as unknown as LedgerStore;
}
