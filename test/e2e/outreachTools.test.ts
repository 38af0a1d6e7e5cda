import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ActivityFailure, ApplicationFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { verifyWebhookSignature } from '../../src/alerts/webhook';
import { loadConfig } from '../../src/config';
import { dataConverter } from '../../src/temporal/connection';
import { readOutbox } from '../../src/alerts/outbox';
import { ConversationEventSchema, type ConversationEvent } from '../../src/events/conversationEvents';
import { provisionedCliPath } from '../helpers/devServer';
import type { ConversationState, HandoffPacket } from '../../workflows/messages';
import { eventually } from '../helpers/eventually';
import { StackProcess } from '../helpers/stack';
import * as handoffClient from 'handoff/client';

const EVENTS_SECRET = 'events-secret-0123456789abcdef';

/** A real HTTP receiver for conversation events; it answers 500 to the first `failFirst` posts. */
class EventReceiver {
  readonly received: { headers: IncomingHttpHeaders; body: string }[] = [];
  attempts = 0;
  private server: Server | null = null;

  constructor(private readonly failFirst: number) {}

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        this.attempts++;
        if (this.attempts <= this.failFirst) {
          res.writeHead(500).end();
          return;
        }
        this.received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }

  /** The events received with a valid signature, each id once (a receiver deduplicates by id). */
  events(): ConversationEvent[] {
    const byId = new Map<string, ConversationEvent>();
    for (const { headers, body } of this.received) {
      const signed = verifyWebhookSignature(
        body,
        { timestamp: headers['x-handoff-timestamp'] as string | undefined, signature: headers['x-handoff-signature'] as string | undefined },
        EVENTS_SECRET,
      );
      assert.ok(signed, `event ${headers['x-handoff-event-id'] as string} carries a valid signature`);
      const event = ConversationEventSchema.parse(JSON.parse(body));
      assert.equal(headers['x-handoff-event-id'], event.id);
      byId.set(event.id, event);
    }
    return [...byId.values()];
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('an outreach tool driving conversations with the temporal CLI alone, told of each step by the events webhook', () => {
  let stack: StackProcess;
  let receiver: EventReceiver;
  let temporalBinary: string;
  let apiKey: string;

  /** Runs the real `temporal` binary against the stack, through the API's codec endpoint; fails with its output. */
  const temporal = (...args: string[]): string => {
    const result = spawnSync(
      temporalBinary,
      [
        ...args,
        '--address',
        `127.0.0.1:${stack.env.HANDOFF_TEMPORAL_PORT}`,
        '--codec-endpoint',
        `http://127.0.0.1:${stack.env.HANDOFF_API_PORT}/codec`,
        '--codec-auth',
        `Bearer ${apiKey}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 0, `temporal ${args.slice(0, 2).join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  const state = (workflowId: string): ConversationState => {
    const out = JSON.parse(temporal('workflow', 'query', '--workflow-id', workflowId, '--name', 'state', '--output', 'json')) as { queryResult: unknown[] };
    return out.queryResult[0] as ConversationState;
  };

  before(async () => {
    temporalBinary = await provisionedCliPath();
    // The receiver refuses the first two posts: delivery must retry, and the events still arrive.
    receiver = new EventReceiver(2);
    const url = await receiver.listen();
    stack = await StackProcess.create();
    stack.env.HANDOFF_EVENTS_URL = url;
    stack.env.HANDOFF_EVENTS_SECRET = EVENTS_SECRET;
    await stack.start();
    apiKey = readFileSync(path.join(stack.env.HANDOFF_DATA_DIR as string, 'api-key'), 'utf8').trim();
  });
  after(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  test('started with only the prospect, a pricing reply signalled, the rep alerted, claimed and closed; the tool hears escalated, claimed and closed', async () => {
    const workflowId = 'prospect-native-1';
    const prospect = { id: 'native-1', name: 'Noor Haddad', email: 'noor@haddad-logistics.example', company: 'Haddad Logistics', owner: 'ana' };
    temporal('workflow', 'start', '--type', 'conversationWorkflow', '--task-queue', 'handoff', '--workflow-id', workflowId, '--input', JSON.stringify({ prospect }));
    await eventually(async () => (state(workflowId).sent.length === 1 ? true : undefined), 'the first touch, sent by the resolved default cadence');

    const reply = { messageId: 'native-m-1', channel: 'email', text: 'What would 40 seats cost per year?', receivedAt: new Date().toISOString() };
    temporal('workflow', 'signal', '--workflow-id', workflowId, '--name', 'reply', '--input', JSON.stringify(reply));
    const dataDir = stack.env.HANDOFF_DATA_DIR as string;
    const alert = await eventually(async () => (await readOutbox(dataDir)).find((e) => e.workflowId === workflowId && e.tier === 1), 'the tier-1 alert');
    assert.equal((alert.packet as HandoffPacket).reason, 'pricing');

    const actor = { via: 'api_key', keyId: 'outreach-tool', repId: alert.repId, onBehalfOf: false, manager: false };
    const claimed = temporal('workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', 'claim', '--input', JSON.stringify({ repId: alert.repId, actor }));
    assert.match(claimed, /pricing/, 'the claim answers with the packet');
    assert.equal(state(workflowId).stage, 'claimed');
    assert.equal(state(workflowId).owner, alert.repId);
    temporal('workflow', 'update', 'execute', '--workflow-id', workflowId, '--name', 'close', '--input', JSON.stringify({ outcome: 'won', actor }));

    const events = await eventually(async () => {
      const mine = receiver.events().filter((e) => e.conversation.workflowId === workflowId);
      return mine.length >= 3 ? mine : undefined;
    }, 'the escalated, claimed and closed events (the first posts refused, then retried)');
    assert.deepEqual(events.map((e) => e.type).sort(), ['conversation.claimed', 'conversation.closed', 'conversation.escalated']);
    assert.equal(events.find((e) => e.type === 'conversation.claimed')?.repId, alert.repId);
    assert.equal(events.find((e) => e.type === 'conversation.escalated')?.reason, 'pricing');
    assert.equal(events.find((e) => e.type === 'conversation.closed')?.outcome, 'won');
    assert.ok(receiver.attempts > receiver.received.length, 'refused posts were retried');
  });

  test('with handoff/client, a reply for a prospect without a conversation starts one and is read in the same call (signal-with-start)', async () => {
    const config = loadConfig(stack.env, process.cwd());
    const connection = await Connection.connect({ address: `127.0.0.1:${stack.env.HANDOFF_TEMPORAL_PORT}` });
    try {
      const client = new Client({ connection, dataConverter: dataConverter(config) });
      const prospect = { id: 'native-3', name: 'Mika Laine', email: 'mika@laine.example', company: 'Laine Oy' };
      const reply = { messageId: 'native-m-3', channel: 'email' as const, text: 'Can you walk me through how your SSO integration handles SCIM provisioning?', receivedAt: new Date().toISOString() };
      await handoffClient.sendReply(client, prospect.id, reply, { start: { prospect } });
      await handoffClient.sendReply(client, prospect.id, reply, { start: { prospect } });
      const handle = client.workflow.getHandle(handoffClient.conversationWorkflowId(prospect.id));
      const seen = await eventually(async () => {
        const current = await handle.query(handoffClient.stateQuery);
        return current.escalations.length === 1 ? current : undefined;
      }, 'the reply read and escalated');
      assert.equal(seen.thread.filter((m) => m.author === 'prospect').length, 1, 'the same reply twice counts once');
      assert.equal(seen.escalations[0]?.reason, 'technical');
    } finally {
      await connection.close();
    }
  });

  test('a start naming a campaign the worker does not have fails at once, naming the campaign', async () => {
    const workflowId = 'prospect-native-2';
    const prospect = { id: 'native-2', name: 'Ines Duarte', email: 'ines@duarte.example', company: 'Duarte SA' };
    temporal('workflow', 'start', '--type', 'conversationWorkflow', '--task-queue', 'handoff', '--workflow-id', workflowId, '--input', JSON.stringify({ prospect, campaign: 'spring-launch' }));
    const described = await eventually(async () => {
      const out = JSON.parse(temporal('workflow', 'describe', '--workflow-id', workflowId, '--output', 'json')) as { workflowExecutionInfo: { status: string } };
      return out.workflowExecutionInfo.status === 'WORKFLOW_EXECUTION_STATUS_FAILED' ? out : undefined;
    }, 'the workflow to fail');
    assert.ok(described);
    // The failure's message is encrypted in history like every payload; a client with the worker's codec reads it.
    const config = loadConfig(stack.env, process.cwd());
    const connection = await Connection.connect({ address: `127.0.0.1:${stack.env.HANDOFF_TEMPORAL_PORT}` });
    try {
      const client = new Client({ connection, dataConverter: dataConverter(config) });
      const failure = await client.workflow.getHandle(workflowId).result().then(
        () => assert.fail('the run should fail'),
        (err: unknown) => err,
      );
      assert.ok(failure instanceof WorkflowFailedError);
      const cause = failure.cause instanceof ActivityFailure ? failure.cause.cause : failure.cause;
      assert.ok(cause instanceof ApplicationFailure);
      assert.equal(cause.type, 'UnknownCampaign');
      assert.match(cause.message, /no campaign named "spring-launch" is configured/);
    } finally {
      await connection.close();
    }
  });
});
