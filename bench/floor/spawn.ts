/** Starts the floor worker (`bench/floor/worker-process.ts`) beside a rig, on its server and receiver. */
import path from 'node:path';
import type { FaultRig } from '../../test/helpers/faults/rig';
import type { RigServer } from '../../test/helpers/faults/server';
import { WEBHOOK_SECRET } from '../../test/helpers/faults/alertReceiver';
import { WorkerProcess } from '../../test/helpers/faults/workerProcess';

/** The floor workflows' task queue. */
export const FLOOR_QUEUE = 'bench-floor';

/** Spawns the floor worker; it shares the rig's payload keys, so the rig's client can start its workflows. */
export function spawnFloorWorker(rig: FaultRig<RigServer>): Promise<WorkerProcess> {
  return WorkerProcess.spawn(
    { TEMPORAL_ADDRESS: rig.server.address, BENCH_FLOOR_TASK_QUEUE: FLOOR_QUEUE, BENCH_RECEIVER_URL: rig.receiver.url, HANDOFF_WEBHOOK_SECRET: WEBHOOK_SECRET, HANDOFF_PAYLOAD_KEYS: rig.env.HANDOFF_PAYLOAD_KEYS! },
    path.join(rig.dir, 'floor-worker.log'),
    { file: path.join(__dirname, 'worker-process.ts'), readyMarker: 'floor-worker: running' },
  );
}
