/** A workflows module with one trivial workflow: `moduleInstances.ts` measures the SDK's own share of a workflow with it. */
import { sleep } from '@temporalio/workflow';
export async function conversationWorkflow(): Promise<void> {
  await sleep(1000);
}
