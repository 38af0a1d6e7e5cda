/**
 * Every activity the conversation workflow runs, built from injected dependencies so the worker passes real
 * clients (SMTP, HTTP, database, Temporal) and tests pass their own. Workflow code imports this module as a
 * type only.
 */
import type { Config } from '../src/config';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  config: Config;
}

/** Builds the activities object the worker registers. */
export function createActivities(deps: ActivityDeps) {
  return {
    /** Reports which config the worker runs with; the smallest activity, used by health checks. */
    async workerInfo(): Promise<{ taskQueue: string; namespace: string }> {
      return { taskQueue: deps.config.temporal.taskQueue, namespace: deps.config.temporal.namespace };
    },
  };
}

/** The activities' type, as workflow code sees it. */
export type HandoffActivities = ReturnType<typeof createActivities>;
