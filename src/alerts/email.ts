/**
 * E-mail alerts over SMTP (nodemailer): plain text plus simple HTML carrying the whole packet, the thread and
 * the prospect's profile, so the rep can take over from the mail alone. The Message-ID derives from the
 * idempotency key, so a retried delivery is the same message to mail clients.
 */
import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { HandoffPacket } from '../../workflows/messages';
import type { Rep } from '../routing/roster';
import { type AlertChannel, AlertDeliveryError, type RenderedAlert } from './channel';
import { reasonLabel } from './render';

/** Settings of the e-mail channel. */
export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` or `smtps://…` (`HANDOFF_SMTP_URL`). */
  smtpUrl: string;
  /** The From header, e.g. `Handoff <handoff@example.com>`. */
  from: string;
  timeoutMs: number;
}

/** The Message-ID for an alert: a hash of its idempotency key at the sender's domain. */
export function alertMessageId(idempotencyKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'handoff.local';
  return `<handoff-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}

function profileLines(packet: HandoffPacket): string[] {
  const p = packet.prospect;
  const lines = [
    `Name: ${p.name}`,
    `Email: ${p.email}`,
    `Company: ${p.company}`,
    ...(p.title ? [`Title: ${p.title}`] : []),
    ...(p.timeZone ? [`Time zone: ${p.timeZone}`] : []),
  ];
  for (const [key, value] of Object.entries(p.profile)) {
    lines.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines;
}

/** The plain-text body of an alert e-mail. */
export function alertEmailText(alert: RenderedAlert, recipient: Rep): string {
  const { packet } = alert;
  const out = [
    `${recipient.name},`,
    '',
    `${reasonLabel(packet.reason)} from ${packet.prospect.name} at ${packet.prospect.company} (tier ${alert.tier}).`,
    packet.summary,
    '',
    ...(alert.evidenceQuote ? [`They wrote: "${alert.evidenceQuote}"`, ''] : []),
    ...(alert.claimUrl ? [`Claim it before ${alert.deadline}${alert.deadlineInWorkingTime ? ` (${alert.deadlineInWorkingTime})` : ''}: ${alert.claimUrl}`] : []),
    `Conversation: ${alert.conversationUrl}`,
    '',
    `Suggested next step: ${packet.suggestedNextStep}`,
    '',
    ...(alert.suggestedReply ? [`--- Suggested reply (${alert.suggestedReply.source}) ---`, alert.suggestedReply.text, ''] : []),
    '--- Prospect ---',
    ...profileLines(packet),
    '',
    '--- Thread ---',
  ];
  for (const message of packet.thread) {
    out.push(`[${message.at}] ${message.author} via ${message.channel}:`, message.text, '');
  }
  if (packet.research) out.push('--- Research ---', JSON.stringify(packet.research, null, 2), '');
  return out.join('\n');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The HTML body of an alert e-mail: the same content as the text, every value escaped. */
export function alertEmailHtml(alert: RenderedAlert, recipient: Rep): string {
  const { packet } = alert;
  const para = (text: string) => `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
  const parts = [
    para(`${recipient.name},`),
    para(`${reasonLabel(packet.reason)} from ${packet.prospect.name} at ${packet.prospect.company} (tier ${alert.tier}).`),
    para(packet.summary),
    alert.evidenceQuote ? `<blockquote>${escapeHtml(alert.evidenceQuote)}</blockquote>` : '',
    (alert.claimUrl ? `<p><a href="${escapeHtml(alert.claimUrl)}"><strong>Claim</strong></a> before ${escapeHtml(alert.deadline)}${alert.deadlineInWorkingTime ? ` (${escapeHtml(alert.deadlineInWorkingTime)})` : ''} · ` : '<p>') +
      `<a href="${escapeHtml(alert.conversationUrl)}">Open conversation</a></p>`,
    para(`Suggested next step: ${packet.suggestedNextStep}`),
    alert.suggestedReply ? `<h3>Suggested reply (${escapeHtml(alert.suggestedReply.source)})</h3>${para(alert.suggestedReply.text)}` : '',
    '<h3>Prospect</h3>',
    `<ul>${profileLines(packet).map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    '<h3>Thread</h3>',
    ...packet.thread.map(
      (m) => `<p><small>${escapeHtml(`${m.at} · ${m.author} via ${m.channel}`)}</small><br>${escapeHtml(m.text).replace(/\n/g, '<br>')}</p>`,
    ),
  ];
  return `<!doctype html><html><body>${parts.join('\n')}</body></html>`;
}

/** Whether a nodemailer error is final: a 5xx reply, or an envelope the server refused outright. */
function isPermanentSmtpError(err: unknown): boolean {
  const { responseCode, code } = err as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') return responseCode >= 500;
  return code === 'EENVELOPE' || code === 'EMESSAGE';
}

/**
 * The e-mail channel, one SMTP connection per delivery (alerts are rare; pooling would hold sockets open).
 * Permanent failures: a 5xx reply (unknown mailbox, rejected message); the rest are retried.
 */
export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const transport: Transporter = createTransport({
    url: options.smtpUrl,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    name: 'email',
    // Alerts go to the rep's own address.
    reachesOnly: () => true,
    async deliver(alert, recipient) {
      const messageId = alertMessageId(alert.idempotencyKey, options.from);
      try {
        await transport.sendMail({
          from: options.from,
          to: { name: recipient.name, address: recipient.email },
          subject: `[Handoff] ${alert.title}`,
          messageId,
          text: alertEmailText(alert, recipient),
          html: alertEmailHtml(alert, recipient),
          headers: { 'X-Handoff-Idempotency-Key': alert.idempotencyKey },
        });
      } catch (err) {
        const { responseCode } = err as { responseCode?: number };
        throw new AlertDeliveryError(
          `email alert for ${recipient.id} failed: ${responseCode ?? (err as { code?: string }).code ?? 'error'}`,
          'email',
          recipient.id,
          isPermanentSmtpError(err),
          responseCode === undefined ? {} : { status: responseCode },
          { cause: err },
        );
      }
      return { providerId: messageId };
    },
  };
}
