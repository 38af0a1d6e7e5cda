/**
 * Every activity the conversation workflow runs, built from injected dependencies so the worker passes real
 * clients (SMTP, HTTP, Temporal, files) and tests pass their own. Workflow code imports this module as a type
 * only.
 */
import { ApplicationFailure } from '@temporalio/common';
import { alertsSent, replyToAlertSeconds } from '../src/metrics';
import { createCampaignActivities, type CampaignActivityDeps } from './campaign';
import { createBookkeepingActivities } from './bookkeeping';
import { createAlertActivities, type AlertActivityDeps, type AlertDeliveryResult, type DeliverAlertInput } from './alerts';
import { createEventActivities, type EventActivityDeps } from './events';
import { createClassifyActivities, type ClassifyDeps } from './classify';
import { createLedgerActivities, type LedgerActivityDeps } from './ledger';
import { createOutreachActivities, type OutreachDeps } from './outreach';
import { createRoutingActivities, type RoutingActivityDeps } from './routing';
import { createSuppressionActivities, type SuppressionActivityDeps } from './suppression';

/** What the activities need from the outside world. */
export interface ActivityDeps {
  outreach: OutreachDeps;
  classify: ClassifyDeps;
  routing: RoutingActivityDeps;
  alerts: AlertActivityDeps;
  ledger: LedgerActivityDeps;
  suppression: SuppressionActivityDeps;
  /** The config campaigns resolve from; a worker without it refuses short starts. */
  campaigns?: CampaignActivityDeps;
  /** Where conversation events go; off when unset. */
  events?: EventActivityDeps;
}

/** Builds the activities object the worker registers. */
export function createActivities(deps: ActivityDeps) {
  const alerts = createAlertActivities(deps.alerts);
  const outreach = createOutreachActivities(deps.outreach);
  const ledger = createLedgerActivities(deps.ledger);
  return {
    ...outreach,
    ...createClassifyActivities(deps.classify),
    ...createRoutingActivities(deps.routing),
    ...ledger,
    ...createBookkeepingActivities({ recordLedgerEvents: ledger.recordLedgerEvents, logTouch: outreach.logTouch }),
    ...createSuppressionActivities(deps.suppression),
    ...createEventActivities(deps.events),
    ...createCampaignActivities(deps.campaigns ?? { config: () => { throw ApplicationFailure.nonRetryable('this worker resolves no campaigns: start the conversation with its whole input', 'NoCampaigns'); } }),
    /** Delivers one alert (see `createAlertActivities`) and records it in the Prometheus metrics. */
    async deliverAlert(input: DeliverAlertInput): Promise<AlertDeliveryResult> {
      const result = await alerts.deliverAlert(input);
      if (!result.duplicate) {
        const trigger = input.packet.reason;
        alertsSent.inc({ trigger, tier: String(input.tier) });
        const reply = input.packet.thread.find((m) => m.messageId === input.packet.triggeringMessageId);
        const from = Date.parse(reply?.at ?? input.packet.escalatedAt);
        replyToAlertSeconds.observe({ trigger }, Math.max(0, (Date.parse(result.deliveredAt) - from) / 1000));
      }
      return result;
    },
  };
}

/** The activities' type, as workflow code sees it. */
export type HandoffActivities = ReturnType<typeof createActivities>;
