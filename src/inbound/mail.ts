/**
 * Reading one inbound email (RFC 5322, as a mailbox webhook or an SMTP relay delivers it) into what Handoff acts
 * on: its Message-ID (the reply's idempotency key), the sender, the Message-IDs it answers, its text (the plain
 * part, or the HTML part as text), whether a machine wrote it, and, for a delivery status notification, the
 * addresses that failed.
 */
import { createHash } from 'node:crypto';
import { htmlToText } from 'html-to-text';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** An inbound email, read. */
export interface InboundMail {
  /** Its Message-ID; a message without one gets `<sha256 of the raw message>@inbound.handoff`, so a redelivery is still one message. */
  messageId: string;
  /** The sender's address (lowercase), or null when the message names none. */
  from: string | null;
  /** Its `To` and `Cc` addresses (lowercase): a rep's message BCC'd to us names the prospect here. */
  recipients: string[];
  subject: string;
  /** The Message-IDs it answers: `In-Reply-To` first, then `References` newest first. */
  answers: string[];
  /**
   * The reply's text: the plain part, or the HTML part as text; the subject when both are empty. A message whose
   * subject is `unsubscribe` (the List-Unsubscribe mailto) starts with that word.
   */
  text: string;
  /** When it was written (its `Date`), or null. */
  date: Date | null;
  /** `Auto-Submitted` (other than `no`), `X-Autoreply`, `X-Autorespond` or `Precedence: auto_reply|bulk|junk`. */
  autoSubmitted: boolean;
  /** Its `Authentication-Results` headers (RFC 8601), top first, unfolded: what the mail servers on its way verified. */
  authenticationResults: string[];
  /**
   * For a delivery status notification (RFC 3464), or a mail system's plain-text notice of a permanent failure: the
   * recipients whose delivery failed (lowercase); null otherwise.
   */
  bounced: string[] | null;
}

/** The largest message read (bigger ones are refused before parsing). */
export const INBOUND_MAIL_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The most of an HTML part turned into text. Converting HTML costs more than its length (a table of 150,000 rows,
 * 2.9 MB, took seconds), and a reply keeps far less than this inline; a longer HTML part is read from its start.
 */
export const INBOUND_HTML_TEXT_BYTES = 256 * 1024;

/** How deep into nested HTML elements the start of a long HTML part is read (mailparser reads to 1,000). */
const HTML_DEPTH_READ = 1_000;

/** The most failed recipients read from one delivery notice; a notice for a message Handoff sent names one. */
export const BOUNCED_RECIPIENTS_LIMIT = 1_000;

const headerText = (value: HeaderValue | undefined): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : '')).join(' ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return '';
};

const MESSAGE_ID = /<[^<>\s]+>/g;

function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const found = text.match(MESSAGE_ID);
  if (found) return found;
  // mailparser hands some ids back without their brackets.
  return text.split(/\s+/).filter((id) => id.includes('@')).map((id) => `<${id.replace(/^<|>$/g, '')}>`);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  const found: string[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) found.push(entry.address.trim().toLowerCase());
      if (entry.group) visit(entry.group);
    }
  };
  for (const group of list) visit(group.value);
  return found;
}

function firstAddress(from: AddressObject | AddressObject[] | undefined): string | null {
  return addresses(from)[0] ?? null;
}

/** Whether the headers say a machine wrote the message (RFC 3834 and the common vendor headers). */
function isAutoSubmitted(headers: Map<string, HeaderValue>): boolean {
  const autoSubmitted = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  return /^(auto_reply|bulk|junk)$/i.test(headerText(headers.get('precedence')).trim());
}

/** The failed recipients of a `message/delivery-status` body (RFC 3464): `Final-Recipient` of each `Action: failed`. */
export function failedRecipients(deliveryStatus: string): string[] {
  const failed = new Set<string>();
  // The per-message fields come first; each recipient's fields are a paragraph of their own.
  for (const block of deliveryStatus.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const action = /^action:\s*(\S+)/im.exec(block)?.[1]?.toLowerCase();
    const recipient = /^(?:final|original)-recipient:\s*(?:[^;\n]*;)?\s*<?([^\s<>]+@[^\s<>]+)>?/im.exec(block)?.[1];
    if (action === 'failed' && recipient) failed.add(recipient.toLowerCase());
    if (failed.size >= BOUNCED_RECIPIENTS_LIMIT) break;
  }
  return [...failed];
}

