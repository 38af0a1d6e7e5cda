/**
 * Fault: the Temporal server is SIGKILLed while conversations wait on timers (cadence steps and claim deadlines)
 * and started again on the same state after those timers fell due. Every conversation must resume, and every
 * timer due during the outage must fire after it. Run in both shapes: the dev server on its SQLite file
 * (test/faults) and the production server on PostgreSQL (test/cluster).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { startConversation } from '../../../src/conversations';
import { replySignal, stateQuery, type ConversationState } from '../../../workflows/messages';
import { eventually, sleep } from '../eventually';
import { prospect } from '../prospect';
import { accountAlerts, describeAccount, settleAndClaim } from './alerts';
import { pricingReply, type FaultRig } from './rig';
import { say } from './say';
import type { RigServer } from './server';

/** How many conversations wait on each kind of timer, and how far off the timers are. */
export interface ServerRestartSizing {
  perGroup: number;
  /** When follow-up 1 falls due after the first touch, and the pricing claim deadline. */
  timerOffsetS: number;
}

/** The dev shape's sizing: ten conversations per group, timers 15 s off. */
export const DEV_SERVER_RESTART_SIZING: ServerRestartSizing = { perGroup: 10, timerOffsetS: 15 };

/** The rig config the scenario needs: a follow-up and the claim deadlines `timerOffsetS` away. */
export function serverRestartConfig(sizing: ServerRestartSizing = DEV_SERVER_RESTART_SIZING): Record<string, unknown> {
  return {
    conversation: {
      cadence: [
        { name: 'First touch', kind: 'first_touch', offset: '0s', channel: 'email' },
        { name: 'Follow-up 1', kind: 'follow_up', offset: `${sizing.timerOffsetS}s`, channel: 'email' },
        { name: 'Follow-up 2', kind: 'follow_up', offset: '1 hour', channel: 'email' },
      ],
      // Every trigger's deadline, not only pricing's: a reply the reader cannot classify in time (a loaded
      // machine) escalates as a human request.
      claimDeadlines: Object.fromEntries(['human_request', 'buying_intent', 'pricing', 'technical', 'manual'].map((t) => [t, `${sizing.timerOffsetS}s`])),
    },
  };
}

