/**
 * The command line's way to the API: base URL and key from the environment (or the embedded stack's data
 * directory), a client typed from the OpenAPI document (`src/api/openapiTypes.d.ts`, `openapi-fetch`), so a route
 * whose contract changes breaks the type check of every command that calls it, and API errors turned into one
 * readable line that names the code and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import { apiBaseUrl } from '../activityDeps';
import type { paths } from '../api/openapiTypes';
import type { Config } from '../config';

/** How long one API call may take. */
const CALL_TIMEOUT_MS = 30_000;

/** Thrown when the API answers with an error; `message` names the code and the field. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface ErrorAnswer {
  error?: { code?: string; message?: string; details?: Record<string, unknown> };
}

/** The Handoff API, through the client typed from its contract. */
export class HandoffApi {
  /** Typed calls: `api.client.POST('/v1/conversations', { body })`; pass the promise to {@link HandoffApi.call}. */
  readonly client: Client<paths>;

  constructor(
    readonly baseUrl: string,
    token: string,
  ) {
    this.client = createClient<paths>({
      baseUrl,
      headers: { authorization: `Bearer ${token}` },
      fetch: (request) => fetch(request, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }),
    });
  }

  /** From `HANDOFF_API_URL` / `HANDOFF_API_KEY`, else the embedded stack's address and key file. */
  static fromEnvironment(config: Config, env: NodeJS.ProcessEnv = process.env): HandoffApi {
    const baseUrl = (env.HANDOFF_API_URL ?? apiBaseUrl(config)).replace(/\/$/, '');
    const keyFile = path.join(config.dataDir, 'api-key');
    const token = env.HANDOFF_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '');
    if (!token) throw new Error(`no API key: set HANDOFF_API_KEY (or run \`npm start\` once, which writes ${keyFile})`);
    return new HandoffApi(baseUrl, token);
  }

  /**
   * The answer of a typed call: its status and body.
   * @throws ApiCallError on a 4xx or 5xx (its message names the code and the field); Error when the API cannot be
   *   reached.
   */
  async call<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<{ status: number; body: D }> {
    let result: { data?: D; error?: unknown; response: Response };
    try {
      result = await pending;
    } catch (err) {
      throw new Error(`cannot reach the Handoff API at ${this.baseUrl} (${(err as Error).message}); is \`npm start\` running?`);
    }
    const { response } = result;
    if (!response.ok) {
      const error = (result.error as ErrorAnswer | undefined)?.error;
      const text = typeof result.error === 'string' ? result.error : '';
      throw new ApiCallError(response.status, error?.code ?? 'http_error', `${response.status} ${error?.code ?? ''}: ${error?.message ?? text}`, error?.details ?? {});
    }
    return { status: response.status, body: result.data as D };
  }
}

/** Whether a command's first word asks for its usage (`handoff rep --help`) rather than naming an action. */
export function isHelpFlag(word: string | undefined): boolean {
  return word === '--help' || word === '-h';
}

/** A flag the command needs. @throws Error naming the flag and the usage. */
export function required(value: string | undefined, flag: string, usage: string): string {
  if (value === undefined || value === '') throw new Error(`${flag} is required\n${usage}`);
  return value;
}

/** A flag whose value must be one of `allowed`. @throws Error naming the flag and the values it takes. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(value as T)) throw new Error(`${flag} must be one of ${allowed.join(', ')}${value === undefined ? '' : ` (not "${value}")`}`);
  return value as T;
}

/** A flag that must be a whole number. @throws Error naming the flag. */
export function wholeNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`${flag} must be a whole number (not "${value}")`);
  return number;
}

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
