/**
 * The workflow thread's heap per cached conversation, on the dev server with the real worker: starts the bundle's
 * conversations in steps (each sends its first touch at once and then waits on its follow-up timer, as the scale
 * bench's do), and at each step reads the workflow thread's heap after full collections (through
 * `threadProbe.cjs`) and the process's RSS. With `--snapshot-dir DIR`, writes a heap snapshot of the workflow
 * thread at each step (`summarise.ts` compares two).
 *
 *   node --import tsx bench/heap/cachedConversations.ts [--steps 0,200,600] [--snapshot-dir /tmp/heap]
 *
 * The worker caches up to 2,000 conversations, as in production (`HANDOFF_WORKER_MAX_CACHED_WORKFLOWS`).
 */
import workerThreads from 'node:worker_threads';
import path from 'node:path';

// The SDK starts its workflow thread with `new Worker(require.resolve('./workflow-worker-thread'))`: run
// threadProbe.cjs there instead, which loads the same script. Installed before the SDK is loaded.
const RealWorker = workerThreads.Worker;
class ProbedWorker extends RealWorker {
  constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
    if (typeof filename === 'string' && filename.endsWith(`workflow-worker-thread.js`)) {
      super(path.join(__dirname, 'threadProbe.cjs'), { ...options, workerData: { ...(options.workerData as object), __heapProbeTarget: filename } });
    } else super(filename, options);
  }
}
(workerThreads as { Worker: typeof RealWorker }).Worker = ProbedWorker;

async function main(): Promise<void> {
  const { mkdirSync, readFileSync, existsSync } = await import('node:fs');
  const { startConversation } = await import('../../src/conversations');
  const { createConversationRig } = await import('../../test/helpers/conversation');
  const { createDevServerEnv } = await import('../../test/helpers/temporal');
  const { prospect } = await import('../../test/helpers/prospect');

  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const steps = (arg('steps') ?? '0,200,600').split(',').map(Number);
  const snapshotDir = arg('snapshot-dir');
  if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });

  const env = await createDevServerEnv();
  // The bench's cadence, and a send window that is always open, so each first touch goes out at once; the worker
  // caches as many conversations as in production.
  const { config, dataDir, worker, ledger } = await createConversationRig(env, {
    adjustConfig: (loaded) => ({
      ...loaded,
      conversation: { ...loaded.conversation, businessHours: { start: 0, end: 24, days: [1, 2, 3, 4, 5, 6, 7] } },
    }),
    maxCachedWorkflows: 2000,
  });

  const channel = new BroadcastChannel('handoff-heap-probe');
  let nextId = 0;
  const probe = (snapshot?: string) =>
    new Promise<{ stats: { used_heap_size: number; total_heap_size: number; external_memory: number }; snapshot?: string; error?: string }>((resolve) => {
      const id = ++nextId;
      channel.onmessage = (e: MessageEvent) => {
        const data = e.data as { from: string; id: number };
        if (data.from === 'thread' && data.id === id) resolve(data as never);
      };
      channel.postMessage({ from: 'main', id, snapshot });
    });
  const sentCount = () => {
    const file = path.join(dataDir, 'sent.jsonl');
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const gc = (globalThis as { gc?: () => void }).gc;

  const rows: { n: number; heapMb: number; externalMb: number; rssMb: number; mainHeapMb: number }[] = [];
  await worker.runUntil(async () => {
    let started = 0;
    for (const n of steps) {
      const ids = Array.from({ length: n - started }, (_, i) => `heap-${started + i}`);
      for (let i = 0; i < ids.length; i += 16) {
        await Promise.all(ids.slice(i, i + 16).map((id) => startConversation(env.client, config, { prospect: prospect(id, { timeZone: 'UTC' }) })));
      }
      started = n;
      const t0 = Date.now();
      while (sentCount() < n) {
        if (Date.now() - t0 > 600_000) throw new Error(`only ${sentCount()} of ${n} first touches after 10 minutes`);
        await sleep(250);
      }
      await sleep(3000); // the follow-up timers set, the bookkeeping done
      gc?.();
      const { stats, snapshot, error } = await probe(snapshotDir ? path.join(snapshotDir, `thread-${n}.heapsnapshot`) : undefined);
      if (error) throw new Error(`heap snapshot: ${error}`);
      const row = {
        n,
        heapMb: stats.used_heap_size / 1e6,
        externalMb: stats.external_memory / 1e6,
        rssMb: process.memoryUsage.rss() / 1e6,
        mainHeapMb: process.memoryUsage().heapUsed / 1e6,
      };
      rows.push(row);
      console.log(`${n} conversations cached: workflow thread heap ${row.heapMb.toFixed(1)} MB (external ${row.externalMb.toFixed(1)} MB), process RSS ${row.rssMb.toFixed(0)} MB, main thread heap ${row.mainHeapMb.toFixed(1)} MB${snapshot ? `, snapshot ${snapshot}` : ''}`);
    }
  });
  channel.close();
  const first = rows[0]!;
  for (const row of rows.slice(1)) {
    const dn = row.n - first.n;
    console.log(
      `per conversation, ${first.n} → ${row.n}: workflow thread heap ${(((row.heapMb - first.heapMb) * 1e6) / dn / 1024).toFixed(1)} KB, RSS ${(((row.rssMb - first.rssMb) * 1e6) / dn / 1024).toFixed(1)} KB`,
    );
  }
  await ledger.close?.();
  await env.teardown();
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
