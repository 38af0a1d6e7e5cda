/**
 * The cluster shape (`handoff cluster`: the production Temporal server on PostgreSQL, two worker processes): one
 * worker is SIGKILLed while conversations escalate and is not started again. The other worker carries every
 * conversation on: each escalates once, keeps its reply, is claimed, and every alert arrives once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { replySignal } from '../../workflows/messages';
import { claimAndCount } from '../helpers/faults/alerts';
import { startedConversation } from '../helpers/faults/claimRace';
import type { ClusterServer } from '../helpers/faults/clusterServer';
import { FaultRig, pricingReply } from '../helpers/faults/rig';
import { say } from '../helpers/faults/say';

const CONVERSATIONS = 8;

describe('the cluster shape with one of its two workers killed', () => {
  let rig: FaultRig<ClusterServer>;
  before(async () => {
    rig = await FaultRig.startCluster({ workers: 2 });
  });
  after(async () => {
    await rig?.stop();
  });

  test('the other worker carries every conversation on', async () => {
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
