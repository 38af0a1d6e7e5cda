/**
 * Every activity the conversation workflow runs, built from injected dependencies so the worker passes real
 * clients (SMTP, HTTP, Temporal, files) and tests pass their own. Workflow code imports this module as a type
 * only.
 */
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { alertsSent, replyToAlertSeconds } from '../src/metrics';
import { createCampaignActivities, type CampaignActivityDeps } from './campaign';
import { createBookkeepingActivities, deliveredBatch, type CarriedBookkeeping } from './bookkeeping';
import { createAlertActivities, type AlertActivityDeps, type AlertDeliveryResult, type DeliverAlertInput } from './alerts';
import { createEventActivities, type EventActivityDeps } from './events';
import { createClassifyActivities, type ClassifyDeps } from './classify';
import { createLedgerActivities, type LedgerActivityDeps } from './ledger';
import { createOutreachActivities, type OutreachDeps } from './outreach';
import { createReadAndRoute } from './readAndRoute';
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
  const bookkeeping = createBookkeepingActivities({ recordLedgerEvents: ledger.recordLedgerEvents, logTouch: outreach.logTouch });
  /**
   * Records what a delivered alert carried. A ledger or CRM that fails is not the alert's failure (retrying it
   * would alert again): the conversation records the batch itself.
   */
  async function recordCarried(carried: CarriedBookkeeping, deliveredAt: string): Promise<boolean> {
    try {
      await bookkeeping.recordBookkeeping(deliveredBatch(carried, deliveredAt));
      return true;
    } catch (err) {
      log.warn('bookkeeping not recorded with its alert; the conversation records it', {
        conversationId: carried.alerted.conversationId,
        eventIds: carried.events.map((e) => e.eventId),
        error: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  }
  const classify = createClassifyActivities(deps.classify);
  const routing = createRoutingActivities(deps.routing);
  return {
    ...outreach,
    ...classify,
    ...routing,
    ...createReadAndRoute({ classifyReply: classify.classifyReply, routeWithoutWaiting: routing.routeWithoutWaiting }),
    ...ledger,
    ...bookkeeping,
    ...createSuppressionActivities(deps.suppression),
    ...createEventActivities(deps.events),
    ...createCampaignActivities(deps.campaigns ?? { config: () => { throw ApplicationFailure.nonRetryable('this worker resolves no campaigns: start the conversation with its whole input', 'NoCampaigns'); } }),
    /**
     * Delivers one alert (see `createAlertActivities`) and records it in the Prometheus metrics; with `bookkeeping`,
     * records what it carries once the alert is out (`bookkept` says whether it did).
     */
    async deliverAlert(carrying: DeliverAlertInput & { bookkeeping?: CarriedBookkeeping }): Promise<AlertDeliveryResult & { bookkept?: boolean }> {
      const { bookkeeping: carried, ...input } = carrying;
      const result = await alerts.deliverAlert(input);
      if (!result.duplicate) {
        const trigger = input.packet.reason;
        alertsSent.inc({ trigger, tier: String(input.tier) });
        const reply = input.packet.thread.find((m) => m.messageId === input.packet.triggeringMessageId);
        const from = Date.parse(reply?.at ?? input.packet.escalatedAt);
        replyToAlertSeconds.observe({ trigger }, Math.max(0, (Date.parse(result.deliveredAt) - from) / 1000));
      }
      if (!carried) return result;
      return { ...result, bookkept: await recordCarried(carried, result.deliveredAt) };
    },
  };
}

/** The activities' type, as workflow code sees it. */
export type HandoffActivities = ReturnType<typeof createActivities>;
