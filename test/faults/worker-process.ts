/**
 * The Handoff worker as its own process, for tests and benchmarks that kill it: loads the config from the
 * environment (`HANDOFF_CONFIG`, `HANDOFF_DATA_DIR`, `TEMPORAL_ADDRESS`, ...), connects, builds the production
 * worker (`createHandoffWorker`, which builds the real activity dependencies with `buildActivityDeps`) and runs
 * it until SIGTERM (or a SIGKILL from the test).
 *
 * Benchmarks may tune it with `HANDOFF_BENCH_WORKER_OPTIONS`, a JSON object of `WorkerOptions` overrides
 * (cache size, concurrency) applied on top of `createHandoffWorker`'s options.
 */
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { connectClient, connectWorker } from '../../src/temporal/connection';
import { createHandoffWorker, installRuntime } from '../../src/worker';

async function main(): Promise<void> {
  const config = loadConfig();
  installRuntime(config);
  const client = await connectClient(config);
  const connection = await connectWorker(config);
  const overrides = process.env.HANDOFF_BENCH_WORKER_OPTIONS;
  if (overrides) {
    // Only for benchmarks: wrap Worker.create so the production factory's options get the tuning on top.
    const tuning = JSON.parse(overrides) as Partial<WorkerOptions>;
    const create = Worker.create.bind(Worker);
    Worker.create = (options: WorkerOptions) => create({ ...options, ...tuning });
  }
  // The production factory builds the real activity dependencies (buildActivityDeps) when none are given.
  const { worker, close } = await createHandoffWorker(config, connection, client);
  console.log(`handoff-fault-worker: running pid=${process.pid} taskQueue=${config.temporal.taskQueue}`);
  await worker.run();
  await close();
  await client.connection.close();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error('handoff-fault-worker: failed', err);
  process.exit(1);
});
