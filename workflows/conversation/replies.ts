/**
 * What each reply does. A reply waits in the inbox, is read by the classify activity, recorded, and then:
 * an opt-out stops everything; in a claimed conversation it goes to the owner; a trigger (or a reply nobody could
 * read) escalates; an out-of-office or not-now reply moves the next step; any other reply needs a person and is
 * answered in `./humanReply` (a referral, a low-priority task for the owner, or an acknowledging step).
 * A manual trigger escalates directly.
 */
import { isCancellation, log } from '@temporalio/workflow';
import { addLaterTrigger, boundThread, truncateMessage, withinHorizon } from '../bounds';
import { FORMER_REPLY_ID_LIMIT, MANUAL_ESCALATION_LIMIT, REPLY_INLINE_BYTES } from '../limits';
import { isOwnedStage, ReplyInputSchema, TriggerInputSchema, type ReplyClassification, type ReplyInput, type ThreadMessage, type TriggerInput } from '../messages';
import { suppressOptedOut } from './activities';
import { moveNextStepTo } from './cadence';
import { iso, type Conversation } from './conversation';
import { escalate, optOut, type EscalationCause } from './escalation';
import { eventIds } from './eventIds';
import { answerHumanReply } from './humanReply';
import { routeTarget } from './ladder';
import { addToThread, claimedRecord, latestRecord, openRecord, replySeen, type CrmTouch } from './memory';
import { startOfLocalDay } from './schedule';
import { needsPersonsAnswer, supersedeTask } from './tasks';
import { publish } from './visibility';

/** The reply signal: a new, valid reply joins the inbox; a repeated message id, or one after the end, is ignored. */
export function receiveReply(c: Conversation, raw: unknown): void {
  const parsed = ReplyInputSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn('reply signal rejected: invalid input', { conversationId: c.id });
    return;
  }
  const reply = parsed.data;
  if (replySeen(c.m, reply.messageId) || c.isOver()) return;
  c.m.inbox.push({ kind: 'reply', reply });
  c.tally.replies++;
}

/** The trigger signal: a manual escalation joins the inbox, up to the conversation's limit. */
export function receiveTrigger(c: Conversation, raw: unknown): void {
  const parsed = TriggerInputSchema.safeParse(raw);
  if (!parsed.success || c.isOver()) return;
  if (c.limited && c.tally.manualEscalations >= MANUAL_ESCALATION_LIMIT) {
    c.tally.manualEscalationsRefused++;
    log.warn('manual escalation refused: the conversation has reached its limit', { conversationId: c.id, limit: MANUAL_ESCALATION_LIMIT });
    return;
  }
  c.tally.manualEscalations++;
  c.m.inbox.push({ kind: 'trigger', trigger: parsed.data, at: iso(Date.now()) });
}

/** Opens an escalation, or merges into the open one (re-arming the claim wait when its deadline came in). */
export function startEscalation(c: Conversation, cause: EscalationCause): void {
  // An open low-priority task gives way: the escalation climbs its own ladder.
  const task = openRecord(c.m);
  if (task?.task) c.apply(supersedeTask(c.m, task));
  const result = escalate(c.m, cause, c.policy, c.moment());
  if (!result.merged) {
    c.apply(result.effects);
    return;
  }
  if (result.deadlineMoved) c.deadlineVersion++;
  publish(c);
}

/**
 * Handles one reply from the inbox: it joins the thread (automation pauses while it is read), the classify
 * activity reads it, the verdict is recorded (on the message, in the ledger, as a CRM touch), and then it acts.
 */
