/**
 * Climbing the escalation ladder: open a rung (routing decides who; tiers with nobody available are skipped, and
 * off hours the trigger's policy follows the sun or holds for the owner's shift), alert its assignees, wait for a
 * claim until its deadline, and climb, or past the last tier alert the same audience again, up to the re-alert cap,
 * where the ladder ends unclaimed and the managers are told. A buyer who asked for a person hears back at once.
 */
import { isCancellation, log } from '@temporalio/workflow';
import type { RouteDecision, RouteRequest } from '../../activities/routing';
import { meetingOffer } from '../meetings';
import type { EscalationRecord, MeetingOffer } from '../messages';
import { isSuppressedSend } from '../suppression';
import { composeAcknowledgement, routeEscalation, sendMessage, type SendReceipt } from './activities';
import { iso, type Conversation } from './conversation';
import { atRealertCap, claimWindowMs, currentRung, nextTier, offHoursFacts, pendingRung, realertCount, skippedRung } from './escalation';
import { eventIds } from './eventIds';
import { addToThread } from './memory';
import { reasonLabel } from './packet';
import { publish } from './visibility';

/** One step of an open escalation: open the first rung, or wait for a claim until the deadline, or climb. */
export async function climb(c: Conversation, record: EscalationRecord): Promise<void> {
  if (record.task) {
    await tendTask(c, record);
    return;
  }
  if (record.unclaimed) {
    // The ladder ended at the re-alert cap: only a claim, a reply or the end of the conversation moves it now.
    await c.wait(() => c.m.inbox.length > 0 || record.status !== 'open' || c.isOver());
    return;
  }
  const rung = currentRung(record);
  if (!rung || rung.outcome !== 'pending') {
    await raiseRung(c, record, 1);
    return;
  }
  const remaining = Date.parse(rung.deadline) - Date.now();
  if (remaining <= 0) {
    const tier = nextTier(record);
    rung.outcome = 'expired';
    // Runs started before the cap have no `maxRealerts`, so they never reach it and replay as recorded.
    if (atRealertCap(record, c.policy.maxRealerts) && c.patches.has('unclaimed-at-realert-cap')) {
      await endUnclaimed(c, record);
      return;
    }
    await raiseRung(c, record, tier);
    return;
  }
  const version = c.deadlineVersion;
  await c.wait(
    () => c.m.inbox.length > 0 || record.status !== 'open' || version !== c.deadlineVersion || c.isOver(),
    remaining,
    { summary: `Claim deadline, tier ${rung.tier}` },
  );
}

/**
 * A low-priority task has no ladder: routing names its rep once, who gets one notice (with the packet and a claim
 * link); then it waits, with no deadline and no re-alert, for a claim, a reply or the end of the conversation. Its
 * rung's `deadline` is only how long the claim link works (the reply window).
 */
async function tendTask(c: Conversation, record: EscalationRecord): Promise<void> {
  if (record.rungs.length > 0) {
    await c.wait(() => c.m.inbox.length > 0 || record.status !== 'open' || c.isOver());
    return;
  }
  let decision: RouteDecision | null = null;
  let error: string | null = null;
  try {
    decision = await routeEscalation.executeWithOptions({ summary: `Route the task for ${record.triggeringMessageId ?? 'a reply'}` }, [routeRequest(c, record, 1)]);
  } catch (err) {
    if (isCancellation(err)) throw err;
    error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  }
  if (record.status !== 'open') return;
  const taskRep = decision ? { ...decision, assignees: decision.assignees.slice(0, 1) } : null;
  record.rungs.push(pendingRung(taskRep, 1, Date.now(), c.policy.replyWindowMs, error));
  publish(c);
  log.info('task given to a rep', { conversationId: c.id, escalation: record.number, assignees: taskRep?.assignees.map((a) => a.repId) ?? [] });
  if (taskRep) c.alerts.alertRung(record, record.rungs.length - 1, taskRep.assignees);
}

