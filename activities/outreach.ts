/**
 * Outreach activities: research a prospect, compose a step's message, send it with its idempotency key, log
 * touches to the CRM sink, and compose the courtesy acknowledgement a buyer gets when they ask for a person.
 */
import { ApplicationFailure } from '@temporalio/common';
import { composeHumanRequestAcknowledgement } from '../src/alerts/courtesy';
import type { SuppressionList } from '../src/ledger/suppression';
import type { ComposedMessage, ComposeInput, MessageComposer } from '../src/outreach/composer';
import type { CrmSink, CrmTouch } from '../src/outreach/crm';
import { researchProspect, type ProspectResearch } from '../src/outreach/research';
import type { OutreachMessage, OutreachSender, SendReceipt } from '../src/outreach/sender';
import type { MeetingOffer, Prospect, Voice } from '../workflows/messages';
import { SuppressionFailures } from '../workflows/suppression';

export type { ComposedMessage, ComposeInput, CrmTouch, OutreachMessage, ProspectResearch, SendReceipt };

/** What outreach needs from the worker. */
export interface OutreachDeps {
  composer: MessageComposer;
  sender: OutreachSender;
  crm: CrmSink;
  /** Checked before every send: a suppressed address is never sent to. */
  suppressions: Pick<SuppressionList, 'match'>;
}

/** Builds the outreach activities. */
export function createOutreachActivities(deps: OutreachDeps) {
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
     * Sends one message; a key already sent is not sent again.
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
      return deps.sender.send(message);
    },
    /** Logs one touch to the CRM sink (idempotent by key). */
    async logTouch(touch: CrmTouch): Promise<void> {
      await deps.crm.logTouch(touch);
    },
    /**
     * The short acknowledgement a buyer who asked for a person receives, in the campaign's voice, with the meeting
     * times and booking link of the rep who will follow up when the rung offers them.
     */
    async composeAcknowledgement(input: { prospect: Prospect; voice: Voice; assigneeFirstName?: string; meeting?: MeetingOffer }): Promise<ComposedMessage> {
      const ack = composeHumanRequestAcknowledgement(input.prospect, input.voice, input.assigneeFirstName, input.meeting);
      return { subject: ack.subject, body: ack.text };
    },
  };
}
