/**
 * The floor's one activity: POST a signed alert to the benchmark's webhook receiver, exactly as the webhook
 * channel signs it, with nothing else around it (no roster, no rendering, no claim link).
 */
import { signWebhookBody } from '../../src/alerts/webhook';

/** Builds the floor activities for a receiver URL and signing secret. */
export function createFloorActivities(options: { receiverUrl: string; secret: string }) {
  return {
    /** Posts `{ workflowId, key, firedAtMs }` to the receiver with the webhook channel's headers. */
    async postFloorAlert(input: { workflowId: string; key: string; firedAtMs?: number }): Promise<void> {
      const body = JSON.stringify({ type: 'floor.alert', workflowId: input.workflowId, tier: 0, rep: { id: 'floor' }, firedAtMs: input.firedAtMs ?? null });
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(`${options.receiverUrl}/hooks/floor`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-handoff-timestamp': String(timestamp),
          'x-handoff-signature': signWebhookBody(body, timestamp, options.secret),
          'idempotency-key': input.key,
        },
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`floor alert got HTTP ${response.status}`);
    },
  };
}

/** The floor activities' type, for the floor workflows. */
export type FloorActivities = ReturnType<typeof createFloorActivities>;
