/**
 * Delivers one conversation event to the outreach tool: one activity, retried by Temporal until the receiver
 * takes it (for up to a week), so the ledger append that produced the event never waits on the receiver.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HandoffActivities } from '../activities';
import type { ConversationEvent } from '../src/events/conversationEvents';

const { deliverConversationEvent } = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Posts `event` until it is taken (or refused for good). */
export async function eventDeliveryWorkflow(event: ConversationEvent): Promise<void> {
  await deliverConversationEvent.executeWithOptions({ summary: `Deliver ${event.type} ${event.id}` }, [event]);
}
