/**
 * Floor workflows for the benchmarks: the least a Temporal workflow can do for each measured path, on the same
 * server, so each Handoff figure can be read against what the platform itself costs.
 */
import { condition, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

const { postFloorAlert } = proxyActivities<FloorActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** The floor's "reply": carries the idempotency key the alert is posted with. */
export const floorGoSignal = defineSignal<[{ key: string }]>('go');

/** Waits for one signal, posts one alert, completes (the floor of reply-to-alert latency). */
export async function floorAlertWorkflow(): Promise<void> {
  let key: string | undefined;
  setHandler(floorGoSignal, (input) => {
    key ??= input.key;
  });
  await condition(() => key !== undefined);
  await postFloorAlert({ workflowId: workflowInfo().workflowId, key: key! });
}

/** Does nothing (the floor of conversations started per second). */
export async function floorEmptyWorkflow(): Promise<void> {}

/** Sleeps until `dueAtMs`, then posts one alert stamped with when the timer fired (the floor of deadline precision). */
export async function floorTimerWorkflow(dueAtMs: number, key: string): Promise<void> {
  await sleep(Math.max(1, dueAtMs - Date.now()));
  await postFloorAlert({ workflowId: workflowInfo().workflowId, key, firedAtMs: Date.now() });
}
