/**
 * What becomes of an inbound email, wherever it came in (the API's `POST /v1/inbound/email`, the SMTP listener):
 *
 * - a delivery status notification puts every failed recipient on the suppression list (`bounce`, reason
 *   `bounced`), so nothing is sent to them again;
 * - a message from a rep in the roster (their own mail, BCC'd to the inbound address, or answering our thread)
 *   joins its conversation's thread as the rep's message (the `repMessage` update), found by the Message-IDs it
 *   answers, else by its recipients (the conversation our latest email to one of them belongs to); it is never
 *   read as a prospect's reply. Only when the mail server in front (`repMailAuthservId`) verified its From (DMARC
 *   pass): otherwise it is kept as unmatched (`unverified_rep_mail`), since anyone can write a rep's address;
 * - a reply goes to its conversation as the `reply` signal, its Message-ID the idempotency key: found by the
 *   Message-IDs it answers (`In-Reply-To`, `References`: our sends, recorded in the ledger), else by its sender
 *   (the conversation our latest email to that address belongs to). A machine-written reply carries
 *   `autoSubmitted` and never escalates;
 * - anything else (no conversation, or one that has ended) is kept in the ledger as *unmatched* for review; when it
 *   asks to stop (an unsubscribe mailto, "please stop emailing me" after the conversation ended), its sender goes on
 *   the suppression list first (`opt_out`), as a reply in the conversation would have put them.
 *
 * Each message is recorded once by its Message-ID: a redelivery answers what the first delivery did.
 */
import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MailThreads, ReceivedMail } from '../ledger/mailThreads';
import type { LedgerStore } from '../ledger/store';
import { replyForSignal } from '../api/limits';
import { REQUEST_BODY_LIMIT_BYTES } from '../../workflows/limits';
import { ConversationErrors, repMessageUpdate, replySignal, type ReplyInput } from '../../workflows/messages';
import { loadRuleSet } from '../triggers/load';
import { loadLearnedReader } from '../triggers/learned/reader';
import { type Readers, classifyWithReaders } from '../triggers/readers';
import { LedgerError } from '../ledger/store';
import { type SuppressionRequest, normaliseEmail } from '../ledger/suppression';
import { fromVerifiedBy, readInboundMail, type InboundMail } from './mail';

/** What delivering an inbound email needs. */
export interface InboundDeps {
  client: Client;
  /** Runs work against the ledger (the API's access, or the worker's store). */
  ledger: { use<T>(work: (ledger: LedgerStore) => Promise<T>): Promise<T> };
  now?: () => Date;
  /** The roster's reps (id and email), so a rep's own mail is told from a prospect's; without it, no mail is a rep's. */
  reps?: () => Promise<readonly { id: string; email: string }[]>;
  /**
   * The authserv-id of the mail server whose `Authentication-Results` verdict makes mail from a rep's address the
   * rep's own (`dmarc=pass` for the rep's domain, see `fromVerifiedBy`); without it, no mail is taken as a rep's.
   */
  repMailAuthservId?: string;
  /** Whether a message no conversation takes asks to stop; the shipped rules and learned reader decide unless set. */
  asksToStop?: (text: string) => boolean;
}

/** The most of an unmatched message read for a request to stop: as much as a reply holds. */
const STOP_READ_CHARS = 100_000;

let shippedReaders: Readers | undefined;

/** Whether both shipped readers hear a request to stop (loaded on the first unmatched message). */
function shippedReadersHearStop(text: string): boolean {
  shippedReaders ??= { rules: loadRuleSet(), learned: loadLearnedReader() };
  return classifyWithReaders(text, shippedReaders).labels.includes('opt_out');
}

/** What became of an inbound email. */
export interface InboundOutcome {
  messageId: string;
  disposition: ReceivedMail['disposition'];
  /** The conversation a reply went to. */
  conversationId: string | null;
  /** Why a message is unmatched (`no_conversation`, `conversation_over`); for a bounce, how many addresses it suppressed. */
  reason: string | null;
  /** The Message-ID was delivered before; nothing was done again. */
  duplicate: boolean;
}

