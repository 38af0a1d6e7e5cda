/**
 * The OpenAPI 3.1 document served at `/openapi.json`, built from the route tables' contracts (`contract.ts`):
 * request and response schemas come from the zod schemas the handlers parse with (`z.toJSONSchema`), so the
 * document cannot promise what the API does not check. Schemas named with `.meta({ id })` become
 * `components.schemas`. `src/api/openapiTypes.d.ts` holds the TypeScript types generated from this document
 * (`openapi-typescript`), which the CLI's client is typed with.
 */
import { CONVERSATION_EVENT_TYPES, ConversationEventSchema, type ConversationEvent, type ConversationEventType } from '../events/conversationEvents';
import { z } from 'zod';
import { CLAIM_LINK_ROUTES } from './claimLinks';
import { CODEC_ROUTES, CODEC_SESSION_COOKIE } from './codecRoutes';
import type { ResponseContract, RouteContract } from './contract';
import { CONVERSATION_ROUTES } from './conversationRoutes';
import { ERASE_ROUTES } from './erase';
import { INBOUND_ROUTES } from './inbound';
import { OPERATIONS_ROUTES } from './operationsRoutes';
import { REP_ROUTES } from './reps';
import { SUPPRESSION_ROUTES } from './suppressions';
import { UNSUBSCRIBE_ROUTES } from './unsubscribe';

/** Every route the API serves, by operation id. */
export const API_ROUTES: Readonly<Record<string, RouteContract>> = {
  ...CONVERSATION_ROUTES,
  ...SUPPRESSION_ROUTES,
  ...REP_ROUTES,
  ...INBOUND_ROUTES,
  ...UNSUBSCRIBE_ROUTES,
  ...ERASE_ROUTES,
  ...CLAIM_LINK_ROUTES,
  ...CODEC_ROUTES,
  ...OPERATIONS_ROUTES,
};

const TAGS = [
  { name: 'conversations', description: 'Start conversations, send replies in, escalate, look them up (outreach tools, reps).' },
  { name: 'claims', description: 'A rep\'s side of an escalation: claim, hand back, close, reassign, feedback.' },
  { name: 'claim links', description: 'The links in alerts: a confirmation page, and the claim it posts.' },
  { name: 'suppressions', description: 'The suppression list every opt-out joins.' },
  { name: 'reps', description: 'Reps\' availability, over the roster\'s, for routing.' },
  { name: 'prospects', description: 'Erasure of a prospect\'s personal data.' },
  { name: 'codec', description: 'The payload codec endpoint the Temporal Web UI decodes through, and its sign-in.' },
  { name: 'operations', description: 'Health, metrics and this document.' },
];

type JsonSchema = Record<string, unknown>;

/** Turns zod schemas into JSON Schemas whose named parts are shared as `#/components/schemas/<id>`. */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};
  /** Responses many routes share, by name. */
  readonly responses: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    delete json.$schema;
    for (const [id, def] of Object.entries(defs)) this.components[id] = this.refs(def);
    return this.refs(json);
  }

  private refs(json: JsonSchema): JsonSchema {
    return JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  }
}

