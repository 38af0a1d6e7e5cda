/**
 * The API's side of a conversation's limits (`workflows/limits.ts`): reply bodies too long to travel inline are
 * stored before the conversation is signalled, and a manual escalation past the conversation's limit is refused
 * with a code that names the limit.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { clipUtf8, utf8Bytes } from '../../workflows/bounds';
import { MANUAL_ESCALATION_LIMIT, REPLY_INLINE_BYTES, REQUEST_BODY_LIMIT_BYTES } from '../../workflows/limits';
import { ReplyInputSchema, countsQuery, type ReplyInput } from '../../workflows/messages';
import { type ReplyBodyStore, replyBodyRef } from '../ledger/replyBodies';
import { ApiError } from './errors';

/** A reply as an outreach tool posts it: any length the request allows; the API decides what travels inline. */
export const ReplyRequestSchema = ReplyInputSchema.omit({ bodyRef: true, bodyBytes: true }).extend({
  text: z.string().max(REQUEST_BODY_LIMIT_BYTES),
});
export type ReplyRequest = z.infer<typeof ReplyRequestSchema>;

/** Whether a posted reply's text travels in the signal as it is (within {@link REPLY_INLINE_BYTES}), with nothing stored first. */
export function travelsInline(request: ReplyRequest): request is ReplyRequest & ReplyInput {
  return utf8Bytes(request.text) <= REPLY_INLINE_BYTES;
}

/**
 * The reply signal for a posted reply. A text over {@link REPLY_INLINE_BYTES} is stored whole first with `store`
 * (so nothing the API accepts is lost), and the signal carries its first bytes with `bodyRef` and `bodyBytes`;
 * a shorter one travels as it is, and the store is not touched.
 */
export async function replyForSignal(workflowId: string, request: ReplyRequest, store: ReplyBodyStore['put']): Promise<ReplyInput> {
  if (travelsInline(request)) return request;
  const bytes = utf8Bytes(request.text);
  const ref = replyBodyRef(workflowId, request.messageId, request.text);
  await store({ ref, conversationId: workflowId, messageId: request.messageId, text: request.text });
  return { ...request, text: clipUtf8(request.text, REPLY_INLINE_BYTES), bodyRef: ref, bodyBytes: bytes };
}

/** How long the limit check waits for the conversation to answer before leaving the decision to it. */
const COUNTS_DEADLINE_MS = 2000;

/**
 * Refuses a manual escalation the conversation would refuse: it has accepted {@link MANUAL_ESCALATION_LIMIT}.
 * The conversation enforces the limit itself; this check only lets the caller hear about it. When the
 * conversation cannot answer at once (no worker, a run without the counts), the escalation goes ahead and the
 * conversation decides.
 * @throws ApiError 409 `manual_escalation_limit` naming the limit.
 */
export async function checkManualEscalationLimit(client: Client, handle: WorkflowHandle): Promise<void> {
  const counts = await client.withDeadline(Date.now() + COUNTS_DEADLINE_MS, () => handle.query(countsQuery)).catch(() => null);
  if (counts && counts.manualEscalations >= MANUAL_ESCALATION_LIMIT) {
    throw new ApiError(409, 'manual_escalation_limit', `the conversation has reached its limit of ${MANUAL_ESCALATION_LIMIT} manual escalations`, {
      limit: MANUAL_ESCALATION_LIMIT,
      manualEscalations: counts.manualEscalations,
    });
  }
}
