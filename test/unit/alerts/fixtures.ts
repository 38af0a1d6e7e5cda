/** Shared pieces for alert tests: a handoff packet, a rendered alert, and a scripted HTTP receiver on loopback. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliverAlertInput } from '../../../activities/alerts';
import type { RenderedAlert } from '../../../src/alerts/channel';
import { renderAlert } from '../../../src/alerts/render';
import { type Rep, validateRoster } from '../../../src/routing/roster';
import type { HandoffPacket } from '../../../workflows/messages';

/** A packet for a pricing escalation with a three-message thread. */
export function packet(): HandoffPacket {
  return {
    conversationId: 'prospect-dana-42',
    prospect: {
      id: 'dana-42',
      name: 'Dana Kim',
      email: 'dana@acme.com',
      company: 'Acme <Robotics> & Co',
      title: 'VP Operations',
      timeZone: 'America/Chicago',
      profile: { industry: 'Logistics', employees: 850 },
    },
    research: null,
    reason: 'pricing',
    summary: 'Dana asked what the enterprise plan costs for 40 seats.',
    triggeringMessageId: 'msg-3',
    evidence: [{ label: 'pricing', rule: 'pricing.cost', start: 10, end: 40, text: 'what would 40 seats cost us' }],
    rulesFired: ['pricing.cost'],
    thread: [
      { messageId: 'msg-1', author: 'automation', channel: 'email', text: 'Hi Dana, quick question about your routing.', at: '2025-06-01T09:00:00.000Z', step: 0 },
      { messageId: 'msg-2', author: 'automation', channel: 'email', text: 'Following up on my last note.', at: '2025-06-04T09:00:00.000Z', step: 1 },
      { messageId: 'msg-3', author: 'prospect', channel: 'email', text: 'Interesting. what would 40 seats cost us <!channel>?', at: '2025-06-05T14:12:00.000Z', labels: ['pricing'] },
    ],
    automationSent: [
      { step: 0, name: 'First touch', at: '2025-06-01T09:00:00.000Z' },
      { step: 1, name: 'Follow-up 1', at: '2025-06-04T09:00:00.000Z' },
    ],
    suggestedNextStep: 'Reply with the pricing page and offer a call.',
    escalatedAt: '2025-06-05T14:12:05.000Z',
  };
}

/** A tier-1 claim alert of {@link packet} for ana on the webhook channel, as the workflow asks for it. */
export function alertInput(overrides: Partial<DeliverAlertInput> = {}): DeliverAlertInput {
  return {
    idempotencyKey: 'prospect-dana-42/1/1/ana/webhook',
    channel: 'webhook',
    repId: 'ana',
    packet: packet(),
    tier: 1,
    deadline: '2025-06-05T14:42:05.000Z',
    workflowId: 'prospect-dana-42',
    escalation: 1,
    rung: 1,
    ...overrides,
  };
}

/** A roster whose reps cover every channel. */
export function alertRoster(overrides: { webhookUrl?: string; teamSlackWebhookUrl?: string } = {}) {
  return validateRoster({
    reps: [
      {
        id: 'ana',
        name: 'Ana Weber',
        email: 'ana@example.com',
        slackUserId: 'U01ANA',
        timeZone: 'Europe/Berlin',
        team: 'sales',
        ...(overrides.webhookUrl ? { webhookUrl: overrides.webhookUrl } : {}),
      },
      { id: 'ben', name: 'Ben Okafor', email: 'ben@example.com', timeZone: 'Europe/London', team: 'sales' },
    ],
    teams: [
      { id: 'sales', lead: 'ana', ...(overrides.teamSlackWebhookUrl ? { slackWebhookUrl: overrides.teamSlackWebhookUrl } : {}) },
    ],
  });
}

/** The rep `id` from {@link alertRoster}. */
export function rep(id: 'ana' | 'ben', overrides: Parameters<typeof alertRoster>[0] = {}): Rep {
  const found = alertRoster(overrides).roster.reps.find((r) => r.id === id);
  if (!found) throw new Error(`no rep ${id}`);
  return found;
}

/** A rendered alert for {@link packet} at tier 2. */
export function alert(overrides: Partial<RenderedAlert> = {}): RenderedAlert {
  return {
    ...renderAlert({
      idempotencyKey: 'prospect-dana-42/1/2/ana/slack',
      workflowId: 'prospect-dana-42',
      tier: 2,
      deadline: '2025-06-05T14:42:05.000Z',
      packet: packet(),
      team: null,
      uiUrl: 'http://localhost:8233/',
      namespace: 'default',
      claimUrl: 'https://handoff.example.com/claims/TOKEN',
    }),
    ...overrides,
  };
}

/** One request as the receiver saw it: raw body bytes as text, headers as sent. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 that answers with scripted statuses (the last one repeats). */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Statuses for the next requests, with optional headers. */
  script(...responses: { status: number; headers?: Record<string, string> }[]): void;
  close(): Promise<void>;
}

/** Starts a {@link Receiver} on an ephemeral loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let responses: { status: number; headers?: Record<string, string> }[] = [{ status: 200 }];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = responses.length > 1 ? responses.shift()! : responses[0]!;
      res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
      res.end(next.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    script: (...next) => {
      responses = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
