/**
 * Sending outreach to prospects. Every send carries an idempotency key derived from the conversation and the
 * step: the outbox journal records each key once, and SMTP derives the Message-ID from it so receiving systems
 * can discard a duplicate.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { IdempotentJournal } from './journal';

/** One message to a prospect. */
export interface OutreachMessage {
  idempotencyKey: string;
  conversationId: string;
  channel: string;
  to: { name: string; email: string };
  from: { name: string; email?: string };
  subject: string;
  body: string;
  /** Thread under an earlier message (its Message-ID), when there is one. */
  inReplyTo?: string;
  /** The Message-IDs of the thread so far, oldest first (the `References` header). */
  references?: string[];
  /** Where the recipient unsubscribes (`List-Unsubscribe`, one-click per RFC 8058). */
  listUnsubscribe?: { mailto: string; url: string };
}

/** What a send reports. */
export interface SendReceipt {
  providerId: string;
  /** The key had been sent before; nothing new went out. */
  duplicate: boolean;
}

/** A way to reach prospects. */
export interface OutreachSender {
  send(message: OutreachMessage): Promise<SendReceipt>;
  /** The Message-ID the message goes out with (the receipt's `providerId`), known before it is sent. */
  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string;
}

/** The thread and unsubscribe headers of a message, as RFC 5322, 2369 and 8058 spell them. */
export function threadHeaders(message: OutreachMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  if (message.references?.length) headers.References = message.references.join(' ');
  if (message.listUnsubscribe) {
    headers['List-Unsubscribe'] = `<${message.listUnsubscribe.mailto}>, <${message.listUnsubscribe.url}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}

/** The Message-ID a send with this key carries. */
export function outreachMessageId(idempotencyKey: string, domain = 'handoff.local'): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** One line of `sent.jsonl`. */
export interface SentEntry extends OutreachMessage {
  messageId: string;
  sentAt: string;
}

/** The embedded default: sends are written to `<dataDir>/sent.jsonl`, once per key. */
export class OutboxSender implements OutreachSender {
  private readonly journal: IdempotentJournal<SentEntry>;
  constructor(dataDir: string, private readonly now: () => Date = () => new Date()) {
    this.journal = new IdempotentJournal(path.join(dataDir, 'sent.jsonl'));
  }

  /** The journal file. */
  get file(): string {
    return this.journal.file;
  }

  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string {
    return outreachMessageId(message.idempotencyKey);
  }

  async send(message: OutreachMessage): Promise<SendReceipt> {
    const messageId = this.messageIdFor(message);
    const wrote = await this.journal.append({ ...message, messageId, sentAt: this.now().toISOString() });
    return { providerId: messageId, duplicate: !wrote };
  }
}

/** Email over SMTP (nodemailer); the Message-ID derives from the idempotency key. */
export class SmtpSender implements OutreachSender {
  private readonly transport: nodemailer.Transporter;
  constructor(
    smtpUrl: string,
    private readonly fromAddress: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  messageIdFor(message: Pick<OutreachMessage, 'idempotencyKey'>): string {
    return outreachMessageId(message.idempotencyKey, this.fromAddress.split('@')[1]);
  }

  async send(message: OutreachMessage): Promise<SendReceipt> {
    const messageId = this.messageIdFor(message);
    await this.transport.sendMail({
      messageId,
      from: { name: message.from.name, address: message.from.email ?? this.fromAddress },
      to: { name: message.to.name, address: message.to.email },
      subject: message.subject,
      text: message.body,
      inReplyTo: message.inReplyTo,
      headers: { ...threadHeaders(message), 'X-Handoff-Idempotency-Key': message.idempotencyKey },
    });
    return { providerId: messageId, duplicate: false };
  }
}