function parameters(route: RouteContract, schemas: SchemaCollector): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = schemas.convert(schema, 'input');
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...rest } = property;
      list.push({ name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  // A path parameter the route declares without a schema still has to be described.
  for (const [, name] of route.url.matchAll(/:(\w+)/g)) {
    if (!list.some((p) => p.name === name && p.in === 'path')) list.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return list;
}

function response(contract: ResponseContract, schemas: SchemaCollector): JsonSchema {
  if (contract.name) {
    schemas.responses[contract.name] ??= describeResponse(contract, schemas);
    return { $ref: `#/components/responses/${contract.name}` };
  }
  return describeResponse(contract, schemas);
}

function describeResponse(contract: ResponseContract, schemas: SchemaCollector): JsonSchema {
  return {
    description: contract.description,
    ...(contract.headers
      ? { headers: Object.fromEntries(Object.entries(contract.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
      : {}),
    ...(contract.schema
      ? {
          content: {
            [contract.contentType ?? 'application/json']: {
              schema: schemas.convert(contract.schema, 'output'),
              ...(contract.example === undefined ? {} : { example: contract.example }),
            },
          },
        }
      : {}),
  };
}

function operation(id: string, route: RouteContract, schemas: SchemaCollector): JsonSchema {
  const body = route.body
    ? {
        requestBody: {
          required: !route.bodyOptional,
          content: Object.fromEntries(
            (route.bodyContentTypes ?? ['application/json']).map((type) => [
              type,
              { schema: schemas.convert(route.body!, 'input'), ...(route.bodyExample === undefined ? {} : { example: route.bodyExample }) },
            ]),
          ),
        },
      }
    : {};
  return {
    operationId: id,
    tags: [route.tag],
    summary: route.summary,
    description: route.description,
    security: route.scopes ? [{ bearer: [] }, ...(route.sessionCookie ? [{ codecSession: [] }] : [])] : [],
    ...(route.scopes ? { 'x-scopes': route.scopes } : {}),
    parameters: parameters(route, schemas),
    ...body,
    responses: Object.fromEntries(
      Object.entries(route.responses)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, contract]) => [status, response(contract, schemas)]),
    ),
  };
}

/**
 * The conversation events Handoff posts to `HANDOFF_EVENTS_URL`, one webhook per event type: the body, the
 * signature headers, and what the receiver answers (any 2xx takes the event; anything else is retried).
 */
function conversationEventWebhooks(schemas: SchemaCollector): Record<string, unknown> {
  const body = schemas.convert(ConversationEventSchema, 'output');
  const header = (description: string) => ({ required: true, schema: { type: 'string' }, description });
  return Object.fromEntries(
    (Object.keys(CONVERSATION_EVENT_TYPES) as ConversationEventType[]).map((type) => [
      type,
      {
        post: {
          operationId: `event.${type.replace('conversation.', '')}`,
          security: [{ eventSignature: [] }],
          summary: `The outreach tool is told: ${type}`,
          description:
            'Posted once the ledger has the event, at least once: Temporal retries until the receiver answers 2xx (a 4xx other than 408 and 429 is taken as a refusal and not retried). Deduplicate by `id` (also in `X-Handoff-Event-Id`). Verify `X-Handoff-Signature: v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret, and refuse timestamps more than five minutes off.',
          parameters: [
            { name: 'X-Handoff-Event-Id', in: 'header', ...header('the event id') },
            { name: 'X-Handoff-Timestamp', in: 'header', ...header('Unix seconds when it was signed') },
            { name: 'X-Handoff-Signature', in: 'header', ...header('`v1=<hex>`') },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: body, example: exampleConversationEvent(type) } } },
          responses: { '204': { description: 'taken' }, '400': { description: 'refused for good (not retried)' }, '500': { description: 'retried later' } },
        },
      },
    ]),
  );
}

const EXAMPLE_EVENT_IDS: Record<ConversationEventType, string> = {
  'conversation.escalated': 'prospect-42/esc-1/escalated',
  'conversation.claimed': 'prospect-42/esc-1/claimed',
  'conversation.handed_back': 'prospect-42/esc-1/handed-back',
  'conversation.meeting_booked': 'prospect-42/meeting-1/booked',
  'conversation.closed': 'prospect-42/closed',
  'conversation.opted_out': 'prospect-42/opted-out',
};

/** An example body of a conversation event. */
function exampleConversationEvent(type: ConversationEventType): ConversationEvent {
  return {
    id: EXAMPLE_EVENT_IDS[type],
    type,
    occurredAt: '2026-03-02T10:04:00.000Z',
    conversation: { workflowId: 'prospect-42', prospectId: '42', company: 'Acme Robotics' },
    escalation: 1,
    reason: 'pricing',
    ...(type === 'conversation.claimed' ? { repId: 'ana' } : {}),
    ...(type === 'conversation.closed' ? { outcome: 'won' as const } : {}),
    ...(type === 'conversation.meeting_booked' ? { repId: 'ana', meeting: { number: 1, startsAt: '2026-03-03T14:00:00.000Z', durationMinutes: 30 } } : {}),
  };
}

/**
 * The OpenAPI 3.1 document of every route. `serverUrl` is where a client reaches the API (default: relative to
 * the document).
 */
export function openApiDocument(serverUrl = '/'): Record<string, unknown> {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, route] of Object.entries(API_ROUTES)) {
    const openPath = route.url.replace(/:(\w+)/g, '{$1}');
    (paths[openPath] ??= {})[route.method.toLowerCase()] = operation(id, route, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Handoff API',
      version: '1',
      summary: 'Prospect conversations that step aside for a human when a reply needs one.',
      description:
        'Bearer API keys with scopes (`tool` for outreach tools, `rep` for reps, `admin` for both); `x-scopes` on each operation names the scopes it takes. Every error answers `{ error: { code, message, details } }`.',
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
    },
    servers: [{ url: serverUrl, description: 'this API' }],
    tags: TAGS,
    paths,
    webhooks: conversationEventWebhooks(schemas),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key from api.keys (or the generated admin key)' },
        codecSession: { type: 'apiKey', in: 'cookie', name: CODEC_SESSION_COOKIE, description: 'the session `POST /codec/login` sets' },
        eventSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Handoff-Signature',
          description: 'conversation events (webhooks): `v1=<hex HMAC-SHA256 of "<X-Handoff-Timestamp>.<body>">` with the events secret',
        },
      },
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
      responses: Object.fromEntries(Object.entries(schemas.responses).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
