/**
 * Every activity the conversation workflow runs, built from injected dependencies so the worker passes real
 * clients (SMTP, HTTP, Temporal, files) and tests pass their own. Workflow code imports this module as a type
 * only.
 */
import { createAlertActivities, type AlertActivityDeps } from './alerts';
import { createClassifyActivities, type ClassifyDeps } from './classify';
import { createOutreachActivities, type OutreachDeps } from './outreach';
import { createRoutingActivities, type RoutingActivityDeps } from './routing';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  outreach: OutreachDeps;
  classify: ClassifyDeps;
  routing: RoutingActivityDeps;
  alerts: AlertActivityDeps;
}

/** Builds the activities object the worker registers. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOutreachActivities(deps.outreach),
    ...createClassifyActivities(deps.classify),
    ...createRoutingActivities(deps.routing),
    ...createAlertActivities(deps.alerts),
  };
}

/** The activities' type, as workflow code sees it. */
export type HandoffActivities = ReturnType<typeof createActivities>;
