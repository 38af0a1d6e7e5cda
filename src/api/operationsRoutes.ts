/**
 * The operations routes' contract: health, metrics and the OpenAPI document (no key: a load balancer, Prometheus
 * and a client generator call them). `server.ts` registers the handlers.
 */
import { z } from 'zod';
import type { RouteContract } from './contract';

/** The health answer: a status and a generic reason per check; what went wrong is in the log under `incident`. */
export const HealthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).describe('temporal: ok | unreachable; worker (when this process runs one): ok | not running'),
  incident: z.string().optional().describe('the id the log lines of this failure carry'),
});

/** The operations routes, for the route table and the OpenAPI document. */
export const OPERATIONS_ROUTES = {
  health: {
    method: 'GET',
    url: '/healthz',
    tag: 'operations',
    summary: 'Check health',
    description: 'Whether Temporal answers (within 2 s) and, when this process runs a worker, whether it is running.',
    responses: {
      200: { description: 'healthy', schema: HealthSchema, example: { status: 'ok', checks: { temporal: 'ok', worker: 'ok' } } },
      503: {
        description: 'a check failed; the log says why under the incident id',
        schema: HealthSchema,
        example: { status: 'unavailable', checks: { temporal: 'unreachable' }, incident: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
      },
    },
  },
  metrics: {
    method: 'GET',
    url: '/metrics',
    tag: 'operations',
    summary: 'Read Prometheus metrics',
    description: 'The API\'s metrics (time to claim, …) and, when the worker exports them, the Temporal SDK\'s, in the Prometheus text format.',
    responses: {
      200: {
        description: 'the metrics',
        schema: z.string(),
        contentType: 'text/plain',
        example: '# HELP handoff_time_to_claim_seconds Time from escalation to claim\n# TYPE handoff_time_to_claim_seconds histogram\n…',
      },
    },
  },
  openApiDocument: {
    method: 'GET',
    url: '/openapi.json',
    tag: 'operations',
    summary: 'Read this OpenAPI document',
    description: 'The OpenAPI 3.1 document of every route, built from the schemas the API validates with.',
    responses: {
      200: {
        description: 'the document',
        schema: z.object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) }).loose(),
        example: { openapi: '3.1.0', info: { title: 'Handoff API', version: '1' }, paths: {} },
      },
    },
  },
} as const satisfies Record<string, RouteContract>;
