/**
 * Reps' availability over HTTP: `PUT /v1/reps/{repId}/availability` (away, out of office, or available again,
 * optionally until a time) and `GET` of the same. It takes effect in routing at the next decision; the roster file
 * stays the source of hours, skills, teams and capacity. A rep's key sets its own rep; a manager's or an admin key
 * sets anyone's.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { UNAVAILABLE_STATUSES, type RepAvailability } from '../ledger/repAvailability';
import type { RosterStore } from '../routing/rosterStore';
import type { Caller, Scope } from './auth';
import { BEARER_ERRORS, BODY_ERRORS, LEDGER_UNAVAILABLE, errorResponse, type RouteContract } from './contract';
import { ApiError, parseRequest } from './errors';
import type { ApiLedger } from './ledgerAccess';

/** What a rep's availability becomes. */
export const SetAvailabilitySchema = z
  .strictObject({
    status: z.enum(['available', ...UNAVAILABLE_STATUSES]),
    /** When it ends by itself (ISO 8601, in the future); absent: until set back. */
    until: z.iso.datetime({ offset: true }).optional(),
    note: z.string().max(500).optional(),
  })
  .refine((b) => !(b.status === 'available' && b.until !== undefined), { message: 'until applies to away or out_of_office', path: ['until'] });

const RepParams = z.strictObject({ repId: z.string().min(1).max(128) });

const AvailabilityViewSchema = z.object({
  repId: z.string(),
  status: z.enum(['available', ...UNAVAILABLE_STATUSES]),
  until: z.string().nullable(),
  note: z.string().nullable(),
  setBy: z.string().nullable(),
  setAt: z.string().nullable(),
});
type AvailabilityView = z.infer<typeof AvailabilityViewSchema>;

const exampleAway: AvailabilityView = { repId: 'ana', status: 'out_of_office', until: '2026-03-09T08:00:00.000Z', note: 'conference', setBy: 'key-ana', setAt: '2026-03-02T10:00:00.000Z' };
const unknownRep = errorResponse('the rep is not in the roster', 'unknown_rep', 'zed is not in the roster', { repId: 'zed' });

/** The availability routes, for the route table and the OpenAPI document. */
export const REP_ROUTES = {
  setAvailability: {
    method: 'PUT',
    url: '/v1/reps/:repId/availability',
    scopes: ['rep'],
    tag: 'reps',
    summary: "Set a rep's availability",
    description:
      "Away or out of office (until a time, or until set back), or available again. Routing passes an unavailable rep over at its next decision, recording why on the rung. A rep's key sets its own rep; a manager or an admin key sets anyone's.",
    params: RepParams,
    body: SetAvailabilitySchema,
    bodyExample: { status: 'out_of_office', until: '2026-03-09T08:00:00Z', note: 'conference' },
    responses: {
      200: { description: 'the availability now', schema: z.object({ availability: AvailabilityViewSchema }), example: { availability: exampleAway } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      404: unknownRep,
      503: LEDGER_UNAVAILABLE,
    },
  },
  getAvailability: {
    method: 'GET',
    url: '/v1/reps/:repId/availability',
    scopes: ['rep', 'tool'],
    tag: 'reps',
    summary: "A rep's availability",
    description: 'What the API or the CLI set for the rep and still in force; `available` when nothing is.',
    params: RepParams,
    responses: {
      200: { description: 'the availability now', schema: z.object({ availability: AvailabilityViewSchema }), example: { availability: exampleAway } },
      ...BEARER_ERRORS,
      404: unknownRep,
      503: LEDGER_UNAVAILABLE,
    },
  },
} as const satisfies Record<string, RouteContract>;

/** What the availability routes need from the API. */
export interface RepRouteDeps {
  guard(request: FastifyRequest, scopes: readonly Scope[]): Caller;
  ledger: ApiLedger;
  roster: Pick<RosterStore, 'current'>;
  now: () => number;
}

function view(repId: string, entry: RepAvailability | null): AvailabilityView {
  return entry
    ? { repId, status: entry.status, until: entry.until, note: entry.note, setBy: entry.setBy, setAt: entry.setAt }
    : { repId, status: 'available', until: null, note: null, setBy: null, setAt: null };
}


/** Registers `PUT` and `GET /v1/reps/{repId}/availability`. */
export function registerRepRoutes(app: FastifyInstance, deps: RepRouteDeps): void {
  const knownRep = async (repId: string) => {
    const { roster } = await deps.roster.current();
    if (!roster.reps.some((r) => r.id === repId)) throw new ApiError(404, 'unknown_rep', `${repId} is not in the roster`, { repId });
    return roster;
  };

  app.put(REP_ROUTES.setAvailability.url, async (request, reply) => {
    const caller = deps.guard(request, REP_ROUTES.setAvailability.scopes);
    const { repId } = parseRequest(RepParams, request.params, 'params');
    const body = parseRequest(REP_ROUTES.setAvailability.body, request.body, 'body');
    const roster = await knownRep(repId);
    const admin = caller.scopes.includes('admin');
    const manager = caller.repId !== null && roster.managers.includes(caller.repId);
    if (!admin && !manager && caller.repId !== repId) {
      throw new ApiError(403, 'not_your_rep', `this key (${caller.keyId}) acts as ${caller.repId ?? 'no rep'}; only ${repId}, a manager or an admin sets ${repId}'s availability`, { field: 'repId' });
    }
    if (body.until !== undefined && Date.parse(body.until) <= deps.now()) {
      throw new ApiError(400, 'invalid_request', 'body.until: must be in the future', { fields: [{ field: 'body.until', message: 'must be in the future' }] });
    }
    const entry = await deps.ledger.use(async (l) => {
      if (body.status === 'available') {
        await l.availability.clear(repId);
        return null;
      }
      return l.availability.set({ repId, status: body.status, until: body.until ? new Date(body.until).toISOString() : null, note: body.note ?? null, setBy: caller.keyId });
    });
    request.log.info({ keyId: caller.keyId, repId, status: body.status }, 'rep availability set');
    return reply.code(200).send({ availability: view(repId, entry) });
  });

  app.get(REP_ROUTES.getAvailability.url, async (request, reply) => {
    deps.guard(request, REP_ROUTES.getAvailability.scopes);
    const { repId } = parseRequest(RepParams, request.params, 'params');
    await knownRep(repId);
    const entry = await deps.ledger.use((l) => l.availability.get(repId, new Date(deps.now())));
    return reply.code(200).send({ availability: view(repId, entry) });
  });
}
