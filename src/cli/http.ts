/**
 * The command line's way to the API: base URL and key from the environment (or the embedded stack's data
 * directory), JSON in and out, API errors turned into one readable line that names the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiBaseUrl } from '../activityDeps';
import type { Config } from '../config';

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

/** A small client for the Handoff API. */
export class HandoffApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** From `HANDOFF_API_URL` / `HANDOFF_API_KEY`, else the embedded stack's address and key file. */
  static fromEnvironment(config: Config, env: NodeJS.ProcessEnv = process.env): HandoffApi {
    const baseUrl = (env.HANDOFF_API_URL ?? apiBaseUrl(config)).replace(/\/$/, '');
    const keyFile = path.join(config.dataDir, 'api-key');
    const token = env.HANDOFF_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '');
    if (!token) throw new Error(`no API key: set HANDOFF_API_KEY (or run \`npm start\` once, which writes ${keyFile})`);
    return new HandoffApi(baseUrl, token);
  }

  /** Calls the API; resolves with the JSON body, rejects with ApiCallError on 4xx/5xx. */
  async request<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new Error(`cannot reach the Handoff API at ${this.baseUrl} (${(err as Error).message}); is \`npm start\` running?`);
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as T & { error?: { code: string; message: string; details: Record<string, unknown> } }) : ({} as T);
    if (!response.ok) {
      const error = (json as { error?: { code: string; message: string; details: Record<string, unknown> } }).error;
      throw new ApiCallError(response.status, error?.code ?? 'http_error', `${response.status} ${error?.code ?? ''}: ${error?.message ?? text}`, error?.details ?? {});
    }
    return { status: response.status, body: json };
  }
}

/** Renders rows as an aligned text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