/** Unmatched texts are kept up to this many characters. */
const UNMATCHED_TEXT_LIMIT = 64 * 1024;

/** What an unmatched message keeps for review: its sender, subject and the start of its text. */
const unmatchedFields = (mail: InboundMail, conversationId: string | null, reason: string): Pick<ReceivedMail, 'disposition' | 'conversationId' | 'reason' | 'sender' | 'subject' | 'text'> => ({
  disposition: 'unmatched',
  conversationId,
  reason,
  sender: mail.from,
  subject: mail.subject.slice(0, 998),
  text: mail.text.slice(0, UNMATCHED_TEXT_LIMIT),
});

const outcomeOf = (record: ReceivedMail, duplicate: boolean): InboundOutcome => ({
  messageId: record.messageId,
  disposition: record.disposition,
  conversationId: record.conversationId,
  reason: record.reason,
  duplicate,
});

/** The reply's id in the conversation: its Message-ID, or a hash of one too long for the signal. */
function replyMessageId(messageId: string): string {
  return messageId.length <= 256 ? messageId : `<${createHash('sha256').update(messageId).digest('hex')}@long.inbound.handoff>`;
}

/** Delivers one raw message (see the module's description). */
export async function deliverInboundMail(raw: Buffer, deps: InboundDeps): Promise<InboundOutcome> {
  return deliverMail(await readInboundMail(raw), deps);
}

/** Delivers one message already read. */
export async function deliverMail(mail: InboundMail, deps: InboundDeps): Promise<InboundOutcome> {
  const now = (deps.now ?? (() => new Date()))();
  const messageId = replyMessageId(mail.messageId);
  const prior = await deps.ledger.use((l) => l.mail.received(messageId));
  if (prior) return outcomeOf(prior, true);
  const record = async (fields: Pick<ReceivedMail, 'disposition' | 'conversationId' | 'reason'> & Partial<ReceivedMail>): Promise<InboundOutcome> => {
    const received: ReceivedMail = { messageId, sender: null, subject: null, text: null, receivedAt: now.toISOString(), ...fields };
    const first = await deps.ledger.use((l) => l.mail.recordReceived(received));
    return outcomeOf(first ? received : ((await deps.ledger.use((l) => l.mail.received(messageId))) ?? received), !first);
  };

  if (mail.bounced) {
    let suppressed = 0;
    for (const email of mail.bounced) {
      // A recipient the list cannot hold (`postmaster@localhost`) takes nothing from the others.
      if (await suppressUnlessInvalid(deps, { email, reason: 'bounced', source: 'bounce' })) suppressed++;
    }
    return record({ disposition: 'bounce', conversationId: await conversationOf(mail, deps), reason: `suppressed ${suppressed}` });
  }

  const rep = mail.from ? (await deps.reps?.())?.find((r) => r.email.toLowerCase() === mail.from) : undefined;
  const conversationId = await conversationOf(mail, deps);
  if (rep) {
    // Anyone can write a rep's address in From: only the mail server's own verdict on it makes it the rep's.
    if (deps.repMailAuthservId && fromVerifiedBy(mail, rep.email, deps.repMailAuthservId)) return deliverRepMail(mail, rep.id, messageId, now, deps, record);
    return record(unmatchedFields(mail, conversationId, 'unverified_rep_mail'));
  }

  const unmatched = async (reason: string) => {
    await suppressIfAskedToStop(mail, deps);
    return record(unmatchedFields(mail, conversationId, reason));
  };
  if (!conversationId) return unmatched('no_conversation');

  const input: ReplyInput = await replyForSignal(
    conversationId,
    {
      messageId,
      channel: 'email',
      // As much as the reply route takes; past the inline limit it is stored whole and the reply carries its start.
      text: mail.text.slice(0, REQUEST_BODY_LIMIT_BYTES),
      receivedAt: now.toISOString(),
      ...(mail.autoSubmitted ? { autoSubmitted: true as const } : {}),
    },
    (stored) => deps.ledger.use((l) => l.replyBodies.put(stored)),
  );
  try {
    await deps.client.workflow.getHandle(conversationId).signal(replySignal, input);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return unmatched('conversation_over');
    throw err;
  }
  return record({ disposition: 'reply', conversationId, reason: null });
}

