/**
 * The automated cadence: waiting for the next step, sending it, and, after the last one, waiting out the reply
 * window before closing as `no_response`. An out-of-office or not-now reply moves the next step later.
 */
import { log } from '@temporalio/workflow';
import { isSuppressedSend } from '../suppression';
import type { OutreachSend } from '../../activities/outreach';
import type { ComposedMessage, ComposeInput } from '../../src/outreach/composer';
import type { CadenceStepInput, Referrer } from '../messages';
import { composeAndSendStep, composeMessage, researchAndCompose, researchProspect, sendFirstStep, sendMessage, type SendReceipt } from './activities';
import { iso, type Conversation } from './conversation';
import { optOut } from './escalation';
import { addToThread } from './memory';
import { withReferralOpening } from './tasks';
import { publish } from './visibility';

/** Something for the loop to handle before any waiting goes on: a reply or trigger in the inbox, or a CRM touch. */
export function somethingQueued(c: Conversation): boolean {
  return c.m.inbox.length > 0 || c.m.touches.length > 0;
}

/** How the loop waits for the next step: until it is due, waking early for anything queued or a moved schedule. */
export function nextStepWait(c: Conversation): { waitMs: number; until: () => boolean; summary: string } {
  const { m } = c;
  const step = c.cadence[m.stepIndex]!;
  const stepBefore = m.stepIndex;
  const anchorBefore = m.anchor.at;
  return {
    waitMs: c.stepDueAt(m.stepIndex) - Date.now(),
    until: () => somethingQueued(c) || m.stage !== 'automating' || m.stepIndex !== stepBefore || m.anchor.at !== anchorBefore,
    summary: `Wait for ${step.name}`,
  };
}

/** How the loop waits after the last step: for a reply, until the reply window closes. */
export function replyWindowWait(c: Conversation): { waitMs: number; until: () => boolean; summary: string } {
  const { m } = c;
  const closesAt = Date.parse(m.cadenceDoneAt ?? m.startedAt) + c.policy.replyWindowMs;
  const doneBefore = m.cadenceDoneAt;
  return {
    waitMs: Math.max(closesAt - Date.now(), 1),
    until: () => somethingQueued(c) || m.stage !== 'automating' || m.stepIndex < c.cadence.length || m.cadenceDoneAt !== doneBefore,
    summary: 'Wait for a reply after the last step',
  };
}

/** Researches the prospect (once), composes the next step and sends it, unless a reply arrived meanwhile. */
export async function sendStep(c: Conversation): Promise<void> {
  const { m, prospect, input } = c;
  const index = m.stepIndex;
  const step = c.cadence[index]!;
  const composing: Omit<ComposeInput, 'research'> = {
    prospect,
    voice: input.voice,
    step,
    stepIndex: index,
    previousSubjects: m.thread.filter((t) => t.subject).map((t) => t.subject!),
    ...(input.campaign === undefined ? {} : { campaign: input.campaign }),
  };
  // A referred colleague's first touch says who suggested reaching out.
  const referredBy = input.referredBy && step.kind === 'first_touch' && m.sent.length === 0 ? input.referredBy : undefined;
  const touchKey = `round-${m.round}/step-${index}`;
  let sent: { message: ComposedMessage; receipt: SendReceipt } | undefined;
  try {
    if (!m.research && c.patches.has('first-step-in-one-activity')) sent = await researchComposeAndSend(c, composing, referredBy, touchKey);
    else if (m.research && c.patches.has('step-in-one-activity')) sent = await composeAndSend(c, { ...composing, research: m.research }, referredBy, touchKey);
    else sent = await composeThenSend(c, composing, referredBy, touchKey);
  } catch (err) {
    // The address was suppressed after the conversation started: automation ends here, as an opt-out would.
    if (isSuppressedSend(err) && c.patches.has('suppressed-address')) {
      // A reply that arrived during the send is read first: a buyer on a suppressed address who asks for a person
      // still reaches one. The step stays unsent, and automation ends at its next send.
      if (m.inbox.length > 0 && c.patches.has('reply-before-suppressed-end')) return;
      endSuppressed(c);
      return;
    }
    throw err;
  }
  if (!sent) return;
  const { message, receipt } = sent;
  const at = iso(Date.now());
  m.sent.push({ step: index, name: step.name, at, messageId: receipt.providerId });
  addToThread(m, { messageId: receipt.providerId, author: 'automation', channel: step.channel, text: message.body, subject: message.subject, at, step: index });
  m.stepIndex = index + 1;
  if (m.stepIndex >= c.cadence.length) m.cadenceDoneAt = at;
  publish(c);
  if (!receipt.touchLogged) await c.touchCrm('email_sent', `${step.name} sent`, touchKey);
}

