/**
 * Outreach activities: research a prospect, compose a step's message, send it with its idempotency key, log
 * touches to the CRM sink, and compose the courtesy acknowledgement a buyer gets when they ask for a person.
 */
import { ApplicationFailure } from '@temporalio/common';
import { composeHumanRequestAcknowledgement } from '../src/alerts/courtesy';
import { composeReplyAcknowledgement } from '../src/outreach/replyAcknowledgement';
import type { MailThreads } from '../src/ledger/mailThreads';
import type { SuppressionList } from '../src/ledger/suppression';
import type { ComposedMessage, ComposeInput, MessageComposer } from '../src/outreach/composer';
import type { CrmSink, CrmTouch } from '../src/outreach/crm';
import { researchProspect, type ProspectResearch } from '../src/outreach/research';
import type { OutreachMessage, OutreachSender, SendReceipt } from '../src/outreach/sender';
import { unsubscribeTargets, type UnsubscribeLinks } from '../src/outreach/unsubscribe';
import { conversationWorkflowId, type MeetingOffer, type Prospect, type Voice } from '../workflows/messages';
import { SuppressionFailures } from '../workflows/suppression';

export type { ComposedMessage, ComposeInput, CrmTouch, OutreachMessage, ProspectResearch, SendReceipt };

/** What outreach needs from the worker. */
export interface OutreachDeps {
  composer: MessageComposer;
  sender: OutreachSender;
  crm: CrmSink;
  /** Checked before every send: a suppressed address is never sent to. */
  suppressions: Pick<SuppressionList, 'match'>;
  /**
   * Email threads in the ledger: every send's Message-ID is recorded before it goes out, and a send threads under
   * the conversation's earlier mail. Without it, sends carry no thread headers.
   */
  mail?: Pick<MailThreads, 'recordSent' | 'thread'>;
  /** Where recipients unsubscribe; without it, sends carry no `List-Unsubscribe`. */
  unsubscribe?: UnsubscribeLinks;
}

/** `Re: <first subject>`, however many `Re:` the first one had. */
function replySubject(firstSubject: string): string {
  return `Re: ${firstSubject.replace(/^(re:\s*)+/i, '')}`;
}

/** How many Message-IDs a `References` header keeps: the first and the latest ones. */
const REFERENCES_KEPT = 12;

/**
 * The message as it goes out: under the conversation's earlier mail (`In-Reply-To` the latest, `References` the
 * thread, the subject `Re: <first subject>`), with its unsubscribe links. The thread is the ledger's record of
 * this conversation's sends and matched replies, so every automated email threads, whichever move sends it.
 */
async function asSent(message: OutreachMessage, deps: OutreachDeps): Promise<OutreachMessage> {
  let out = message;
  if (deps.mail && message.channel === 'email') {
    const own = deps.sender.messageIdFor(message);
    const thread = await deps.mail.thread(message.conversationId);
    const earlier = thread.messageIds.filter((id) => id !== own);
    if (earlier.length > 0) {
      const references = earlier.length > REFERENCES_KEPT ? [earlier[0]!, ...earlier.slice(-(REFERENCES_KEPT - 1))] : earlier;
      out = {
        ...out,
        inReplyTo: earlier[earlier.length - 1]!,
        references,
        ...(thread.firstSubject ? { subject: replySubject(thread.firstSubject) } : {}),
      };
    }
  }
  if (deps.unsubscribe && message.channel === 'email') out = { ...out, listUnsubscribe: unsubscribeTargets(deps.unsubscribe, message.conversationId, message.to.email) };
  return out;
}

/** Builds the outreach activities. */
export function createOutreachActivities(deps: OutreachDeps) {
  /** An acknowledgement under the subject of the conversation's first email when there was one, as it is sent. */
  async function underFirstSubject(prospect: Prospect, ack: { subject: string; text: string }): Promise<ComposedMessage> {
    const firstSubject = deps.mail ? (await deps.mail.thread(conversationWorkflowId(prospect.id))).firstSubject : null;
    return { subject: firstSubject ? replySubject(firstSubject) : ack.subject, body: ack.text };
  }
  return {
    /** Researches the prospect once per conversation. */
    async researchProspect(prospect: Prospect): Promise<ProspectResearch> {
      return researchProspect(prospect);
    },
    /** Composes one cadence step's message. */
    async composeMessage(input: ComposeInput): Promise<ComposedMessage> {
      return deps.composer.compose(input);
    },
    /**
     * Sends one message; a key already sent is not sent again. An email threads under the conversation's earlier
     * mail and carries its unsubscribe links (see `asSent`).
     * @throws ApplicationFailure (`AddressSuppressed`, non-retryable) when the address or its domain is on the
     * suppression list; nothing is sent.
     */
    async sendMessage(message: OutreachMessage): Promise<SendReceipt> {
      const suppressed = await deps.suppressions.match(message.to.email);
      if (suppressed) {
        throw ApplicationFailure.create({
          type: SuppressionFailures.AddressSuppressed,
          message: `not sent: the address is suppressed (${suppressed.kind}, ${suppressed.source})`,
          nonRetryable: true,
          details: [{ conversationId: message.conversationId, kind: suppressed.kind, source: suppressed.source }],
        });
      }
      const outgoing = await asSent(message, deps);
      // Recorded before it goes out, so a reply can never arrive before its thread is known.
      if (deps.mail && message.channel === 'email') {
        await deps.mail.recordSent({
          messageId: deps.sender.messageIdFor(message),
          conversationId: message.conversationId,
          recipient: message.to.email,
          subject: outgoing.subject,
          sentAt: new Date().toISOString(),
        });
      }
      return deps.sender.send(outgoing);
    },
    /** Logs one touch to the CRM sink (idempotent by key). */
    async logTouch(touch: CrmTouch): Promise<void> {
      await deps.crm.logTouch(touch);
    },
    /**
     * The short acknowledgement a buyer who asked for a person receives, in the campaign's voice, with the meeting
     * times and booking link of the rep who will follow up when the rung offers them; under the subject of the
     * conversation's first email when there was one, as it is sent.
     */
    async composeAcknowledgement(input: { prospect: Prospect; voice: Voice; assigneeFirstName?: string; meeting?: MeetingOffer }): Promise<ComposedMessage> {
      return underFirstSubject(input.prospect, composeHumanRequestAcknowledgement(input.prospect, input.voice, input.assigneeFirstName, input.meeting));
    },
    /**
     * The step acknowledging a reply that needs a person, when the campaign answers such replies with automation;
     * under the subject of the conversation's first email when there was one, as it is sent.
     */
    async composeReplyAcknowledgement(input: { prospect: Prospect; voice: Voice }): Promise<ComposedMessage> {
      return underFirstSubject(input.prospect, composeReplyAcknowledgement(input.prospect, input.voice));
    },
  };
}