export async function handleReply(c: Conversation, reply: ReplyInput): Promise<void> {
  const { m } = c;
  // Awaits stay in this one function: the ledger appends in the background, and recorded histories replay only
  // if the reply's commands interleave with it exactly as they did.
  const wasAutomating = m.stage === 'automating';
  const stored = reply.bodyRef ? { truncated: true, bodyRef: reply.bodyRef, ...(reply.bodyBytes ? { bodyBytes: reply.bodyBytes } : {}) } : {};
  const message = addToThread(
    m,
    truncateMessage({ messageId: reply.messageId, author: 'prospect', channel: reply.channel, text: reply.text, at: reply.receivedAt, ...stored }, REPLY_INLINE_BYTES),
  );
  if (wasAutomating) c.setStage('paused');
  const verdict = await read(c, reply);
  const touch = recordVerdict(c, reply, message, verdict);
  // The CRM hears of the reply after the rep does: the loop drains queued touches once the first rung is open.
  if (c.alertBeforeCrmTouch) m.touches.push(touch);
  else await c.touchCrm(touch.kind, touch.summary, touch.key);
  // An opt-out that also asks for a person or carries another trigger: when unsure, a human reads it, and the
  // suppression list keeps automation from ever mailing again. Runs recorded before it opted out at once.
  const optOutWithTrigger = verdict.labels.includes('opt_out') && verdict.escalate && verdict.trigger !== null;
  if (optOutWithTrigger && c.patches.has('opt-out-with-trigger-escalates')) await suppress(c);
  else if (verdict.labels.includes('opt_out')) {
    c.apply(optOut(m, false, c.moment()));
    // The opt-out outlives this workflow on the suppression list. Runs recorded before it replay without it.
    if (c.patches.has('suppress-on-opt-out')) await suppress(c);
    if (c.alertBeforeCrmTouch) m.touches.push({ kind: 'opted_out', summary: 'Opted out', key: 'opted-out' });
    else await c.touchCrm('opted_out', 'Opted out', 'opted-out');
    return;
  }
  if (isOwnedStage(m.stage)) {
    // The human owns the conversation: the reply is recorded and goes to the owner, never answered here.
    const record = claimedRecord(m);
    if (m.owner && record) c.alerts.forward(record, m.owner, reply.messageId);
    return;
  }
  // A reply the rules could not read (too slow, or its thread failed) goes to a human as a manual escalation: no
  // trigger is claimed and no acknowledgement is sent. Runs whose activity answered before this existed ignore it.
  if (verdict.fallback && c.patches.has('unclassified-reply-escalates')) {
    startEscalation(c, {
      reason: 'manual',
      trigger: null,
      messageId: reply.messageId,
      evidence: [],
      rulesFired: [],
      rulesVersion: verdict.rulesVersion,
      note: `reply ${reply.messageId} could not be classified (${verdict.fallback === 'time_limit' ? 'over the time limit' : 'its thread failed'}); read it yourself`,
      unclassified: verdict.fallback,
    });
    return;
  }
  if (verdict.escalate && verdict.trigger) {
    startEscalation(c, {
      reason: verdict.trigger,
      trigger: verdict.trigger,
      messageId: reply.messageId,
      evidence: verdict.evidence,
      rulesFired: [...new Set(verdict.evidence.map((e) => e.rule))],
      rulesVersion: verdict.rulesVersion,
      ...(verdict.modelVersion !== undefined ? { modelVersion: verdict.modelVersion } : {}),
      ...(verdict.decidedBy ? { decidedBy: verdict.decidedBy } : {}),
    });
    return;
  }
  if (m.stage === 'escalated') return;
  // A person wrote, and automation has nothing of its own to do with it: the next canned step never follows as
  // if nothing had been said. Runs recorded before this let the cadence go on.
  if (wasAutomating && needsPersonsAnswer(verdict) && c.patches.has('every-human-reply-handled')) {
    await answerHumanReply(c, reply, verdict);
    return;
  }
  rescheduleFor(c, verdict);
  if (wasAutomating) c.setStage('automating');
}

/**
 * Reads a reply. Where a trigger in it would open a new escalation, the first rung is routed in the same local
 * activity (runs with `routing-with-the-reading`), so the alert follows the reading in one step; else it is only read.
 */
// Not `async`: it hands back the activity's own promise, so the reply's await takes as many turns as it was
// recorded with, and runs recorded before this change replay.
function read(c: Conversation, reply: ReplyInput): Promise<ReplyClassification> {
  const { m } = c;
  const text = { text: reply.text, receivedAt: reply.receivedAt, ...(reply.autoSubmitted ? { autoSubmitted: true as const } : {}) };
  const open = openRecord(m);
  if (!c.routesWithReading || isOwnedStage(m.stage) || (open && !open.task)) {
    return c.classify.executeWithOptions({ summary: `Classify reply ${reply.messageId}` }, [text]);
  }
  const offHours = c.policy.offHours;
  const firstRung = { ...routeTarget(c), at: iso(Date.now()), ...(offHours ? { offHours } : {}) };
  return c.readAndRoute({ summary: `Classify reply ${reply.messageId}, and route the escalation it opens` }, [{ reply: text, firstRung }], m.escalations.length + 1);
}

/**
 * Records a reply's verdict: on its message in the thread, as the last verdict, and in the ledger; keeps the
 * thread within its limits. Returns the CRM touch that tells of the reply.
 */
