/**
 * `handoff/client`: what an outreach tool on the TypeScript SDK needs to drive conversations through Temporal
 * directly, without the HTTP API: the workflow's name and ids, its signals, updates and queries, the payload
 * shapes, and three helpers. Definitions only: importing it pulls in no server, worker or workflow code.
 *
 * ```ts
 * import { Client } from '@temporalio/client';
 * import { startConversation, sendReply, stateQuery, conversationWorkflowId } from 'handoff/client';
 *
 * const client = new Client();
 * await startConversation(client, { prospect: { id: '42', name: 'Ada', email: 'ada@example.com', company: 'Acme' } });
 * await sendReply(client, '42', { messageId: '<abc@mail>', channel: 'email', text: 'What does it cost?', receivedAt: new Date().toISOString() });
 * const state = await client.workflow.getHandle(conversationWorkflowId('42')).query(stateQuery);
 * ```
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { ConversationResult } from '../workflows/conversation/memory';
import { ConversationStartSchema, ReplyInputSchema, conversationWorkflowId, replySignal, type ConversationStartInput, type ReplyInput } from '../workflows/messages';

export * from '../workflows/messages';
export type { ConversationResult } from '../workflows/conversation/memory';

/** Where the Handoff worker listens unless configured otherwise (`HANDOFF_TASK_QUEUE`). */
export const DEFAULT_TASK_QUEUE = 'handoff';

/** The workflow type the Handoff worker registers. */
export const CONVERSATION_WORKFLOW = 'conversationWorkflow';

/** Where to start: the worker's task queue. */
export interface StartOptions {
  taskQueue?: string;
}

/**
 * Starts the prospect's conversation with `{ prospect, campaign? }` (the worker resolves the campaign), or finds
 * the one it already has: a prospect has one conversation, and an opted-out prospect is never started again.
 * @throws z.ZodError naming the field when `start` is not a valid start.
 */
export async function startConversation(
  client: Client,
  start: ConversationStartInput,
  options: StartOptions = {},
): Promise<{ handle: WorkflowHandle; workflowId: string; created: boolean }> {
  const input = ConversationStartSchema.parse(start);
  const workflowId = conversationWorkflowId(input.prospect.id);
  try {
    const handle = await client.workflow.start(CONVERSATION_WORKFLOW, {
      workflowId,
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return { handle, workflowId, created: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { handle: client.workflow.getHandle(workflowId), workflowId, created: false };
    throw err;
  }
}

/**
 * Sends a prospect's reply into their conversation. With `start`, a prospect without a running conversation gets
 * one first, in the same call (signal-with-start); without it, the conversation must exist. A repeated message id
 * is counted once.
 * @throws z.ZodError naming the field when the reply (or start) is not valid.
 */
export async function sendReply(client: Client, prospectId: string, reply: ReplyInput, options: StartOptions & { start?: ConversationStartInput } = {}): Promise<void> {
  const input = ReplyInputSchema.parse(reply);
  const workflowId = conversationWorkflowId(prospectId);
  if (!options.start) {
    await client.workflow.getHandle(workflowId).signal(replySignal, input);
    return;
  }
  const start = ConversationStartSchema.parse(options.start);
  if (start.prospect.id !== prospectId) throw new Error(`start.prospect.id: ${start.prospect.id} is not the prospect replying (${prospectId})`);
  await client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
    workflowId,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    args: [start],
    signal: replySignal,
    signalArgs: [input],
  });
}

/** Waits for the conversation to end and returns how it ended. */
export async function conversationResult(client: Client, prospectId: string): Promise<ConversationResult> {
  return (await client.workflow.getHandle(conversationWorkflowId(prospectId)).result()) as ConversationResult;
}
