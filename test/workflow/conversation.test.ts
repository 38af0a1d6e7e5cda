import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { BOOKING_ROSTER, createConversationRig, flakyCrm, type ConversationRig, localActivityType, OFFICE_HOURS_ROSTER, recordHistory, waitForAlerts, waitForState } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { nextShiftStart } from '../../workflows/workingTime';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { repActor } from '../helpers/actor';
import { parseRuleSet } from '../../src/triggers';
import { ClassifierPool } from '../../src/triggers/pool';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HandoffStage } from '../../workflows/searchAttributes';
import { EVERY_PATCH } from '../../workflows/conversation/patches';
import { createReadAndRoute } from '../../activities/readAndRoute';
import {
  bookMeetingUpdate,
  claimUpdate,
  closeUpdate,
  feedbackUpdate,
  handBackUpdate,
  reassignUpdate,
  replySignal,
  stateQuery,
  triggerSignal,
  type HandoffPacket,
  type ReplyInput,
} from '../../workflows/messages';

const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function replyAt(env: TestWorkflowEnvironment, messageId: string, text: string): Promise<ReplyInput> {
  return { messageId, channel: 'email', text, receivedAt: new Date(await env.currentTimeMs()).toISOString() };
}

function ruleFailure(err: unknown): ApplicationFailure {
  assert.ok(err instanceof WorkflowUpdateFailedError, `expected an update failure, got ${String(err)}`);
  assert.ok(err.cause instanceof ApplicationFailure);
  return err.cause;
}

