import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { AlertDeliveryError } from '../../../src/alerts/channel';
import { alertEmailHtml, alertEmailText, alertMessageId, createEmailChannel } from '../../../src/alerts/email';
import { alert, rep } from './fixtures';

interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** Unfolds header continuation lines and decodes quoted-printable soft breaks, enough to search the body. */
function readable(raw: string): string {
  return raw
    .replace(/\r\n[ \t]+/g, ' ')
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('e-mail channel', () => {
  const mails: ReceivedMail[] = [];
  let server: SMTPServer;
  let smtpUrl: string;

  before(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('bounce')) {
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    mails.length = 0;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('sends the rep a mail with the alert title, the claim link, the profile and the whole thread', async () => {
    const email = createEmailChannel({ smtpUrl, from: 'Handoff <alerts@handoff.example.com>', timeoutMs: 5000 });
    const receipt = await email.deliver(alert(), rep('ana'));
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.deepEqual(mail.to, ['ana@example.com']);
    assert.equal(mail.from, 'alerts@handoff.example.com');
    const text = readable(mail.raw);
    assert.match(text, /^Subject: \[Handoff\] Pricing question: Dana Kim \(Acme <Robotics> & Co\), tier 2$/m);
    assert.match(text, /https:\/\/handoff\.example\.com\/claims\/TOKEN/);
    assert.match(text, /Company: Acme <Robotics> & Co/);
    assert.match(text, /industry: Logistics/);
    assert.match(text, /Hi Dana, quick question about your routing\./);
    assert.match(text, /Following up on my last note\./);
    assert.match(text, /what would 40 seats cost us <!channel>\?/);
    assert.match(text, /Content-Type: text\/html/);
    assert.match(text, /Acme &lt;Robotics&gt; &amp; Co/);
    const messageId = alertMessageId('prospect-dana-42/1/2/ana/slack', 'Handoff <alerts@handoff.example.com>');
    assert.equal(receipt.providerId, messageId);
    assert.ok(text.includes(`Message-ID: ${messageId}`));
  });

  test('reaches the rep alone, and a mail with nothing to claim has no claim link', () => {
    const channel = createEmailChannel({ smtpUrl: 'smtp://127.0.0.1:1', from: 'Handoff <handoff@example.com>', timeoutMs: 1000 });
    assert.equal(channel.reachesOnly?.(rep('ana')), true);
    const reassigned = alert({ claimUrl: null, purpose: 'reassigned' });
    assert.doesNotMatch(alertEmailText(reassigned, rep('ana')), /Claim it/);
    assert.doesNotMatch(alertEmailHtml(reassigned, rep('ana')), /Claim/);
    assert.match(alertEmailHtml(reassigned, rep('ana')), /Open conversation/);
  });

  test('a retried alert keeps its Message-ID, derived from the idempotency key', async () => {
    const email = createEmailChannel({ smtpUrl, from: 'alerts@handoff.example.com', timeoutMs: 5000 });
    const first = await email.deliver(alert(), rep('ana'));
    const second = await email.deliver(alert(), rep('ana'));
    const third = await email.deliver(alert({ idempotencyKey: 'prospect-dana-42/1/3/ana/email' }), rep('ana'));
    assert.equal(first.providerId, second.providerId);
    assert.notEqual(first.providerId, third.providerId);
    assert.match(first.providerId ?? '', /^<handoff-[0-9a-f]{40}@handoff\.example\.com>$/);
  });

  test('a mailbox the server refuses with 550 is a permanent failure', async () => {
    const email = createEmailChannel({ smtpUrl, from: 'alerts@handoff.example.com', timeoutMs: 5000 });
    const bouncing = { ...rep('ana'), email: 'bounce@example.com' };
    await assert.rejects(email.deliver(alert(), bouncing), (err: unknown) => {
      assert.ok(err instanceof AlertDeliveryError);
      assert.equal(err.permanent, true);
      assert.equal(err.details.status, 550);
      return true;
    });
    assert.equal(mails.length, 0);
  });

  test('an SMTP server that cannot be reached is retryable', async () => {
    const closed = new SMTPServer({ disabledCommands: ['STARTTLS', 'AUTH'], logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const email = createEmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'alerts@handoff.example.com', timeoutMs: 5000 });
    await assert.rejects(email.deliver(alert(), rep('ana')), (err: unknown) => err instanceof AlertDeliveryError && !err.permanent);
  });
});
