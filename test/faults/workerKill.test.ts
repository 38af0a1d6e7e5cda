/**
 * Fault: the worker process is SIGKILLed in the middle of escalations and started again, at several points of
 * the ladder. Every alert must reach the rep (webhook or outbox), once per idempotency key, and no conversation
 * may be lost.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { startConversation } from '../../src/conversations';
import { replySignal, stateQuery } from '../../workflows/messages';
import { eventually, sleep } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { FaultRig, pricingReply } from '../helpers/faults/rig';
import { claimAndCount } from '../helpers/faults/alerts';
import { say } from '../helpers/faults/say';

const PER_POINT = 8;

describe('the worker killed with SIGKILL in the middle of an escalation', () => {
  let rig: FaultRig;
  before(async () => {
    rig = await FaultRig.start();
  });
  after(async () => {
    await rig?.stop();
  });

  /** Starts `n` conversations and waits for each first touch. */
  async function startConversations(prefix: string, n: number): Promise<WorkflowHandle[]> {
    await rig.ensureWorker();
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < n; i++) {
      handles.push((await startConversation(rig.client, rig.config, { prospect: prospect(`${prefix}-${i}`) })).handle);
    }
    await Promise.all(handles.map((h) => eventually(async () => (await h.query(stateQuery)).sent.length >= 1, `${h.workflowId}'s first touch`)));
    return handles;
  }

  async function sendPricingReplies(handles: WorkflowHandle[]): Promise<void> {
    await Promise.all(handles.map((h) => h.signal(replySignal, pricingReply(`${h.workflowId}-pricing`))));
  }

  async function rungCounts(handles: WorkflowHandle[]): Promise<number[]> {
    return Promise.all(handles.map(async (h) => (await h.query(stateQuery)).ladder.length));
  }

  test('alerts in flight when the worker is killed arrive once per idempotency key after the restart', async () => {
    const handles = await startConversations('inflight', PER_POINT);
    const ids = new Set(handles.map((h) => h.workflowId));
    // The receiver takes each tier-1 alert but does not answer, so every delivery activity is in flight.
    rig.receiver.hold((a) => ids.has(a.workflowId) && a.key.includes('/rung-1/'));
    await sendPricingReplies(handles);
    await eventually(async () => rig.receiver.alertsOf(ids).filter((a) => a.key.includes('/rung-1/')).length >= PER_POINT || undefined, 'every tier-1 alert to be in flight');
    await rig.killWorker();
    const held = rig.receiver.release();
    say(`in flight: killed the worker with ${held} tier-1 webhook deliveries unanswered; restarting it`);
    await rig.startWorker();
    await claimAndCount(rig, 'in flight', handles);
    const repeats = rig.receiver.alertsOf(ids).filter((a) => a.key.includes('/rung-1/') && a.posts > 1).length;
    say(`in flight: ${repeats} of ${held} held alerts were POSTed again after the restart and skipped by key`);
  });

  test('replies that arrive just before the worker is killed still escalate and alert', async () => {
    const handles = await startConversations('early', PER_POINT);
    await sendPricingReplies(handles);
    await rig.killWorker();
    say('early: killed the worker right after signalling the pricing replies; restarting it in 1 s');
    await sleep(1000);
    await rig.startWorker();
    await claimAndCount(rig, 'early', handles);
  });

  test('the ladder climbs on when the worker is killed while a tier-2 claim deadline runs', async () => {
    const handles = await startConversations('tier2', PER_POINT);
    await sendPricingReplies(handles);
    await eventually(async () => (await rungCounts(handles)).every((n) => n === 2) || undefined, 'every conversation at tier 2', 60_000, 100);
    await rig.killWorker();
    say('tier 2: killed the worker while every conversation waited on its tier-2 deadline; down for 7 s (past the 5 s deadline)');
    await sleep(7000);
    await rig.startWorker();
    await eventually(async () => (await rungCounts(handles)).every((n) => n >= 3) || undefined, 'every conversation to climb to tier 3');
    await claimAndCount(rig, 'tier 2', handles);
  });

  test('a worker killed again and again while conversations escalate starts every time and loses nothing', async () => {
    const handles = await startConversations('repeated', 2 * PER_POINT);
    await sendPricingReplies(handles);
    const kills = 3;
    for (let k = 0; k < kills; k++) {
      // Each new worker finds a backlog (classification, routing, alerts, ledger appends) and is killed amid it.
      await sleep(400 + 150 * k);
      await rig.killWorker();
      await rig.startWorker();
    }
    say(`repeated: killed the worker ${kills} times while ${handles.length} conversations escalated, each restart after the previous one polled`);
    await claimAndCount(rig, 'repeated', handles);
  });

  test('last-tier re-alerts go on when the worker is killed after the whole team was alerted', async () => {
    const handles = await startConversations('lasttier', PER_POINT);
    await sendPricingReplies(handles);
    await eventually(async () => (await rungCounts(handles)).every((n) => n >= 5) || undefined, 'every conversation past its last tier', 90_000, 200);
    const before = await rungCounts(handles);
    await rig.killWorker();
    say(`last tier: killed the worker during last-tier re-alerts (rungs ${Math.min(...before)}..${Math.max(...before)}); down for 3 s`);
    await sleep(3000);
    await rig.startWorker();
    await eventually(
      async () => (await rungCounts(handles)).every((n, i) => n >= before[i]! + 2) || undefined,
      'two more re-alerts on every conversation',
    );
    const { finals } = await claimAndCount(rig, 'last tier', handles);
    for (const s of finals) assert.ok(s.ladder.filter((r) => r.lastTier).length >= 3, `${s.conversationId} re-alerted its last tier`);
  });

  test('a worker killed in the middle of a ledger append starts again', async () => {
    const lock = path.join(rig.dataDir, 'ledger.sqlite.lock');
    let attempts = 0;
    let lockLeft = false;
    // A kill lands inside an append nearly every time; a few tries make sure one did.
    while (attempts < 5 && !lockLeft) {
      attempts++;
      await rig.killDuringLedgerAppend(300 + 100 * attempts);
      lockLeft = existsSync(lock);
    }
    say(`ledger: SIGKILLed the ledger activity mid-append ${attempts} time(s); ledger.sqlite.lock left behind: ${lockLeft}`);
    let restarted = true;
    try {
      await rig.startWorker();
    } catch (err) {
      restarted = false;
      say(`ledger: the worker did not start again: ${(err as Error).message.split('\n').slice(0, 2).join(' ')}`);
    }
    assert.ok(restarted, 'the worker starts again after a crash in the middle of a ledger append');
    const handles = await startConversations('after-ledger-crash', 2);
    await sendPricingReplies(handles);
    await claimAndCount(rig, 'after a ledger crash', handles);
  });
});
