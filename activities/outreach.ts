/**
 * Outreach activities: research a prospect, compose a step's message in the campaign's words, send it with its
 * idempotency key, log touches to the CRM sink, suggest the rep's reply, and compose the courtesy acknowledgement a
 * buyer gets when they ask for a person.
 */
import path from 'node:path';
import { activityInfo, heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { composeHumanRequestAcknowledgement } from '../src/alerts/courtesy';
import { composeReplyAcknowledgement } from '../src/outreach/replyAcknowledgement';
import type { MailThreads } from '../src/ledger/mailThreads';
import type { SuppressionList } from '../src/ledger/suppression';
import { UnknownCampaignError } from '../src/campaignErrors';
import type { Config } from '../src/config';
import type { ChatCompletionsClient } from '../src/model/chatCompletions';
import { campaignWords, type ComposedMessage, type ComposeInput, type MessageComposer } from '../src/outreach/composer';
import type { CrmSink, CrmTouch } from '../src/outreach/crm';
import type { DraftRecord } from '../src/outreach/drafting';
import { researchWithModel, type ProspectResearch } from '../src/outreach/research';
import { suggestReply, type SuggestedReply } from '../src/outreach/suggestReply';
import { TemplateError, TemplateValueMissingError } from '../src/outreach/templates';
import type { OutreachMessage, OutreachSender, SendReceipt } from '../src/outreach/sender';
import { unsubscribeTargets, type UnsubscribeLinks } from '../src/outreach/unsubscribe';
import { withReferralOpening } from '../workflows/conversation/tasks';
import { conversationWorkflowId, type MeetingOffer, type Prospect, type Referrer, type ThreadMessage, type Voice } from '../workflows/messages';
import { SuppressionFailures } from '../workflows/suppression';
import { CampaignErrors } from './campaign';

export type { ComposedMessage, ComposeInput, CrmTouch, OutreachMessage, ProspectResearch, SendReceipt, SuggestedReply };

/** `ApplicationFailure` types for a conversation's words that cannot be written (non-retryable: a retry writes the same). */
export const WordsFailures = {
  TemplateValueMissing: 'TemplateValueMissing',
  InvalidTemplates: CampaignErrors.InvalidTemplates,
  UnknownCampaign: CampaignErrors.UnknownCampaign,
} as const;

/** What the rep's suggested reply is written from. */
export interface SuggestReplyInput {
  thread: ThreadMessage[];
  /** The conversation's campaign; absent for the defaults. */
  campaign?: string;
  prospect: Prospect;
  /** The conversation's voice; the campaign's (or the default one) when absent. */
  voice?: Voice;
}

/** One message to a prospect, with the CRM touch that records it once it has gone out. */
export interface OutreachSend extends OutreachMessage {
  /** Logged after the send, stamped with that moment; the conversation logs it itself when this is absent. */
  crmTouch?: Omit<CrmTouch, 'at'>;
}

/** What a send reports; `touchLogged` is there when the send carried a CRM touch. */
export interface SendOutcome extends SendReceipt {
  /** False when the CRM refused or failed: the message went out, and the conversation logs the touch itself. */
  touchLogged?: boolean;
}

/**
 * Logs a send's CRM touch. A CRM that fails is not the send's failure: retrying the activity would send again, so
 * the touch goes back to the conversation, whose bookkeeping retries it for as long as it takes.
 */
async function logSentTouch(crm: CrmSink, touch: Omit<CrmTouch, 'at'>): Promise<boolean> {
  try {
    await crm.logTouch({ ...touch, at: new Date().toISOString() });
    return true;
  } catch (err) {
    log.warn('CRM touch not logged with its send; the conversation logs it', { conversationId: touch.conversationId, touch: touch.idempotencyKey, error: err instanceof Error ? err.message : String(err) });
    return false;
  }
}

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
  /** The campaigns as configured now (for the rep's suggested reply); none when unset. */
  campaigns?: () => Config['campaigns'];
  /** The model research and drafting go through (`HANDOFF_MODEL_URL`); templates alone when unset. */
  model?: ChatCompletionsClient | null;
}

/**
 * A template or campaign problem as a non-retryable failure naming the variable, file and line; anything else as
 * it came.
 */