/** The step's send as the activities take it, without its words; with the CRM touch when the send may log it. */
function stepSend(c: Conversation, step: CadenceStepInput, touchKey: string): Omit<OutreachSend, 'subject' | 'body'> {
  const { prospect, input } = c;
  // Runs with `send-logs-its-touch` let the send tell the CRM, one activity and one workflow task fewer a step,
  // unless earlier touches still wait: the CRM hears of them in order.
  const sendsTouch = c.patches.has('send-logs-its-touch') && c.noTouchesWaiting();
  return {
    ...(sendsTouch ? { crmTouch: c.crmTouch('email_sent', `${step.name} sent`, touchKey) } : {}),
    idempotencyKey: `${c.id}/${touchKey}`,
    conversationId: c.id,
    channel: step.channel,
    to: { name: prospect.name, email: prospect.email },
    from: { name: input.voice.senderName, ...(input.voice.senderEmail ? { email: input.voice.senderEmail } : {}) },
  };
}

/**
 * The first step with `first-step-in-one-activity`: researched, composed and sent by one activity. A reply that
 * arrives while it runs is read once the step is out, as one arriving during any send is.
 */
async function researchComposeAndSend(c: Conversation, composing: Omit<ComposeInput, 'research'>, referredBy: Referrer | undefined, touchKey: string) {
  const { m, prospect } = c;
  const done = await sendFirstStep.executeWithOptions({ summary: `Research ${prospect.name} at ${prospect.company}, compose and send ${composing.step.name}` }, [
    { composing, send: stepSend(c, composing.step, touchKey), ...(referredBy ? { referredBy } : {}) },
  ]);
  m.research = done.research;
  return done;
}

/**
 * A step after the research with `step-in-one-activity`: composed and sent by one activity when a template writes
 * it. Words a model drafted come back unsent, and go out as `composeThenSend` sends them: after any reply that
 * arrived meanwhile is read.
 */
async function composeAndSend(c: Conversation, composing: ComposeInput, referredBy: Referrer | undefined, touchKey: string) {
  const { m, prospect } = c;
  const step = composing.step;
  const done = await composeAndSendStep.executeWithOptions({ summary: `Compose and send ${step.name} to ${prospect.name}` }, [
    { composing, send: stepSend(c, step, touchKey), ...(referredBy ? { referredBy } : {}) },
  ]);
  if (done.receipt) return { message: done.message, receipt: done.receipt };
  if (m.inbox.length > 0) return undefined;
  return { message: done.message, receipt: await sendComposed(c, step, done.message, touchKey) };
}

/** A step composed by one activity (researching first when the conversation has no research yet) and sent by another. */
async function composeThenSend(c: Conversation, composing: Omit<ComposeInput, 'research'>, referredBy: Referrer | undefined, touchKey: string) {
  const { m, prospect } = c;
  const step = composing.step;
  let message: ComposedMessage;
  if (!m.research && c.patches.has('research-with-first-step')) {
    const researched = await researchAndCompose.executeWithOptions({ summary: `Research ${prospect.name} at ${prospect.company}, compose ${step.name}` }, [composing]);
    m.research = researched.research;
    message = researched.message;
  } else {
    if (!m.research) {
      m.research = await researchProspect.executeWithOptions({ summary: `Research ${prospect.name} at ${prospect.company}` }, [prospect]);
    }
    message = await composeMessage.executeWithOptions({ summary: `Compose ${step.name}` }, [{ ...composing, research: m.research }]);
  }
  // A reply that arrived while composing is handled first; the step runs after, if the cadence goes on.
  if (m.inbox.length > 0) return undefined;
  if (referredBy) message.body = withReferralOpening(message.body, referredBy);
  return { message, receipt: await sendComposed(c, step, message, touchKey) };
}

/** Sends a step whose words are written. */
function sendComposed(c: Conversation, step: CadenceStepInput, message: ComposedMessage, touchKey: string): Promise<SendReceipt> {
  return sendMessage.executeWithOptions({ summary: `${step.name} sent to ${c.prospect.name}` }, [{ ...stepSend(c, step, touchKey), subject: message.subject, body: message.body }]);
}

/** Ends the conversation as opted out because a send found the address on the suppression list. */
export function endSuppressed(c: Conversation): void {
  log.info('conversation ended: the address is suppressed', { conversationId: c.id });
  c.apply(optOut(c.m, true, c.moment()));
  c.m.touches.push({ kind: 'opted_out', summary: 'Suppressed address: automation ended', key: 'opted-out' });
}

/** Moves the next step to `atMs` at the earliest (an out-of-office or not-now reply); after the last step, the reply window. */
export function moveNextStepTo(c: Conversation, atMs: number): void {
  const { m } = c;
  if (m.stepIndex >= c.cadence.length) {
    m.cadenceDoneAt = iso(Math.max(atMs, Date.parse(m.cadenceDoneAt ?? m.startedAt)));
    return;
  }
  if (atMs > c.stepDueAt(m.stepIndex)) m.anchor = { step: m.stepIndex, at: iso(atMs) };
}
