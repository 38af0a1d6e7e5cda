/**
 * The Handoff worker: the conversation workflows and their activities on one task queue.
 */
import {
  bundleWorkflowCode,
  type BundleOptions,
  type Logger,
  DefaultLogger,
  Runtime,
  Worker,
  type LogLevel,
  type NativeConnection,
} from '@temporalio/worker';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivities, type ActivityDeps } from '../activities';
import { buildActivityDeps } from './activityDeps';
import type { Config } from './config';
import { dataConverter } from './temporal/connection';
import { cachedWorkflowBundle } from './workflowBundleCache';

let runtimeInstalled = false;

/** Installs the SDK runtime once, logging at the configured level (the SDK's own default is chatty INFO). */
export function installRuntime(config: Config): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (config.logLevel === 'info' ? 'WARN' : config.logLevel.toUpperCase()) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level),
    ...(config.api.sdkMetricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.api.sdkMetricsAddress } } } } : {}),
  });
}

/**
 * How the workflows are bundled, for the worker and for the tests that replay its histories. zod and the
 * contract's schemas are loaded once per worker and shared by every cached conversation
 * (`workflows/sharedModules.ts`): evaluated per workflow, zod was most of a conversation's footprint in the worker
 * (1.6 MB each against 0.6 MB shared, measured with 900 conversations waiting on timers), and the schemas 360 KB of
 * what was left.
 */
export function workflowBundleOptions(logger: Logger): BundleOptions {
  return {
    workflowsPath: require.resolve('../workflows'),
    preloadModules: [require.resolve('../workflows/sharedModules')],
    logger,
  };
}

let bundle: Promise<{ code: string }> | null = null;

/**
 * The workflow bundle, built once per process, or loaded from the bundles kept between processes when the sources
 * have not changed (see `workflowBundleCache.ts`); webpack's report is only shown at debug level.
 */
export function workflowBundle(logger: Logger): Promise<{ code: string }> {
  bundle ??= loadOrBuildBundle(logger);
  return bundle;
}

async function loadOrBuildBundle(logger: Logger): Promise<{ code: string }> {
  const options = workflowBundleOptions(logger);
  const relative = (file: string): string => path.relative(path.resolve(__dirname, '..'), file);
  const { code } = await cachedWorkflowBundle({
    build: () => bundleWorkflowCode(options),
    extraKey: JSON.stringify({ workflowsPath: relative(options.workflowsPath), preloadModules: (options.preloadModules ?? []).map(relative) }),
    log: (message) => logger.warn(message),
  });
  return { code };
}

/** The worker's logger for bundling: webpack's report only at debug level. */
function bundleLogger(config: Config): Logger {
  return new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN');
}

/** The configured worker limits, leaving out the unset ones so the SDK's defaults stand. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Creates (but does not run) a worker on the config's task queue, encrypting payloads like every Handoff client;
 * activities get real deps unless given.
 */
export async function createHandoffWorker(
  config: Config,
  connection: NativeConnection,
  client: Client,
  deps?: ActivityDeps,
): Promise<{ worker: Worker; close(): Promise<void> }> {
  installRuntime(config);
  const built = deps ? { ...deps, close: async () => {} } : await buildActivityDeps(config, client);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter: dataConverter(config),
      workflowBundle: await workflowBundle(bundleLogger(config)),
      activities: createActivities(built),
      ...definedOnly(config.worker),
    });
    return { worker, close: () => built.close() };
  } catch (err) {
    // The deps hold threads and timers (the classifier pool, round-robin reservations) that would keep the process
    // alive after the error.
    await built.close();
    throw err;
  }
}
