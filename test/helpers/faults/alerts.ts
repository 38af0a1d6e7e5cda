/**
 * What the fault tests check of alerts: that a conversation's alerts have settled, an account of what arrived
 * (lost, duplicated, repeated) against what the conversations say they sent, and the claim of every conversation
 * that ends a fault test.
 */
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import type { OutboxEntry } from '../../../src/alerts/outbox';
import { claimUpdate, stateQuery, type ConversationState, type HandoffPacket } from '../../../workflows/messages';
import { repActor } from '../actor';
import { eventually } from '../eventually';
import type { AlertReceiver } from './alertReceiver';
import type { FaultRig } from './rig';
import { say } from './say';
import type { RigServer } from './server';

/** True when every alert of every rung so far has reached a channel or been given up on every channel. */
export function deliveriesSettled(state: ConversationState): boolean {
  return state.escalations.every((record) =>
    record.rungs.every(
      (rung) =>
        rung.outcome === 'skipped' ||
        rung.assignees.every(
          (a) =>
            (rung.deliveries ?? []).some((d) => d.repId === a.repId && d.status === 'delivered') ||
            (rung.undeliverableTo ?? []).includes(a.repId),
        ),
    ),
  );
}

/**
 * Waits until the conversation's open escalation has every alert so far settled, takes that state as the
 * snapshot of what must have arrived, then claims it for `repId` (a manager may claim at any tier).
 */
export async function settleAndClaim(
  handle: WorkflowHandle,
  repId: string,
  timeoutMs = 90_000,
): Promise<{ snapshot: ConversationState; packet: HandoffPacket; final: ConversationState }> {
  const snapshot = await eventually(
    async () => {
      const state = await handle.query(stateQuery);
      return state.stage === 'escalated' && state.ladder.length > 0 && deliveriesSettled(state) ? state : undefined;
    },
    `${handle.workflowId}'s alerts to settle`,
    timeoutMs,
    200,
  );
  const packet = await handle.executeUpdate(claimUpdate, { args: [{ repId, actor: repActor(repId) }] });
  const final = await handle.query(stateQuery);
  return { snapshot, packet, final };
}

/** What arrived of the alerts a set of conversations sent. */
export interface AlertAccount {
  /** Rung × assignee pairs the snapshots say were alerted. */
  expected: number;
  /** Of those, how many reached the receiver (webhook) or the outbox. */
  arrived: number;
  viaWebhook: number;
  viaOutbox: number;
  /** Expected alerts that reached neither. */
  lost: number;
  /** Alerts shown to a rep more than once (on two channels, or under a key no rung explains). */
  duplicated: number;
  /** POSTs that repeated a key already received (retries the receiver skipped by `Idempotency-Key`). */
  repeatPosts: number;
  /** Keys of rungs opened after the snapshot (a claim racing a new rung): not counted either way. */
  afterSnapshot: number;
  /** Up to ten lost or duplicated keys, for the failure message. */
  examples: string[];
}

