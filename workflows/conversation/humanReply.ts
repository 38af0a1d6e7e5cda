/**
 * A reply that needs a person (no trigger, no opt-out, out-of-office or not-now) is never followed by the next
 * canned step as if nothing had been said. A referral that names a colleague's address starts a conversation with
 * them, carrying the referrer's context, and ends the referrer's cadence; one that names nobody reachable, and any
 * other such reply, becomes a low-priority task for the owner (one notice, no ladder), unless the campaign answers
 * such replies with automation (`humanReply: acknowledge`): then a step acknowledges the reply and the cadence
 * goes on.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { isCancellation, log, ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { REFERRAL_LIMIT, REFERRALS_PER_REPLY } from '../limits';
import { conversationWorkflowId, type ConversationInput, type Referral, type Referrer, type ReplyClassification, type ReplyInput } from '../messages';
import { isSuppressedSend } from '../suppression';
import { composeReplyAcknowledgement, sendMessage, suppressionOf, type SendReceipt } from './activities';
import { endSuppressed, moveNextStepTo } from './cadence';
import { iso, type Conversation } from './conversation';
import { eventIds } from './eventIds';
import { addToThread } from './memory';
import { colleagueProspect, openTask, referredColleagues } from './tasks';
import { publish } from './visibility';

/**
 * Answers a reply that needs a person (see `needsPersonsAnswer`): starts the referred colleagues' conversations,
 * or acknowledges the reply, or gives it to the owner as a low-priority task.
 */
export async function answerHumanReply(c: Conversation, reply: ReplyInput, verdict: ReplyClassification): Promise<void> {
  const { m } = c;
  if (verdict.labels.includes('referral')) {
    const room = Math.max(0, REFERRAL_LIMIT - (m.referrals?.length ?? 0));
    const colleagues = referredColleagues(verdict.namedAddresses ?? [], [c.prospect.email, c.input.voice.senderEmail], Math.min(REFERRALS_PER_REPLY, room));
    if (colleagues.length === 0) {
      c.apply(openTask(m, { kind: 'referral', messageId: reply.messageId, verdict }, c.moment()));
      return;
    }
    for (const email of colleagues) await startReferral(c, email, reply.messageId);
    // No canned follow-up to the referrer: their cadence ends here (the reply window still hears from them).
    m.stepIndex = c.cadence.length;
    m.cadenceDoneAt = iso(Date.now());
    c.setStage('automating');
    return;
  }
  if ((c.policy.humanReply ?? 'task') === 'acknowledge') {
    await acknowledgeReply(c, reply);
    return;
  }
  c.apply(openTask(m, { kind: 'reply', messageId: reply.messageId, verdict }, c.moment()));
}

/**
 * Starts the colleague's conversation, for the same campaign, as a child that outlives this one (`ABANDON`), under the workflow id their
 * prospect id gives, never reused (`REJECT_DUPLICATE`): a colleague named twice, or whose conversation already ran,
 * is linked, not contacted again. An address on the suppression list starts nothing (`suppressed`); the child's
 * sends check the list again, like any other.
 */
async function startReferral(c: Conversation, email: string, messageId: string): Promise<void> {
  const { m } = c;
  const prospect = colleagueProspect(email, c.prospect);
  const conversationId = conversationWorkflowId(prospect.id);
  const referredBy: Referrer = { conversationId: c.id, prospectId: c.prospect.id, name: c.prospect.name, company: c.prospect.company, messageId };
  const { cadence, voice, policy, campaign } = c.input;
  const input: ConversationInput = { prospect, cadence, voice, policy, referredBy, ...(campaign ? { campaign } : {}) };
  const outcome: Referral['outcome'] = (await onSuppressionList(c, email)) ? 'suppressed' : await startColleagueConversation(c, conversationId, input);
  (m.referrals ??= []).push({ email, conversationId, messageId, at: iso(Date.now()), outcome });
  c.ledger.record({
    eventId: eventIds.referred(c.id, messageId, conversationId),
    kind: 'referred',
    messageId,
    linkedConversationId: conversationId,
    ...(outcome === 'suppressed' ? { suppressed: true } : {}),
  });
  log.info('referred colleague', { conversationId: c.id, colleagueConversationId: conversationId, outcome });
  publish(c);
}

/** An email from the campaign's voice to the prospect, as the send activity takes it. */
function emailToProspect(c: Conversation, idempotencyKey: string, message: { subject: string; body: string }): Parameters<typeof sendMessage>[0] {
  const { prospect, input } = c;
  const sender = { name: input.voice.senderName, ...(input.voice.senderEmail ? { email: input.voice.senderEmail } : {}) };
  return { idempotencyKey, conversationId: c.id, channel: 'email', to: { name: prospect.name, email: prospect.email }, from: sender, subject: message.subject, body: message.body };
}

/** Starts the colleague's conversation; one that already ran (or runs) under that id is linked as it is. */
async function startColleagueConversation(c: Conversation, conversationId: string, input: ConversationInput): Promise<Referral['outcome']> {
  try {
    await startChild('conversationWorkflow', {
      workflowId: conversationId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Referred by ${c.prospect.name} (${c.id})`,
    });
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'already_started';
    throw err;
  }
}

/**
 * Whether the colleague's address is on the suppression list: such a colleague is never contacted. A lookup that
 * keeps failing is logged and answers no: the colleague's own sends check the list again.
 */
async function onSuppressionList(c: Conversation, email: string): Promise<boolean> {
  try {
    return (await suppressionOf.executeWithOptions({ summary: 'Check the referred address against the suppression list' }, [{ email }])) !== null;
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('the referred address could not be checked against the suppression list', { conversationId: c.id });
    return false;
  }
}

/**
 * Sends the step acknowledging the reply, threaded under the conversation's mail, then lets the cadence go on:
 * the next step keeps its spacing from the acknowledgement (after the last step, the reply window starts again).
 */
async function acknowledgeReply(c: Conversation, reply: ReplyInput): Promise<void> {
  const { m, prospect, input } = c;
  const { voice } = input;
  const ack = await composeReplyAcknowledgement.executeWithOptions({ summary: `Compose the acknowledgement of reply ${reply.messageId}` }, [{ prospect, voice }]);
  if (c.isOver()) return;
  let receipt: SendReceipt;
  try {
    receipt = await sendMessage.executeWithOptions({ summary: `Acknowledgement of reply ${reply.messageId} sent to ${prospect.name}` }, [
      emailToProspect(c, `${c.id}/reply/${reply.messageId}/acknowledgement`, ack),
    ]);
  } catch (err) {
    if (isCancellation(err) || !isSuppressedSend(err)) throw err;
    endSuppressed(c);
    return;
  }
  const now = Date.now();
  addToThread(m, { messageId: receipt.providerId, author: 'automation', channel: 'email', text: ack.body, subject: ack.subject, at: iso(now) });
  m.touches.push({ kind: 'email_sent', summary: `Reply ${reply.messageId} acknowledged`, key: `reply-${reply.messageId}/acknowledged` });
  const next = c.cadence[m.stepIndex];
  const previous = c.cadence[m.stepIndex - 1];
  moveNextStepTo(c, now + (next && previous ? next.offsetMs - previous.offsetMs : 0));
  c.setStage('automating');
}
