/**
 * Where reply-to-alert time goes, read from a conversation's own history: from the reply signal to the start of
 * the first alert delivery, each activity's time in the task queue (scheduled → started) and running (started →
 * completed), and the workflow's own time before each (workflow tasks, timers, updates it waited on).
 */
import type { WorkflowHandle } from '@temporalio/client';

/** One segment's mean over the sampled conversations, in milliseconds. */
export type Breakdown = Record<string, number>;

interface HistoryEvent {
  eventId?: unknown;
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  eventType?: unknown;
  workflowExecutionSignaledEventAttributes?: { signalName?: string | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
  workflowTaskScheduledEventAttributes?: unknown;
  workflowTaskStartedEventAttributes?: unknown;
  workflowTaskCompletedEventAttributes?: unknown;
}

/** Activities that run beside the path (the ledger queue), not on it. */
const BACKGROUND = new Set(['recordLedgerEvents', 'recordBookkeeping']);

const ms = (e: HistoryEvent): number => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;

/**
 * Splits one conversation's path from its first `reply` signal to its first `deliverAlert` start into
 * segments: `<activity> queued`, `<activity> ran`, and `workflow → <activity>` (the workflow's own time before it
 * scheduled that activity: workflow tasks, and anything else between activities), of which the workflow tasks'
 * time waiting for a worker (`workflow tasks queued`: scheduled → started) and in the worker (`workflow tasks ran`:
 * started → completed) over the whole path. Returns null when the history holds no such path.
 */
export async function replyToAlertSegments(handle: WorkflowHandle): Promise<Breakdown | null> {
  const history = await handle.fetchHistory();
  const events = (history.events ?? []) as HistoryEvent[];
  const signal = events.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'reply');
  if (!signal) return null;
  const start = ms(signal);
  const scheduled = new Map<string, { name: string; at: number }>();
  const segments: Breakdown = {};
  const add = (key: string, value: number) => (segments[key] = (segments[key] ?? 0) + value);
  let cursor = start;
  let taskScheduledAt: number | null = null;
  let taskStartedAt: number | null = null;
  for (const e of events) {
    if (ms(e) < start) continue;
    if (e.workflowTaskScheduledEventAttributes) taskScheduledAt = ms(e);
    if (e.workflowTaskStartedEventAttributes && taskScheduledAt !== null) {
      add('of which: workflow tasks queued', ms(e) - taskScheduledAt);
      taskStartedAt = ms(e);
    }
    if (e.workflowTaskCompletedEventAttributes && taskStartedAt !== null) {
      add('of which: workflow tasks ran', ms(e) - taskStartedAt);
      taskScheduledAt = taskStartedAt = null;
    }
    const sched = e.activityTaskScheduledEventAttributes;
    if (sched) {
      if (BACKGROUND.has(sched.activityType?.name ?? '')) continue;
      add(`workflow → ${sched.activityType?.name ?? '?'}`, ms(e) - cursor);
      cursor = ms(e);
      scheduled.set(String(e.eventId), { name: sched.activityType?.name ?? '?', at: ms(e) });
      continue;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const s = scheduled.get(String(started.scheduledEventId));
      if (!s) continue;
      add(`${s.name} queued`, ms(e) - s.at);
      cursor = ms(e);
      if (s.name === 'deliverAlert') return { ...segments, total: ms(e) - start };
      continue;
    }
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed) {
      const s = scheduled.get(String(completed.scheduledEventId));
      if (!s) continue;
      add(`${s.name} ran`, ms(e) - cursor);
      cursor = ms(e);
    }
  }
  return null;
}

/** The mean of each segment over the conversations that have one. */
export function meanBreakdown(samples: (Breakdown | null)[]): Breakdown {
  const present = samples.filter((s): s is Breakdown => s !== null);
  const keys = [...new Set(present.flatMap((s) => Object.keys(s)))];
  return Object.fromEntries(keys.map((k) => [k, Math.round(present.reduce((sum, s) => sum + (s[k] ?? 0), 0) / present.length)]));
}
