/**
 * The cluster shape: a hundred reps claim one escalation at once while two worker processes poll the task queue
 * (the race: test/helpers/faults/claimRace.ts). Exactly one claim wins.
 */
import { after, before, describe, test } from 'node:test';
import { CLAIM_RACE_CONFIG, hundredClaimsHaveOneWinner } from '../helpers/faults/claimRace';
import type { ClusterServer } from '../helpers/faults/clusterServer';
import { FaultRig } from '../helpers/faults/rig';

describe('concurrent claims in the cluster shape', () => {
  let rig: FaultRig<ClusterServer>;
  before(async () => {
    rig = await FaultRig.startCluster({ config: CLAIM_RACE_CONFIG });
  });
  after(async () => {
    await rig?.stop();
  });

  test('a hundred concurrent claims of one escalation have exactly one winner', async () => {
    await hundredClaimsHaveOneWinner(rig);
  });
});
