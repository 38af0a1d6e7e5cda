import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/server';
import type { Config } from '../../src/config';
import { ChannelSenders } from '../../src/outreach/channels';
import { TOOL_KEY, toolAndRepKeys } from '../helpers/apiKeys';
import { callAsDocumented } from '../helpers/contract';
import { createConversationRig, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

describe('cadence channels on the dev server: each its own sender, an unconfigured one refused at start', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let receiver: Server;
  const received: { channel: string; conversationId: string; body: string }[] = [];

  before(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number]);
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const channels = { linkedin: { webhook: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/linkedin` } };
    env = await createDevServerEnv();
    rig = await createConversationRig(env, { wrapSender: (email) => ChannelSenders.fromConfig(email, channels) });
    running = rig.worker.run();
    const config: Config = { ...rig.config, outreach: { ...rig.config.outreach, channels } };
    api = buildApi({ client: env.client, config, keys: toolAndRepKeys, claimSecret: rig.deps.alerts.claimSecret, roster: rig.deps.alerts.roster, ledger: rig.ledger });
  });
  after(async () => {
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('a linkedin step reaches the linkedin webhook, not the mailbox', async () => {
    const cadence = [
      { name: 'Connect', kind: 'first_touch', offset: '0 days', channel: 'linkedin' },
      { name: 'Follow-up', kind: 'follow_up', offset: '30 days', channel: 'email' },
    ];
    const started = await callAsDocumented(api, 'POST', '/v1/conversations', TOOL_KEY, { prospect: prospect('ch-linkedin'), cadence });
    assert.equal(started.statusCode, 201, started.body);
    const handle = env.client.workflow.getHandle('prospect-ch-linkedin');
    const state = await waitForState(handle, (s) => s.sent.length === 1, 'the linkedin step sent');
    assert.match(state.sent[0]!.messageId, /^linkedin:/);
    const delivered = await eventually(async () => received.find((m) => m.conversationId === 'prospect-ch-linkedin'), 'the webhook received the step');
    assert.equal(delivered.channel, 'linkedin');
    assert.deepEqual((await rig.sent()).filter((s) => s.conversationId === 'prospect-ch-linkedin'), [], 'nothing went out as email');
  });

  test('a start with an sms step and no sms sender is refused at once, naming the channel', async () => {
    const cadence = [
      { name: 'First touch', kind: 'first_touch', offset: '0 days', channel: 'email' },
      { name: 'Text them', kind: 'follow_up', offset: '2 days', channel: 'sms' },
    ];
    const refused = await callAsDocumented(api, 'POST', '/v1/conversations', TOOL_KEY, { prospect: prospect('ch-sms'), cadence });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().error.code, 'channel_not_configured');
    assert.deepEqual(refused.json().error.details, { field: 'cadence', channel: 'sms', step: 'Text them' });
    assert.match(refused.json().error.message, /channel sms, which has no sender configured/);
    await assert.rejects(env.client.workflow.getHandle('prospect-ch-sms').describe(), /not found/i);
  });
});