/** Words only a final (permanent) failure notice uses, in the plain-text bounces of Gmail, Postfix, Exim and Exchange. */
const PERMANENT_FAILURE =
  /delivery to the following recipients? failed permanently|undelivered mail returned to sender|permanent error|could not be delivered to one or more (?:of its )?recipients|delivery has failed to these recipients|address(?:es)? failed|user unknown|mailbox unavailable/i;

/** A mail system's own address: `MAILER-DAEMON@…`, `postmaster@…`, `mail-daemon@…`. */
const MAIL_SYSTEM_SENDER = /^(mailer-daemon|mail-daemon|postmaster)@/i;

/** A line that is one recipient: bare or in angle brackets, perhaps followed by a colon and the server's words. */
const RECIPIENT_LINE = /^\s*<?([A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63})>?\s*(?::.*)?$/;

/**
 * The failed recipients of a plain-text bounce (no RFC 3464 report): a notice from a mail system (`MAILER-DAEMON`,
 * `postmaster`) that says the failure is permanent, naming each recipient on a line of its own, bare or in angle
 * brackets (Gmail, Exim, Exchange), or before a colon (Postfix: `<jordan@buyer.example>: host … said: 550 …`).
 * Only the notice is read, not the returned message after it. Empty when it is no such notice.
 */
export function plainBounceRecipients(from: string | null, subject: string, text: string): string[] {
  if (!from || !MAIL_SYSTEM_SENDER.test(from)) return [];
  if (!PERMANENT_FAILURE.test(subject) && !PERMANENT_FAILURE.test(text)) return [];
  // The returned message starts after a separator line or its own headers; addresses there are not the failed ones.
  // The notice comes first; its first 64 KiB are plenty.
  const notice = text.slice(0, 64 * 1024).split(/^(?:-{3,}.*|_{3,}.*|.*original message.*|return-path:.*|received:.*)$/im)[0] ?? '';
  const failed = new Set<string>();
  for (const line of notice.split(/\r?\n/)) {
    // RFC 5322 lines are at most 998 characters; a longer one is no recipient line.
    const bare = line.length <= 998 ? RECIPIENT_LINE.exec(line)?.[1]?.toLowerCase() : undefined;
    if (bare && bare !== from && !MAIL_SYSTEM_SENDER.test(bare)) failed.add(bare);
    if (failed.size >= BOUNCED_RECIPIENTS_LIMIT) break;
  }
  return [...failed];
}

/**
 * The `message/delivery-status` part of a raw report (its body, from the blank line that ends the part's headers up
 * to the next boundary), or null. Read line by line: a pattern spanning the part's header lines backtracked over
 * every line of a part that never ends them.
 */
export function deliveryStatusPart(raw: string): string | null {
  const header = /^content-type:[ \t]*message\/(?:global-)?delivery-status/im.exec(raw);
  if (!header) return null;
  let at = raw.indexOf('\n', header.index);
  while (at >= 0) {
    const next = raw.indexOf('\n', at + 1);
    if (next < 0) return null;
    const line = raw.slice(at + 1, next);
    if (line === '' || line === '\r') {
      const rest = raw.slice(next + 1);
      const end = rest.search(/^--/m);
      return end < 0 ? rest : rest.slice(0, end);
    }
    at = next;
  }
  return null;
}

/** The text of an HTML part's first {@link INBOUND_HTML_TEXT_BYTES} characters; empty when there is none or it is shorter (mailparser read it whole). */
function htmlStart(html: string | false | undefined): string {
  if (!html || html.length <= INBOUND_HTML_TEXT_BYTES) return '';
  return htmlToText(html.slice(0, INBOUND_HTML_TEXT_BYTES), { wordwrap: false, limits: { maxDepth: HTML_DEPTH_READ } });
}

/** A message that cannot be read as mail (its structure is over the parser's limits, or broken): sending it again cannot help. */
export class UnreadableMailError extends Error {
  override readonly name = 'UnreadableMailError';
}

