/**
 * Slack alerts through an incoming webhook: one Block Kit message mentioning the rep, with the prospect, the
 * trigger, the evidence quote, the tier and deadline, and buttons to claim and to open the conversation.
 */
import type { Rep } from '../routing/roster';
import { type AlertChannel, AlertDeliveryError, postForDelivery, type RenderedAlert } from './channel';
import { reasonLabel } from './render';

/** Settings of the Slack channel. */
export interface SlackChannelOptions {
  /** Incoming webhook used when the rep's team has none (`HANDOFF_SLACK_WEBHOOK_URL`). */
  defaultWebhookUrl?: string;
  timeoutMs: number;
}

/** Escapes text for Slack mrkdwn, so a buyer's words cannot ping `<!channel>` or forge links. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The Block Kit payload for an alert (exported for tests and previews). */
export function slackAlertPayload(alert: RenderedAlert, recipient: Rep): Record<string, unknown> {
  const { packet } = alert;
  const mention = recipient.slackUserId ? `<@${recipient.slackUserId}> ` : '';
  const deadlineUnix = Math.floor(Date.parse(alert.deadline) / 1000);
  const deadline = Number.isFinite(deadlineUnix)
    ? `<!date^${deadlineUnix}^{date_short_pretty} {time}|${alert.deadline}>`
    : escapeSlackText(alert.deadline);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(alert.title, 150) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`${mention}${escapeSlackText(packet.summary)}`, 3000) },
      fields: [
        { type: 'mrkdwn', text: clip(`*Prospect*\n${escapeSlackText(packet.prospect.name)}`, 2000) },
        { type: 'mrkdwn', text: clip(`*Company*\n${escapeSlackText(packet.prospect.company)}`, 2000) },
        { type: 'mrkdwn', text: `*Trigger*\n${reasonLabel(packet.reason)}` },
        { type: 'mrkdwn', text: `*Tier*\n${alert.tier}` },
        { type: 'mrkdwn', text: `*Claim by*\n${deadline}` },
      ],
    },
  ];
  if (alert.evidenceQuote) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`> ${escapeSlackText(alert.evidenceQuote)}`, 3000) } });
  }
  blocks.push({
    type: 'actions',
    elements: [
      // A team channel is read by the whole team: its link opens a page where a rep claims with their own key.
      ...(alert.claimUrl
        ? [{ type: 'button', text: { type: 'plain_text', text: 'Claim' }, style: 'primary', url: alert.claimUrl, action_id: 'handoff_claim' }]
        : []),
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Open conversation' },
        url: alert.conversationUrl,
        action_id: 'handoff_open',
      },
    ],
  });
  return { text: `${mention}${escapeSlackText(alert.title)}`, blocks };
}

/**
 * The Slack channel. Posts to the rep's team webhook, else the default one.
 * Permanent failures: no Slack user id for the rep, no webhook, or a 4xx other than 408/429.
 */
export function createSlackChannel(options: SlackChannelOptions): AlertChannel {
  return {
    name: 'slack',
    async deliver(alert, recipient) {
      if (!recipient.slackUserId) {
        throw new AlertDeliveryError(`rep ${recipient.id} has no Slack user id`, 'slack', recipient.id, true);
      }
      const url = alert.team?.slackWebhookUrl ?? options.defaultWebhookUrl;
      if (!url) {
        throw new AlertDeliveryError(`no Slack webhook for team ${alert.team?.id ?? '(none)'}`, 'slack', recipient.id, true);
      }
      await postForDelivery('slack', recipient.id, url, {
        body: JSON.stringify(slackAlertPayload(alert, recipient)),
        headers: { 'content-type': 'application/json' },
        timeoutMs: options.timeoutMs,
      });
      return {};
    },
  };
}
