// Workflows used only by the foundation's smoke tests.
import { condition, defineSignal, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { HandoffCompany, HandoffStage } from '../../workflows/searchAttributes';

/** Sleeps the given number of days and returns how long it slept, in days. */
export async function sleeperWorkflow(days: number): Promise<number> {
  await sleep(`${days} days`);
  return days;
}

export const finishSignal = defineSignal('finish');

/** Tags itself with search attributes, then waits to be told to finish. */
export async function taggedWorkflow(company: string): Promise<void> {
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  upsertSearchAttributes([
    { key: HandoffCompany, value: company },
    { key: HandoffStage, value: 'automating' },
  ]);
  await condition(() => finished);
}