/**
 * Reads a raw message.
 * @throws Error when the message is over {@link INBOUND_MAIL_LIMIT_BYTES}; UnreadableMailError, naming the cause,
 *   when it cannot be parsed.
 */
export async function readInboundMail(raw: Buffer): Promise<InboundMail> {
  if (raw.length > INBOUND_MAIL_LIMIT_BYTES) throw new Error(`the message is over the limit of ${INBOUND_MAIL_LIMIT_BYTES} bytes`);
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, maxHtmlLengthToParse: INBOUND_HTML_TEXT_BYTES }).catch((err: unknown) => {
    throw new UnreadableMailError(`the message cannot be read as mail: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = contentType?.value?.toLowerCase() === 'multipart/report' && contentType.params?.['report-type']?.toLowerCase() === 'delivery-status';
  let bounced: string[] | null = null;
  if (isReport) {
    // mailparser reads a message/delivery-status part as text and merges it into the body: read the part from
    // the raw message, where its fields are plain 7-bit lines.
    bounced = failedRecipients(deliveryStatusPart(raw.toString('latin1')) ?? parsed.text ?? '');
  }
  const subject = parsed.subject?.trim() ?? '';
  // mailparser fills `text` from the HTML part when there is no plain one, up to INBOUND_HTML_TEXT_BYTES of it;
  // a longer HTML part is read from its start.
  const body = (parsed.text || htmlStart(parsed.html)).trim();
  if (!isReport) {
    const plain = plainBounceRecipients(firstAddress(parsed.from), subject, body);
    if (plain.length > 0) bounced = plain;
  }
  return {
    messageId: parsed.messageId ? messageIds(parsed.messageId)[0] ?? `<${parsed.messageId}>` : `<${createHash('sha256').update(raw).digest('hex')}@inbound.handoff>`,
    from: firstAddress(parsed.from),
    recipients: [...new Set([...addresses(parsed.to), ...addresses(parsed.cc)])],
    subject,
    answers: [...new Set([...messageIds(parsed.inReplyTo), ...messageIds(parsed.references).reverse()])],
    // The List-Unsubscribe mailto asks with its subject alone; a client may add a signature as the body.
    text: /^unsubscribe$/i.test(subject) ? `unsubscribe\n\n${body}`.trim() : body || subject,
    date: parsed.date ?? null,
    autoSubmitted: isAutoSubmitted(parsed.headers),
    authenticationResults: parsed.headerLines
      .filter((h) => h.key === 'authentication-results')
      .slice(0, AUTHENTICATION_RESULTS_READ)
      .map((h) => h.line.slice(0, AUTHENTICATION_RESULT_CHARS).replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]*:\s*/, '')),
    bounced,
  };
}

/** The most `Authentication-Results` headers read, top first, and the most of each. */
const AUTHENTICATION_RESULTS_READ = 20;
const AUTHENTICATION_RESULT_CHARS = 4096;

/**
 * Whether the mail server named `authservId` verified the message's `From` domain: the topmost
 * `Authentication-Results` header that server wrote (it removes any of its own name from incoming mail, RFC 8601)
 * says `dmarc=pass` for `header.from` equal to the domain of `from`. Any other header, or none, verifies nothing.
 */
export function fromVerifiedBy(mail: Pick<InboundMail, 'authenticationResults'>, from: string, authservId: string): boolean {
  const domain = from.slice(from.lastIndexOf('@') + 1).toLowerCase();
  const ours = mail.authenticationResults.find((value) => value.split(';')[0]!.trim().split(/\s+/)[0]!.toLowerCase() === authservId.toLowerCase());
  if (!ours) return false;
  let text = ours;
  // Comments, "(p=NONE dis=NONE)", may hold anything; they say nothing here.
  for (let i = 0; i < 8 && text.includes('('); i++) text = text.replace(/\([^()]*\)/g, ' ');
  return text
    .split(';')
    .slice(1)
    .some((result) => {
      const tokens = result.split('=').map((part) => part.trim()).join('=').toLowerCase().split(/\s+/);
      const headerFrom = tokens.find((t) => t.startsWith('header.from='))?.slice('header.from='.length).replace(/"/g, '');
      return tokens.includes('dmarc=pass') && headerFrom === domain;
    });
}