function wordsFailure(err: unknown): unknown {
  if (err instanceof TemplateValueMissingError) {
    return ApplicationFailure.create({ type: WordsFailures.TemplateValueMissing, message: err.message, nonRetryable: true, details: [{ variable: err.variable, file: err.file, line: err.line }] });
  }
  if (err instanceof TemplateError) {
    return ApplicationFailure.create({ type: WordsFailures.InvalidTemplates, message: err.message, nonRetryable: true, details: [{ file: err.file, line: err.line ?? null, variable: err.variable ?? null }] });
  }
  if (err instanceof UnknownCampaignError) {
    return ApplicationFailure.create({ type: WordsFailures.UnknownCampaign, message: err.message, nonRetryable: true, details: [{ field: err.field }] });
  }
  return err;
}

/** How a piece of outreach was written, as a log line carries it: ids, the outcome and the template's file name. */
function draftLog(record: DraftRecord | undefined): Record<string, unknown> {
  if (!record) return {};
  return {
    prospectId: record.inputs.prospectId,
    campaign: record.campaign,
    outcome: record.outcome,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.template ? { template: path.basename(record.template) } : {}),
  };
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

/** The prospect's research and the first step composed with it (`researchAndCompose`). */
export interface ResearchedMessage {
  research: ProspectResearch;
  message: ComposedMessage;
}

/** The conversation's first step as `sendFirstStep` takes it: what to research and compose, and how to send it. */
export interface FirstStepInput {
  composing: Omit<ComposeInput, 'research'>;
  /** The send without its words, which the activity writes. */
  send: Omit<OutreachSend, 'subject' | 'body'>;
  /** The colleague who suggested reaching out: a referred prospect's first touch says so. */
  referredBy?: Pick<Referrer, 'name'>;
}

/** What `sendFirstStep` did: the research, the message as it went out, and the send's receipt. */
export interface FirstStepOutcome extends ResearchedMessage {
  receipt: SendOutcome;
}

/** A later step as `composeAndSendStep` takes it: what to compose (with the conversation's research), and how to send it. */
export interface StepInput {
  composing: ComposeInput;
  /** The send without its words, which the activity writes. */
  send: Omit<OutreachSend, 'subject' | 'body'>;
  /** The colleague who suggested reaching out: a referred prospect's first touch says so. */
  referredBy?: Pick<Referrer, 'name'>;
}

/** What `composeAndSendStep` did: the message, and the send's receipt when it went out (not where a model drafts). */
export interface StepOutcome {
  message: ComposedMessage;
  receipt?: SendOutcome;
}

/** True when the model wrote any of it: a second attempt would write other words. */
function modelWrote(draft: ResearchedMessage): boolean {
  return draft.research.drafting?.outcome === 'model' || draft.message.drafting?.outcome === 'model';
}

