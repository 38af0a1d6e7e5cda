/**
 * The alert channel contract: one delivery attempt of one rendered alert to one rep. Channels never retry;
 * Temporal's activity retry policy does, so a channel only has to say whether a failure is worth retrying.
 */
import type { HandoffPacket } from '../../workflows/messages';
import type { RepSuggestion } from '../outreach/repSuggestion';
import type { Rep, Team } from '../routing/roster';

/** An alert ready to send: the packet plus the links and wording every channel shares. */
export interface RenderedAlert {
  /** Conversation + escalation number + tier + rep + channel, from the workflow; stable across retries. */
  idempotencyKey: string;
  workflowId: string;
  tier: number;
  /** ISO instant the claim window at this tier closes. */
  deadline: string;
  /** When the deadline counts working time only (a rep held off hours): the span and when it starts counting, in words. */
  deadlineInWorkingTime?: string;
  /** One line: what happened, with whom, at which tier. */
  title: string;
  /** The prospect's words that set it off, when there are some. */
  evidenceQuote: string | null;
  /** The conversation in the Temporal UI. */
  conversationUrl: string;
  /** Why the rep is told: to claim an escalation, a reply reaching its owner, or a conversation now theirs. */
  purpose: AlertPurpose;
  /**
   * Signed link to claim at this rung until its deadline (plus a grace). On a channel that reaches only the
   * recipient it claims as them; on a shared one it opens a page where whoever opens it claims with their own
   * key. Null when there is nothing to claim.
   */
  claimUrl: string | null;
  packet: HandoffPacket;
  /** The reply the rep could send, written from the packet's thread; null when none could be written (or none is due). */
  suggestedReply: RepSuggestion | null;
  /** The rep's team, for team-level Slack and webhook endpoints. */
  team: Pick<Team, 'id' | 'slackWebhookUrl' | 'webhookUrl'> | null;
}

/**
 * Why an alert is sent: an escalation to claim, a reply forwarded to its owner, a reassignment to the recipient, or
 * (to managers) an escalation that ended unclaimed at the re-alert cap.
 */
export type AlertPurpose = 'claim' | 'forward' | 'reassigned' | 'unclaimed';

/** What a channel reports after a successful delivery. */
export interface ChannelReceipt {
  /** The provider's id for the message (SMTP Message-ID, outbox key), when it has one. */
  providerId?: string;
  /** The same idempotency key was delivered before; nothing was sent this time. */
  duplicate?: boolean;
}

/** One way of reaching a rep. */
export interface AlertChannel {
  readonly name: string;
  /**
   * Whether a delivery to `recipient` reaches them alone (their own mailbox or endpoint), so that it may carry a
   * link that claims as them. A channel without it is shared (a team channel, a file): it gets the team link.
   */
  reachesOnly?(recipient: Rep): boolean;
  /**
   * Makes exactly one delivery attempt.
   * @throws AlertDeliveryError saying whether the failure is permanent.
   */
  deliver(alert: RenderedAlert, recipient: Rep): Promise<ChannelReceipt>;
}

/** The channels a worker can deliver on, by name (`slack`, `email`, `webhook`, `outbox`). */
export type AlertChannels = Readonly<Record<string, AlertChannel>>;

/**
 * Thrown by a channel when one delivery attempt failed. `permanent` failures (a 4xx other than 408/429, a rep
 * with no address on the channel, a rejected recipient) are not worth retrying; the others are.
 * Messages name the channel, rep and status only, never alert content.
 */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  constructor(
    message: string,
    readonly channel: string,
    readonly repId: string,
    readonly permanent: boolean,
    readonly details: { status?: number; retryAfterMs?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether an HTTP status means "do not retry": every 4xx except 408 (timeout) and 429 (rate limited). */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Reads a `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`. */
export function retryAfterMs(header: string | null, now: Date = new Date()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * POSTs a body and turns the response into a receipt or an {@link AlertDeliveryError}. Network errors and
 * timeouts are retryable; the response body is read (and discarded) so the socket is freed.
 */
export async function postForDelivery(
  channel: string,
  repId: string,
  url: string,
  init: { body: string; headers: Record<string, string>; timeoutMs: number },
): Promise<{ status: number }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: init.body,
      headers: init.headers,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? `timed out after ${init.timeoutMs} ms` : (err as Error).message;
    throw new AlertDeliveryError(`${channel} alert for ${repId} failed: ${reason}`, channel, repId, false, {}, { cause: err });
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return { status: response.status };
  throw new AlertDeliveryError(
    `${channel} alert for ${repId} failed: HTTP ${response.status}`,
    channel,
    repId,
    isPermanentHttpStatus(response.status),
    { status: response.status, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) },
  );
}
