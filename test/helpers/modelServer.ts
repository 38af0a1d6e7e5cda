/**
 * A real OpenAI-compatible chat-completions endpoint on loopback (`node:http`): each test says how it answers, and
 * the requests it received are kept for assertions.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the endpoint answers one request. */
export type ModelReply = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** One request the endpoint received. */
export interface ModelRequest {
  url?: string;
  auth?: string;
  body: { model?: string; messages?: Array<{ role: string; content: string }> } & Record<string, unknown>;
}

/** A chat completion whose answer is `content`. */
export const answer =
  (content: string): ModelReply =>
  (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
  };

/** An endpoint that never answers (the client times out). */
export const silence: ModelReply = () => undefined;

/** A running endpoint: `reply` is how it answers next, `baseUrl` its `…/v1`. */
export interface ModelServer {
  reply: ModelReply;
  readonly requests: ModelRequest[];
  readonly baseUrl: string;
  close(): Promise<void>;
}

/** Starts an endpoint on 127.0.0.1 on a free port. */
export async function startModelServer(): Promise<ModelServer> {
  const requests: ModelRequest[] = [];
  const state = { reply: silence };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(body) as ModelRequest['body'] });
      state.reply(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    get reply() {
      return state.reply;
    },
    set reply(next: ModelReply) {
      state.reply = next;
    },
    requests,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
