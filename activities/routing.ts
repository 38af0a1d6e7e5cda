/**
 * The routing activity: reads the current roster, looks up open claims, and asks the pure policy who takes an
 * escalation at a tier. Round-robin turns come from per-key {@link roundRobinWorkflow} entities through
 * update-with-start, so every worker process shares one fair rotation.
 */
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHash } from 'node:crypto';
import {
  decideRoute,
  type PickTurn,
  type RouteDecision,
  type RouteRequest,
  type RoutedAssignee,
  RoutingRequestError,
} from '../src/routing/policy';
import { RosterError } from '../src/routing/roster';
import type { RosterStore } from '../src/routing/rosterStore';
import { nextTurnUpdate, roundRobinWorkflow } from '../workflows/roundRobin';

export type { RouteDecision, RouteRequest, RoutedAssignee };

/** What the routing activity needs from the worker. */
export interface RoutingActivityDeps {
  roster: Pick<RosterStore, 'current'>;
  client: Client;
  /** Task queue the worker running {@link roundRobinWorkflow} polls. */
  taskQueue: string;
  /** Open claims a rep holds now (e.g. from the ledger). Everyone has none when unset. */
  openClaims?: (repId: string) => Promise<number>;
  /** Alert channels the deployment can deliver on (see `enabledChannelNames`); all when unset. */
  enabledChannels?: readonly string[];
}

/** `ApplicationFailure` types the routing activity throws (non-retryable). */
export const RoutingErrors = {
  InvalidRouteRequest: 'InvalidRouteRequest',
  NoRoster: 'NoRoster',
} as const;

/**
 * Takes round-robin turns through update-with-start. The update id derives from the routing call, so a retried
 * activity gets the turn it already took instead of advancing the rotation twice (the rotation remembers its
 * latest answers across continue-as-new).
 *
 * Under a burst the rotation can refuse updates (the server caps in-flight updates per workflow) or answer
 * slowly; an escalation must never wait on fairness, so after `timeoutMs` or any error the turn falls back to
 * a spread derived from the call id, and the fallback is logged.
 */
export function temporalTurnPicker(
  client: Client,
  taskQueue: string,
  callId: string,
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): PickTurn {
  const log = options.log ?? ((line: string) => console.warn(line));
  return async (rotationKey, n) => {
    const digest = createHash('sha256').update(`${callId}\n${rotationKey}`).digest('hex');
    const startRotation = new WithStartWorkflowOperation(roundRobinWorkflow, {
      workflowId: rotationKey,
      taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ turns: 0 }],
    });
    // The operation's own handle promise rejects when the call fails; nothing else awaits it.
    startRotation.workflowHandle().catch(() => undefined);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('timed out')), options.timeoutMs ?? 5000);
    try {
      return await client.withAbortSignal(deadline.signal, () =>
        client.workflow.executeUpdateWithStart(nextTurnUpdate, {
          args: [{ n }],
          updateId: `turn-${digest.slice(0, 32)}`,
          startWorkflowOperation: startRotation,
        }),
      );
    } catch (err) {
      log(`routing: round-robin turn on ${rotationKey} unavailable (${(err as Error).message}); spreading by call id`);
      return Number.parseInt(digest.slice(0, 8), 16) % n;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Builds the routing activities with the worker's roster store and Temporal client. */
export function createRoutingActivities(deps: RoutingActivityDeps): {
  routeEscalation(req: RouteRequest): Promise<RouteDecision>;
} {
  return {
    /**
     * Decides who is alerted at `req.tier` (skipping tiers where nobody is available). Availability is judged at
     * `req.at`, so a retry decides the same way unless the roster or open claims changed in between.
     * @throws ApplicationFailure `NoRoster` (non-retryable) when no valid roster was ever loaded;
     *   `InvalidRouteRequest` (non-retryable) for a tier below 1 or an unparsable `at`.
     */
    async routeEscalation(req: RouteRequest): Promise<RouteDecision> {
      const now = new Date(req.at);
      if (Number.isNaN(now.getTime())) {
        throw ApplicationFailure.nonRetryable(`at is not an ISO instant: ${req.at}`, RoutingErrors.InvalidRouteRequest);
      }
      let snapshot;
      try {
        snapshot = await deps.roster.current();
      } catch (err) {
        if (err instanceof RosterError) {
          throw ApplicationFailure.create({
            message: err.message,
            type: RoutingErrors.NoRoster,
            nonRetryable: true,
            cause: err,
          });
        }
        throw err;
      }
      const openClaims: Record<string, number> = {};
      if (deps.openClaims) {
        const lookup = deps.openClaims;
        const counts = await Promise.all(snapshot.roster.reps.map(async (rep) => [rep.id, await lookup(rep.id)] as const));
        for (const [repId, count] of counts) openClaims[repId] = count;
      }
      const callId = `${req.conversationId}\n${req.at}\n${req.tier}`;
      try {
        return await decideRoute(snapshot, req, {
          now,
          openClaims,
          pickTurn: temporalTurnPicker(deps.client, deps.taskQueue, callId),
          enabledChannels: deps.enabledChannels,
        });
      } catch (err) {
        if (err instanceof RoutingRequestError) {
          throw ApplicationFailure.nonRetryable(err.message, RoutingErrors.InvalidRouteRequest);
        }
        throw err;
      }
    },
  };
}
