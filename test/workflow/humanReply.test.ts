import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { createConversationRig, recordHistory, waitForAlerts, waitForState } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { repActor } from '../helpers/actor';
import { HandoffTrigger } from '../../workflows/searchAttributes';
import { claimUpdate, handBackUpdate, replySignal, stateQuery, type HandoffPacket, type ReplyInput } from '../../workflows/messages';

const DAY = 86_400_000;

async function replyAt(env: TestWorkflowEnvironment, messageId: string, text: string): Promise<ReplyInput> {
  return { messageId, channel: 'email', text, receivedAt: new Date(await env.currentTimeMs()).toISOString() };
}

describe('a reply that needs a person, on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await env?.teardown();
  });

  test('"thanks, what\'s this about?" pauses the cadence and gives the owner one low-priority notice; no canned follow-up is sent', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('task-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(DAY);
      await handle.signal(replySignal, await replyAt(env, 'm-1', "Thanks, what's this about?"));
      const state = await waitForAlerts(handle, 'the task notice');
      assert.equal(state.stage, 'escalated');
      assert.equal(state.nextStep, null);
      assert.equal(state.escalations.length, 1);
      assert.deepEqual(state.escalations[0]!.task, { kind: 'reply', priority: 'low' });
      assert.equal(state.ladder.length, 1);
      assert.equal(state.packet?.task?.kind, 'reply');
      const rep = state.ladder[0]!.assignees[0]!.repId;
      const alerts = await rig.alerts();
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.repId, rep);
      assert.match(alerts[0]!.title, /^Reply needs a human answer \(low priority\)/);
      assert.equal((alerts[0]!.packet as HandoffPacket).triggeringMessageId, 'm-1');
      const described = await eventually(async () => {
        const d = await handle.describe();
        return d.typedSearchAttributes.get(HandoffTrigger) === 'human_reply' ? d : undefined;
      }, 'the task findable in visibility');
      assert.ok(described);
      const task = await eventually(async () => (await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['reply_task'] }))[0], 'the task in the ledger');
      assert.deepEqual({ task: task.task, messageId: task.messageId, escalation: task.escalation }, { task: 'reply', messageId: 'm-1', escalation: 1 });

      // Two weeks on: no follow-up, no re-alert, no climb.
      await env.sleep(15 * DAY);
      const later = await handle.query(stateQuery);
      assert.equal(later.sent.length, 1, 'no canned follow-up after the reply');
      assert.equal(later.ladder.length, 1, 'a task is never re-alerted');
      assert.equal((await rig.alerts()).length, 1);
      assert.equal((await rig.sent()).length, 1);
      assert.equal((await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['escalated'] })).length, 0, 'a task is not an escalation in the review');

      // Claimed, it is a claimed conversation; handed back, the cadence resumes.
      await handle.executeUpdate(claimUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
      assert.equal((await handle.query(stateQuery)).stage, 'claimed');
      await handle.executeUpdate(handBackUpdate, { args: [{ repId: rep, actor: repActor(rep) }] });
      const resumed = await waitForState(handle, (s) => s.sent.length === 2, 'the next step after the hand-back');
      assert.equal(resumed.sent[1]!.name, 'Follow-up 1');
      await recordHistory(handle, 'task-1');
    });
  });

  test('with humanReply: acknowledge, the reply gets an acknowledging step in its thread and the cadence goes on', async () => {
    const rig = await createConversationRig(env);
    rig.config.conversation.humanReply = 'acknowledge';
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('ack-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(DAY);
      await handle.signal(replySignal, await replyAt(env, 'm-1', 'Thanks for the note, have a good weekend!'));
      const acknowledged = await eventually(async () => {
        const sent = await rig.sent();
        return sent.length === 2 && sent;
      }, 'the acknowledgement');
      const ack = acknowledged[1]!;
      assert.equal(ack.idempotencyKey, `${handle.workflowId}/reply/m-1/acknowledgement`);
      assert.match(ack.body, /Thanks for getting back to me/);
      assert.equal(ack.subject, `Re: ${acknowledged[0]!.subject.replace(/^Re: /, '')}`);
      const state = await waitForState(handle, (s) => s.stage === 'automating' && s.thread.length === 3, 'the acknowledgement in the thread');
      assert.equal(state.escalations.length, 0);
      assert.equal(state.thread[2]!.author, 'automation');
      assert.equal(state.nextStep?.name, 'Follow-up 1');
      // Follow-up 1 keeps its three days' spacing, counted from the acknowledgement.
      await env.sleep(3 * DAY + 60_000);
      const later = await waitForState(handle, (s) => s.sent.length === 2, 'the next step');
      assert.equal(later.sent[1]!.name, 'Follow-up 1');
      assert.equal((await rig.alerts()).length, 0, 'nobody is tasked');
      await recordHistory(handle, 'acknowledge-1');
    });
  });

  test('a referral naming a colleague\'s address starts their conversation, which opens with the referrer\'s name; the two link both ways', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('referrer-1') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await env.sleep(DAY);
      await handle.signal(
        replySignal,
        await replyAt(
          env,
          'm-1',
          "I'm not the right person for this. Please reach out to Dana Reyes (dana.reyes@buyer.example), she runs our ops team.\n\nBest,\nJordan\njordan.referrer-1@buyer.example",
        ),
      );
      const state = await waitForState(handle, (s) => (s.referrals?.length ?? 0) === 1, 'the referral');
      const referral = state.referrals![0]!;
      assert.deepEqual({ email: referral.email, messageId: referral.messageId, outcome: referral.outcome }, { email: 'dana.reyes@buyer.example', messageId: 'm-1', outcome: 'started' });
      assert.equal(state.escalations.length, 0, 'the owner is not tasked');

      const colleague = rig.client.workflow.getHandle(referral.conversationId);
      const started = await waitForState(colleague, (s) => s.sent.length === 1, "the colleague's first touch");
      assert.equal(started.prospect.email, 'dana.reyes@buyer.example');
      assert.equal(started.prospect.company, 'Buyer Co');
      assert.deepEqual(started.referredBy, { conversationId: handle.workflowId, prospectId: 'referrer-1', name: 'Jordan Lee', company: 'Buyer Co', messageId: 'm-1' });
      const firstTouch = (await rig.sent()).find((s) => s.to.email === 'dana.reyes@buyer.example');
      assert.ok(firstTouch);
      assert.match(firstTouch.body, /Jordan Lee suggested I reach out\./);
      const linked = await eventually(async () => (await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['referred'] }))[0], 'the referral in the ledger');
      assert.equal(linked.linkedConversationId, referral.conversationId);

      // No canned follow-up to the referrer.
      await env.sleep(8 * DAY);
      const later = await handle.query(stateQuery);
      assert.equal(later.sent.length, 1);
      assert.equal((await rig.sent()).filter((s) => s.to.email === 'jordan.referrer-1@buyer.example').length, 1);
      await recordHistory(handle, 'referral-1');
    });
  });

  test('a referral naming a suppressed address starts nothing, and the referral says why', async () => {
    const rig = await createConversationRig(env);
    await rig.ledger.suppressions.add({ email: 'dana.reyes@buyer.example', source: 'manual', reason: 'asked never to be contacted' });
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('referrer-3') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', "I'm not the right person. Please reach out to dana.reyes@buyer.example instead."));
      const state = await waitForState(handle, (s) => (s.referrals?.length ?? 0) === 1, 'the referral');
      assert.equal(state.referrals![0]!.outcome, 'suppressed');
      await assert.rejects(rig.client.workflow.getHandle(state.referrals![0]!.conversationId).describe(), /not found/i);
      assert.equal((await rig.sent()).filter((s) => s.to.email === 'dana.reyes@buyer.example').length, 0);
      const event = await eventually(async () => (await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['referred'] }))[0], 'the referral in the ledger');
      assert.equal(event.suppressed, true);
    });
  });

  test('a referral that names nobody reachable becomes a low-priority task saying who was named', async () => {
    const rig = await createConversationRig(env);
    await rig.worker.runUntil(async () => {
      const handle = await rig.start({ prospect: prospect('referrer-2') });
      await waitForState(handle, (s) => s.sent.length === 1, 'the first touch');
      await handle.signal(replySignal, await replyAt(env, 'm-1', "I'm not the right person, please talk to someone in our operations team."));
      const state = await waitForAlerts(handle, 'the task notice');
      const task = state.escalations[0]!.task;
      assert.equal(task?.kind, 'referral');
      assert.match(task?.named ?? '', /not the right person/);
      assert.match(state.packet!.summary, /pointed us to someone else/);
      assert.equal(state.referrals, undefined);
      const alerts = await rig.alerts();
      assert.equal(alerts.length, 1);
      assert.match(alerts[0]!.title, /^Referral to follow up \(low priority\)/);
      await env.sleep(4 * DAY);
      assert.equal((await handle.query(stateQuery)).sent.length, 1, 'no canned follow-up');
    });
  });
});
