/**
 * The activities the conversation calls, each under the retry policy its job needs. Named after what they do,
 * so a move reads `await sendMessage(...)`.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { HandoffActivities } from '../../activities';
import { ROUTE_IN_TASK_MS } from '../limits';

/** Outreach: research, drafting, sending (the first step all three in one, a later step drafting and sending in one), CRM touches and the suppression check before a referral. Retried for minutes, then the failure surfaces. */
export const { researchProspect, composeMessage, researchAndCompose, sendFirstStep, composeAndSendStep, composeAcknowledgement, composeReplyAcknowledgement, sendMessage, logTouch, suppressionOf } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Reading a reply: quick, and retried a few times. */
export const { classifyReply } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

// The ledger must not lose events: retries never give up, and nothing waits on them but continue-as-new.
/** Bookkeeping that must happen: ledger appends and the suppression list. */
export const { recordLedgerEvents, suppressOptedOut } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Ledger events and CRM touches, in one batch per activity: never given up either (a CRM that is down holds the
 * conversation's later bookkeeping until it is back, nothing else).
 */
export const { recordBookkeeping } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Routing is what alerts a human: it keeps trying for minutes rather than leave a rung without assignees.
/** Who takes a rung. */
export const { routeEscalation } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1.5, maximumInterval: '5 seconds', maximumAttempts: 40 },
});

/**
 * Reading a reply, run by the worker inside a workflow task (runs with `local-classification`): the history holds
 * one marker for it instead of three events, and a reply is read without a round trip through the task queue. It
 * lands in the task the reply's signal starts unless a completion arrives while it runs, which starts another.
 * Timeouts and retries as `classifyReply`, except that a failed attempt is retried on a timer after the first 2 s:
 * a workflow task stays open while its local activities run, and replies and claims wait for it to close.
 *
 * A workflow task holds its slot in the worker while its local activities run. Routing runs in the task only where
 * it need not wait (`routeWithoutWaiting`): waiting there on the rotation workflow the same worker runs, or on reps'
 * free/busy feeds, would hold the slots that workflow needs. The bookkeeping stays on the task queue: run locally
 * while a hundred claims raced on the two-worker cluster, some claims came back `UnprocessedUpdate` and a CRM touch
 * was logged twice.
 *
 * `readAndRoute` (runs with `routing-with-the-reading`) reads the reply and routes the first rung of the escalation
 * it opens in the same local activity, as `routeWithoutWaiting` does (see `activities/readAndRoute.ts`): the task
 * then schedules the rep's alert without a second local activity between.
 */
export const { classifyReply: classifyReplyLocally, readAndRoute } = proxyLocalActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '2 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});

/**
 * Who takes a rung, decided inside the workflow task that opens it (runs with `routing-in-the-task`): no round trip
 * through the task queue between reading a reply and alerting the rep, and one marker in the history instead of an
 * activity's three events and the workflow task its completion starts. It answers `deferred` rather than wait on the
 * rotation workflow or a rep's free/busy feed (see the comment above `classifyReplyLocally`), and the rung is then
 * routed by `routeEscalation`. One attempt of at most 5 s: a failure is not retried in the task, where replies and
 * claims would wait behind it, but routed by `routeEscalation` with its own retries.
 */
export const { routeWithoutWaiting } = proxyLocalActivities<HandoffActivities>({
  startToCloseTimeout: ROUTE_IN_TASK_MS,
  retry: { maximumAttempts: 1 },
});

/** Alert delivery on one channel; a channel that keeps failing falls back to the rep's next one. */
export const { deliverAlert } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Resolving a short start's campaign: a wrong start fails at once (non-retryable), anything else is retried briefly. */
export const { resolveCampaign } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 10 },
});

/** What `sendMessage` answers. */
export type SendReceipt = Awaited<ReturnType<HandoffActivities['sendMessage']>>;
