/**
 * Faults of concurrency: a hundred reps claiming one escalation at once (test/helpers/faults/claimRace.ts), and
 * replies delivered twice, three times and out of order (some while the worker is down). Exactly one claim wins;
 * each reply is counted once and the thread stays in received-time order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateQuery, replySignal, type ReplyInput } from '../../workflows/messages';
import { eventually, sleep } from '../helpers/eventually';
import { FaultRig } from '../helpers/faults/rig';
import { CLAIM_RACE_CONFIG, crmTouches, hundredClaimsHaveOneWinner, startedConversation } from '../helpers/faults/claimRace';
import { say } from '../helpers/faults/say';

const REPLIES = 24;
const COPIES = 3;

describe('concurrent claims and messy reply deliveries', () => {
  let rig: FaultRig;
  before(async () => {
    rig = await FaultRig.start({ config: CLAIM_RACE_CONFIG });
  });
  after(async () => {
    await rig?.stop();
  });

  test('a hundred concurrent claims of one escalation have exactly one winner', async () => {
    await hundredClaimsHaveOneWinner(rig);
  });

  test('duplicated and out-of-order replies are each counted once, in received-time order', async () => {
    const handle = await startedConversation(rig, 'replies-0');
    const firstTouchAt = Date.parse((await handle.query(stateQuery)).sent[0]!.at);
    const replies: ReplyInput[] = Array.from({ length: REPLIES }, (_, i) => ({
      messageId: `replies-0-msg-${String(i).padStart(2, '0')}`,
      channel: 'email',
      text: `Thanks, got it. Reply ${i} for the record.`,
      receivedAt: new Date(firstTouchAt + 1000 + i * 1000).toISOString(),
    }));
    // Every reply three times, in a scrambled order (a fixed permutation, so a failure replays the same way).
    const deliveries = Array.from({ length: COPIES }, () => replies).flat();
    const order = deliveries.map((_, i) => (i * 37 + 11) % deliveries.length);
    assert.equal(new Set(order).size, deliveries.length);
    const scrambled = order.map((i) => deliveries[i]!);
    const third = Math.floor(scrambled.length / 3);

    await Promise.all(scrambled.slice(0, third).map((r) => handle.signal(replySignal, r)));
    await rig.killWorker();
    await Promise.all(scrambled.slice(third, 2 * third).map((r) => handle.signal(replySignal, r)));
    await rig.startWorker();
    await Promise.all(scrambled.slice(2 * third).map((r) => handle.signal(replySignal, r)));
    say(
      `delivered ${REPLIES} replies ${COPIES} times each (${scrambled.length} signals) in scrambled order; the worker was SIGKILLed ` +
        `after the first ${third} and restarted after the next ${third}`,
    );

    const state = await eventually(async () => {
      const s = await handle.query(stateQuery);
      const prospectMessages = s.thread.filter((t) => t.author === 'prospect');
      // The replies need a person: the first becomes a low-priority task that holds the cadence.
      return prospectMessages.length >= REPLIES && prospectMessages.every((t) => t.labels) && s.stage === 'escalated' ? s : undefined;
    }, 'every reply classified', 90_000);
    await sleep(1000);
    const settled = await handle.query(stateQuery);
    const inThread = settled.thread.filter((t) => t.author === 'prospect');
    const counts = new Map<string, number>();
    for (const t of inThread) counts.set(t.messageId, (counts.get(t.messageId) ?? 0) + 1);
    const duplicated = [...counts.values()].filter((c) => c > 1).length;
    const lost = replies.filter((r) => !counts.has(r.messageId)).length;
    const outOfOrder = settled.thread.filter((t, i) => i > 0 && settled.thread[i - 1]!.at > t.at).length;
    // The CRM hears of replies after the loop has handled them (touches queue in the workflow's state).
    const replyTouchesOf = async () => (await crmTouches(rig)).filter((t) => t.conversationId === handle.workflowId && t.kind === 'reply_received');
    await eventually(async () => (await replyTouchesOf()).length >= REPLIES || undefined, 'a CRM touch for every reply', 60_000).catch(() => undefined);
    await sleep(1000);
    const replyTouches = await replyTouchesOf();
    say(
      `thread: ${inThread.length} prospect messages for ${REPLIES} distinct replies; lost ${lost}, duplicated ${duplicated}, ` +
        `out of received-time order ${outOfOrder}; CRM "reply received" touches ${replyTouches.length}; stage ${state.stage}`,
    );
    assert.equal(lost, 0);
    assert.equal(duplicated, 0);
    assert.equal(outOfOrder, 0);
    assert.deepEqual(
      inThread.map((t) => t.messageId),
      [...replies].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt)).map((r) => r.messageId),
    );
    assert.equal(replyTouches.length, REPLIES);
  });
});
