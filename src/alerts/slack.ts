/**
 * Slack alerts through an incoming webhook: one Block Kit message mentioning the rep, with the prospect, the
 * trigger, the evidence quote, the tier and deadline, and buttons to claim and to open the conversation. The
 * prospect's text is neutralised (`./slackText`): a reply cannot plant links, mentions or formatting.
 */
import type { Rep } from '../routing/roster';
import { type AlertChannel, AlertDeliveryError, postForDelivery, type RenderedAlert } from './channel';
import { reasonLabel } from './render';
import { clipSlackText, slackMrkdwnText, slackPlainText } from './slackText';

/** Settings of the Slack channel. */
export interface SlackChannelOptions {
  /** Incoming webhook used when the rep's team has none (`HANDOFF_SLACK_WEBHOOK_URL`). */
  defaultWebhookUrl?: string;
  timeoutMs: number;
}

/** Escapes text for Slack mrkdwn and makes it inert: no links, mentions or formatting (see `./slackText`). */
export function escapeSlackText(text: string): string {
  return slackMrkdwnText(text);
}

/** A mrkdwn text object; `verbatim` keeps Slack from auto-linking URLs, channels and mentions in it. */
function mrkdwn(text: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text, verbatim: true };
}

/**
 * The Block Kit payload for an alert (exported for tests and previews). Everything that comes from outside (the
 * prospect's name, company and words, notes) is made inert; the mention, the date and the buttons are ours.
 */
export function slackAlertPayload(alert: RenderedAlert, recipient: Rep): Record<string, unknown> {
  const { packet } = alert;
  const mention = recipient.slackUserId ? `<@${recipient.slackUserId}> ` : '';
  const deadlineUnix = Math.floor(Date.parse(alert.deadline) / 1000);
  const deadline = Number.isFinite(deadlineUnix)
    ? `<!date^${deadlineUnix}^{date_short_pretty} {time}|${alert.deadline}>`
    : escapeSlackText(alert.deadline);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clipSlackText(slackPlainText(alert.title), 150) } },
    {
      type: 'section',
      text: mrkdwn(`${mention}${clipSlackText(escapeSlackText(packet.summary), 2900)}`),
      fields: [
        mrkdwn(`*Prospect*\n${clipSlackText(escapeSlackText(packet.prospect.name), 1900)}`),
        mrkdwn(`*Company*\n${clipSlackText(escapeSlackText(packet.prospect.company), 1900)}`),
        mrkdwn(`*Trigger*\n${reasonLabel(packet.reason)}`),
        mrkdwn(`*Tier*\n${alert.tier}`),
        mrkdwn(`*Claim by*\n${deadline}${alert.deadlineInWorkingTime ? `\n${escapeSlackText(alert.deadlineInWorkingTime)}` : ''}`),
      ],
    },
  ];
  if (alert.evidenceQuote) {
    blocks.push({ type: 'section', text: mrkdwn(`> ${clipSlackText(escapeSlackText(alert.evidenceQuote), 2900)}`) });
  }
  if (alert.suggestedReply) {
    // The text may echo the prospect's words (the template quotes them; the model reads them): made inert too.
    blocks.push({ type: 'section', text: mrkdwn(`*Suggested reply* (${alert.suggestedReply.source})\n${clipSlackText(escapeSlackText(alert.suggestedReply.text), 2800)}`) });
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
  return { text: `${mention}${clipSlackText(escapeSlackText(alert.title), 2900)}`, blocks };
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
