/**
 * Each cadence channel its own sender: email goes by the email sender (SMTP, or the `sent.jsonl` journal), and
 * `linkedin` and `sms` steps go to the sender configured for them, a journal file or a webhook
 * (`outreach.channels` in the config, `HANDOFF_<CHANNEL>_WEBHOOK_URL` / `HANDOFF_<CHANNEL>_JOURNAL`). A channel
 * without a sender is never sent as email: a start whose cadence uses it is refused at once
 * ({@link assertChannelsConfigured}).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { IdempotentJournal } from './journal';
import type { OutreachMessage, OutreachSender, SendReceipt } from './sender';

/** The channels a cadence step may use besides email. */
export const OTHER_CHANNELS = ['linkedin', 'sms'] as const;
/** One of them. */
export type OtherChannel = (typeof OTHER_CHANNELS)[number];

/** Where one channel's messages go: a JSON Lines journal file, or a webhook that receives each as JSON. */
export const ChannelSenderConfigSchema = z.union([
  z.strictObject({ journal: z.string().min(1).describe('a JSON Lines file each message is appended to, once per idempotency key') }),
  z.strictObject({
    webhook: z.url({ protocol: /^https?$/ }).describe('receives each message as a JSON POST, with an Idempotency-Key header'),
    /** Sent as `Authorization: Bearer <secret>` when set (from the environment). */
    secret: z.string().min(16, 'at least 16 characters').optional(),
  }),
]);
/** One channel's sender, as configured. */
export type ChannelSenderConfig = z.infer<typeof ChannelSenderConfigSchema>;

/** The configured senders of the channels other than email. */
export const ChannelSendersConfigSchema = z.partialRecord(z.enum(OTHER_CHANNELS), ChannelSenderConfigSchema);
/** The configured senders. */
export type ChannelSendersConfig = z.infer<typeof ChannelSendersConfigSchema>;

/** A start's cadence has a step on a channel no sender is configured for. */
export class ChannelNotConfiguredError extends Error {
  override readonly name = 'ChannelNotConfiguredError';
  /** The request field that is wrong. */
  readonly field = 'cadence';
  constructor(
    readonly channel: string,
    readonly step: string,
  ) {
    super(
      `cadence: step "${step}" is on channel ${channel}, which has no sender configured (set outreach.channels.${channel} in the config, or HANDOFF_${channel.toUpperCase()}_WEBHOOK_URL or HANDOFF_${channel.toUpperCase()}_JOURNAL)`,
    );
  }
}

/** The channels a cadence can be sent on under this configuration: email, and those with a sender. */
export function sendableChannels(channels: ChannelSendersConfig): string[] {
  return ['email', ...OTHER_CHANNELS.filter((c) => channels[c] !== undefined)];
}

/**
 * Checks that every step's channel has a sender.
 * @throws ChannelNotConfiguredError naming the first step on a channel without one.
 */
export function assertChannelsConfigured(cadence: readonly { name: string; channel: string }[], channels: ChannelSendersConfig): void {
  const sendable = sendableChannels(channels);
  const step = cadence.find((s) => !sendable.includes(s.channel));
  if (step) throw new ChannelNotConfiguredError(step.channel, step.name);
}

/** The provider id of a message on a channel other than email: stable per idempotency key. */
function channelMessageId(channel: string, idempotencyKey: string): string {
  return `${channel}:${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}

/** One line of a channel's journal. */
export interface ChannelJournalEntry extends OutreachMessage {
  messageId: string;
  sentAt: string;
}

/** A channel's messages appended to a JSON Lines file, once per idempotency key. */
export class JournalChannelSender implements OutreachSender {
  private readonly journal: IdempotentJournal<ChannelJournalEntry>;
  constructor(
    readonly channel: string,
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new IdempotentJournal(file);
  }

  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string {
    return channelMessageId(this.channel, message.idempotencyKey);
  }

  async send(message: OutreachMessage): Promise<SendReceipt> {
    const messageId = this.messageIdFor(message);
    const wrote = await this.journal.append({ ...message, messageId, sentAt: this.now().toISOString() });
    return { providerId: messageId, duplicate: !wrote };
  }
}

/** A channel's messages POSTed as JSON to its webhook; the receiver deduplicates by the `Idempotency-Key` header. */
export class WebhookChannelSender implements OutreachSender {
  constructor(
    readonly channel: string,
    private readonly url: string,
    private readonly secret?: string,
  ) {}

  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string {
    return channelMessageId(this.channel, message.idempotencyKey);
  }

  async send(message: OutreachMessage): Promise<SendReceipt> {
    const messageId = this.messageIdFor(message);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': message.idempotencyKey,
        ...(this.secret ? { authorization: `Bearer ${this.secret}` } : {}),
      },
      body: JSON.stringify({
        messageId,
        idempotencyKey: message.idempotencyKey,
        conversationId: message.conversationId,
        channel: message.channel,
        to: message.to,
        from: message.from,
        subject: message.subject,
        body: message.body,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`the ${this.channel} webhook answered ${response.status}`);
    return { providerId: messageId, duplicate: false };
  }
}

/** The sender a channel's configuration names. */
export function channelSender(channel: OtherChannel, config: ChannelSenderConfig): OutreachSender {
  return 'journal' in config ? new JournalChannelSender(channel, config.journal) : new WebhookChannelSender(channel, config.webhook, config.secret);
}

/**
 * Sends each message by its channel's sender: email by `email`, the others by theirs. A message on a channel with no
 * sender (a conversation started before its sender left the config) is refused with an error naming the channel,
 * and the send is retried until one is configured: it is never sent as email.
 */
export class ChannelSenders implements OutreachSender {
  constructor(
    private readonly email: OutreachSender,
    private readonly others: Partial<Record<OtherChannel, OutreachSender>>,
  ) {}

  /** The senders a configuration names, beside the email sender. */
  static fromConfig(email: OutreachSender, channels: ChannelSendersConfig): ChannelSenders {
    const others: Partial<Record<OtherChannel, OutreachSender>> = {};
    for (const channel of OTHER_CHANNELS) {
      const config = channels[channel];
      if (config) others[channel] = channelSender(channel, config);
    }
    return new ChannelSenders(email, others);
  }

  /** The email Message-ID (only email threads). */
  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string {
    return this.email.messageIdFor(message);
  }

  async send(message: OutreachMessage): Promise<SendReceipt> {
    if (message.channel === 'email') return this.email.send(message);
    const sender = this.others[message.channel as OtherChannel];
    if (!sender) throw new Error(`no sender is configured for channel ${message.channel}: the message ${message.idempotencyKey} waits for one (outreach.channels.${message.channel})`);
    return sender.send(message);
  }
}

