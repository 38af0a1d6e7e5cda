/**
 * The one client for an OpenAI-compatible chat-completions endpoint (`HANDOFF_MODEL_URL`): reading replies,
 * researching prospects and drafting messages all ask it through {@link ChatCompletionsClient}. Every failure is a
 * {@link ModelError} whose message names what went wrong, never the prompt or the answer.
 */
import { z } from 'zod';

/** Thrown when the model endpoint fails, times out or answers nonsense; callers fall back and say why. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ModelError';
  }
}

/** Settings of the model endpoint. */
export interface ModelSettings {
  /** Base URL (`…/v1`) or the full `…/chat/completions` URL. */
  url: string;
  model: string;
  apiKey?: string;
  /** Abort the request after this long. */
  timeoutMs: number;
}

/** One message of a chat-completions prompt. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

/** An OpenAI-compatible chat-completions endpoint, called with global `fetch`. */
export class ChatCompletionsClient {
  /** The model's name, for logs and results. */
  readonly name: string;
  private readonly endpoint: string;

  constructor(private readonly settings: ModelSettings) {
    this.name = settings.model;
    let end = settings.url.length;
    while (end > 0 && settings.url[end - 1] === '/') end--;
    const base = settings.url.slice(0, end);
    this.endpoint = base.endsWith('/chat/completions') ? base : `${base}/chat/completions`;
  }

  /**
   * Asks for a JSON answer and returns it parsed and validated by `schema`.
   * @throws ModelError on a timeout, a failed request, an HTTP error, or an answer that is not JSON of that shape.
   */
  async json<T>(messages: ChatMessage[], schema: z.ZodType<T>, options: { temperature?: number } = {}): Promise<T> {
    const { content, status } = await this.complete(messages, options);
    let answer: unknown;
    try {
      answer = JSON.parse(withoutFence(content));
    } catch (err) {
      throw new ModelError('answer is not JSON', status, { cause: err });
    }
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new ModelError(`answer is invalid: ${z.prettifyError(parsed.error)}`, status);
    return parsed.data;
  }

  private async complete(messages: ChatMessage[], options: { temperature?: number }): Promise<{ content: string; status: number }> {
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.settings.model,
          temperature: options.temperature ?? 0,
          response_format: { type: 'json_object' },
          messages,
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ModelError(`timed out after ${this.settings.timeoutMs} ms`, undefined, { cause: err });
      }
      throw new ModelError(`request failed: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelError(`HTTP ${response.status}`, response.status);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw new ModelError('response is not JSON', response.status, { cause: err });
    }
    const completion = CompletionSchema.safeParse(body);
    if (!completion.success) throw new ModelError('response is not a chat completion', response.status);
    return { content: completion.data.choices[0]?.message.content ?? '', status: response.status };
  }
}

/**
 * A model's answer without the Markdown code fence some models wrap JSON in ("```json … ```"). Trims and slices
 * rather than matching whitespace runs from every position, so a long answer costs its length once.
 */
export function withoutFence(content: string): string {
  let text = content.trim();
  if (text.startsWith('```')) {
    text = text.slice(3);
    if (text.startsWith('json')) text = text.slice(4);
  }
  if (text.endsWith('```')) text = text.slice(0, -3);
  return text.trim();
}
