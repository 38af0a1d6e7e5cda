/**
 * Fault: the reps' webhook receiver is down while conversations escalate. The ladder must go on climbing; each
 * alert must arrive on the webhook once the receiver is back (its retries still running) or, once the webhook's
 * retries are spent, through the rep's fallback channel (the outbox). None lost, none shown twice.
 *
 * Scaled for CI: the workflow's alert retry policy gives the webhook five attempts over about 30 s (2 s, 4 s,
 * 8 s, 16 s apart), so a 45 s outage shows both outcomes: alerts of the first rungs fall back to the outbox,
 * alerts of the later rungs reach the webhook when it returns. A longer outage only adds more of the first kind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { startConversation } from '../../src/conversations';
import { replySignal, stateQuery } from '../../workflows/messages';
import { eventually, sleep } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { FaultRig, pricingReply } from '../helpers/faults/rig';
import { accountAlerts, describeAccount, settleAndClaim } from '../helpers/faults/alerts';
import { say } from '../helpers/faults/say';

const CONVERSATIONS = 6;
const DOWN_MS = 45_000;

describe('the alert receiver down while conversations escalate', () => {
  let rig: FaultRig;
  before(async () => {
    rig = await FaultRig.start();
  });
  after(async () => {
    await rig?.stop();
  });

  test('the ladder goes on and every alert arrives when the receiver returns or through the outbox', async () => {
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      handles.push((await startConversation(rig.client, rig.config, { prospect: prospect(`down-${i}`) })).handle);
    }
    await Promise.all(handles.map((h) => eventually(async () => (await h.query(stateQuery)).sent.length >= 1, `${h.workflowId}'s first touch`)));

    await rig.receiver.down();
    const downAt = Date.now();
    await Promise.all(handles.map((h) => h.signal(replySignal, pricingReply(`${h.workflowId}-pricing`))));
    say(`took the webhook receiver down and sent ${CONVERSATIONS} pricing replies; down for ${DOWN_MS / 1000} s (claim deadlines and re-alerts every 5 s)`);
    await sleep(DOWN_MS);
    const whileDown = await Promise.all(handles.map(async (h) => (await h.query(stateQuery)).ladder));
    await rig.receiver.up();
    const upAt = Date.now();
    const rungsWhileDown = whileDown.map((ladder) => ladder.filter((r) => Date.parse(r.alertedAt) < upAt).length);
    say(`receiver back after ${upAt - downAt} ms; rungs opened while it was down: ${Math.min(...rungsWhileDown)}..${Math.max(...rungsWhileDown)} per conversation`);

    // Let the rungs opened during the outage finish their retries, then claim.
    await eventually(
      async () => rig.receiver.alertsOf(handles.map((h) => h.workflowId)).some((a) => a.firstAtMs >= upAt) || undefined,
      'an alert on the webhook after the receiver returned',
    );
    const claims = await Promise.all(handles.map((h) => settleAndClaim(h, 'max')));
    const snapshots = claims.map((c) => c.snapshot);
    const account = accountAlerts(snapshots, rig.receiver, await rig.outbox());
    const received = rig.receiver.alertsOf(handles.map((h) => h.workflowId));
    const openedWhileDown = new Set(
      snapshots.flatMap((s) =>
        s.ladder.flatMap((r, i) => (Date.parse(r.alertedAt) < upAt ? r.assignees.map((a) => `${s.conversationId}/esc-1/rung-${i + 1}/${a.repId}/webhook`) : [])),
      ),
    );
    const arrivedAfterReturn = received.filter((a) => openedWhileDown.has(a.key)).length;
    const fellBack = snapshots.flatMap((s) => s.ladder.flatMap((r) => r.deliveries ?? [])).filter((d) => d.channel === 'outbox' && d.status === 'delivered').length;
    const failedAttempts = snapshots.flatMap((s) => s.ladder.flatMap((r) => r.deliveries ?? [])).filter((d) => d.status === 'failed').length;
    say(
      `conversations ${CONVERSATIONS}, claimed ${claims.filter((c) => c.final.stage === 'claimed').length}; ${describeAccount(account)}; ` +
        `alerts of rungs opened during the outage that reached the webhook after it: ${arrivedAfterReturn}; fell back to the outbox: ${fellBack} ` +
        `(webhook given up after its retries: ${failedAttempts}); bad signatures ${rig.receiver.badSignatures}`,
    );

    for (const n of rungsWhileDown) assert.ok(n >= 5, 'the ladder climbed past its last tier while the receiver was down');
    assert.ok(fellBack > 0, 'alerts whose webhook retries ran out went to the outbox');
    assert.ok(arrivedAfterReturn > 0, 'alerts still retrying reached the webhook when it returned');
    assert.equal(account.lost, 0, account.examples.join('; '));
    assert.equal(account.duplicated, 0, account.examples.join('; '));
    assert.equal(rig.receiver.badSignatures, 0);
    for (const c of claims) assert.equal(c.final.stage, 'claimed');
  });
});