function recordVerdict(c: Conversation, reply: ReplyInput, message: ThreadMessage, verdict: ReplyClassification): CrmTouch {
  const { m } = c;
  message.labels = verdict.labels;
  message.trigger = verdict.trigger;
  message.rulesVersion = verdict.rulesVersion;
  if (verdict.modelVersion !== undefined) message.modelVersion = verdict.modelVersion;
  if (verdict.decidedBy) message.decidedBy = verdict.decidedBy;
  m.lastVerdict = { messageId: reply.messageId, escalate: verdict.escalate };
  c.ledger.record({
    eventId: eventIds.replyClassified(c.id, reply.messageId),
    kind: 'reply_classified',
    messageId: reply.messageId,
    text: reply.text,
    receivedAt: reply.receivedAt,
    ...(reply.bodyRef ? { bodyRef: reply.bodyRef, ...(reply.bodyBytes ? { bodyBytes: reply.bodyBytes } : {}) } : {}),
    labels: verdict.labels,
    escalate: verdict.escalate,
    trigger: verdict.trigger,
    rulesVersion: verdict.rulesVersion,
    ...(verdict.modelVersion !== undefined ? { modelVersion: verdict.modelVersion } : {}),
    ...(verdict.decidedBy ? { decidedBy: verdict.decidedBy } : {}),
    ...(verdict.endpoint ? { endpoint: verdict.endpoint } : {}),
    rulesFired: [...new Set(verdict.evidence.map((e) => e.rule))],
    evidence: verdict.evidence,
    ...(verdict.fallback ? { fallback: verdict.fallback } : {}),
  });
  keepThreadBounded(c, reply.messageId);
  const heard = verdict.fallback ? 'not classified' : verdict.labels.join(', ');
  return { kind: 'reply_received', summary: `Reply received (${heard})`, key: `reply-${reply.messageId}` };
}

/** An out-of-office reply moves the next step to the sender's return; a not-now reply, to when they asked. */
function rescheduleFor(c: Conversation, verdict: ReplyClassification): void {
  const now = Date.now();
  const { prospect, policy } = c;
  let at: number | null = null;
  if (verdict.labels.includes('out_of_office')) {
    at = verdict.returnDate ? startOfLocalDay(verdict.returnDate, prospect.timeZone) : now + policy.outOfOfficeDefaultMs;
  } else if (verdict.labels.includes('not_now')) {
    at = verdict.snoozeUntil ? startOfLocalDay(verdict.snoozeUntil, prospect.timeZone) : now + policy.notNowDefaultMs;
  }
  if (at !== null) moveNextStepTo(c, c.limited ? withinHorizon(at, now) : at);
}

/** Puts the opted-out address on the suppression list; a failure is logged, never the end of the conversation. */
async function suppress(c: Conversation): Promise<void> {
  try {
    await suppressOptedOut.executeWithOptions({ summary: 'Suppress the opted-out address' }, [
      { prospectId: c.prospect.id, email: c.prospect.email, conversationId: c.id },
    ]);
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.error('the opted-out address could not be suppressed', { conversationId: c.id });
  }
}

/**
 * Keeps the thread within its limits after a reply: the oldest replies past the limit leave it (remembered by
 * id), older texts are cut to previews. The reply just handled and the escalations' triggering replies stay whole.
 */
function keepThreadBounded(c: Conversation, messageId: string): void {
  const { m } = c;
  const keepWhole = [messageId, openRecord(m)?.triggeringMessageId, latestRecord(m)?.triggeringMessageId].filter((id): id is string => Boolean(id));
  const { thread, dropped } = boundThread(m.thread, keepWhole);
  m.thread = thread;
  if (dropped.length === 0) return;
  c.tally.repliesOutsideThread += dropped.length;
  c.formerReplyIds.push(...dropped);
  c.formerReplyIds.splice(0, Math.max(0, c.formerReplyIds.length - FORMER_REPLY_ID_LIMIT));
}

/** Handles a manual trigger from the inbox: recorded, then escalated (or noted on the escalation a rep owns). */
export function handleTrigger(c: Conversation, trigger: TriggerInput, at: string): void {
  const { m } = c;
  if (isOwnedStage(m.stage)) {
    const record = claimedRecord(m);
    if (record) addLaterTrigger(record, { reason: 'manual', messageId: null, at }, []);
    return;
  }
  const note = trigger.note ? `${trigger.reason}: ${trigger.note}` : trigger.reason;
  const rulesSaidNo = m.lastVerdict ? !m.lastVerdict.escalate : undefined;
  const open = openRecord(m);
  c.ledger.record({
    eventId: eventIds.manualTrigger(c.id, at),
    kind: 'manual_trigger',
    trigger: trigger.trigger ?? null,
    note,
    ...(rulesSaidNo !== undefined ? { rulesSaidNo } : {}),
    ...(m.lastVerdict ? { messageId: m.lastVerdict.messageId } : {}),
    escalation: open ? open.number : m.escalations.length + 1,
  });
  startEscalation(c, {
    reason: 'manual',
    trigger: trigger.trigger ?? null,
    messageId: m.lastVerdict?.messageId ?? null,
    evidence: [],
    rulesFired: [],
    rulesVersion: null,
    note,
    ...(rulesSaidNo !== undefined ? { rulesSaidNo } : {}),
  });
}
