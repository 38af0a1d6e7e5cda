/**
 * Conversation events to the outreach tool: once the ledger has an event a tool cares about, a small delivery
 * workflow per event (`eventDeliveryWorkflow`, its id the event's) posts it, and Temporal retries the post until
 * the receiver takes it. The ledger append never waits on the receiver, and an event is delivered at least once.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { postForDelivery, AlertDeliveryError } from '../src/alerts/channel';
import { signWebhookBody } from '../src/alerts/webhook';
import { conversationEventFor, type ConversationEvent } from '../src/events/conversationEvents';
import type { LedgerEvent } from '../src/ledger/events';

/** Where conversation events go, and how they are signed. */
export interface EventActivityDeps {
  url: string;
  secret: string;
  timeoutMs: number;
  now?: () => Date;
}

/** Starts the delivery of ledger events' conversation events. */
export interface EventDispatch {
  /** Starts one delivery workflow per event outreach tools are told of; an event already started is left alone. */
  dispatch(events: readonly LedgerEvent[]): Promise<void>;
}

/** The workflow id of an event's delivery: one per event, so a retried ledger append never posts twice. */
export function eventDeliveryWorkflowId(eventId: string): string {
  return `event-${eventId}`;
}

/** Starts delivery workflows through the Temporal client, on the worker's task queue. */
export function temporalEventDispatch(client: Client, taskQueue: string): EventDispatch {
  return {
    async dispatch(events) {
      const conversationEvents = events.map(conversationEventFor).filter((e): e is ConversationEvent => e !== null);
      await Promise.all(
        conversationEvents.map(async (event) => {
          try {
            await client.workflow.start('eventDeliveryWorkflow', {
              workflowId: eventDeliveryWorkflowId(event.id),
              taskQueue,
              args: [event],
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              staticSummary: `${event.type} for ${event.conversation.workflowId}`,
            });
          } catch (err) {
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          }
        }),
      );
    },
  };
}

/** Builds the delivery activity. */
export function createEventActivities(deps: EventActivityDeps | undefined) {
  return {
    /**
     * Posts one conversation event, signed, with its id as the idempotency key. A 4xx other than 408 and 429 is
     * permanent (the receiver refuses the event as it is); anything else is retried by Temporal.
     */
    async deliverConversationEvent(event: ConversationEvent): Promise<{ status: number }> {
      if (!deps) throw ApplicationFailure.nonRetryable('conversation events are off: HANDOFF_EVENTS_URL is not set on this worker', 'EventsOff');
      const body = JSON.stringify(event);
      const timestamp = Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
      try {
        return await postForDelivery('events', event.conversation.prospectId, deps.url, {
          body,
          headers: {
            'content-type': 'application/json',
            'x-handoff-timestamp': String(timestamp),
            'x-handoff-signature': signWebhookBody(body, timestamp, deps.secret),
            'x-handoff-event-id': event.id,
            'idempotency-key': event.id,
          },
          timeoutMs: deps.timeoutMs,
        });
      } catch (err) {
        if (err instanceof AlertDeliveryError && err.permanent) {
          throw ApplicationFailure.create({ type: 'EventRefused', message: err.message, nonRetryable: true, cause: err });
        }
        throw err;
      }
    },
  };
}
