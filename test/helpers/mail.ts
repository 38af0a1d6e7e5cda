/**
 * Raw RFC 5322 messages as mail servers deliver them, for the inbound mail tests: replies (plain and HTML,
 * with a quoted thread), auto-replies, and delivery status notifications (RFC 3464).
 */

/** Headers and body joined with CRLF, as on the wire. */
function message(headers: Record<string, string>, body: string): string {
  return `${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

/** A reply: multipart/alternative (plain and HTML) quoting the earlier message, or HTML only with `htmlOnly`. */
export function replyMail(options: {
  from: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  subject?: string;
  text: string;
  quoted?: string;
  headers?: Record<string, string>;
  htmlOnly?: boolean;
}): string {
  const quoted = options.quoted ? `\n\nOn Tue, 3 Mar 2026 at 09:00, Alex from Acme <outreach@handoff.local> wrote:\n${options.quoted.split('\n').map((l) => `> ${l}`).join('\n')}\n` : '';
  const html = `<html><body><p>${options.text}</p>${options.quoted ? `<blockquote type="cite">${options.quoted}</blockquote>` : ''}</body></html>`;
  const headers: Record<string, string> = {
    From: `Jordan Lee <${options.from}>`,
    To: 'Alex from Acme <outreach@handoff.local>',
    Subject: options.subject ?? 'Re: Buyer Co and Handoff',
    Date: 'Tue, 3 Mar 2026 10:15:00 +0000',
    'Message-ID': options.messageId,
    ...(options.inReplyTo ? { 'In-Reply-To': options.inReplyTo } : {}),
    ...(options.references ? { References: options.references.join(' ') } : {}),
    'MIME-Version': '1.0',
    ...options.headers,
  };
  if (options.htmlOnly) return message({ ...headers, 'Content-Type': 'text/html; charset=utf-8' }, html);
  const boundary = 'b1_reply_boundary';
  return message(
    { ...headers, 'Content-Type': `multipart/alternative; boundary="${boundary}"` },
    `--${boundary}\nContent-Type: text/plain; charset=utf-8\n\n${options.text}${quoted}\n--${boundary}\nContent-Type: text/html; charset=utf-8\n\n${html}\n--${boundary}--\n`,
  );
}

/** A delivery status notification for `recipient`: `failed` (a bounce) or `delayed`. */
export function bounceMail(options: { recipient: string; messageId: string; originalMessageId?: string; action?: 'failed' | 'delayed' }): string {
  const boundary = 'b2_report_boundary';
  const action = options.action ?? 'failed';
  return message(
    {
      From: 'Mail Delivery System <MAILER-DAEMON@mx.buyer.example>',
      To: 'outreach@handoff.local',
      Subject: action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)',
      Date: 'Tue, 3 Mar 2026 10:16:00 +0000',
      'Message-ID': options.messageId,
      'Auto-Submitted': 'auto-replied',
      'MIME-Version': '1.0',
      'Content-Type': `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    },
    `--${boundary}\nContent-Type: text/plain; charset=us-ascii\n\nI'm sorry to have to inform you that your message could not be delivered.\n\n` +
      `--${boundary}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.buyer.example\nArrival-Date: Tue, 3 Mar 2026 10:15:58 +0000\n\n` +
      `Final-Recipient: rfc822; ${options.recipient}\nOriginal-Recipient: rfc822;${options.recipient}\nAction: ${action}\nStatus: ${action === 'failed' ? '5.1.1' : '4.4.1'}\n` +
      `Diagnostic-Code: smtp; 550 5.1.1 <${options.recipient}>: Recipient address rejected: User unknown\n\n` +
      `--${boundary}\nContent-Type: text/rfc822-headers\n\nFrom: outreach@handoff.local\nTo: ${options.recipient}\nSubject: Buyer Co and Handoff\n` +
      `${options.originalMessageId ? `Message-ID: ${options.originalMessageId}\n` : ''}\n--${boundary}--\n`,
  );
}
