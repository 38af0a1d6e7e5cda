/**
 * The alert activity: one call is one delivery attempt of one alert on one channel to one rep. Retries with
 * backoff are the workflow's retry policy; falling back to the rep's next channel is the workflow's ladder.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AlertDeliveryError, type AlertChannels, type AlertPurpose } from '../src/alerts/channel';
import { createClaimToken } from '../src/alerts/claimLink';
import { claimUrl, renderAlert } from '../src/alerts/render';
import { suggestRepReply, type RepSuggestion, type RepSuggestionDeps } from '../src/outreach/repSuggestion';
import { teamOfRep } from '../src/routing/roster';
import type { RosterStore } from '../src/routing/rosterStore';
import type { HandoffPacket } from '../workflows/messages';
import type { WorkingDeadline } from '../workflows/workingTime';

/** One alert to deliver. */
export interface DeliverAlertInput {
  /** Conversation + escalation number + tier + rep + channel; the same on every retry. */
  idempotencyKey: string;
  /** `slack`, `email`, `webhook` or `outbox`, from the routed assignee's `channels`. */
  channel: string;
  repId: string;
  packet: HandoffPacket;
  tier: number;
  /** ISO instant the claim window at this tier closes. */
  deadline: string;
  /** Set when the deadline counts working time only (a rep held off hours). */
  workingTime?: WorkingDeadline;
  workflowId: string;
  /** Absent: `claim` (alerts scheduled before purposes existed were all claims). */
  purpose?: AlertPurpose;
  /** For a claim: the escalation (1-based) and the rung (1-based) whose alert this is; its link is bound to them. */
  escalation?: number;
  rung?: number;
}

/** A delivered alert. */
export interface AlertDeliveryResult {
  channel: string;
  repId: string;
  deliveredAt: string;
  providerId?: string;
  /** The outbox already held this key; nothing new was written. */
  duplicate?: boolean;
}

/** What the alert activity needs from the worker. */
export interface AlertActivityDeps {
  roster: Pick<RosterStore, 'current'>;
  channels: AlertChannels;
  /** Temporal UI base URL, for the conversation link. */
  uiUrl: string;
  namespace: string;
  /** Claim links are `<claimLinkBaseUrl>/<token>`. */
  claimLinkBaseUrl: string;
  claimSecret: string;
  /** A claim link works until its rung's deadline plus this. */
  claimLinkGraceMs: number;
  /** Where the suggested reply in claim, forward and new-owner alerts comes from; without it, alerts carry none. */
  suggestions?: RepSuggestionDeps;
  /** One line per delivery, ids only. Defaults to `console.log`. */
  log?: (line: string) => void;
  now?: () => Date;
}

/** Stable `ApplicationFailure` types the alert activity throws. */
export const AlertErrors = {
  /** Non-retryable: this channel cannot reach this rep (no address, 4xx, unknown rep or channel). */
  AlertUndeliverable: 'AlertUndeliverable',
  /** Retryable: the attempt failed in a way that may pass (5xx, 408, 429, timeout, network). */
  AlertDeliveryFailed: 'AlertDeliveryFailed',
} as const;

/** The purposes whose recipient answers the prospect next: a manager told of an unclaimed escalation does not. */
const SUGGESTS_REPLY: readonly AlertPurpose[] = ['claim', 'forward', 'reassigned'];