describe('a prospect conversation on the time-skipping server', () => {
  // Each test gets its own server: time skipping is global to a server, and so are the round-robin entities.
  let env: TestWorkflowEnvironment;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  test('a cold prospect gets every step of the cadence over 14 simulated days, each sent once', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('cold-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(15 * DAY);
      const state = await waitForState(handle, (s) => s.sent.length === 4, 'all four steps');
      const started = Date.parse(state.sent[0]!.at);
      const offsetsInDays = state.sent.map((s) => Math.round((Date.parse(s.at) - started) / DAY));
      assert.deepEqual(offsetsInDays, [0, 3, 7, 14]);
      assert.deepEqual(state.sent.map((s) => s.name), ['First touch', 'Follow-up 1', 'Follow-up 2', 'Break-up']);
      const sent = await rig.sent();
      assert.equal(sent.length, 4);
      assert.equal(new Set(sent.map((s) => s.idempotencyKey)).size, 4);
      assert.ok(sent.every((s) => s.to.email === 'jordan.cold-1@buyer.example'));
      assert.equal(state.stage, 'automating');
      // Each send told the CRM itself: no step cost a bookkeeping activity of its own.
      const touches = (await rig.crmTouches()).filter((t) => t.conversationId === handle.workflowId);
      assert.deepEqual(touches.map((t) => t.summary), ['First touch sent', 'Follow-up 1 sent', 'Follow-up 2 sent', 'Break-up sent']);
      const { events } = await handle.fetchHistory();
      const scheduled = events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      // Each step after the first is composed and sent by one activity.
      assert.deepEqual(scheduled, ['sendFirstStep', 'composeAndSendStep', 'composeAndSendStep', 'composeAndSendStep']);
      await recordHistory(handle, 'cold-1');
    });
  });

  test('a follow-up a model drafts is held back when a reply arrives while it drafts: the reply is read first, and the follow-up never goes out', async () => {
    let conversation: Awaited<ReturnType<ConversationRig['start']>> | undefined;
    const rig = await createConversationRig(env, {
      wrapActivities: (inner) => ({
        ...inner,
        // As the activity answers when a model drafts: the words, unsent; the prospect writes in meanwhile.
        async composeAndSendStep(step) {
          const message = await inner.composeMessage(step.composing);
          await conversation!.signal(replySignal, await replyAt(env, 'm-drafting', 'What would 40 seats cost a year?'));
          return { message };
        },
      }),
    });
    await rig.worker.runUntil(async () => {
      conversation = await rig.start({ prospect: prospect('drafting-1') });
      await waitForState(conversation, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(4 * DAY);
      const state = await waitForState(conversation, (s) => s.stage === 'escalated', 'the escalation');
      assert.equal(state.escalations[0]?.reason, 'pricing');
      assert.deepEqual(state.sent.map((s) => s.name), ['First touch']);
      assert.equal((await rig.sent()).length, 1, 'only the first touch went out');
    });
  });

  test('a CRM that fails when a step is sent still hears of it, once, from the conversation, and the step is sent once', async () => {
    const crm = flakyCrm(2);
    const rig = await createConversationRig(env, { wrapCrm: crm.wrap });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('crm-down-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      const touch = await eventually(async () => (await rig.crmTouches()).find((t) => t.conversationId === handle.workflowId), 'the first touch in the CRM');
      assert.equal(touch.summary, 'First touch sent');
      assert.equal(crm.left(), 0, 'the send tried the CRM, and the bookkeeping retried it');
      assert.equal((await rig.sent()).length, 1, 'the step went out once');
      const { events } = await handle.fetchHistory();
      const scheduled = events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      assert.deepEqual(scheduled, ['sendFirstStep', 'recordBookkeeping']);
    });
  });

  test('a pricing reply on day 2 pauses the cadence and alerts a tier-1 rep with the whole story', async () => {
    const rig = await createConversationRig(env);
    // Days pass unclaimed below; a daily re-alert keeps the recorded history small.
    rig.config.conversation.lastTierRealertInterval = '1 day';
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('pricing-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(2 * DAY);
      await handle.signal(replySignal, {
        messageId: 'm-1',
        channel: 'email',
        text: 'What would the price be for 40 seats on an annual plan?',
        receivedAt: new Date(await env.currentTimeMs()).toISOString(),
      });
      const state = await waitForState(handle, (s) => s.ladder[0]?.deliveries?.length === 1, 'the tier-1 alert');
      assert.equal(state.stage, 'escalated');
      assert.equal(state.nextStep, null);
      assert.equal(state.escalations[0]?.reason, 'pricing');
      assert.ok(state.escalations[0]!.evidence.some((e) => e.label === 'pricing'));
      const rung = state.ladder[0]!;
      assert.equal(rung.tier, 1);
      assert.equal(rung.assignees.length, 1);
      assert.equal(Date.parse(rung.deadline) - Date.parse(rung.alertedAt), 30 * MINUTE);
      const alerts = await rig.alerts();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.repId, rung.assignees[0]!.repId);
      const packet = alerts[0]!.packet as { thread: { messageId: string }[]; prospect: { id: string }; reason: string };
      assert.equal(packet.reason, 'pricing');
      assert.equal(packet.prospect.id, 'pricing-1');
      assert.deepEqual(packet.thread.map((t) => t.messageId).slice(-1), ['m-1']);
      // From the reply to the wait for a claim, the ledger and the search attributes were written once each.
      const { events } = await handle.fetchHistory();
      const reply = events!.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
      const claimWait = events!.findIndex((e) => e.timerStartedEventAttributes && e.eventId! > events![reply]!.eventId!);
      const burst = events!.slice(reply, events!.findIndex((e, i) => i > claimWait && e.workflowTaskScheduledEventAttributes));
      // The reply is read in the workflow task (a local-activity marker); the worker's first routing on a rotation
      // and the alert go through the task queue, and the alert carries the bookkeeping.
      const named = (name: string) => burst.filter((e) => (localActivityType(e) ?? e.activityTaskScheduledEventAttributes?.activityType?.name) === name).length;
      assert.ok(burst.some((e) => localActivityType(e) === 'readAndRoute'), 'the reply is read in the workflow task');
      assert.deepEqual(
        {
          readAndRoute: named('readAndRoute'),
          routeEscalation: named('routeEscalation'),
          deliverAlert: named('deliverAlert'),
          recordBookkeeping: named('recordBookkeeping'),
          upserts: burst.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length,
        },
        { readAndRoute: 1, routeEscalation: 1, deliverAlert: 1, recordBookkeeping: 0, upserts: 1 },
      );
      // Once the alert is out, the ledger and the CRM have the reply, the escalation and the alert, from the alert alone.
      const ledger = await eventually(async () => {
        const kinds = (await rig.ledger.query({ conversationId: handle.workflowId })).map((e) => e.kind);
        return kinds.includes('alerted') ? kinds : undefined;
      }, 'the alert in the ledger');
      assert.deepEqual([...ledger].sort(), ['alerted', 'escalated', 'reply_classified']);
      assert.equal(ledger.at(-1), 'alerted', 'the alert comes after what it carried');
      const alertedEvent = (await rig.ledger.query({ conversationId: handle.workflowId })).find((e) => e.kind === 'alerted')!;
      assert.equal(alertedEvent.repId, rung.assignees[0]!.repId);
      assert.ok(alertedEvent.replyToAlertMs !== undefined && alertedEvent.replyToAlertMs >= 0);
      const touches = (await rig.crmTouches()).filter((t) => t.conversationId === handle.workflowId).map((t) => t.kind);
      assert.deepEqual(touches, ['email_sent', 'reply_received']);
      const history = (await handle.fetchHistory()).events!;
      assert.equal(history.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordBookkeeping').length, 0, 'no bookkeeping activity of its own yet');
      // The Temporal UI says what the alert carries.
      const alertSummary = history.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverAlert')?.userMetadata?.summary?.data;
      assert.match(JSON.parse(Buffer.from(alertSummary ?? []).toString()) as string, /via outbox, then the ledger: reply_classified, escalated, CRM reply_received, alerted$/);
      await env.sleep(3 * DAY + MINUTE);
      const later = await handle.query(stateQuery);
      assert.equal(later.sent.length, 1, 'no follow-up is sent while escalated');
      await recordHistory(handle, 'pricing-1');
    });
  });

  test('an alert whose bookkeeping fails after it is delivered leaves it to the conversation: the rep is alerted once, and the ledger and the CRM hear of everything', async () => {
    const crm = flakyCrm(1, (touch) => touch.kind === 'reply_received');
    const rig = await createConversationRig(env, { wrapCrm: crm.wrap });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('carried-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      await waitForAlerts(handle, 'tier 1 alerted');
      const kinds = await eventually(async () => {
        const found = (await rig.ledger.query({ conversationId: handle.workflowId })).map((e) => e.kind).sort();
        return found.length === 3 ? found : undefined;
      }, 'the reply, the escalation and the alert in the ledger');
      assert.deepEqual(kinds, ['alerted', 'escalated', 'reply_classified']);
      const touch = await eventually(async () => (await rig.crmTouches()).find((t) => t.conversationId === handle.workflowId && t.kind === 'reply_received'), 'the reply in the CRM');
      assert.equal(touch.summary.startsWith('Reply received'), true);
      assert.equal(crm.left(), 0, 'the alert tried to record what it carried');
      assert.equal((await rig.alerts()).length, 1, 'the rep was alerted once');
      const scheduled = (await handle.fetchHistory()).events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      assert.deepEqual(scheduled, ['sendFirstStep', 'routeEscalation', 'deliverAlert', 'recordBookkeeping']);
    });
  });

  test('the stack trace the Temporal UI shows for a conversation waiting for a claim reads from the wait through the ladder to its loop, in a few frames a promise', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('stack-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      await waitForAlerts(handle, 'tier 1 alerted');
      const trace = await handle.query<string>('__stack_trace');
      const stacks = trace.split('\n\n').map((stack) => stack.split('\n').filter((line) => line.trim().startsWith('at ')));
      assert.ok(
        stacks.some((stack) => /conversation\/conversation\.ts[\s\S]*conversation\/ladder\.ts[\s\S]*conversation\/index\.ts/.test(stack.join('\n'))),
        `one pending promise reads from the wait through the ladder to the loop:\n${trace}`,
      );
      // A race's own promises are linked to the race (the SDK needs a frame below it to see one), never shown alone.
      assert.ok(!stacks.some((stack) => stack.length > 0 && stack.every((line) => line.includes('(<anonymous>)'))), `no entry of built-ins alone:\n${trace}`);
      assert.ok(stacks.every((stack) => stack.length < 5), `fewer than five frames a promise:\n${trace}`);
    });
  });

  test('once the worker holds round-robin turns, a rung is routed inside the workflow task that read the reply: no routing activity', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      type HistoryEvent = Parameters<typeof localActivityType>[0];
      const historyOf = async (handle: Awaited<ReturnType<typeof rig.start>>): Promise<HistoryEvent[]> => (await handle.fetchHistory()).events ?? [];
      const activities = (events: HistoryEvent[]) =>
        events.map((e) => localActivityType(e) ?? e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
      // The worker's first turn on a rotation has to be reserved from the rotation workflow: that rung is routed
      // by the routing activity, and the reservation is made for the next.
      const first = await rig.start({ prospect: prospect('routed-first-1') });
      await waitForState(first, (s) => s.sent.length === 1, 'the first touch');
      await first.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      await waitForAlerts(first, 'the first conversation alerted');
      assert.deepEqual(activities(await historyOf(first)), ['sendFirstStep', 'readAndRoute', 'routeEscalation', 'deliverAlert']);

      const second = await rig.start({ prospect: prospect('routed-in-task-1') });
      await waitForState(second, (s) => s.sent.length === 1, 'the first touch');
      await second.signal(replySignal, await replyAt(env, 'm-1', 'Can we get a quote for 25 licences?'));
      const state = await waitForAlerts(second, 'the second conversation alerted');
      const events = await historyOf(second);
      assert.deepEqual(activities(events), ['sendFirstStep', 'readAndRoute', 'deliverAlert']);
      // Read and routed in one local activity of one workflow task: its marker is the only one before the next task.
      const reply = events.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
      const nextTask = events.findIndex((e, i) => i > reply + 2 && e.workflowTaskScheduledEventAttributes);
      const markers = events.slice(reply, nextTask).map((e) => localActivityType(e)).filter(Boolean);
      assert.deepEqual(markers, ['readAndRoute']);
      const rung = state.ladder[0]!;
      assert.equal(rung.outcome, 'pending');
      assert.equal(rung.assignees.length, 1);
      const alerted = (await rig.alerts()).filter((a) => (a.packet as { prospect: { id: string } }).prospect.id === 'routed-in-task-1');
      assert.deepEqual(alerted.map((a) => a.repId), [rung.assignees[0]!.repId]);
    });
  });

  test('a rung whose routing fails inside the workflow task is routed by the routing activity, and its rep is alerted', async () => {
    let failures = 0;
    const rig = await createConversationRig(env, {
      wrapActivities: (inner) => {
        const routeWithoutWaiting = async (): Promise<never> => {
          failures++;
          throw new Error('the ledger is unreachable');
        };
        return { ...inner, routeWithoutWaiting, ...createReadAndRoute({ classifyReply: inner.classifyReply, routeWithoutWaiting }) };
      },
    });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('routed-after-failure-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      const state = await waitForAlerts(handle, 'the rep alerted');
      assert.equal(failures, 1, 'tried once in the workflow task, not retried there');
      assert.equal(state.ladder[0]!.outcome, 'pending');
      const routing = (await handle.fetchHistory()).events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'routeEscalation');
      const summary = JSON.parse(Buffer.from(routing?.userMetadata?.summary?.data ?? []).toString()) as string;
      assert.equal(summary, 'Route pricing escalation, tier 1 (routing in the workflow task failed)');
      assert.deepEqual((await rig.alerts()).map((a) => a.repId), [state.ladder[0]!.assignees[0]!.repId]);
    });
  });

  test('an unclaimed escalation climbs to tier 2 at exactly the deadline, then the lead, the team, and keeps re-alerting', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('ladder-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Can we get a quote for 25 licences?'));
      const first = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
      const window = Date.parse(first.ladder[0]!.deadline) - Date.parse(first.ladder[0]!.alertedAt);
      for (let rungs = 2; rungs <= 5; rungs++) {
        await env.sleep(window + 1000);
        await waitForState(handle, (s) => s.ladder.length === rungs, `rung ${rungs}`);
      }
      const { ladder } = await handle.query(stateQuery);
      assert.deepEqual(ladder.map((r) => r.tier), [1, 2, 3, 4, 4]);
      assert.deepEqual(ladder.map((r) => r.outcome), ['expired', 'expired', 'expired', 'expired', 'pending']);
      for (let i = 1; i < ladder.length; i++) {
        const late = Date.parse(ladder[i]!.alertedAt) - Date.parse(ladder[i - 1]!.deadline);
        assert.ok(late >= 0 && late < 2000, `rung ${i + 1} opened ${late} ms after the previous deadline`);
      }
      assert.notEqual(ladder[1]!.assignees[0]!.repId, ladder[0]!.assignees[0]!.repId, 'tier 2 asks another rep');
      assert.deepEqual(ladder[2]!.assignees.map((a) => a.repId), ['lee'], 'tier 3 is the team lead');
      assert.equal(ladder[3]!.audience, 'team');
      assert.deepEqual(new Set(ladder[3]!.assignees.map((a) => a.repId)), new Set(['dana', 'eli', 'fay', 'lee']));
      const realert = Date.parse(ladder[4]!.deadline) - Date.parse(ladder[4]!.alertedAt);
      assert.equal(realert, 30 * MINUTE, 'past the last tier the team is re-alerted at the configured interval');
      await recordHistory(handle, 'ladder-1');
    });
  });

  test('when two reps claim at once exactly one wins, and the other is told who holds it', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('claim-1') });
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Is this a bot? I would rather talk to a real person.'));
      const state = await waitForAlerts(handle, 'tier 1 alerted');
      const [first] = state.ladder[0]!.eligibleRepIds;
      assert.ok(first);
      const results = await Promise.allSettled([
        handle.executeUpdate(claimUpdate, { args: [{ repId: first, actor: repActor(first) }] }),
        handle.executeUpdate(claimUpdate, { args: [{ repId: 'max', actor: repActor('max') }] }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      const winner = (await handle.query(stateQuery)).owner!;
      const failure = ruleFailure((lost[0] as PromiseRejectedResult).reason);
      assert.equal(failure.type, 'AlreadyClaimed');
      assert.match(failure.message, new RegExp(winner));
      const packet = (won[0] as PromiseFulfilledResult<HandoffPacket>).value;
      assert.equal(packet.reason, 'human_request');
      assert.ok(packet.thread.some((m) => m.messageId === 'm-1'));
      await recordHistory(handle, 'claim-1');
    });
  });

  test('a claim, and a close a day later, each record their ledger event and CRM touch in one bookkeeping activity', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('batch-1') });
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      const rep = (await waitForAlerts(handle, 'tier 1 alerted')).ladder[0]!.eligibleRepIds[0]!;
      const bookkeeping = async () => (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordBookkeeping').length;
      const inCrm = (kind: string) => eventually(async () => (await rig.crmTouches()).find((t) => t.conversationId === handle.workflowId && t.kind === kind), `the ${kind} touch in the CRM`);
      const before = await bookkeeping();
      await handle.executeUpdate(claimUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
      await inCrm('claimed');
      assert.equal(await bookkeeping(), before + 1, 'the claim took one bookkeeping activity');
      await env.sleep('1 day');
      await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor(rep) }] });
      await handle.result();
      await inCrm('closed');
      assert.equal(await bookkeeping(), before + 2, 'the close took one more');
      const kinds = (await rig.ledger.query({ conversationId: handle.workflowId })).map((e) => e.kind);
      assert.ok(kinds.includes('claimed') && kinds.includes('closed'));
    });
  });

  test('a rep who is not eligible at the current tier cannot claim', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('claim-2') });
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Please send over a proposal and next steps.'));
      const state = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
      const outsider = ['dana', 'eli', 'fay', 'lee'].find((r) => !state.ladder[0]!.eligibleRepIds.includes(r))!;
      const err = await handle.executeUpdate(claimUpdate, { args: [{ repId: outsider, actor: repActor(outsider) }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(err).type, 'NotEligible');
      assert.equal((await handle.query(stateQuery)).stage, 'escalated');
      await recordHistory(handle, 'claim-2');
    });
  });

  test('an opt-out during an escalation stops every send and alert, and the conversation completes as opted out', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('optout-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What does the enterprise plan cost?'));
      await waitForAlerts(handle, 'tier 1 alerted');
      await handle.signal(replySignal, await replyAt(env, 'm-2', 'Actually, please remove me from your list. Unsubscribe.'));
      const result = await handle.result();
      assert.equal(result.stage, 'opted_out');
      const alertsBefore = (await rig.alerts()).length;
      await env.sleep(20 * DAY);
      assert.equal((await rig.sent()).length, 1, 'nothing is sent after the opt-out');
      assert.equal((await rig.alerts()).length, alertsBefore, 'no alert is sent after the opt-out');
      const suppressed = await rig.ledger.suppressions.match(prospect('optout-1').email);
      assert.deepEqual([suppressed?.source, suppressed?.prospectId], ['opt_out', 'optout-1'], 'the opt-out is on the suppression list');
      await recordHistory(handle, 'optout-1');
    });
  });

  test('a request for a person and an opt-out read in one burst: the opt-out is read before the rung opens, so nobody is alerted and nothing is sent', async () => {
    const rig = await createConversationRig(env);
    // Both replies are signalled before the worker runs, so the conversation finds them in its inbox together.
    const handle = await rig.start({ prospect: prospect('burst-optout-1') });
    await handle.signal(replySignal, await replyAt(env, 'm-1', 'Is this a bot? I would rather talk to a real person.'));
    await handle.signal(replySignal, await replyAt(env, 'm-2', 'Actually, please remove me from your list. Unsubscribe.'));
    await rig.worker.runUntil(async () => {
      const result = await handle.result();
      assert.equal(result.stage, 'opted_out');
      const state = await handle.query(stateQuery);
      assert.deepEqual(state.escalations.map((e) => e.reason), ['human_request'], 'the request for a person opened an escalation');
      assert.equal(state.ladder.length, 0, 'its first rung never opened');
      assert.deepEqual(await rig.alerts(), [], 'nobody is alerted');
      assert.deepEqual(await rig.sent(), [], 'no acknowledgement, no first touch');
      const markers = (await handle.fetchHistory()).events!.map((e) => localActivityType(e)).filter(Boolean);
      assert.deepEqual(markers, ['readAndRoute', 'classifyReply'], 'the first reply was read and routed, the opt-out only read');
    });
  });

  test('an opt-out that also asks for a person reaches a rep, and the address is never mailed again', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('optout-call-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Stop sending these automated emails. If a real person wants to talk, call me on 555-0100.'));
      const state = await waitForAlerts(handle, 'tier 1 alerted');
      assert.equal(state.stage, 'escalated');
      assert.equal(state.escalations[0]?.reason, 'human_request');
      const suppressed = await rig.ledger.suppressions.match(prospect('optout-call-1').email);
      assert.equal(suppressed?.prospectId, 'optout-call-1', 'the address is on the suppression list');
      await env.sleep(20 * DAY);
      assert.equal((await rig.sent()).length, 1, 'automation sends nothing more');
      // It met several changes to the workflow (the opt-out that escalates among them) and recorded one patch.
      const { events } = await handle.fetchHistory();
      const patches = (events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
      assert.deepEqual(
        patches.map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data ?? []).toString()).id),
        [EVERY_PATCH],
      );
      await recordHistory(handle, 'optout-call-1');
    });
  });

  test('an out-of-office reply with a return date moves the next step to that date', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('ooo-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(DAY);
      const back = new Date((await env.currentTimeMs()) + 10 * DAY).toISOString().slice(0, 10);
      await handle.signal(
        replySignal,
        await replyAt(env, 'm-1', `Automatic reply: I am out of the office until ${back} with limited access to email.`),
      );
      const state = await waitForState(handle, (s) => s.nextStep?.at.startsWith(back) === true, 'the step moved to the return date');
      assert.equal(state.nextStep!.index, 1);
      assert.equal(state.escalations.length, 0, 'an auto-reply never escalates');
      await env.sleep(5 * DAY);
      assert.equal((await handle.query(stateQuery)).sent.length, 1, 'follow-up 1 waits for the return date');
      await env.sleep(6 * DAY);
      const after = await waitForState(handle, (s) => s.sent.length === 2, 'follow-up 1 after the return');
      assert.ok(after.sent[1]!.at.startsWith(back));
      await recordHistory(handle, 'ooo-1');
    });
  });

  test('a reply that arrives while a send is in flight is handled after it, and the send happens once', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let inFlight!: () => void;
    const sendStarted = new Promise<void>((r) => (inFlight = r));
    const rig = await createConversationRig(env, {
      wrapSender: (inner) => ({
        messageIdFor: (message) => inner.messageIdFor(message),
        async send(message) {
          inFlight();
          await released;
          return inner.send(message);
        },
      }),
    });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('inflight-1') });
      await sendStarted;
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Can you do better on price if we sign for two years?'));
      release();
      const state = await waitForState(handle, (s) => s.stage === 'escalated' && s.sent.length === 1, 'the escalation after the send');
      assert.equal(state.thread.filter((t) => t.author === 'automation').length, 1);
      assert.equal((await rig.sent()).length, 1);
      await recordHistory(handle, 'inflight-1');
    });
  });

  test('a reply that arrives while the first touch finds the address suppressed still reaches a rep, and nothing is sent', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let checking!: () => void;
    const checkStarted = new Promise<void>((r) => (checking = r));
    const rig = await createConversationRig(env);
    // The send's suppression check is held until the reply is in and the address is on the list.
    const list = rig.deps.outreach.suppressions;
    const match = list.match.bind(list);
    list.match = async (email) => {
      checking();
      await released;
      return match(email);
    };
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('suppressed-reply-1') });
      await checkStarted;
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Can I talk to a real person about this?'));
      await rig.ledger.suppressions.add({ email: prospect('suppressed-reply-1').email, source: 'manual' });
      release();
      const state = await waitForAlerts(handle, 'the rep alerted');
      assert.equal(state.stage, 'escalated');
      assert.equal(state.escalations[0]?.reason, 'human_request');
      assert.equal(state.sent.length, 0);
      assert.equal((await rig.sent()).length, 0, 'nothing went to the suppressed address');
    });
  });

  test('a reply delivered twice is counted once, and replies delivered out of order sit in received-time order', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('dupes-1') });
      const now = await env.currentTimeMs();
      const early = { messageId: 'm-early', channel: 'email' as const, text: 'Thanks for reaching out.', receivedAt: new Date(now - 60_000).toISOString() };
      const late = { messageId: 'm-late', channel: 'email' as const, text: 'Appreciate it.', receivedAt: new Date(now).toISOString() };
      await handle.signal(replySignal, late);
      await handle.signal(replySignal, late);
      await handle.signal(replySignal, early);
      await handle.signal(replySignal, early);
      const state = await waitForState(handle, (s) => s.thread.filter((t) => t.author === 'prospect' && t.labels).length === 2, 'both replies classified');
      const replies = state.thread.filter((t) => t.author === 'prospect').map((t) => t.messageId);
      assert.deepEqual(replies, ['m-early', 'm-late']);
      // A person wrote: one low-priority task holds the cadence, however many such replies follow.
      assert.equal(state.stage, 'escalated');
      assert.deepEqual(state.escalations.map((e) => e.task?.kind), ['reply']);
      await recordHistory(handle, 'dupes-1');
    });
  });

  test('a manual trigger escalates and records that the rules had said no', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('manual-1') });
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Got it, thanks.'));
      await waitForState(handle, (s) => s.thread.some((t) => t.messageId === 'm-1' && t.labels), 'the reply classified');
      await handle.signal(triggerSignal, { reason: 'Prospect called the office asking for a demo', by: 'ops' });
      const state = await waitForState(handle, (s) => s.escalations.length === 2 && s.ladder.length === 1, 'the manual escalation');
      // The small-talk reply had become a low-priority task; the manual escalation ends it and climbs its own ladder.
      assert.deepEqual({ status: state.escalations[0]!.status, supersededBy: state.escalations[0]!.task?.supersededBy }, { status: 'cancelled', supersededBy: 2 });
      const record = state.escalations[1]!;
      assert.equal(record.task, undefined);
      assert.equal(record.reason, 'manual');
      assert.equal(record.rulesSaidNo, true);
      assert.match(state.packet!.summary, /escalated by hand/);
      await recordHistory(handle, 'manual-1');
    });
  });

  test('a reply the rules cannot classify in time goes to a human as a manual escalation, with no acknowledgement to the buyer', async () => {
    // A rule that backtracks for hours on a line of "a"s, under a 300 ms limit: the thread is stopped.
    const runaway = parseRuleSet(
      JSON.stringify({
        settings: { negation: { cues: { en: ['not'] } } },
        rules: [{ id: 'human_request.test.runaway', label: 'human_request', description: 'backtracks', patterns: ['(?:a+)+b'] }],
      }),
    );
    const classifier = new ClassifierPool({ threads: 1, timeLimitMs: 300 });
    const rig = await createConversationRig(env, { classify: { readers: async () => ({ rules: runaway, learned: null }), classifier } });
    try {
      await rig.worker.runUntil(async () => {
        const handle = await rig.start({ prospect: prospect('unclassified-1') });
        await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
        await handle.signal(replySignal, await replyAt(env, 'm-1', `${'a'.repeat(40)}!`));
        const state = await waitForState(handle, (s) => s.ladder[0]?.deliveries?.length === 1, 'the tier-1 alert');
        const record = state.escalations[0]!;
        assert.equal(state.stage, 'escalated');
        assert.equal(record.reason, 'manual');
        assert.equal(record.trigger, null);
        assert.equal(record.unclassified, 'time_limit');
        assert.equal(record.triggeringMessageId, 'm-1');
        assert.match(state.packet!.summary, /could not be classified/);
        assert.deepEqual(state.thread.find((m) => m.messageId === 'm-1')?.labels, []);
        assert.equal(record.acknowledgedAt, undefined);
        assert.equal((await rig.sent()).length, 1, 'only the first touch: no acknowledgement');
        const classified = await eventually(
          async () => (await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['reply_classified'] }))[0],
          'the classification in the ledger',
        );
        assert.equal(classified.fallback, 'time_limit');
        assert.equal(classified.escalate, true);
        await recordHistory(handle, 'unclassified-1');
      });
    } finally {
      await classifier.close();
    }
  });

  test('a claimed conversation handed back resumes the cadence, and a later trigger escalates a second time', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('handback-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Do you integrate with Salesforce custom objects?'));
      const escalated = await waitForAlerts(handle, 'tier 1 alerted');
      const rep = escalated.ladder[0]!.eligibleRepIds[0]!;
      await handle.executeUpdate(claimUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
      await handle.signal(replySignal, await replyAt(env, 'm-2', 'Also, what about SSO?'));
      const claimed = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === 'm-2' && t.labels), 'the reply while claimed');
      assert.equal(claimed.stage, 'claimed');
      assert.equal(claimed.escalations.length, 1, 'a reply to a claimed conversation goes to the owner, not up a ladder');
      const forward = await eventually(async () => (await rig.alerts()).find((a) => a.purpose === 'forward' && a.idempotencyKey.endsWith('forward-m-2')), 'the reply forwarded to its owner');
      assert.equal(forward.repId, rep);
      const handBackByOther = await handle.executeUpdate(handBackUpdate, { args: [{ delayMs: DAY, actor: repActor(rep === 'eli' ? 'fay' : 'eli') }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(handBackByOther).type, 'NotOwner', 'only the owner or a manager hands back');
      await handle.executeUpdate(handBackUpdate, { args: [{ repId: rep, delayMs: DAY, actor: repActor(rep) }] });
      await env.sleep(DAY + MINUTE);
      await waitForState(handle, (s) => s.sent.length === 2, 'the cadence resumed');
      await handle.signal(replySignal, await replyAt(env, 'm-3', 'OK, can we book a demo next Tuesday?'));
      const again = await waitForState(handle, (s) => s.escalations.length === 2 && s.ladder.length === 1, 'the second escalation');
      assert.equal(again.escalations[0]!.status, 'handed_back');
      assert.equal(again.escalations[1]!.status, 'open');
      await waitForAlerts(handle, 'the second escalation alerted');
      await handle.executeUpdate(feedbackUpdate, { args: [{ verdict: 'not_needed', escalation: 1, note: 'FAQ answer', actor: repActor(rep) }] });
      const closedByRep = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor(rep) }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(closedByRep).message, 'only a manager may close this conversation: nobody owns it');
      const closed = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor('max', { onBehalfOf: true, keyId: 'ops' }) }] });
      assert.equal(closed.stage, 'closed');
      const result = await handle.result();
      assert.equal(result.outcome, 'won');
      assert.equal(result.escalations, 2);
      const events = await rig.ledger.query({ conversationId: handle.workflowId });
      const kinds = new Set(events.map((e) => e.kind));
      for (const kind of ['reply_classified', 'escalated', 'alerted', 'claimed', 'handed_back', 'feedback', 'closed'] as const) {
        assert.ok(kinds.has(kind), `the ledger recorded ${kind}`);
      }
      const closedEvent = events.find((e) => e.kind === 'closed')!;
      assert.deepEqual(closedEvent.actor, repActor('max', { onBehalfOf: true, keyId: 'ops' }), 'the ledger says who closed it and for whom');
      assert.equal(events.find((e) => e.kind === 'handed_back')!.actor?.repId, rep);
      assert.equal(events.filter((e) => e.kind === 'escalated').length, 2);
      assert.equal(events.filter((e) => e.kind === 'reply_classified').length, 3);
      await recordHistory(handle, 'handback-1');
    });
  });

  test('a buyer who asks for a person is offered the rep’s next free times; the owner books one and the conversation shows meeting_booked', async () => {
    const rig = await createConversationRig(env, { roster: BOOKING_ROSTER });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('meeting-1', { timeZone: 'America/New_York' }) });
      // The first touch waits for business hours on the buyer's clock, whatever the hour the test runs at.
      while ((await handle.query(stateQuery)).sent.length === 0) await env.sleep(HOUR);
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Is this a bot? I would rather talk to a real person.'));
      const escalated = await waitForAlerts(handle, 'tier 1 alerted');
      const offer = escalated.ladder[0]!.meetingOffer;
      assert.ok(offer, 'the rung offers meeting times');
      const owner = offer.repId;
      assert.equal(escalated.ladder[0]!.assignees[0]!.repId, owner, 'the times are those of the rep the rung asks');
      assert.equal(offer.bookingUrl, `https://cal.example.com/${owner}`);
      assert.equal(offer.timeZone, 'America/New_York', 'shown on the buyer’s clock');
      assert.equal(offer.slots.length, 3);
      const now = await env.currentTimeMs();
      assert.ok(Date.parse(offer.slots[0]!.startsAt) >= now + 60 * MINUTE, 'the first slot is at least an hour away');
      for (const slot of offer.slots) assert.equal(Date.parse(slot.startsAt) % (30 * MINUTE), 0, 'slots start on the half-hour');

      const acknowledgement = await eventually(async () => (await rig.sent()).find((m) => m.idempotencyKey.endsWith('/acknowledgement')), 'the courtesy acknowledgement');
      for (const slot of offer.slots) assert.ok(acknowledgement.body.includes(slot.label), `the acknowledgement offers ${slot.label}`);
      assert.ok(acknowledgement.body.includes(offer.bookingUrl!), 'and the booking link');

      const early = await handle.executeUpdate(bookMeetingUpdate, { args: [{ startsAt: offer.slots[0]!.startsAt, durationMinutes: 30, actor: repActor(owner) }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(early).type, 'NotClaimed', 'an open escalation is claimed before a meeting is booked');

      const packet = await handle.executeUpdate(claimUpdate, { args: [{ repId: owner, actor: repActor(owner) }] });
      assert.deepEqual(packet.meeting, offer, 'the packet offers the same times');

      const bystander = ['dana', 'eli', 'fay'].find((r) => r !== owner)!;
      const byOther = await handle.executeUpdate(bookMeetingUpdate, { args: [{ startsAt: offer.slots[0]!.startsAt, durationMinutes: 30, actor: repActor(bystander) }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(byOther).type, 'NotOwner');

      const booked = await handle.executeUpdate(bookMeetingUpdate, { args: [{ startsAt: offer.slots[1]!.startsAt, durationMinutes: 45, note: 'intro call', actor: repActor(owner) }] });
      assert.equal(booked.stage, 'meeting_booked');
      assert.equal(booked.owner, owner);
      assert.deepEqual(
        booked.meetings?.map(({ number, startsAt, durationMinutes, repId, escalation, bookedBy, note }) => ({ number, startsAt, durationMinutes, repId, escalation, bookedBy, note })),
        [{ number: 1, startsAt: offer.slots[1]!.startsAt, durationMinutes: 45, repId: owner, escalation: 1, bookedBy: owner, note: 'intro call' }],
      );
      const described = await eventually(async () => {
        const d = await handle.describe();
        return d.typedSearchAttributes.get(HandoffStage) === 'meeting_booked' ? d : undefined;
      }, 'the stage findable in visibility');
      assert.ok(described);

      const event = await eventually(async () => (await rig.ledger.query({ conversationId: handle.workflowId })).find((e) => e.kind === 'meeting_booked'), 'the meeting in the ledger');
      assert.deepEqual(
        { repId: event.repId, meeting: event.meeting, startsAt: event.startsAt, durationMinutes: event.durationMinutes, actor: event.actor },
        { repId: owner, meeting: 1, startsAt: offer.slots[1]!.startsAt, durationMinutes: 45, actor: repActor(owner) },
      );
      const touch = await eventually(
        async () => (await rig.crmTouches()).find((t) => t.conversationId === handle.workflowId && t.kind === 'meeting_booked'),
        'the meeting in the CRM',
      );
      assert.match(touch.summary, new RegExp(`Meeting 1 booked for ${offer.slots[1]!.startsAt} \\(45 min\\) with ${owner}`));

      await handle.signal(replySignal, await replyAt(env, 'm-2', 'Great, see you then. Can my CFO join?'));
      await eventually(async () => (await rig.alerts()).find((a) => a.purpose === 'forward' && a.idempotencyKey.endsWith('forward-m-2')), 'a reply after booking forwarded to the owner');
      const after = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === 'm-2' && t.labels), 'the reply handled');
      assert.equal(after.stage, 'meeting_booked', 'the rep still owns the conversation');
      assert.equal(after.escalations.length, 1);

      const closed = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor(owner) }] });
      assert.equal(closed.stage, 'closed');
      assert.equal((await handle.result()).outcome, 'won');
      await recordHistory(handle, 'meeting-1');
    });
  });

  test('a reassignment tells the new owner, the ledger and the CRM who holds it now, and only the owner or a manager may make it', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('reassign-1') });
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would 30 seats cost on the annual plan?'));
      const escalated = await waitForAlerts(handle, 'tier 1 alerted');
      const owner = escalated.ladder[0]!.assignees[0]!.repId;
      const next = ['dana', 'eli', 'fay'].find((r) => r !== owner)!;
      const bystander = ['dana', 'eli', 'fay'].find((r) => r !== owner && r !== next)!;
      await handle.executeUpdate(claimUpdate, { args: [{ repId: owner, actor: repActor(owner) }] });
      const newOwner = { name: `Rep ${next}`, channels: ['outbox'] };

      const taken = await handle.executeUpdate(reassignUpdate, { args: [{ repId: bystander, actor: repActor(bystander), newOwner }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(taken).type, 'NotOwner');
      assert.equal(ruleFailure(taken).message, `only the owner (${owner}) or a manager may reassign this conversation`);
      const mismatched = await handle.executeUpdate(reassignUpdate, { args: [{ repId: next, by: bystander, actor: repActor(owner), newOwner }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(mismatched).type, 'InvalidInput');

      const state = await handle.executeUpdate(reassignUpdate, { args: [{ repId: next, by: owner, actor: repActor(owner), newOwner }] });
      assert.equal(state.owner, next);
      assert.equal(state.escalations[0]!.claimedBy, next);
      const told = await waitForState(handle, (s) => s.escalations[0]!.reassignments?.[0]?.deliveries.some((d) => d.status === 'delivered') === true, 'the new owner told');
      assert.deepEqual(
        { from: told.escalations[0]!.reassignments![0]!.from, to: told.escalations[0]!.reassignments![0]!.to, actor: told.escalations[0]!.reassignments![0]!.actor },
        { from: owner, to: next, actor: repActor(owner) },
      );
      const alert = (await rig.alerts()).find((a) => a.idempotencyKey === `${handle.workflowId}/esc-1/reassigned-1/${next}/outbox`);
      assert.ok(alert, 'the new owner gets an alert of their own');
      assert.equal(alert.repId, next);
      assert.equal(alert.purpose, 'reassigned');
      assert.equal(alert.claimUrl, null, 'a conversation already theirs has nothing to claim');

      const events = await eventually(async () => {
        const found = (await rig.ledger.query({ conversationId: handle.workflowId })).filter((e) => e.kind === 'reassigned');
        return found.length > 0 ? found : undefined;
      }, 'the reassignment in the ledger');
      assert.deepEqual({ repId: events[0]!.repId, fromRepId: events[0]!.fromRepId, actor: events[0]!.actor }, { repId: next, fromRepId: owner, actor: repActor(owner) });
      const touches = await eventually(async () => {
        const found = (await rig.crmTouches()).filter((t) => t.conversationId === handle.workflowId && t.kind === 'reassigned');
        return found.length > 0 ? found : undefined;
      }, 'the reassignment in the CRM');
      assert.equal(touches[0]!.summary, `Reassigned from ${owner} to ${next}`);

      const closedByFormerOwner = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor(owner) }] }).catch((e: unknown) => e);
      assert.equal(ruleFailure(closedByFormerOwner).message, `only the owner (${next}) or a manager may close this conversation`);
      assert.equal((await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'won', actor: repActor(next) }] })).stage, 'closed');
      await recordHistory(handle, 'reassign-1');
    });
  });

  test('continue-as-new with replies arriving throughout keeps every reply, in order', async () => {
    const rig = await createConversationRig(env);
    rig.config.conversation.maxHistoryEvents = 100;
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('long-1') });
      const firstRun = (await handle.describe()).runId;
      const base = await env.currentTimeMs();
      const ids = Array.from({ length: 80 }, (_, i) => `long-${String(i).padStart(2, '0')}`);
      for (const [i, messageId] of ids.entries()) {
        await handle.signal(replySignal, { messageId, channel: 'email', text: 'Thanks, noted.', receivedAt: new Date(base + i * 1000).toISOString() });
      }
      const state = await waitForState(handle, (s) => s.thread.filter((t) => t.author === 'prospect' && t.labels).length === ids.length, 'every reply classified');
      assert.deepEqual(state.thread.filter((t) => t.author === 'prospect').map((t) => t.messageId), ids);
      assert.notEqual((await handle.describe()).runId, firstRun, 'the conversation continued as new');
      const history = await env.client.workflow.getHandle(handle.workflowId, firstRun).fetchHistory();
      assert.ok((history.events?.length ?? 0) < 200, `one run's history stays bounded (${history.events?.length} events)`);
    });
  });

  test('a pricing reply at 18:00 on a Friday under hold is assigned and alerted at once, and its deadline counts from Monday’s shift start', async () => {
    const rig = await createConversationRig(env, { roster: OFFICE_HOURS_ROSTER });
    const office = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
    const fridayEvening = nextShiftStart({ start: '18:00', end: '18:01', days: [5] }, 'Europe/Berlin', await env.currentTimeMs());
    const mondayShift = nextShiftStart(office, 'Europe/Berlin', fridayEvening);
    await env.sleep(fridayEvening - (await env.currentTimeMs()));
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('hold-1', { email: 'jordan@owned.example' }) });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'What would the price be for 40 seats on an annual plan?'));
      const held = await waitForAlerts(handle, 'the owner alerted');
      const rung = held.ladder[0]!;
      assert.equal(held.ladder.length, 1, 'no tier is skipped');
      assert.equal(rung.tier, 1);
      assert.deepEqual(rung.assignees.map((a) => a.repId), ['ana']);
      assert.ok(Date.parse(rung.alertedAt) < mondayShift, 'alerted on Friday, not on Monday');
      assert.equal(rung.offHours?.policy, 'hold');
      assert.equal(rung.workingTime?.countsFrom, new Date(mondayShift).toISOString());
      assert.equal(rung.workingTime?.windowMs, 30 * MINUTE);
      assert.equal(rung.deadline, new Date(mondayShift + 30 * MINUTE).toISOString());
      const [alert] = await rig.alerts();
      assert.equal(alert?.repId, 'ana');
      assert.match(alert?.deadlineInWorkingTime ?? '', /^30 min of working time from Mon \d+ \w+ 09:00 \(Europe\/Berlin\)$/);
      const metadata = (await handle.query(workflowMetadataQuery)) as { currentDetails?: string };
      assert.ok(
        metadata.currentDetails?.includes(`claim deadline ${rung.deadline} (30 min of working time from Mon `),
        `the UI shows the deadline as an instant and in working time: ${metadata.currentDetails}`,
      );

      await env.sleep(mondayShift - (await env.currentTimeMs()) - 12 * 60 * MINUTE);
      const sunday = await handle.query(stateQuery);
      assert.equal(sunday.ladder.length, 1, 'nobody else is alerted over the weekend');
      assert.equal(sunday.ladder[0]!.outcome, 'pending');

      await env.sleep(mondayShift + 31 * MINUTE - (await env.currentTimeMs()));
      const monday = await waitForState(handle, (s) => s.ladder.length === 2, 'tier 2 on Monday');
      assert.equal(monday.ladder[1]!.tier, 2);
      assert.deepEqual(monday.ladder[1]!.assignees.map((a) => a.repId), ['ben']);
      assert.ok(Date.parse(monday.ladder[1]!.alertedAt) >= mondayShift + 30 * MINUTE);
      assert.equal(monday.ladder[1]!.workingTime, undefined, 'in working hours the deadline is wall time again');
      await recordHistory(handle, 'hold-1');
    });
  });

  test('past the re-alert cap the ladder ends unclaimed: the managers are told, the ledger records it, and a manager may still claim', async () => {
    const rig = await createConversationRig(env);
    rig.config.conversation.maxRealerts = 1;
    rig.config.conversation.lastTierRealertInterval = '1 hour';
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('unclaimed-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Can we get a quote for 25 licences?'));
      await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1');
      for (let rungs = 2; rungs <= 5; rungs++) {
        await env.sleep(30 * MINUTE + 1000);
        await waitForState(handle, (s) => s.ladder.length === rungs, `rung ${rungs}`);
      }
      await env.sleep(60 * MINUTE + 1000);
      const ended = await waitForState(handle, (s) => (s.escalations[0]?.unclaimed?.deliveries.length ?? 0) > 0, 'the managers told');
      const record = ended.escalations[0]!;
      assert.equal(ended.stage, 'escalated');
      assert.deepEqual(ended.ladder.map((r) => r.tier), [1, 2, 3, 4, 4]);
      assert.equal(ended.ladder[4]!.realert, true);
      assert.equal(ended.ladder[4]!.outcome, 'expired');
      assert.equal(record.unclaimed?.realerts, 1);
      assert.deepEqual(record.unclaimed?.managers, ['max']);
      const told = (await rig.alerts()).filter((a) => a.purpose === 'unclaimed');
      assert.deepEqual(told.map((a) => a.repId), ['max']);
      assert.match(told[0]!.title, /^Unclaimed · /);
      const events = await eventually(async () => {
        const found = await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['unclaimed'] });
        return found.length > 0 ? found : undefined;
      }, 'the unclaimed ledger event');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.realerts, 1);
      assert.deepEqual(events[0]!.managers, ['max']);

      await env.sleep(3 * 60 * MINUTE);
      assert.equal((await handle.query(stateQuery)).ladder.length, 5, 'nobody is re-alerted past the cap');
      await handle.executeUpdate(claimUpdate, { args: [{ repId: 'max', actor: repActor('max') }] });
      assert.equal((await handle.query(stateQuery)).owner, 'max');
      await recordHistory(handle, 'unclaimed-1');
    });
  });
});
