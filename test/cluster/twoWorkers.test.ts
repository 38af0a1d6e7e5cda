/**
 * The cluster shape (`handoff cluster`): the production Temporal server on PostgreSQL, the ledger in the same
 * PostgreSQL, two worker processes on one task queue. A hundred reps claim one escalation at once (the race:
 * test/helpers/faults/claimRace.ts), then one worker is SIGKILLed while conversations escalate and is not started
 * again: the other carries every conversation on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { replySignal } from '../../workflows/messages';
import { claimAndCount } from '../helpers/faults/alerts';
import { CLAIM_RACE_CONFIG, hundredClaimsHaveOneWinner, startedConversation } from '../helpers/faults/claimRace';
import type { ClusterServer } from '../helpers/faults/clusterServer';
import { FaultRig, pricingReply } from '../helpers/faults/rig';
import { say } from '../helpers/faults/say';

const CONVERSATIONS = 8;

describe('the cluster shape: two workers on the production Temporal server', () => {
  let rig: FaultRig<ClusterServer>;
  before(async () => {
    // Long claim deadlines: the ladder stays at tier 1 while claims race and while the survivor takes over.
    rig = await FaultRig.startCluster({ config: CLAIM_RACE_CONFIG, workers: 2 });
  });
  after(async () => {
    await rig?.stop();
  });

  test('a hundred concurrent claims of one escalation have exactly one winner', async () => {
    await hundredClaimsHaveOneWinner(rig);
  });

  test('one worker killed with SIGKILL: the other carries every conversation on', async () => {
    const handles: WorkflowHandle[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) handles.push(await startedConversation(rig, `cluster-kill-${i}`));
    await Promise.all(handles.map((h) => h.signal(replySignal, pricingReply(`${h.workflowId}-pricing`))));
    await rig.killWorker();
    const survivor = rig.otherWorkers[0]!;
    say(`killed worker ${rig.worker?.child.pid} (SIGKILL) right after signalling ${CONVERSATIONS} pricing replies; worker ${survivor.child.pid} goes on alone`);
    await claimAndCount(rig, 'one worker of two killed', handles);
    assert.equal(rig.worker?.running, false, 'the killed worker stayed down');
    assert.ok(survivor.running, 'the surviving worker still runs');
    assert.equal(survivor.unexpectedExit, null);
  });
});