/** Whom every routing request is about: the conversation and its prospect. */
export function routeTarget(c: Conversation): Pick<RouteRequest, 'conversationId' | 'prospect'> {
  const { prospect } = c;
  return {
    conversationId: c.id,
    prospect: {
      email: prospect.email,
      company: prospect.company,
      ...(prospect.owner ? { owner: prospect.owner } : {}),
      ...(prospect.timeZone ? { timeZone: prospect.timeZone } : {}),
    },
  };
}

/** What routing is asked for `record` at `tier` now: the prospect, who was asked before, the conversation's off-hours policy. */
function routeRequest(c: Conversation, record: EscalationRecord, tier: number): RouteRequest {
  const { conversationId, prospect } = routeTarget(c);
  const offHours = c.policy.offHours?.[record.reason];
  return {
    conversationId,
    reason: record.reason,
    trigger: record.trigger,
    tier,
    prospect,
    alreadyAsked: [...new Set(record.rungs.flatMap((r) => r.assignees.map((a) => a.repId)))],
    at: iso(Date.now()),
    ...(offHours ? { offHours } : {}),
  };
}

/** Opens the next rung: asks routing who takes it, records the rung (and the tiers skipped), and sends the alerts. */
async function raiseRung(c: Conversation, record: EscalationRecord, tier: number): Promise<void> {
  const previous = currentRung(record);
  let decision: RouteDecision | null = null;
  let error: string | null = null;
  // Routing is awaited here, not behind further awaits: the ledger appends in the background, and recorded
  // histories replay only if the rung's commands interleave with it exactly as they did.
  const summary = `Route ${reasonLabel(record.reason)} escalation, tier ${tier}`;
  try {
    if (c.routesInTask) {
      // In the workflow task where it need not wait (with the reading of the reply, when that routed it already);
      // else, or when it failed there, by the routing activity.
      const withReading = c.routesWithReading ? c.takeFirstRungRouting(record, tier) : null;
      const request = withReading?.request ?? routeRequest(c, record, tier);
      const inTask = withReading
        ? withReading.answer
        : await c.routeInTask({ summary }, [request]).catch((err: unknown) => {
            if (isCancellation(err)) throw err;
            return { deferred: 'routing in the workflow task failed' } as const;
          });
      if ('decision' in inTask) decision = inTask.decision;
      else {
        const handedOn = 'turnsTaken' in inTask && inTask.turnsTaken ? { turnsTaken: inTask.turnsTaken } : {};
        decision = await routeEscalation.executeWithOptions({ summary: `${summary} (${inTask.deferred})` }, [{ ...request, ...handedOn }]);
      }
    } else {
      decision = await routeEscalation.executeWithOptions({ summary }, [routeRequest(c, record, tier)]);
    }
  } catch (err) {
    if (isCancellation(err)) throw err;
    error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  }
  if (record.status !== 'open') return; // claimed, closed or opted out while routing
  const now = Date.now();
  for (const skip of decision?.skipped ?? []) record.rungs.push(skippedRung(skip, now));
  const pastLastTier = Boolean(previous?.lastTier && decision?.isLastTier);
  const rung = pendingRung(decision, tier, now, claimWindowMs(c.policy, record.reason, pastLastTier), error, pastLastTier);
  // The meeting times are worked out here, in workflow time, so the buyer and the packet are offered the same ones.
  if (decision?.booking) rung.meetingOffer = meetingOffer(decision.booking, now, c.prospect.timeZone);
  record.rungs.push(rung);
  if (previous) {
    c.ledger.record({
      eventId: eventIds.reEscalated(c.id, record.number, record.rungs.length),
      kind: 're_escalated',
      escalation: record.number,
      reason: record.reason,
      trigger: record.trigger,
      tier: rung.tier,
    });
  }
  publish(c);
  log.info('escalation rung opened', { conversationId: c.id, escalation: record.number, tier: rung.tier, assignees: rung.assignees.map((a) => a.repId) });
  if (decision) c.alerts.alertRung(record, record.rungs.length - 1, decision.assignees);
  const firstRung = record.rungs.length === 1 + (decision?.skipped.length ?? 0);
  if (record.reason === 'human_request' && c.policy.acknowledgeHumanRequest && !record.acknowledgedAt && firstRung) {
    await acknowledgeBuyer(c, record, rung.assignees[0]?.name, rung.meetingOffer);
  }
}