/** Compares the snapshots' ladders with what the receiver and the outbox got. */
export function accountAlerts(snapshots: ConversationState[], receiver: AlertReceiver, outbox: OutboxEntry[]): AlertAccount {
  const account: AlertAccount = { expected: 0, arrived: 0, viaWebhook: 0, viaOutbox: 0, lost: 0, duplicated: 0, repeatPosts: 0, afterSnapshot: 0, examples: [] };
  const ids = snapshots.map((s) => s.conversationId);
  const received = receiver.alertsOf(ids);
  const webhookKeys = new Set(received.map((a) => a.key));
  const outboxKeys = new Set(outbox.filter((e) => ids.includes(e.workflowId)).map((e) => e.idempotencyKey));
  const expectedBases = new Set<string>();
  const rungsAtSnapshot = new Map<string, number>();
  for (const state of snapshots) {
    for (const record of state.escalations) {
      rungsAtSnapshot.set(`${state.conversationId}/esc-${record.number}`, record.rungs.length);
      record.rungs.forEach((rung, i) => {
        if (rung.outcome === 'skipped') return;
        for (const a of rung.assignees) {
          const base = `${state.conversationId}/esc-${record.number}/rung-${i + 1}/${a.repId}`;
          expectedBases.add(base);
          account.expected++;
          const viaWebhook = webhookKeys.has(`${base}/webhook`);
          const viaOutbox = outboxKeys.has(`${base}/outbox`);
          if (viaWebhook) account.viaWebhook++;
          if (viaOutbox) account.viaOutbox++;
          if (viaWebhook || viaOutbox) account.arrived++;
          else {
            account.lost++;
            if (account.examples.length < 10) account.examples.push(`lost ${base}`);
          }
          if (viaWebhook && viaOutbox) {
            account.duplicated++;
            if (account.examples.length < 10) account.examples.push(`on two channels ${base}`);
          }
        }
      });
    }
  }
  for (const key of [...webhookKeys, ...outboxKeys]) {
    const match = /^(.*\/esc-\d+)\/rung-(\d+)\/([^/]+)\/[^/]+$/.exec(key);
    if (!match) continue; // forwards to an owner and other non-rung keys
    const base = `${match[1]}/rung-${match[2]}/${match[3]}`;
    if (expectedBases.has(base)) continue;
    if (Number(match[2]) > (rungsAtSnapshot.get(match[1]!) ?? 0)) account.afterSnapshot++;
    else {
      account.duplicated++;
      if (account.examples.length < 10) account.examples.push(`unexplained ${key}`);
    }
  }
  account.repeatPosts = received.reduce((n, a) => n + a.posts - 1, 0);
  return account;
}

/** One line for the log. */
export function describeAccount(account: AlertAccount): string {
  return (
    `alerts expected ${account.expected}, arrived ${account.arrived} (webhook ${account.viaWebhook}, outbox ${account.viaOutbox}), ` +
    `lost ${account.lost}, duplicated ${account.duplicated}, repeat POSTs skipped by key ${account.repeatPosts}, ` +
    `after the snapshot ${account.afterSnapshot}`
  );
}

/**
 * Claims every conversation for `max` once its alerts settle, then asserts none was lost (each escalated once,
 * kept its one reply, and was claimed) and every alert arrived once.
 */
export async function claimAndCount(rig: FaultRig<RigServer>, point: string, handles: WorkflowHandle[]): Promise<{ finals: ConversationState[] }> {
  const results = await Promise.all(handles.map((h) => settleAndClaim(h, 'max')));
  const finals = results.map((r) => r.final);
  const lostConversations = finals.filter(
    (s) => s.stage !== 'claimed' || s.owner !== 'max' || s.thread.filter((t) => t.author === 'prospect').length !== 1 || s.escalations.length !== 1,
  ).length;
  const account = accountAlerts(
    results.map((r) => r.snapshot),
    rig.receiver,
    await rig.outbox(),
  );
  const rungs = results.map((r) => r.snapshot.ladder.length);
  say(
    `${point}: conversations ${handles.length}, escalated and claimed ${handles.length - lostConversations}, lost ${lostConversations}; ` +
      `rungs per conversation ${Math.min(...rungs)}..${Math.max(...rungs)}; ${describeAccount(account)}; bad signatures ${rig.receiver.badSignatures}; ` +
      `worker processes started so far ${rig.workerStarts}`,
  );
  assert.equal(lostConversations, 0, 'every conversation escalated once, kept its reply, and was claimed');
  assert.equal(account.lost, 0, `no alert lost: ${account.examples.join('; ')}`);
  assert.equal(account.duplicated, 0, `no alert shown twice: ${account.examples.join('; ')}`);
  assert.equal(rig.receiver.badSignatures, 0);
  for (const alert of rig.receiver.alertsOf(handles.map((h) => h.workflowId))) assert.ok(alert.posts >= 1);
  return { finals };
}