/**
 * Puts the sender of a message no conversation takes on the suppression list when it asks to stop: an opt-out is
 * honoured whatever became of the conversation. A sender the list cannot hold is left off (the message is still kept).
 */
async function suppressIfAskedToStop(mail: InboundMail, deps: InboundDeps): Promise<void> {
  if (!mail.from) return;
  const asksToStop = deps.asksToStop ?? shippedReadersHearStop;
  if (!asksToStop(mail.text.slice(0, STOP_READ_CHARS))) return;
  await suppressUnlessInvalid(deps, { email: mail.from, reason: 'asked to stop by email, outside a running conversation', source: 'opt_out' });
}

/** Adds an address to the suppression list; false, and nothing added, when the list cannot hold it. */
async function suppressUnlessInvalid(deps: InboundDeps, request: SuppressionRequest & { email: string }): Promise<boolean> {
  try {
    normaliseEmail(request.email);
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'invalid_suppression') return false;
    throw err;
  }
  await deps.ledger.use((l) => l.suppressions.add(request));
  return true;
}

/** The most text a rep's message carries into the thread (the update's limit). */
const REP_MESSAGE_TEXT_LIMIT = 100_000;

/** A rep's own mail joins its conversation's thread as their message; without a conversation it is unmatched. */
async function deliverRepMail(
  mail: InboundMail,
  repId: string,
  messageId: string,
  now: Date,
  deps: InboundDeps,
  record: (fields: Pick<ReceivedMail, 'disposition' | 'conversationId' | 'reason'> & Partial<ReceivedMail>) => Promise<InboundOutcome>,
): Promise<InboundOutcome> {
  const conversationId = await repConversationOf(mail, deps);
  const unmatched = (reason: string) =>
    record(unmatchedFields(mail, conversationId, reason));
  if (!conversationId) return unmatched('no_conversation');
  const sentAt = mail.date && mail.date.getTime() <= now.getTime() ? mail.date : now;
  try {
    await deps.client.workflow.getHandle(conversationId).executeUpdate(repMessageUpdate, {
      args: [{ messageId, repId, channel: 'email', text: mail.text.slice(0, REP_MESSAGE_TEXT_LIMIT) || '(no text)', sentAt: sentAt.toISOString(), source: 'mail' }],
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return unmatched('conversation_over');
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ConversationErrors.ConversationOver) {
      return unmatched('conversation_over');
    }
    throw err;
  }
  return record({ disposition: 'rep_message', conversationId, reason: repId });
}

/** The conversation a rep's mail belongs to: by the Message-IDs it answers, else by its recipients (the prospect); null when neither knows. */
async function repConversationOf(mail: InboundMail, deps: InboundDeps): Promise<string | null> {
  const byThread = await deps.ledger.use((l) => l.mail.conversationOf(mail.answers));
  if (byThread) return byThread;
  for (const recipient of mail.recipients) {
    const found = await deps.ledger.use((l) => l.mail.latestConversationFor(recipient));
    if (found) return found;
  }
  return null;
}

/** The conversation a message belongs to: by the Message-IDs it answers, else by its sender; null when neither knows. */
async function conversationOf(mail: InboundMail, deps: InboundDeps): Promise<string | null> {
  const threads = (work: (mail: MailThreads) => Promise<string | null>) => deps.ledger.use((l) => work(l.mail));
  const byThread = await threads((m) => m.conversationOf(mail.answers));
  if (byThread) return byThread;
  return mail.from ? threads((m) => m.latestConversationFor(mail.from!)) : null;
}
