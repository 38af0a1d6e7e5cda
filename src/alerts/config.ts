/**
 * Alert settings: which channels are on and where they deliver, claim links, and the buyer courtesy note.
 * The schema is meant to hang under `alerts` in the main config; secrets and endpoints come from the
 * environment only ({@link alertsEnvOverrides}).
 */
import { z } from 'zod';
import { DurationSchema, durationMs } from '../duration';
import type { AlertChannel, AlertChannels } from './channel';
import { createEmailChannel } from './email';
import { createOutboxChannel } from './outbox';
import { createSlackChannel } from './slack';
import { createWebhookChannel } from './webhook';

/** The alert settings. */
export const AlertsConfigSchema = z.strictObject({
  /** How long one delivery attempt may take (HTTP request, SMTP conversation). */
  deliveryTimeout: DurationSchema.default('10s'),
  slack: z
    .strictObject({
      /** Default incoming webhook (`HANDOFF_SLACK_WEBHOOK_URL`); teams may name their own in the roster. */
      webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
      /** Turn Slack on without a default webhook (every team names its own). On when a default is set. */
      enabled: z.boolean().optional(),
    })
    .prefault({}),
  email: z
    .strictObject({
      /** `smtp://user:pass@host:587` (`HANDOFF_SMTP_URL`); e-mail is off when unset. */
      smtpUrl: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
      from: z.string().min(3).default('Handoff <handoff@localhost>'),
    })
    .prefault({}),
  webhook: z
    .strictObject({
      /** Default endpoint (`HANDOFF_WEBHOOK_URL`); reps and teams may name their own in the roster. */
      url: z.url({ protocol: /^https?$/ }).optional(),
      /** Signing secret (`HANDOFF_WEBHOOK_SECRET`); the webhook channel is off without it. */
      secret: z.string().min(16, 'at least 16 characters').optional(),
    })
    .prefault({}),
  claimLinks: z
    .strictObject({
      /** HMAC secret for claim links (`HANDOFF_CLAIM_SECRET`). */
      secret: z.string().min(32, 'at least 32 characters').optional(),
      /**
       * How long a claim link keeps working after its rung's claim deadline (a rep who opens it just as the
       * ladder climbs); the next rung's alert carries new links and the old ones stop claiming at once.
       */
      grace: DurationSchema.default('5 minutes'),
    })
    .prefault({}),
  /** Send the buyer an immediate acknowledgement when they ask for a person. */
  acknowledgeHumanRequest: z.boolean().default(true),
});
/** Validated alert settings. */
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;

type Env = Record<string, string | undefined>;

/**
 * The alert settings the environment sets, shaped like {@link AlertsConfigSchema}, to merge over the file's.
 * Empty variables count as unset.
 */
export function alertsEnvOverrides(env: Env = process.env): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const set = (section: string, key: string, name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return;
    (out[section] ??= {})[key] = value;
  };
  set('slack', 'webhookUrl', 'HANDOFF_SLACK_WEBHOOK_URL');
  set('email', 'smtpUrl', 'HANDOFF_SMTP_URL');
  set('email', 'from', 'HANDOFF_ALERT_FROM');
  set('webhook', 'url', 'HANDOFF_WEBHOOK_URL');
  set('webhook', 'secret', 'HANDOFF_WEBHOOK_SECRET');
  set('claimLinks', 'secret', 'HANDOFF_CLAIM_SECRET');
  return out;
}

export { durationMs };

/**
 * Builds the channels the settings turn on: the outbox always, Slack when a webhook is set (or `enabled`),
 * e-mail when an SMTP URL is set, the webhook when a signing secret is set.
 */
export function createAlertChannels(config: AlertsConfig, options: { dataDir: string }): AlertChannels {
  const timeoutMs = durationMs(config.deliveryTimeout);
  const channels: Record<string, AlertChannel> = {
    outbox: createOutboxChannel({ dataDir: options.dataDir }),
  };
  if (config.slack.webhookUrl || config.slack.enabled) {
    channels.slack = createSlackChannel({ defaultWebhookUrl: config.slack.webhookUrl, timeoutMs });
  }
  if (config.email.smtpUrl) {
    channels.email = createEmailChannel({ smtpUrl: config.email.smtpUrl, from: config.email.from, timeoutMs });
  }
  if (config.webhook.secret) {
    channels.webhook = createWebhookChannel({ defaultUrl: config.webhook.url, secret: config.webhook.secret, timeoutMs });
  }
  return channels;
}

/**
 * The names of the channels {@link createAlertChannels} turns on, without building them (for the API). The two
 * must agree; a unit test compares them.
 */
export function configuredChannelNames(config: AlertsConfig): string[] {
  return [
    'outbox',
    ...(config.slack.webhookUrl || config.slack.enabled ? ['slack'] : []),
    ...(config.email.smtpUrl ? ['email'] : []),
    ...(config.webhook.secret ? ['webhook'] : []),
  ];
}

/** The names of the channels built, for the routing activity's `enabledChannels`. */
export function enabledChannelNames(channels: AlertChannels): string[] {
  return Object.keys(channels);
}
