/**
 * The suppression list over HTTP: `POST /v1/suppressions` (outreach tools and admins add an address or a
 * domain), `GET /v1/suppressions` (admins read it), and the check that refuses to start a conversation with a
 * suppressed address (409 `suppressed`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normaliseDomain, normaliseEmail, type Suppression } from '../ledger/suppression';
import type { Prospect } from '../../workflows/messages';
import type { Caller, Scope } from './auth';
import { BEARER_ERRORS, BODY_ERRORS, LEDGER_UNAVAILABLE, type RouteContract } from './contract';
import { ApiError, parseRequest } from './errors';
import type { ApiLedger } from './ledgerAccess';

function valid(normalise: (value: string) => string): (value: string) => boolean {
  return (value) => {
    try {
      normalise(value);
      return true;
    } catch {
      return false;
    }
  };
}

/** A request to suppress one address or one domain. */
export const AddSuppressionSchema = z
  .strictObject({
    email: z.string().max(320).refine(valid(normaliseEmail), 'not an email address (expected name@domain)').optional(),
    domain: z.string().max(254).refine(valid(normaliseDomain), 'not a domain (expected e.g. example.com)').optional(),
    reason: z.string().min(1).max(500).optional(),
    /** Keep only the SHA-256 hash of the address (it still matches). */
    hashOnly: z.boolean().optional(),
  })
  .refine((b) => (b.email === undefined) !== (b.domain === undefined), { message: 'give exactly one of email and domain', path: ['email'] })
  .refine((b) => !(b.hashOnly && b.domain !== undefined), { message: 'hashOnly applies to an email address, not a domain', path: ['hashOnly'] });

/** Paging of `GET /v1/suppressions`. */
export const ListSuppressionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** An entry as the API shows it: the address, its hash (hash-only entries) or the domain, and why it is listed. */
const SuppressionViewSchema = z.object({
  email: z.string().optional(),
  domain: z.string().optional(),
  emailHash: z.string().optional().describe('SHA-256 of the normalised address, for hash-only entries'),
  reason: z.string().nullable(),
  source: z.string().describe('opt_out, manual, erasure, …'),
  prospectId: z.string().nullable(),
  createdAt: z.string(),
});
const exampleEntry = { email: 'dana@northwind.example', reason: 'asked not to be contacted', source: 'manual', prospectId: null, createdAt: '2026-03-04T09:12:00.000Z' };

/** The suppression routes, for the route table and the OpenAPI document. */
export const SUPPRESSION_ROUTES = {
  addSuppression: {
    method: 'POST',
    url: '/v1/suppressions',
    scopes: ['tool'],
    tag: 'suppressions',
    summary: 'Suppress an address or a domain',
    description: 'Adds one address (optionally kept only as its hash) or one domain; no conversation is started with it again, and a running one ends before its next send.',
    body: AddSuppressionSchema,
    bodyExample: { email: 'dana@northwind.example', reason: 'asked not to be contacted' },
    responses: {
      201: { description: 'added', schema: z.object({ suppression: SuppressionViewSchema, created: z.literal(true) }), example: { suppression: exampleEntry, created: true } },
      200: { description: 'already on the list', schema: z.object({ suppression: SuppressionViewSchema, created: z.literal(false) }), example: { suppression: exampleEntry, created: false } },
      ...BEARER_ERRORS,
      ...BODY_ERRORS,
      503: LEDGER_UNAVAILABLE,
    },
  },
  listSuppressions: {
    method: 'GET',
    url: '/v1/suppressions',
    scopes: ['admin'],
    tag: 'suppressions',
    summary: 'List the suppression list',
    description: 'A page of the list, newest first, with the total.',
    query: ListSuppressionsQuerySchema,
    responses: {
      200: {
        description: 'a page of entries',
        schema: z.object({ suppressions: z.array(SuppressionViewSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }),
        example: { suppressions: [exampleEntry], total: 1, limit: 100, offset: 0 },
      },
      ...BEARER_ERRORS,
      503: LEDGER_UNAVAILABLE,
    },
  },
} as const satisfies Record<string, RouteContract>;

/** What the suppression routes need from the API. */
export interface SuppressionRouteDeps {
  guard(request: FastifyRequest, scopes: readonly Scope[]): Caller;
  ledger: ApiLedger;
}


/** An entry as the API shows it. */
function view(entry: Suppression): z.infer<typeof SuppressionViewSchema> {
  return {
    ...(entry.kind === 'email' ? { email: entry.value } : entry.kind === 'domain' ? { domain: entry.value } : { emailHash: entry.value }),
    reason: entry.reason,
    source: entry.source,
    prospectId: entry.prospectId,
    createdAt: entry.createdAt,
  };
}

/**
 * Refuses a conversation with a suppressed address.
 * @throws ApiError 409 `suppressed` (details say whether the address, its hash or its domain matched, and why
 * it is listed); 503 when the ledger cannot be reached, so nobody is contacted unchecked.
 */
export async function assertNotSuppressed(ledger: ApiLedger, prospect: Pick<Prospect, 'id' | 'email'>): Promise<void> {
  const match = await ledger.use((l) => l.suppressions.match(prospect.email));
  if (match) {
    throw new ApiError(409, 'suppressed', `prospect ${prospect.id} is on the suppression list (${match.kind}, ${match.source}); no conversation is started`, {
      kind: match.kind,
      source: match.source,
    });
  }
}

/** Registers `POST` and `GET /v1/suppressions`. */
export function registerSuppressionRoutes(app: FastifyInstance, deps: SuppressionRouteDeps): void {
  app.post(SUPPRESSION_ROUTES.addSuppression.url, async (request, reply) => {
    const caller = deps.guard(request, SUPPRESSION_ROUTES.addSuppression.scopes);
    const body = parseRequest(SUPPRESSION_ROUTES.addSuppression.body, request.body, 'body');
    const reason = body.reason ?? `added by ${caller.keyId}`;
    const { suppression, created } = await deps.ledger.use((l) =>
      l.suppressions.add(
        body.domain !== undefined
          ? { domain: body.domain, reason, source: 'manual' }
          : { email: body.email!, hashOnly: body.hashOnly ?? false, reason, source: 'manual' },
      ),
    );
    request.log.info({ keyId: caller.keyId, kind: suppression.kind, created }, 'suppression added');
    return reply.code(created ? 201 : 200).send({ suppression: view(suppression), created });
  });

  app.get(SUPPRESSION_ROUTES.listSuppressions.url, async (request) => {
    deps.guard(request, SUPPRESSION_ROUTES.listSuppressions.scopes);
    const page = parseRequest(SUPPRESSION_ROUTES.listSuppressions.query, request.query, 'query');
    const { entries, total } = await deps.ledger.use((l) => l.suppressions.list(page));
    return { suppressions: entries.map(view), total, limit: page.limit, offset: page.offset };
  });
}