/** Builds the outreach activities. */
export function createOutreachActivities(deps: OutreachDeps) {
  /** An acknowledgement under the subject of the conversation's first email when there was one, as it is sent. */
  async function underFirstSubject(prospect: Prospect, ack: { subject: string; text: string }): Promise<ComposedMessage> {
    const firstSubject = deps.mail ? (await deps.mail.thread(conversationWorkflowId(prospect.id))).firstSubject : null;
    return { subject: firstSubject ? replySubject(firstSubject) : ack.subject, body: ack.text };
  }
  async function research(prospect: Prospect): Promise<ProspectResearch> {
    const found = await researchWithModel(prospect, deps.model ?? null);
    log.info('prospect researched', draftLog(found.drafting));
    return found;
  }
  async function compose(input: ComposeInput): Promise<ComposedMessage> {
    try {
      const message = await deps.composer.compose(input);
      log.info('message composed', { ...draftLog(message.drafting), step: input.step.name });
      return message;
    } catch (err) {
      throw wordsFailure(err);
    }
  }
  async function send(outreach: OutreachSend): Promise<SendOutcome> {
    const { crmTouch, ...message } = outreach;
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
    const receipt = await deps.sender.send(outgoing);
    if (!crmTouch) return receipt;
    return { ...receipt, touchLogged: await logSentTouch(deps.crm, crmTouch) };
  }
  return {
    /**
     * Researches the prospect once per conversation: from its record, and a summary by the model when one is
     * configured (`drafting` records which, and why the model was not used).
     */
    async researchProspect(prospect: Prospect): Promise<ProspectResearch> {
      return research(prospect);
    },
    /**
     * Composes one cadence step's message in the campaign's words; `drafting` records whether the model or the
     * template wrote it, why the template when a model was configured, and the prompt's field names.
     * @throws ApplicationFailure (non-retryable) `TemplateValueMissing` naming the variable without a value,
     * `InvalidTemplates` naming the file, line and variable, `UnknownCampaign` when the campaign is gone.
     */
    async composeMessage(input: ComposeInput): Promise<ComposedMessage> {
      return compose(input);
    },
    /**
     * Researches the prospect and composes the conversation's first step in one activity: one round trip fewer
     * before the first touch. A retry researches again (the model may be asked twice; nothing is sent here).
     * @throws ApplicationFailure (non-retryable) as `composeMessage`.
     */
    async researchAndCompose(input: Omit<ComposeInput, 'research'>): Promise<ResearchedMessage> {
      const found = await research(input.prospect);
      return { research: found, message: await compose({ ...input, research: found }) };
    },
    /**
     * Suggests the reply the rep could send next, in the campaign's voice, from the thread so far: by the model when
     * one is configured, else (and on any model failure) from the campaign's `reply.md` template.
     * @throws ApplicationFailure (non-retryable) as `composeMessage`.
     */
    async suggestReply(input: SuggestReplyInput): Promise<SuggestedReply> {
      try {
        const words = campaignWords(deps.campaigns?.() ?? {}, input.campaign);
        const reply = await suggestReply(input.thread, words, input.prospect, { voice: input.voice, model: deps.model ?? null });
        log.info('reply suggested', draftLog(reply.drafting));
        return reply;
      } catch (err) {
        throw wordsFailure(err);
      }
    },
    /**
     * Sends one message; a key already sent is not sent again. An email threads under the conversation's earlier
     * mail and carries its unsubscribe links (see `asSent`). With `crmTouch`, the CRM hears of the send in the same
     * activity, once it has gone out (`touchLogged` says whether it did).
     * @throws ApplicationFailure (`AddressSuppressed`, non-retryable) when the address or its domain is on the
     * suppression list; nothing is sent.
     */
    async sendMessage(outreach: OutreachSend): Promise<SendOutcome> {
      return send(outreach);
    },
    /**
     * The conversation's first step in one activity: researches the prospect, composes the step (with the
     * referrer's sentence for a referred prospect) and sends it as `sendMessage` does. One activity and one workflow
     * task fewer before the first touch than researching and sending apart.
     *
     * Words the model wrote are checkpointed (heartbeat details) before the send, so a retry sends and returns the
     * words the server holds rather than a second draft; template words come out the same on a retry.
     * @throws ApplicationFailure (non-retryable) as `composeMessage`, and `AddressSuppressed` as `sendMessage`.
     */
    async sendFirstStep(input: FirstStepInput): Promise<FirstStepOutcome> {
      let draft = activityInfo().heartbeatDetails as ResearchedMessage | undefined;
      if (!draft?.message) {
        const found = await research(input.composing.prospect);
        const message = await compose({ ...input.composing, research: found });
        if (input.referredBy) message.body = withReferralOpening(message.body, input.referredBy);
        draft = { research: found, message };
        if (modelWrote(draft)) heartbeat(draft);
      }
      const receipt = await send({ ...input.send, subject: draft.message.subject, body: draft.message.body });
      return { ...draft, receipt };
    },
    /**
     * A step of a conversation already researched, composed and sent in one activity when a template writes it (a
     * template takes no time, so a reply cannot slip in between); one activity and one workflow task fewer a step
     * than composing and sending apart. Where a model is configured the words come back unsent: drafting may take
     * seconds, and the conversation reads any reply that arrived meanwhile before they go out (with `sendMessage`).
     * @throws ApplicationFailure (non-retryable) as `composeMessage`, and `AddressSuppressed` as `sendMessage`.
     */
    async composeAndSendStep(input: StepInput): Promise<StepOutcome> {
      const message = await compose(input.composing);
      if (input.referredBy) message.body = withReferralOpening(message.body, input.referredBy);
      if (deps.model) return { message };
      return { message, receipt: await send({ ...input.send, subject: message.subject, body: message.body }) };
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
