import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createOutreachActivities } from '../../../activities/outreach';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import type { LedgerStore } from '../../../src/ledger/store';
import { CampaignComposer } from '../../../src/outreach/composer';
import { JournalCrmSink, type CrmTouch } from '../../../src/outreach/crm';
import { readJournal } from '../../../src/outreach/journal';
import { hashEmail } from '../../../src/ledger/suppression';
import { OutboxSender, threadHeaders, type OutreachMessage, type SentEntry } from '../../../src/outreach/sender';
import { readUnsubscribeToken, unsubscribeToken, UnsubscribeTokenError } from '../../../src/outreach/unsubscribe';
import { VoiceSchema } from '../../../workflows/messages';
import { SuppressionFailures } from '../../../workflows/suppression';

const SECRET = 'unsubscribe-secret-for-tests-0123';
const VOICE = VoiceSchema.parse({});

// The mock environment logs activity failures; these tests assert them instead.
const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });

describe('the outreach send activity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-send-'));
  let ledger: LedgerStore;
  before(async () => {
    ledger = createSqliteLedger(path.join(dir, 'ledger.sqlite'));
    await ledger.migrate();
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const message = (to: string, key: string): OutreachMessage => ({
    idempotencyKey: key,
    conversationId: 'prospect-42',
    channel: 'email',
    to: { name: 'Jordan Lee', email: to },
    from: { name: 'Alex' },
    subject: 'Hello',
    body: 'A first touch.',
  });

  test('sends to an address that is not suppressed, and refuses one that is (by address, hash or domain) without sending', async () => {
    const { sendMessage } = createOutreachActivities({
      composer: new CampaignComposer({ campaigns: () => ({}) }),
      sender: new OutboxSender(dir),
      crm: new JournalCrmSink(dir),
      suppressions: ledger.suppressions,
    });
    const sent = () => readJournal<SentEntry>(path.join(dir, 'sent.jsonl'));
    const receipt = (await quiet().run(sendMessage, message('jordan@buyer.example', 'k-1'))) as { duplicate: boolean };
    assert.equal(receipt.duplicate, false);

    await ledger.suppressions.add({ email: 'Jordan@Buyer.example', source: 'opt_out', prospectId: '42' });
    await ledger.suppressions.add({ email: 'hashed@buyer.example', hashOnly: true, source: 'erasure' });
    await ledger.suppressions.add({ domain: 'closed.example', source: 'manual' });
    for (const [to, kind] of [['JORDAN@buyer.example', 'email'], ['hashed@buyer.example', 'email_hash'], ['ana@eu.closed.example', 'domain']] as const) {
      await assert.rejects(quiet().run(sendMessage, message(to, `k-${to}`)), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, SuppressionFailures.AddressSuppressed);
        assert.equal(err.nonRetryable, true);
        assert.equal((err.details?.[0] as { kind: string }).kind, kind);
        assert.doesNotMatch(err.message, /@/, 'the failure never carries the address');
        return true;
      });
    }
    assert.deepEqual((await sent()).map((m) => m.idempotencyKey), ['k-1'], 'only the first message went out');
  });

  test('a send that carries its CRM touch logs it once the message is out; a CRM that fails leaves the touch to the conversation and the message sent once', async () => {
    const touchDir = mkdtempSync(path.join(os.tmpdir(), 'handoff-send-touch-'));
    let crmUp = true;
    const journal = new JournalCrmSink(touchDir);
    const { sendMessage } = createOutreachActivities({
      composer: new CampaignComposer({ campaigns: () => ({}) }),
      sender: new OutboxSender(touchDir),
      crm: { logTouch: async (touch) => (crmUp ? journal.logTouch(touch) : Promise.reject(new Error('CRM webhook answered 503'))) },
      suppressions: ledger.suppressions,
    });
    const crmTouch = (key: string) => ({ idempotencyKey: `prospect-42/${key}`, conversationId: 'prospect-42', prospectId: '42', kind: 'email_sent' as const, summary: 'First touch sent' });
    try {
      const logged = (await quiet().run(sendMessage, { ...message('pat@buyer.example', 't-1'), crmTouch: crmTouch('t-1') })) as { touchLogged?: boolean };
      assert.equal(logged.touchLogged, true);
      const touches = await readJournal<CrmTouch>(path.join(touchDir, 'crm.jsonl'));
      assert.deepEqual(touches.map((t) => t.idempotencyKey), ['prospect-42/t-1']);
      assert.ok(Date.parse(touches[0]!.at) > 0, 'the touch carries the moment of the send');
      const sentEntries = await readJournal<SentEntry>(path.join(touchDir, 'sent.jsonl'));
      assert.equal('crmTouch' in sentEntries[0]!, false, 'the touch is not part of the message sent');

      crmUp = false;
      const refused = (await quiet().run(sendMessage, { ...message('pat@buyer.example', 't-2'), crmTouch: crmTouch('t-2') })) as { touchLogged?: boolean };
      assert.equal(refused.touchLogged, false);
      assert.deepEqual((await readJournal<SentEntry>(path.join(touchDir, 'sent.jsonl'))).map((m) => m.idempotencyKey), ['t-1', 't-2'], 'the message went out once');
      const plain = (await quiet().run(sendMessage, message('pat@buyer.example', 't-3'))) as { touchLogged?: boolean };
      assert.equal('touchLogged' in plain, false, 'a send without a touch says nothing of the CRM');
    } finally {
      rmSync(touchDir, { recursive: true, force: true });
    }
  });

  const threadMessage = (conversationId: string, key: string, subject: string): OutreachMessage => ({
    idempotencyKey: key,
    conversationId,
    channel: 'email',
    to: { name: 'Jordan Lee', email: 'Sam.Rivera@Thread.example' },
    from: { name: 'Alex' },
    subject,
    body: 'Hello.',
  });

  test('each later send answers the one before, references the whole thread and keeps Re: <first subject>; every send can unsubscribe', async () => {
    const sender = new OutboxSender(dir);
    const { sendMessage, composeAcknowledgement } = createOutreachActivities({
      composer: new CampaignComposer({ campaigns: () => ({}) }),
      sender,
      crm: new JournalCrmSink(dir),
      suppressions: ledger.suppressions,
      mail: ledger.mail,
      unsubscribe: { baseUrl: 'https://handoff.example/v1/unsubscribe', secret: SECRET, mailbox: 'outreach@acme.example' },
    });
    const first = await sendMessage(threadMessage('prospect-t1', 't1/step-0', 'Buyer Co and Handoff'));
    const second = await sendMessage(threadMessage('prospect-t1', 't1/step-1', 'Re: Buyer Co and Handoff'));
    await sendMessage(threadMessage('prospect-other', 'o/step-0', 'Another thread'));
    const ack = await sendMessage(threadMessage('prospect-t1', 't1/ack-1', 'Thanks, a person will be in touch'));
    // A retried send keeps its own place in the thread.
    await sendMessage(threadMessage('prospect-t1', 't1/step-1', 'Re: Buyer Co and Handoff'));

    const sent = (await readJournal<SentEntry>(path.join(dir, 'sent.jsonl'))).filter((s) => s.conversationId === 'prospect-t1');
    assert.deepEqual(sent.map((s) => s.messageId), [first.providerId, second.providerId, ack.providerId]);
    assert.equal(sent[0]!.inReplyTo, undefined);
    assert.equal(sent[1]!.inReplyTo, first.providerId);
    assert.deepEqual(sent[1]!.references, [first.providerId]);
    assert.equal(sent[2]!.inReplyTo, second.providerId);
    assert.deepEqual(sent[2]!.references, [first.providerId, second.providerId]);
    assert.equal(sent[2]!.subject, 'Re: Buyer Co and Handoff');
    const composed = await composeAcknowledgement({ prospect: { id: 't1', name: 'Jordan Lee', email: 'jordan@buyer.example', company: 'Buyer Co', profile: {} }, voice: VOICE });
    assert.equal(composed.subject, 'Re: Buyer Co and Handoff', 'the acknowledgement is composed under the subject it is sent with');
    assert.equal(await ledger.mail.conversationOf([second.providerId]), 'prospect-t1');
    assert.equal(await ledger.mail.latestConversationFor('sam.rivera@thread.example'), 'prospect-t1');

    for (const entry of sent) {
      const headers = threadHeaders(entry);
      assert.match(headers['List-Unsubscribe']!, /^<mailto:outreach@acme\.example\?subject=unsubscribe>, <https:\/\/handoff\.example\/v1\/unsubscribe\/[\w-]+\.[\w-]+>$/);
      assert.equal(headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
      const token = entry.listUnsubscribe!.url.split('/').pop()!;
      assert.deepEqual(readUnsubscribeToken(SECRET, token), { workflowId: 'prospect-t1', emailHash: hashEmail('sam.rivera@thread.example') });
    }
  });

  test('erasing a prospect deletes their unmatched mail and blanks the subjects of their conversation\'s sends', async () => {
    const received = { disposition: 'unmatched' as const, conversationId: null, subject: 'Hello', text: 'Personal words', reason: 'no_conversation', receivedAt: new Date().toISOString() };
    await ledger.mail.recordReceived({ ...received, messageId: '<u1@buyer.example>', sender: 'erase.me@buyer.example' });
    await ledger.mail.recordReceived({ ...received, messageId: '<u2@other.example>', sender: 'keep@other.example' });
    await ledger.mail.recordSent({ messageId: '<s1@handoff.local>', conversationId: 'prospect-erase-me', recipient: 'erase.me@buyer.example', subject: 'Erase Co and Handoff', sentAt: new Date().toISOString() });
    await ledger.eraseProspect('erase-me', ['Erase.Me@buyer.example']);
    assert.equal(await ledger.mail.received('<u1@buyer.example>'), null);
    assert.equal((await ledger.mail.received('<u2@other.example>'))?.sender, 'keep@other.example');
    assert.deepEqual(await ledger.mail.thread('prospect-erase-me'), { messageIds: ['<s1@handoff.local>'], firstSubject: '' });
  });

  test('an unsubscribe token names no address, and one altered or signed with another secret is refused', () => {
    const token = unsubscribeToken(SECRET, 'prospect-9', 'dana@northwind.example');
    assert.doesNotMatch(Buffer.from(token.split('.')[0]!, 'base64url').toString(), /dana|northwind/);
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ v: 1, wf: 'prospect-10', h: hashEmail('dana@northwind.example') })).toString('base64url');
    assert.throws(() => readUnsubscribeToken(SECRET, `${other}.${mac}`), UnsubscribeTokenError);
    assert.throws(() => readUnsubscribeToken('another-secret-0123456789', token), UnsubscribeTokenError);
    assert.throws(() => readUnsubscribeToken(SECRET, payload!), UnsubscribeTokenError);
  });
});
