/**
 * `DELETE /v1/prospects/{prospectId}` (admin): erases a prospect (see `src/erasure.ts`) and answers with what
 * was erased, in counts. `?email=` names an address to erase as well, for a conversation Temporal no longer holds.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { eraseProspect } from '../erasure';
import { ProspectSchema } from '../../workflows/messages';
import type { Caller, Scope } from './auth';
import { BEARER_ERRORS, errorResponse, type RouteContract } from './contract';
import { validationError } from './errors';
import type { ApiLedger } from './ledgerAccess';

const EraseParams = z.strictObject({ prospectId: ProspectSchema.shape.id });

/** Query of the erase route. */
export const EraseQuerySchema = z.strictObject({
  email: z.union([z.email(), z.array(z.email()).max(20)]).optional(),
});

const ErasureSchema = z.object({
  erased: z.object({
    prospectId: z.string(),
    workflows: z.object({ runs: z.number().int(), terminated: z.number().int(), deleted: z.number().int() }),
    ledger: z.object({ eventsRedacted: z.number().int(), addressesHashed: z.number().int(), replyBodiesDeleted: z.number().int() }),
    journals: z.record(z.string(), z.object({ removed: z.number().int(), redacted: z.number().int() })).describe('per journal file in the data directory'),
  }),
});

/** The erase route, for the route table and the OpenAPI document. */
export const ERASE_ROUTES = {
  eraseProspect: {
    method: 'DELETE',
    url: '/v1/prospects/:prospectId',
    scopes: ['admin'],
    tag: 'prospects',
    summary: 'Erase a prospect',
    description:
      'Terminates and deletes the conversation\'s runs, removes the prospect\'s texts from the ledger and the journals, and keeps the address suppressed as a hash only. `email` names addresses to erase as well, for a conversation Temporal no longer holds.',
    params: EraseParams,
    query: EraseQuerySchema,
    responses: {
      200: {
        description: 'what was erased, in counts',
        schema: ErasureSchema,
        example: {
          erased: {
            prospectId: 'p-1042',
            workflows: { runs: 1, terminated: 1, deleted: 1 },
            ledger: { eventsRedacted: 12, addressesHashed: 1, replyBodiesDeleted: 0 },
            journals: { 'sent.jsonl': { removed: 2, redacted: 0 } },
          },
        },
      },
      ...BEARER_ERRORS,
      503: errorResponse('the ledger cannot be reached', 'ledger_unavailable', 'the ledger is unavailable: connection refused'),
    },
  },
} as const satisfies Record<string, RouteContract>;

/** What the erase route needs from the API. */
export interface EraseRouteDeps {
  guard(request: FastifyRequest, scopes: readonly Scope[]): Caller;
  ledger: ApiLedger;
  client: Client;
  /** The data directory whose journals are rewritten. */
  dataDir: string;
}

/** Registers `DELETE /v1/prospects/{prospectId}`. */
export function registerEraseRoutes(app: FastifyInstance, deps: EraseRouteDeps): void {
  app.delete(ERASE_ROUTES.eraseProspect.url, async (request) => {
    const caller = deps.guard(request, ERASE_ROUTES.eraseProspect.scopes);
    const params = EraseParams.safeParse(request.params);
    if (!params.success) throw validationError(params.error, 'params');
    const query = EraseQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw validationError(query.error, 'query');
    const emails = query.data.email === undefined ? [] : [query.data.email].flat();
    const { prospectId } = params.data;
    request.log.info({ keyId: caller.keyId, prospectId }, 'erasing a prospect');
    const erased = await deps.ledger.use((ledger) =>
      eraseProspect({ client: deps.client, ledger, dataDir: deps.dataDir, log: (line) => request.log.info(line) }, prospectId, emails),
    );
    return { erased } satisfies z.infer<typeof ErasureSchema>;
  });
}
