/**
 * What each workflow's own module instances cost in the reusable V8 context, without a server: builds the
 * production workflow bundle, creates the SDK's ReusableVMWorkflowCreator in this process, and creates K workflow
 * instances (initRuntime: the Activator and every module of the bundle that is not shared, evaluated again), kept
 * alive as the worker's cache keeps them. Prints the heap used per instance (after full collections) and the
 * modules each instance evaluates for itself, with their source size.
 *
 *   node --expose-gc --import tsx bench/heap/moduleInstances.ts [K=200] [--list]
 */
import { randomBytes } from 'node:crypto';
import { getHeapStatistics } from 'node:v8';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { parseWorkflowCode } from '@temporalio/worker/lib/worker';
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import { workflowBundleOptions } from '../../src/worker';

const K = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function used(): number {
  for (let i = 0; i < 4; i++) gc!();
  return getHeapStatistics().used_heap_size;
}

function info(i: number) {
  const runId = `run-${i}-${randomBytes(4).toString('hex')}`;
  return {
    workflowType: 'conversationWorkflow', workflowId: `prospect-${i}`, runId, originalRunId: runId, firstExecutionRunId: runId,
    namespace: 'default', taskQueue: 'heap', attempt: 1, historyLength: 3, historySize: 1000, continueAsNewSuggested: false,
    startTime: new Date(), runStartTime: new Date(), searchAttributes: {}, typedSearchAttributes: [], memo: {},
    unsafe: { isReplaying: false, isReplayingHistoryEvents: false, now: Date.now }, priority: {},
  };
}

async function main(): Promise<void> {
  // HEAP_WORKFLOWS_PATH: another workflows module (e.g. a trivial one, for the SDK's own share), same preloads.
  const options = workflowBundleOptions(new DefaultLogger('WARN'));
  if (process.env.HEAP_WORKFLOWS_PATH) options.workflowsPath = process.env.HEAP_WORKFLOWS_PATH;
  const bundle = parseWorkflowCode((await bundleWorkflowCode(options)).code);
  const creator = await ReusableVMWorkflowCreator.create(bundle, 10_000, new Set<string>(), undefined as never);
  const context = (creator as unknown as { context: Record<string, unknown> }).context;
  const base = used();
  const kept: unknown[] = [];
  let modules: string[] = [];
  for (let i = 0; i < K; i++) {
    const wf = await creator.createWorkflow({ info: info(i), randomnessSeed: [i, 1], now: Date.now(), showStackTraceSources: false } as never);
    kept.push(wf);
    if (i === 0) modules = [...((context.__TEMPORAL_ACTIVATOR__ as { moduleCache: Map<string, unknown> }).moduleCache.keys())];
  }
  const after = used();
  console.log(`bundle ${bundle.code.length} chars; ${K} workflow instances: ${((after - base) / K / 1024).toFixed(1)} KB each (heap ${(base / 1e6).toFixed(1)} → ${(after / 1e6).toFixed(1)} MB)`);
  console.log(`modules evaluated per workflow: ${modules.length}`);
  if (process.argv.includes('--list')) {
    const sizes = new Map<string, number>();
    const re = /\/\*\*\*\/ "([^"]+)":?\n/g;
    const starts: [string, number][] = [];
    for (let m; (m = re.exec(bundle.code)); ) starts.push([m[1]!, m.index]);
    starts.forEach(([id, at], j) => sizes.set(id, (starts[j + 1]?.[1] ?? bundle.code.length) - at));
    for (const id of modules.sort((a, b) => (sizes.get(b) ?? 0) - (sizes.get(a) ?? 0))) console.log(`  ${String(sizes.get(id) ?? '?').padStart(7)}  ${id}`);
  }
  kept.length = 0;
}

void main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
