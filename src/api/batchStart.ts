/**
 * Starting conversations with a list of prospects (`POST /v1/conversations/batch`): each item goes the way of a
 * single start (validated, checked against the suppression list, started idempotently by prospect id), a bounded
 * number at a time, and answers with its own result, so one bad row never refuses the others.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Config } from '../config';
import { StartConversationSchema, startConversation } from '../conversations';
import { ApiError } from './errors';
import type { ApiLedger } from './ledgerAccess';
import { reenrolment } from './enrolments';
import { assertNotSuppressed } from './suppressions';

/** The most prospects one batch takes. */
export const BATCH_LIMIT = 1000;
/** The largest batch body the API reads: a thousand prospects of up to 4 KiB each. */
export const BATCH_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** How many starts of one batch are in flight at once. */
export const BATCH_CONCURRENCY = 16;

/** The batch as the API parses it: each item is validated on its own (see {@link startBatch}). */
export const BatchStartSchema = z.strictObject({ items: z.array(z.unknown()).min(1).max(BATCH_LIMIT) });
/** The batch as the contract documents it: a list of single-start requests. */
export const BatchStartDocumentedSchema = z.strictObject({ items: z.array(StartConversationSchema).min(1).max(BATCH_LIMIT) });

const BATCH_STATUSES = ['created', 'existing', 'suppressed', 'invalid', 'refused'] as const;
/** What happened to one item of a batch. */
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** One item's result. */
export const BatchItemResultSchema = z.object({
  index: z.number().int().describe('the item\'s position in `items`, from 0'),
  status: z.enum(BATCH_STATUSES),
  prospectId: z.string().nullable().describe('null when the item has no usable prospect id'),
  workflowId: z.string().optional().describe('for created and existing'),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('for invalid: each field that is wrong, e.g. `prospect.email`'),
  suppression: z.object({ kind: z.string(), source: z.string() }).optional().describe('for suppressed: what matched and why it is listed'),
  refusal: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .describe('for refused: why a re-enrolment was refused (`conversation_running`, `opted_out`, `campaign_required`)'),
});
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

/** The answer to a batch. */
export const BatchStartResultSchema = z.object({
  results: z.array(BatchItemResultSchema),
  counts: z.object({ created: z.number().int(), existing: z.number().int(), suppressed: z.number().int(), invalid: z.number().int(), refused: z.number().int() }),
});
export type BatchStartResult = z.infer<typeof BatchStartResultSchema>;

/** What a batch needs. */
export interface BatchStartDeps {
  client: Client;
  config: Config;
  ledger: ApiLedger;
  /** Starts in flight at once; default {@link BATCH_CONCURRENCY}. */
  concurrency?: number;
}

function prospectIdOf(item: unknown): string | null {
  const id = (item as { prospect?: { id?: unknown } } | null)?.prospect?.id;
  return typeof id === 'string' && ProspectIdSchema.safeParse(id).success ? id : null;
}
const ProspectIdSchema = StartConversationSchema.shape.prospect.shape.id;

async function startOne(deps: BatchStartDeps, item: unknown, index: number): Promise<BatchItemResult> {
  const parsed = StartConversationSchema.safeParse(item);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(item)', message: issue.message }));
    return { index, status: 'invalid', prospectId: prospectIdOf(item), fields };
  }
  const request = parsed.data;
  try {
    await assertNotSuppressed(deps.ledger, request.prospect);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'suppressed') {
      return { index, status: 'suppressed', prospectId: request.prospect.id, suppression: { kind: String(err.details.kind), source: String(err.details.source) } };
    }
    throw err;
  }
  let enrolment: string | undefined;
  try {
    enrolment = request.reenrol ? await reenrolment(deps.client, deps.ledger, request) : undefined;
  } catch (err) {
    if (err instanceof ApiError && err.status < 500) return { index, status: 'refused', prospectId: request.prospect.id, refusal: { code: err.code, message: err.message } };
    throw err;
  }
  const started = await startConversation(deps.client, deps.config, request, enrolment);
  return { index, status: started.created ? 'created' : 'existing', prospectId: request.prospect.id, workflowId: started.workflowId };
}

/**
 * Starts each item as a single start would, at most `concurrency` at once, and answers in the items' order.
 * Starts are idempotent by prospect id, so a batch sent again (after a failure part-way) answers `existing` for
 * what it had started.
 * @throws ApiError 503 `ledger_unavailable` when the suppression list cannot be read; a Temporal failure as it
 *   came. Either way the items already started stay started.
 */
export async function startBatch(deps: BatchStartDeps, items: readonly unknown[]): Promise<BatchStartResult> {
  const results: BatchItemResult[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await startOne(deps, items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? BATCH_CONCURRENCY, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  const counts = { created: 0, existing: 0, suppressed: 0, invalid: 0, refused: 0 };
  for (const result of results) counts[result.status] += 1;
  return { results, counts };
}
