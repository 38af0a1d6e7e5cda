/**
 * A prospect's conversations across enrolments. The first is `prospect-<id>`; a prospect whose conversation ended
 * without an opt-out can be re-enrolled in another campaign, which starts `prospect-<id>~<campaign>` (see
 * `conversationWorkflowId`). Every one of them carries the `HandoffProspect` search attribute, so all are found
 * together; the API's conversation routes address the current one by the prospect's id, or a given one by
 * `<id>~<campaign>`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { conversationWorkflowId, ENROLMENT_SEPARATOR, parseConversationRef, type Prospect } from '../../workflows/messages';
import { ApiError } from './errors';
import type { ApiLedger } from './ledgerAccess';

/** One conversation of a prospect, as visibility (or a describe) sees it. */
export interface ConversationRun {
  prospectId: string;
  workflowId: string;
  /** The campaign a re-enrolment started it in; null for the prospect's first conversation. */
  enrolment: string | null;
  /** Temporal's execution status, lowercase: running, completed, failed, terminated, … */
  status: string;
  /** The conversation's stage as its search attribute last said (`opted_out`, `closed`, …), when it has one. */
  stage: string | null;
  startedAt: string;
  closedAt: string | null;
}

interface Execution {
  workflowId: string;
  status: { name: string };
  startTime: Date;
  closeTime?: Date;
  searchAttributes?: Record<string, unknown>;
}

function runOf(execution: Execution): ConversationRun {
  const { prospectId, enrolment } = parseConversationRef(execution.workflowId);
  const stage = (execution.searchAttributes?.HandoffStage as string[] | undefined)?.[0] ?? null;
  return {
    prospectId,
    workflowId: execution.workflowId,
    enrolment,
    status: execution.status.name.toLowerCase(),
    stage,
    startedAt: execution.startTime.toISOString(),
    closedAt: execution.closeTime ? execution.closeTime.toISOString() : null,
  };
}

/** Whether Temporal has a conversation with this workflow id (running or finished). */
async function exists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The prospect's first conversation as the server has it now (strongly consistent), or null. */
async function firstConversation(client: Client, prospectId: string): Promise<ConversationRun | null> {
  try {
    return runOf(await client.workflow.getHandle(conversationWorkflowId(prospectId)).describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * Every conversation of the prospect Temporal still has, newest first: those carrying its `HandoffProspect`, and its
 * first one by id (started before the attribute, or too new for visibility to list yet).
 */
export async function conversationRuns(client: Client, prospectId: string, limit = 100): Promise<ConversationRun[]> {
  const runs = new Map<string, ConversationRun>();
  const first = await firstConversation(client, prospectId);
  if (first) runs.set(first.workflowId, first);
  // Prospect ids hold no quotes (see ProspectSchema), so they go into the query as they are.
  const query = `HandoffProspect = "${prospectId}" OR WorkflowId = "${conversationWorkflowId(prospectId)}"`;
  for await (const execution of client.workflow.list({ query, pageSize: limit })) {
    if (!runs.has(execution.workflowId)) runs.set(execution.workflowId, runOf(execution));
    if (runs.size >= limit) break;
  }
  return [...runs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * The workflow id a conversation reference names: `<id>~<campaign>` that enrolment's; a bare prospect id the
 * prospect's current conversation (its first while that runs or is all there is, else the one running, else the
 * newest).
 */
export async function currentConversationId(client: Client, ref: string): Promise<string> {
  const { prospectId, enrolment } = parseConversationRef(ref);
  if (enrolment !== null) return conversationWorkflowId(prospectId, enrolment);
  const first = await firstConversation(client, prospectId);
  if (!first || first.status === 'running') return conversationWorkflowId(prospectId);
  const runs = await conversationRuns(client, prospectId);
  return (runs.find((r) => r.status === 'running') ?? runs[0] ?? first).workflowId;
}

/**
 * The conversation a reference means as far as can be told without asking Temporal: the enrolment's for
 * `<id>~<campaign>`, else the prospect's first, which {@link currentConversationId} answers too while it runs.
 */
export function likelyConversationId(ref: string): string {
  const { prospectId, enrolment } = parseConversationRef(ref);
  return conversationWorkflowId(prospectId, enrolment ?? undefined);
}

/**
 * Checks that the prospect may be started again: no conversation of theirs still runs, and none ended in an
 * opt-out (by its stage, or the ledger's `opted_out`). The suppression list is checked apart
 * (`assertNotSuppressed`). Returns their conversations, newest first.
 * @throws ApiError 400 `campaign_required` without a campaign, 409 `conversation_running` naming the running
 *   conversation, 409 `opted_out` naming the conversation the prospect opted out of.
 */
export async function assertReenrollable(client: Client, ledger: ApiLedger, prospect: Pick<Prospect, 'id'>, campaign: string | undefined): Promise<ConversationRun[]> {
  if (campaign === undefined) {
    throw new ApiError(400, 'campaign_required', `re-enrolling prospect ${prospect.id} needs the campaign to start them in (campaign)`, { field: 'campaign' });
  }
  const runs = await conversationRuns(client, prospect.id);
  const running = runs.find((r) => r.status === 'running');
  if (running) {
    throw new ApiError(409, 'conversation_running', `prospect ${prospect.id} still has a conversation running (${running.workflowId}); re-enrol them once it has ended`, {
      workflowId: running.workflowId,
    });
  }
  // The ledger outlives Temporal's retention: an opt-out is found there after its conversation is gone.
  const optedOutIn =
    runs.find((r) => r.stage === 'opted_out')?.workflowId ??
    (await ledger.use((l) => l.query({ kinds: ['opted_out'], prospectId: prospect.id })))[0]?.conversationId;
  if (optedOutIn) {
    throw new ApiError(409, 'opted_out', `prospect ${prospect.id} opted out (in ${optedOutIn}); a prospect who opted out is never started again`, {
      workflowId: optedOutIn,
    });
  }
  return runs;
}

/** A conversation reference as the routes take it: a prospect's id, or `<id>~<campaign>` for one enrolment. */
export const CONVERSATION_REF_PATTERN = new RegExp(`^[A-Za-z0-9._:@-]{1,128}(${ENROLMENT_SEPARATOR}[A-Za-z0-9][A-Za-z0-9._-]{0,63})?$`);

/** A conversation reference (see {@link CONVERSATION_REF_PATTERN}), validated. */
export const ConversationRefSchema = z
  .string()
  .regex(CONVERSATION_REF_PATTERN, 'a prospect id (letters, digits and . _ : @ -, at most 128), optionally ~ and a campaign')
  .describe('the prospect\'s id (their current conversation), or `<id>~<campaign>` for the conversation a re-enrolment started');

/**
 * The enrolment a start with `reenrol: true` runs as: its campaign, once {@link assertReenrollable} allows it; none
 * (a first start) when the prospect has had no conversation at all.
 */
export async function reenrolment(client: Client, ledger: ApiLedger, request: { prospect: Pick<Prospect, 'id'>; campaign?: string | undefined }): Promise<string | undefined> {
  // Asked again: the re-enrolment's conversation is returned as it is, like any start.
  if (request.campaign !== undefined && (await exists(client, conversationWorkflowId(request.prospect.id, request.campaign)))) return request.campaign;
  const earlier = await assertReenrollable(client, ledger, request.prospect, request.campaign);
  return earlier.length > 0 ? request.campaign : undefined;
}
