/**
 * The cluster shape: the production Temporal server is SIGKILLed while conversations wait on timers and started
 * again on the same PostgreSQL after they fell due (the scenario: test/helpers/faults/serverRestartScenario.ts).
 */
import { after, before, describe, test } from 'node:test';
import type { ClusterServer } from '../helpers/faults/clusterServer';
import { FaultRig } from '../helpers/faults/rig';
import { everyConversationResumesAfterServerRestart, serverRestartConfig, type ServerRestartSizing } from '../helpers/faults/serverRestartScenario';

/** Fewer conversations and later timers than the dev shape's: two workers and a server on PostgreSQL start slower. */
const SIZING: ServerRestartSizing = { perGroup: 4, timerOffsetS: 60 };

describe('the cluster shape with its Temporal server killed and restarted on the same PostgreSQL', () => {
  let rig: FaultRig<ClusterServer>;
  before(async () => {
    rig = await FaultRig.startCluster({ config: serverRestartConfig(SIZING) });
  });
  after(async () => {
    await rig?.stop();
  });

  test('every conversation resumes and the timers due during the outage fire after it', async () => {
    await everyConversationResumesAfterServerRestart(rig, SIZING);
  });
});