/** Kills the server with timers pending, restarts it after they fell due, and asserts nothing was lost. */
export async function everyConversationResumesAfterServerRestart(
  rig: FaultRig<RigServer>,
  sizing: ServerRestartSizing = DEV_SERVER_RESTART_SIZING,
): Promise<void> {
  const start = async (id: string) => (await startConversation(rig.client, rig.config, { prospect: prospect(id) })).handle;
  const cadenceGroup: WorkflowHandle[] = [];
  const ladderGroup: WorkflowHandle[] = [];
  for (let i = 0; i < sizing.perGroup; i++) {
    cadenceGroup.push(await start(`restart-cadence-${i}`));
    ladderGroup.push(await start(`restart-ladder-${i}`));
  }
  const all = [...cadenceGroup, ...ladderGroup];
  await Promise.all(all.map((h) => eventually(async () => (await h.query(stateQuery)).sent.length >= 1, `${h.workflowId}'s first touch`)));
  await Promise.all(ladderGroup.map((h) => h.signal(replySignal, pricingReply(`${h.workflowId}-pricing`))));
  const escalated = await Promise.all(
    ladderGroup.map((h) => eventually(async () => {
      const s = await h.query(stateQuery);
      return s.ladder.length === 1 ? s : undefined;
    }, `${h.workflowId} at tier 1`)),
  );
  const stepsDue = await Promise.all(cadenceGroup.map(async (h) => Date.parse((await h.query(stateQuery)).nextStep!.at)));
  const deadlines = escalated.map((s) => Date.parse(s.ladder[0]!.deadline));
  const due = [...stepsDue, ...deadlines];

  const killedAt = Date.now();
  assert.ok(Math.min(...due) > killedAt, 'no timer is due before the kill (the test set-up was too slow)');
  // A follow-up 1 that fired during the set-up leaves follow-up 2 (an hour off) as the next step: the outage would
  // last an hour.
  assert.ok(Math.max(...due) - killedAt <= sizing.timerOffsetS * 1000, 'no timer fell due before the kill (the test set-up was too slow)');
  await rig.server.kill();
  const downForMs = Math.max(...due) - killedAt + 3000;
  say(`killed the Temporal server (SIGKILL) with ${due.length} timers due in ${Math.min(...due) - killedAt}..${Math.max(...due) - killedAt} ms; down for ${downForMs} ms`);
  await sleep(downForMs);
  // A timer may fire as soon as the server is back, before restart() has seen it answer: "while the server was
  // down" means before the restart began.
  const restartingAt = Date.now();
  await rig.server.restart();
  const restartedAt = Date.now();
  const workerSurvived = rig.worker?.running === true;
  say(`restarted the server on ${rig.server.storage}; the worker process ${workerSurvived ? 'reconnected by itself' : 'had exited and is started again'}`);
  if (!workerSurvived) await rig.ensureWorker();

  const resumed = async (h: WorkflowHandle, ready: (s: ConversationState) => boolean): Promise<ConversationState | undefined> => {
    try {
      return await eventually(async () => {
        const s = await h.query(stateQuery);
        return ready(s) ? s : undefined;
      }, `${h.workflowId} to resume`, 60_000, 250);
    } catch {
      return undefined;
    }
  };
  const cadenceStates = await Promise.all(cadenceGroup.map((h) => resumed(h, (s) => s.sent.length >= 2)));
  const ladderStates = await Promise.all(ladderGroup.map((h) => resumed(h, (s) => s.ladder.length >= 2)));

  const stepsFired = cadenceStates.map((s) => (s ? Date.parse(s.sent[1]!.at) : NaN));
  const rungsFired = ladderStates.map((s) => (s ? Date.parse(s.ladder[1]!.alertedAt) : NaN));
  const lost = [...cadenceStates, ...ladderStates].filter((s) => !s).length;
  const firedEarly = [...stepsFired, ...rungsFired].filter((at) => at < restartingAt).length;
  const lateMs = [...stepsFired, ...rungsFired].filter((at) => !Number.isNaN(at)).map((at) => at - restartingAt);

  const sentLines = readFileSync(path.join(rig.dataDir, 'sent.jsonl'), 'utf8').split('\n').filter(Boolean);
  const sentKeys = sentLines.map((l) => (JSON.parse(l) as { idempotencyKey: string }).idempotencyKey);
  const duplicateSends = sentKeys.length - new Set(sentKeys).size;

  const claims = await Promise.all(ladderGroup.map((h) => settleAndClaim(h, 'max')));
  const account = accountAlerts(claims.map((c) => c.snapshot), rig.receiver, await rig.outbox());
  say(
    `conversations ${all.length}, resumed ${all.length - lost}, lost ${lost}; timers due in the outage ${due.length}, fired after the restart ` +
      `${lateMs.length - firedEarly}, fired before it ${firedEarly}; first firing ${Math.min(...lateMs)} ms after the restart began (the server answered after ${restartedAt - restartingAt} ms), last ${Math.max(...lateMs)} ms; ` +
      `outreach sends ${sentKeys.length}, duplicated ${duplicateSends}; ${describeAccount(account)}`,
  );
  assert.equal(lost, 0, 'every conversation resumed after the restart');
  assert.equal(firedEarly, 0, 'no timer fired while the server was down');
  assert.equal(duplicateSends, 0);
  for (const s of cadenceStates) assert.equal(s!.sent.length, 2, `${s!.conversationId} sent follow-up 1 once`);
  for (const c of claims) assert.equal(c.final.stage, 'claimed');
  assert.equal(account.lost, 0, account.examples.join('; '));
  assert.equal(account.duplicated, 0, account.examples.join('; '));
}