/** Builds the alert activities with the worker's channels and roster store. */
export function createAlertActivities(deps: AlertActivityDeps): {
  deliverAlert(input: DeliverAlertInput): Promise<AlertDeliveryResult>;
} {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  /** The suggested reply for a packet, or null: a suggestion that cannot be written never holds the alert back. */
  async function suggestionFor(packet: HandoffPacket, ids: string): Promise<RepSuggestion | null> {
    if (!deps.suggestions) return null;
    try {
      const suggestion = await suggestRepReply(packet, deps.suggestions);
      log(`alert reply suggested ${ids} source=${suggestion.source}`);
      return suggestion;
    } catch (err) {
      log(`alert reply not suggested ${ids} error=${(err as Error).name}`);
      return null;
    }
  }
  return {
    /**
     * Delivers one alert on one channel, with the reply the rep could send (see `suggestRepReply`) when it is a
     * claim, a forwarded reply or a new owner's alert. A claim alert carries a link bound to its escalation and rung that
     * works until the rung's deadline plus the grace: on a channel that reaches only this rep, a link that
     * claims as them; on a shared channel, a team link that asks whoever opens it for their own key.
     * @throws ApplicationFailure `AlertUndeliverable` (non-retryable) or `AlertDeliveryFailed` (retryable,
     *   with `nextRetryDelay` when the receiver sent `Retry-After`).
     */
    async deliverAlert(input: DeliverAlertInput): Promise<AlertDeliveryResult> {
      const ids = `key=${input.idempotencyKey} workflow=${input.workflowId} rep=${input.repId} channel=${input.channel} tier=${input.tier}`;
      const channel = deps.channels[input.channel];
      if (!channel) {
        throw ApplicationFailure.nonRetryable(`alert channel "${input.channel}" is not configured`, AlertErrors.AlertUndeliverable);
      }
      const { roster } = await deps.roster.current();
      const rep = roster.reps.find((r) => r.id === input.repId);
      if (!rep) {
        throw ApplicationFailure.nonRetryable(`rep "${input.repId}" is not in the roster`, AlertErrors.AlertUndeliverable);
      }
      const purpose = input.purpose ?? 'claim';
      let link: string | null = null;
      // An alert scheduled before links were bound to their rung has no rung to bind to: it goes out without one.
      if (purpose === 'claim' && input.escalation !== undefined && input.rung !== undefined) {
        const personal = channel.reachesOnly?.(rep) ?? false;
        const token = createClaimToken(
          {
            workflowId: input.workflowId,
            escalation: input.escalation,
            rung: input.rung,
            tier: input.tier,
            repId: personal ? rep.id : null,
            expiresAt: new Date(Date.parse(input.deadline) + deps.claimLinkGraceMs),
          },
          deps.claimSecret,
        );
        link = claimUrl(deps.claimLinkBaseUrl, token);
      }
      const suggestedReply = SUGGESTS_REPLY.includes(purpose) ? await suggestionFor(input.packet, ids) : null;
      const alert = renderAlert({
        idempotencyKey: input.idempotencyKey,
        workflowId: input.workflowId,
        tier: input.tier,
        deadline: input.deadline,
        ...(input.workingTime ? { workingTime: input.workingTime } : {}),
        packet: input.packet,
        team: teamOfRep(roster, rep.id) ?? null,
        uiUrl: deps.uiUrl,
        namespace: deps.namespace,
        purpose,
        claimUrl: link,
        suggestedReply,
      });
      try {
        const receipt = await channel.deliver(alert, rep);
        log(`alert ${receipt.duplicate ? 'duplicate' : 'delivered'} ${ids}`);
        return {
          channel: input.channel,
          repId: rep.id,
          deliveredAt: now().toISOString(),
          ...(receipt.providerId === undefined ? {} : { providerId: receipt.providerId }),
          ...(receipt.duplicate ? { duplicate: true } : {}),
        };
      } catch (err) {
        if (!(err instanceof AlertDeliveryError)) throw err;
        log(`alert failed ${ids} permanent=${err.permanent} status=${err.details.status ?? '-'}`);
        throw ApplicationFailure.create({
          message: err.message,
          type: err.permanent ? AlertErrors.AlertUndeliverable : AlertErrors.AlertDeliveryFailed,
          nonRetryable: err.permanent,
          details: [{ channel: err.channel, repId: err.repId, status: err.details.status ?? null }],
          ...(err.details.retryAfterMs === undefined ? {} : { nextRetryDelay: err.details.retryAfterMs }),
        });
      }
    },
  };
}
