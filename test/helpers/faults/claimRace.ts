/**
 * Fault of concurrency: a hundred reps claiming one escalation at once. Exactly one claim wins, every other is
 * refused as already claimed, and the CRM hears of the claim once. Run in both shapes (test/faults/races.test.ts
 * and test/cluster/twoWorkers.test.ts).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { startConversation } from '../../../src/conversations';
import { readJournal } from '../../../src/outreach/journal';
import type { CrmTouch } from '../../../src/outreach/crm';
import { claimUpdate, replySignal, stateQuery } from '../../../workflows/messages';
import { repActor } from '../actor';
import { eventually, sleep } from '../eventually';
import { prospect } from '../prospect';
import { pricingReply, type FaultRig } from './rig';
import { say } from './say';
import type { RigServer } from './server';

const CLAIMS = 100;
const ESCALATIONS = 3;

/** The rig config the race needs: long claim deadlines, so the ladder does not move while the claims race. */
export const CLAIM_RACE_CONFIG = { conversation: { claimDeadlines: { pricing: '30 minutes' } } };

/** The CRM journal's touches. */
export async function crmTouches(rig: FaultRig<RigServer>): Promise<CrmTouch[]> {
  return readJournal<CrmTouch>(path.join(rig.dataDir, 'crm.jsonl'));
}

/** Starts a conversation (and a worker, if none runs) and waits for its first touch. */
export async function startedConversation(rig: FaultRig<RigServer>, id: string): Promise<WorkflowHandle> {
  await rig.ensureWorker();
  const { handle } = await startConversation(rig.client, rig.config, { prospect: prospect(id) });
  await eventually(async () => (await handle.query(stateQuery)).sent.length >= 1, `${id}'s first touch`);
  return handle;
}

/** Escalates three conversations and races a hundred claims on each. */
export async function hundredClaimsHaveOneWinner(rig: FaultRig<RigServer>): Promise<void> {
  for (let n = 0; n < ESCALATIONS; n++) {
    const handle = await startedConversation(rig, `claims-${n}`);
    await handle.signal(replySignal, pricingReply(`claims-${n}-pricing`));
    const state = await eventually(async () => {
      const s = await handle.query(stateQuery);
      return s.ladder.length === 1 ? s : undefined;
    }, 'tier 1');
    const eligible = state.ladder[0]!.eligibleRepIds;
    const results = await Promise.allSettled(
      Array.from({ length: CLAIMS }, (_, i) => handle.executeUpdate(claimUpdate, { args: [{ repId: eligible[i % eligible.length]!, actor: repActor(eligible[i % eligible.length]!) }] })),
    );
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [eligible[i % eligible.length]!] : []));
    const refusals: Record<string, number> = {};
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      const cause = r.reason instanceof WorkflowUpdateFailedError ? r.reason.cause : r.reason;
      const type = cause instanceof ApplicationFailure ? (cause.type ?? 'ApplicationFailure') : `unexpected ${(cause as Error).name}: ${(cause as Error).message}`;
      refusals[type] = (refusals[type] ?? 0) + 1;
    }
    const final = await handle.query(stateQuery);
    await sleep(500);
    const claimedTouches = (await crmTouches(rig)).filter((t) => t.conversationId === handle.workflowId && t.kind === 'claimed').length;
    say(
      `escalation ${n + 1}: ${CLAIMS} concurrent claims by ${eligible.join(', ')}: winners ${winners.length} (${winners.join(', ')}), ` +
        `refused ${JSON.stringify(refusals)}; owner ${final.owner}; CRM "claimed" touches ${claimedTouches}`,
    );
    assert.equal(winners.length, 1, 'exactly one claim wins');
    assert.deepEqual(refusals, { AlreadyClaimed: CLAIMS - 1 }, 'every other claim is refused as already claimed');
    assert.equal(final.owner, winners[0]);
    assert.equal(final.escalations[0]!.claimedBy, winners[0]);
    assert.equal(final.stage, 'claimed');
    await eventually(async () => (await crmTouches(rig)).filter((t) => t.conversationId === handle.workflowId && t.kind === 'claimed').length === 1 || undefined, 'the claim in the CRM journal');
  }
}