/**
 * The ladder ends unclaimed at the re-alert cap: the managers are told (routing names them and their channels),
 * the escalation records it and the ledger gets an `unclaimed` event. The escalation stays open for a claim.
 */
async function endUnclaimed(c: Conversation, record: EscalationRecord): Promise<void> {
  const rung = currentRung(record)!;
  let managers: RouteDecision['assignees'] = [];
  try {
    const notice = await routeEscalation.executeWithOptions({ summary: `Find the managers to tell escalation ${record.number} is unclaimed` }, [
      { ...routeRequest(c, record, rung.tier), notify: 'managers' },
    ]);
    managers = notice.assignees;
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('the managers could not be found to tell of an unclaimed escalation', { conversationId: c.id, escalation: record.number });
  }
  if (record.status !== 'open') return; // claimed, closed or opted out meanwhile
  const realerts = realertCount(record);
  const { offHours } = offHoursFacts(record, Date.now());
  record.unclaimed = { at: iso(Date.now()), realerts, managers: managers.map((m) => m.repId), deliveries: [] };
  c.ledger.record({
    eventId: eventIds.unclaimed(c.id, record.number),
    kind: 'unclaimed',
    escalation: record.number,
    reason: record.reason,
    trigger: record.trigger,
    tier: rung.tier,
    realerts,
    managers: record.unclaimed.managers,
    ...(offHours ? { offHours } : {}),
  });
  publish(c);
  log.info('escalation ended unclaimed at the re-alert cap', { conversationId: c.id, escalation: record.number, realerts });
  c.alerts.tellManagers(record, managers);
}

/**
 * Sends the buyer who asked for a person a courtesy note naming who will reply, with the rung's meeting times and
 * booking link when it has them (never to a suppressed address).
 */
async function acknowledgeBuyer(c: Conversation, record: EscalationRecord, assigneeName: string | undefined, meeting: MeetingOffer | undefined): Promise<void> {
  const { m, prospect, input } = c;
  const { voice } = input;
  const ack = await composeAcknowledgement.executeWithOptions({ summary: 'Compose the courtesy acknowledgement' }, [
    { prospect, voice, ...(assigneeName ? { assigneeFirstName: assigneeName.split(/\s+/)[0] } : {}), ...(meeting ? { meeting } : {}) },
  ]);
  if (m.optedOut) return;
  let receipt: SendReceipt;
  try {
    receipt = await sendMessage.executeWithOptions({ summary: `Courtesy acknowledgement sent to ${prospect.name}` }, [
      {
        idempotencyKey: `${c.id}/esc-${record.number}/acknowledgement`,
        conversationId: c.id,
        channel: 'email',
        to: { name: prospect.name, email: prospect.email },
        from: { name: voice.senderName, ...(voice.senderEmail ? { email: voice.senderEmail } : {}) },
        subject: ack.subject,
        body: ack.body,
      },
    ]);
  } catch (err) {
    // A suppressed address gets no automated mail, not even the courtesy; the rep is still alerted.
    if (isSuppressedSend(err) && c.patches.has('suppressed-address')) {
      log.warn('courtesy acknowledgement not sent: the address is suppressed', { conversationId: c.id, escalation: record.number });
      return;
    }
    throw err;
  }
  record.acknowledgedAt = iso(Date.now());
  addToThread(m, { messageId: receipt.providerId, author: 'automation', channel: 'email', text: ack.body, subject: ack.subject, at: record.acknowledgedAt });
}
