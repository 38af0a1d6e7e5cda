import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config';
import { conversationInput } from '../../../src/conversations';
import { assertChannelsConfigured, ChannelNotConfiguredError, ChannelSenders } from '../../../src/outreach/channels';
import { OutboxSender, type OutreachMessage } from '../../../src/outreach/sender';
import { prospect } from '../../helpers/prospect';

const message = (channel: string, key = `prospect-1/step-0/${channel}`): OutreachMessage => ({
  idempotencyKey: key,
  conversationId: 'prospect-1',
  channel,
  to: { name: 'Jordan Lee', email: 'jordan@buyer.example' },
  from: { name: 'Alex' },
  subject: 'Hello',
  body: 'A short note.',
});

describe('each channel its own sender', () => {
  let receiver: Server;
  let url: string;
  const received: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-channels-'));

  before(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/linkedin`;
  });
  after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  test('a linkedin step goes to its webhook, an sms step to its journal, email to the email sender, and none as another', async () => {
    const email = new OutboxSender(dir);
    const senders = ChannelSenders.fromConfig(email, { linkedin: { webhook: url, secret: 'linkedin-secret-0123456789' }, sms: { journal: path.join(dir, 'sms.jsonl') } });

    const linkedin = await senders.send(message('linkedin'));
    assert.match(linkedin.providerId, /^linkedin:[0-9a-f]{32}$/);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.headers['idempotency-key'], 'prospect-1/step-0/linkedin');
    assert.equal(received[0]!.headers.authorization, 'Bearer linkedin-secret-0123456789');
    assert.deepEqual([received[0]!.body.channel, received[0]!.body.body, (received[0]!.body.to as { email: string }).email], ['linkedin', 'A short note.', 'jordan@buyer.example']);

    await senders.send(message('sms'));
    assert.equal((await senders.send(message('sms'))).duplicate, true, 'the journal records a key once');
    const sms = readFileSync(path.join(dir, 'sms.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { channel: string });
    assert.deepEqual(sms.map((m) => m.channel), ['sms']);

    await senders.send(message('email'));
    const mailed = readFileSync(email.file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { channel: string });
    assert.deepEqual(mailed.map((m) => m.channel), ['email'], 'only the email step went out as email');
  });

  test('a message on a channel with no sender is refused naming the channel, never sent as email', async () => {
    const email = new OutboxSender(mkdtempSync(path.join(tmpdir(), 'handoff-channels-')));
    const senders = ChannelSenders.fromConfig(email, {});
    await assert.rejects(senders.send(message('sms')), /no sender is configured for channel sms/);
    assert.throws(() => readFileSync(email.file, 'utf8'), /ENOENT/);
  });

  test('a start whose cadence (or campaign) has a step on a channel without a sender is refused naming the step and channel', () => {
    const config = loadConfig({ HANDOFF_DATA_DIR: dir, HANDOFF_SMS_JOURNAL: path.join(dir, 'sms.jsonl') }, dir);
    assert.deepEqual(config.outreach.channels, { sms: { journal: path.join(dir, 'sms.jsonl') } });
    const cadence = [
      { name: 'First touch', kind: 'first_touch' as const, offset: '0 days', channel: 'email' as const },
      { name: 'Text them', kind: 'follow_up' as const, offset: '1 day', channel: 'sms' as const },
      { name: 'Connect', kind: 'follow_up' as const, offset: '2 days', channel: 'linkedin' as const },
    ];
    assert.throws(
      () => conversationInput(config, { prospect: prospect('ch-1'), cadence }),
      (err: unknown) => err instanceof ChannelNotConfiguredError && err.channel === 'linkedin' && /step "Connect" is on channel linkedin, which has no sender configured/.test(err.message),
    );
    const withCampaign = { ...config, campaigns: { social: { cadence: cadence.slice(2) } } };
    assert.throws(() => conversationInput(withCampaign, { prospect: prospect('ch-1'), campaign: 'social' }), /channel linkedin/);
    assert.doesNotThrow(() => assertChannelsConfigured([{ name: 'Text them', channel: 'sms' }], config.outreach.channels));
  });

  test('a channel configured as both a journal and a webhook stops start-up naming the field', () => {
    assert.throws(
      () => loadConfig({ HANDOFF_DATA_DIR: dir, HANDOFF_SMS_JOURNAL: path.join(dir, 'sms.jsonl'), HANDOFF_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms' }, dir),
      (err: unknown) => err instanceof ConfigError && /outreach\.channels\.sms/.test(err.message),
    );
  });
});
