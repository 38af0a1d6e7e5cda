/**
 * The floor worker as its own process (as the Handoff worker is), polling `BENCH_FLOOR_TASK_QUEUE` on
 * `TEMPORAL_ADDRESS` with the floor workflows and their one activity, encrypting payloads as Handoff does
 * (`HANDOFF_PAYLOAD_KEYS`).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { dataConverter } from '../../src/temporal/connection';
import { createFloorActivities } from './activities';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    taskQueue: env('BENCH_FLOOR_TASK_QUEUE'),
    dataConverter: dataConverter(loadConfig()),
    workflowsPath: require.resolve('./workflows'),
    activities: createFloorActivities({ receiverUrl: env('BENCH_RECEIVER_URL'), secret: env('HANDOFF_WEBHOOK_SECRET') }),
  });
  console.log(`floor-worker: running pid=${process.pid}`);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error('floor-worker: failed', err);
  process.exit(1);
});
