/**
 * Fault: the Temporal dev server is SIGKILLed while conversations wait on timers and started again on the same
 * SQLite file after those timers fell due (the scenario: test/helpers/faults/serverRestartScenario.ts).
 */
import { after, before, describe, test } from 'node:test';
import { FaultRig } from '../helpers/faults/rig';
import { everyConversationResumesAfterServerRestart, serverRestartConfig } from '../helpers/faults/serverRestartScenario';

describe('the dev server killed and restarted on the same SQLite file', () => {
  let rig: FaultRig;
  before(async () => {
    rig = await FaultRig.start({ config: serverRestartConfig() });
  });
  after(async () => {
    await rig?.stop();
  });

  test('every conversation resumes and the timers due during the outage fire after it', async () => {
    await everyConversationResumesAfterServerRestart(rig);
  });
});
