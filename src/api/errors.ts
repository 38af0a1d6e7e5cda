/**
 * API errors: one JSON shape for every failure, `{ error: { code, message, details } }`, and the mapping from
 * zod, Temporal and conversation errors to HTTP statuses. Unknown errors become a logged 500 that says nothing
 * about internals.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConversationErrors } from '../../workflows/messages';
import { REQUEST_BODY_LIMIT_BYTES } from '../../workflows/limits';
import { UnknownCampaignError } from '../campaignErrors';
import { TemplateError } from '../outreach/templates';
import { ChannelNotConfiguredError } from '../outreach/channels';

/** An error the API answers with a given status and stable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** A 400 that names every field zod rejected. */
export function validationError(error: z.ZodError, where: 'body' | 'query' | 'params'): ApiError {
  const fields = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = fields[0];
  return new ApiError(400, 'invalid_request', first ? `${first.field}: ${first.message}` : 'invalid request', { fields });
}

/**
 * Parses a request's body, query or params, or throws the 400 naming every field that is wrong. A missing query
 * or params object counts as empty.
 */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

const UPDATE_STATUS: Record<string, [number, string]> = {
  [ConversationErrors.AlreadyClaimed]: [409, 'already_claimed'],
  [ConversationErrors.NotEligible]: [403, 'not_eligible'],
  [ConversationErrors.NotEscalated]: [409, 'not_escalated'],
  [ConversationErrors.NotOwner]: [403, 'not_owner'],
  [ConversationErrors.NotInvolved]: [403, 'not_involved'],
  [ConversationErrors.StaleClaimLink]: [403, 'claim_link_superseded'],
  [ConversationErrors.NotClaimed]: [409, 'not_claimed'],
  [ConversationErrors.ConversationOver]: [409, 'conversation_over'],
  [ConversationErrors.InvalidInput]: [400, 'invalid_request'],
};

/** Maps a rejected conversation update to its HTTP status. */
export function fromUpdateFailure(err: WorkflowUpdateFailedError): ApiError {
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type && UPDATE_STATUS[cause.type]) {
    const [status, code] = UPDATE_STATUS[cause.type]!;
    const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
    return new ApiError(status, code, cause.message, details);
  }
  return new ApiError(409, 'rejected', cause?.message ?? err.message);
}

/** The one error handler: known errors keep their status, everything else is a 500 with a log line. */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(err, request);
  const body: ErrorBody = { error: { code: apiError.code, message: apiError.message, details: apiError.details } };
  return reply.code(apiError.status).send(body);
}

/** Any error as the API answers it; an unknown one is logged with the request id and hidden behind a 500. */
export function toApiError(err: unknown, request: FastifyRequest): ApiError {
  let apiError: ApiError;
  if (err instanceof ApiError) apiError = err;
  else if (err instanceof z.ZodError) apiError = validationError(err, 'body');
  else if (err instanceof WorkflowUpdateFailedError) apiError = fromUpdateFailure(err);
  else if (err instanceof UnknownCampaignError) apiError = new ApiError(400, 'unknown_campaign', err.message, { field: err.field });
  else if (err instanceof TemplateError) apiError = new ApiError(422, 'invalid_campaign_templates', err.message, { file: err.file, line: err.line ?? null, variable: err.variable ?? null });
  else if (err instanceof ChannelNotConfiguredError) {
    apiError = new ApiError(400, 'channel_not_configured', err.message, { field: err.field, channel: err.channel, step: err.step });
  }
  else if (err instanceof WorkflowNotFoundError) apiError = new ApiError(404, 'not_found', 'no conversation for that prospect');
  else if ((err as FastifyError).statusCode === 413) {
    const limit = request.routeOptions?.bodyLimit ?? REQUEST_BODY_LIMIT_BYTES;
    apiError = new ApiError(413, 'payload_too_large', `the request body is over the limit of ${limit} bytes`, { limit });
  }
  else if ((err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    apiError = new ApiError(415, 'unsupported_media_type', 'send JSON with content-type application/json');
  } else if ((err as FastifyError).statusCode === 400) {
    apiError = new ApiError(400, 'invalid_json', (err as Error).message);
  } else {
    request.log.error({ err, reqId: request.id }, 'unhandled error');
    apiError = new ApiError(500, 'internal', 'internal error; see the server log for request ' + request.id);
  }
  return apiError;
}
