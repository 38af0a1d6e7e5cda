/**
 * Reading a reply and, when it opens an escalation, routing that escalation's first rung, in one local activity:
 * the workflow task that reads a hot reply schedules its rep's alert without a second local activity in between.
 *
 * Routing here is `routeWithoutWaiting`: it never waits on the rotation workflow or a free/busy feed, and answers
 * `deferred` where it would (the workflow then routes the rung with the routing activity, handing on the turns
 * taken). A routing failure or a routing slower than {@link ROUTE_IN_TASK_MS} is a deferral too, never the
 * reading's failure: a retried reading would route, and take a round-robin turn, again.
 */
import { log } from '@temporalio/activity';
import type { RouteInTask, RouteRequest } from './routing';
import { ROUTE_IN_TASK_MS } from '../workflows/limits';
import type { ConversationPolicy, ReplyClassification } from '../workflows/messages';

/** The routing request for a first rung, less what the verdict decides: the reason, its trigger and its off-hours policy. */
export type FirstRungRequest = Omit<RouteRequest, 'reason' | 'trigger' | 'offHours' | 'tier' | 'alreadyAsked' | 'notify' | 'turnsTaken'> & {
  /** The conversation's off-hours policies by reason; the one for the verdict's trigger goes with the request. */
  offHours?: ConversationPolicy['offHours'];
};

/** What `readAndRoute` is asked: the reply as `classifyReply` takes it, and the first rung's request if it escalates. */
export interface ReadAndRouteInput {
  reply: { text: string; receivedAt: string; autoSubmitted?: true };
  firstRung: FirstRungRequest;
}

/** The verdict, and, when it escalates on a trigger, the request the first rung was routed with and what routing answered. */
export interface ReadAndRouteResult {
  verdict: ReplyClassification;
  routed?: { request: RouteRequest; answer: RouteInTask };
}

/** Whether a verdict opens an escalation that routing can take at once: a trigger, read, and no opt-out to act on first. */
export function routesAtOnce(verdict: ReplyClassification): verdict is ReplyClassification & { trigger: NonNullable<ReplyClassification['trigger']> } {
  return verdict.escalate && verdict.trigger !== null && !verdict.fallback && !verdict.labels.includes('opt_out');
}

/** Builds `readAndRoute` from the classify and routing activities. */
export function createReadAndRoute(deps: {
  classifyReply: (input: ReadAndRouteInput['reply']) => Promise<ReplyClassification>;
  routeWithoutWaiting: (req: RouteRequest) => Promise<RouteInTask>;
  /** How long routing may take before the rung is left to the routing activity; {@link ROUTE_IN_TASK_MS} unless set. */
  routeWithinMs?: number;
}) {
  const routeWithinMs = deps.routeWithinMs ?? ROUTE_IN_TASK_MS;
  return {
    /**
     * Classifies a reply as `classifyReply` does; when the verdict escalates on a trigger (see {@link routesAtOnce}),
     * routes the first rung as `routeWithoutWaiting` does, for that trigger.
     */
    async readAndRoute(input: ReadAndRouteInput): Promise<ReadAndRouteResult> {
      const verdict = await deps.classifyReply(input.reply);
      if (!routesAtOnce(verdict)) return { verdict };
      const { offHours, ...rest } = input.firstRung;
      const policy = offHours?.[verdict.trigger];
      const request: RouteRequest = { ...rest, reason: verdict.trigger, trigger: verdict.trigger, tier: 1, alreadyAsked: [], ...(policy ? { offHours: policy } : {}) };
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<RouteInTask>((resolve) => {
        timer = setTimeout(() => resolve({ deferred: 'routing in the workflow task took too long' }), routeWithinMs);
      });
      const answer = await Promise.race([
        deps.routeWithoutWaiting(request).catch((err: unknown): RouteInTask => {
          log.warn('routing with the reading failed; the routing activity routes the rung', {
            conversationId: request.conversationId,
            error: err instanceof Error ? err.message : String(err),
          });
          return { deferred: 'routing in the workflow task failed' };
        }),
        late,
      ]).finally(() => clearTimeout(timer));
      return { verdict, routed: { request, answer } };
    },
  };
}
