/**
 * The cluster shape: the production Temporal server is SIGKILLed while conversations wait on timers and started
 * again on the same PostgreSQL after they fell due (the scenario: test/helpers/faults/serverRestartScenario.ts).
 */
import { after, before, describe, test } from 'node:test';
import type { ClusterServer } from '../helpers/faults/clusterServer';
import { FaultRig } from '../helpers/faults/rig';
import { everyConversationResumesAfterServerRestart, SERVER_RESTART_CONFIG } from '../helpers/faults/serverRestartScenario';

describe('the cluster shape with its Temporal server killed and restarted on the same PostgreSQL', () => {
  let rig: FaultRig<ClusterServer>;
  before(async () => {
    rig = await FaultRig.startCluster({ config: SERVER_RESTART_CONFIG });
  });
  after(async () => {
    await rig?.stop();
  });

  test('every conversation resumes and the timers due during the outage fire after it', async () => {
    await everyConversationResumesAfterServerRestart(rig);
  });
});
