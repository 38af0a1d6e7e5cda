/**
 * The generic HTTPS webhook channel: POSTs the alert as JSON, signed so the receiver can tell it came from us.
 *
 * ## What a receiver gets
 * `POST <url>` with `Content-Type: application/json` and these headers:
 * - `X-Handoff-Timestamp`: Unix time in seconds when the request was signed.
 * - `X-Handoff-Signature`: `v1=<hex>`, the lower-case hex HMAC-SHA256 with the shared secret
 *   (`HANDOFF_WEBHOOK_SECRET`) over the exact bytes `${timestamp}.${body}`.
 * - `Idempotency-Key`: the alert's key; the same alert retried carries the same key, so store and skip repeats.
 *
 * ## How to verify
 * Recompute the HMAC over the raw body (before any JSON parsing), compare in constant time, and reject
 * timestamps more than five minutes from your clock to stop replays. See {@link verifyWebhookSignature}.
 *
 * ## Responses
 * 2xx: delivered. 408, 429 and 5xx (or no answer within the timeout): retried by Temporal with backoff,
 * honouring `Retry-After`. Any other 4xx: not retried; the workflow falls back to the rep's next channel.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Rep } from '../routing/roster';
import { type AlertChannel, AlertDeliveryError, postForDelivery, type RenderedAlert } from './channel';

/** Settings of the webhook channel. */
export interface WebhookChannelOptions {
  /** Endpoint used when neither the rep nor their team has one (`HANDOFF_WEBHOOK_URL`). */
  defaultUrl?: string;
  /** Shared signing secret (`HANDOFF_WEBHOOK_SECRET`). */
  secret: string;
  timeoutMs: number;
  /** Clock for the timestamp header; tests pin it. */
  now?: () => Date;
}

/** The signature header value for a body signed at `timestamp` (Unix seconds): `v1=<hex>`. */
export function signWebhookBody(body: string, timestamp: number, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a received webhook: the signature over `${timestamp}.${body}` and a timestamp within `toleranceMs`
 * of `now`. For receivers written in TypeScript; the algorithm is documented at the top of this module.
 */
export function verifyWebhookSignature(
  body: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  secret: string,
  now: Date = new Date(),
  toleranceMs = 5 * 60_000,
): boolean {
  if (!headers.timestamp || !headers.signature || !/^\d+$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(now.getTime() - timestamp * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signWebhookBody(body, timestamp, secret));
  const actual = Buffer.from(headers.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The JSON body of a webhook alert. */
export function webhookAlertBody(alert: RenderedAlert, recipient: Rep): Record<string, unknown> {
  return {
    type: 'handoff.alert',
    idempotencyKey: alert.idempotencyKey,
    workflowId: alert.workflowId,
    tier: alert.tier,
    deadline: alert.deadline,
    ...(alert.deadlineInWorkingTime ? { deadlineInWorkingTime: alert.deadlineInWorkingTime } : {}),
    title: alert.title,
    evidenceQuote: alert.evidenceQuote,
    conversationUrl: alert.conversationUrl,
    purpose: alert.purpose,
    claimUrl: alert.claimUrl,
    rep: { id: recipient.id, name: recipient.name, email: recipient.email },
    packet: alert.packet,
    ...(alert.suggestedReply ? { suggestedReply: alert.suggestedReply } : {}),
  };
}

/**
 * The webhook channel. Posts to the rep's own URL, else their team's, else the default.
 * Permanent failures: no URL for the rep, or a 4xx other than 408/429.
 */
export function createWebhookChannel(options: WebhookChannelOptions): AlertChannel {
  const now = options.now ?? (() => new Date());
  return {
    name: 'webhook',
    // The rep's own endpoint reaches them alone; a team's or the default endpoint is shared.
    reachesOnly: (recipient) => recipient.webhookUrl !== undefined,
    async deliver(alert, recipient) {
      const url = recipient.webhookUrl ?? alert.team?.webhookUrl ?? options.defaultUrl;
      if (!url) throw new AlertDeliveryError(`rep ${recipient.id} has no webhook URL`, 'webhook', recipient.id, true);
      const body = JSON.stringify(webhookAlertBody(alert, recipient));
      const timestamp = Math.floor(now().getTime() / 1000);
      await postForDelivery('webhook', recipient.id, url, {
        body,
        headers: {
          'content-type': 'application/json',
          'x-handoff-timestamp': String(timestamp),
          'x-handoff-signature': signWebhookBody(body, timestamp, options.secret),
          'idempotency-key': alert.idempotencyKey,
        },
        timeoutMs: options.timeoutMs,
      });
      return { providerId: alert.idempotencyKey };
    },
  };
}
