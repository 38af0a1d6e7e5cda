import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { hashApiKey, type ApiKey } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { signRequest } from '../../src/api/signature';
import { startInboundSmtp, type InboundSmtpListener } from '../../src/inbound/smtpListener';
import type { conversationWorkflow } from '../../workflows/conversation';
import { stateQuery, type ConversationState } from '../../workflows/messages';
import { createConversationRig, UNSUBSCRIBE_SECRET, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { bounceMail, replyMail } from '../helpers/mail';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = 'tool-token-0123456789';
const ADMIN = 'admin-token-0123456789';
const keys: ApiKey[] = [
  { id: 'mailbox', hash: hashApiKey(TOOL), scopes: ['tool'] },
  { id: 'ops', hash: hashApiKey(ADMIN), scopes: ['admin'] },
];
const bin = path.resolve(__dirname, '..', '..', 'bin', 'handoff.cjs');

/** First touch at once, two follow-ups a second apart, a break-up a month later: three sends to reply to. */
const threeSends = [
  { name: 'First touch', kind: 'first_touch' as const, offset: '0 days', channel: 'email' as const },
  { name: 'Follow-up 1', kind: 'follow_up' as const, offset: '1 second', channel: 'email' as const },
  { name: 'Follow-up 2', kind: 'follow_up' as const, offset: '1 second', channel: 'email' as const },
  { name: 'Break-up', kind: 'break_up' as const, offset: '30 days', channel: 'email' as const },
];

describe('email in and out on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let apiUrl: string;
  let smtp: InboundSmtpListener;

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    api = buildApi({ client: env.client, config: rig.config, keys, claimSecret: rig.deps.alerts.claimSecret, unsubscribeSecret: UNSUBSCRIBE_SECRET, ledger: rig.ledger });
    apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    smtp = await startInboundSmtp({ host: '127.0.0.1', port: 0, log: () => {} }, { client: env.client, ledger: { use: (work) => work(rig.ledger) } });
  });
  after(async () => {
    await smtp?.close();
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const postMail = (raw: string) =>
    api.inject({ method: 'POST', url: '/v1/inbound/email', headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'message/rfc822' }, payload: raw });
  const relay = (raw: string, from: string) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true })
      .sendMail({ envelope: { from, to: 'outreach@handoff.local' }, raw });
  const stateOf = (h: WorkflowHandle<typeof conversationWorkflow>): Promise<ConversationState> => h.query(stateQuery);
  const sentTo = async (workflowId: string) => (await rig.sent()).filter((s) => s.conversationId === workflowId);
  const startWithSends = async (id: string, cadence = threeSends, sends = 3) => {
    const handle = await rig.start({ prospect: prospect(id), cadence });
    await waitForState(handle, (s) => s.sent.length >= sends, `${id}: ${sends} automated emails sent`);
    return handle;
  };

  test('follow-ups answer the emails before them, keep the first subject and carry one-click unsubscribe links', async () => {
    const handle = await startWithSends('mail-thread');
    const [first, second, third] = await sentTo(handle.workflowId);
    assert.ok(first && second && third);
    assert.equal(first.inReplyTo, undefined);
    assert.equal(third.inReplyTo, second.messageId);
    assert.deepEqual(third.references, [first.messageId, second.messageId]);
    assert.equal(third.subject, `Re: ${first.subject}`);
    assert.deepEqual((await stateOf(handle)).sent.map((s) => s.messageId), [first.messageId, second.messageId, third.messageId]);
    for (const sent of [first, second, third]) assert.match(sent.listUnsubscribe?.url ?? '', /\/v1\/unsubscribe\/[\w-]+\.[\w-]+$/);
  });

  test('a reply to the second follow-up, quoting the thread in plain text and HTML, lands in its conversation and only its own words are read', async () => {
    const handle = await startWithSends('mail-reply');
    const other = await startWithSends('mail-reply-other');
    const [first, second, third] = await sentTo(handle.workflowId);
    const raw = replyMail({
      from: prospect('mail-reply').email,
      messageId: '<reply-1@mail.buyer.example>',
      inReplyTo: third!.messageId,
      references: [first!.messageId, second!.messageId, third!.messageId],
      text: 'Thanks, we are reviewing this internally and will come back to you.',
      quoted: 'Is this on your radar this quarter?\nCan I talk to a person about pricing for 40 seats?',
    });
    const answer = await postMail(raw);
    assert.equal(answer.statusCode, 202, answer.body);
    assert.deepEqual(answer.json(), { messageId: '<reply-1@mail.buyer.example>', disposition: 'reply', conversationId: handle.workflowId, reason: null, duplicate: false });

    const state = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === '<reply-1@mail.buyer.example>' && t.labels), 'the reply classified');
    const reply = state.thread.find((t) => t.messageId === '<reply-1@mail.buyer.example>')!;
    assert.match(reply.text, /^Thanks, we are reviewing this internally/);
    assert.deepEqual(reply.labels, ['none'], 'the quoted request for a person and pricing is not the prospect\'s own words');
    // Nothing escalates; the prospect's own words need a person, so the owner gets a low-priority task.
    assert.deepEqual(state.escalations.map((e) => e.task?.kind), ['reply']);
    assert.equal((await stateOf(other)).counts.replies, 0);

    // Delivered again (the mail server retried, or the webhook fired twice): over SMTP and over HTTP, it counts once.
    const relayed = await relay(raw, prospect('mail-reply').email);
    assert.match(relayed.response, /accepted: reply \(redelivery\)/);
    const again = await postMail(raw);
    assert.equal(again.json().duplicate, true);
    const events = await eventually(async () => {
      const recorded = await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['reply_classified'] });
      return recorded.length > 0 && recorded;
    }, 'the reply in the ledger');
    assert.equal(events.length, 1);
    assert.equal((await stateOf(handle)).counts.replies, 1);
  });

  test('mail from an unknown sender answering nothing of ours is kept as unmatched, listed by the API and the CLI', async () => {
    const raw = replyMail({ from: 'lee@unknown.example', messageId: '<stray-1@unknown.example>', subject: 'Question about your product', text: 'Do you integrate with our CRM?' });
    const relayed = await relay(raw, 'lee@unknown.example');
    assert.match(relayed.response, /accepted: unmatched/);
    const listed = await api.inject({ method: 'GET', url: '/v1/inbound/unmatched', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(listed.statusCode, 200);
    const message = listed.json().messages.find((m: { messageId: string }) => m.messageId === '<stray-1@unknown.example>');
    assert.deepEqual(
      { sender: message?.sender, subject: message?.subject, reason: message?.reason, text: message?.text },
      { sender: 'lee@unknown.example', subject: 'Question about your product', reason: 'no_conversation', text: 'Do you integrate with our CRM?' },
    );
    const cli = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, 'inbound', 'unmatched', '--json'],
        { env: { ...process.env, HANDOFF_API_URL: apiUrl, HANDOFF_API_KEY: ADMIN, HANDOFF_DATA_DIR: rig.dataDir }, encoding: 'utf8', timeout: 120_000 },
        (err, stdout, stderr) => resolve({ status: err ? 1 : 0, stdout, stderr }),
      );
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.ok(JSON.parse(cli.stdout).messages.some((m: { messageId: string }) => m.messageId === '<stray-1@unknown.example>'));
  });

  test('an unmatched message assigned to a conversation (by the CLI) becomes its reply and leaves the unmatched list, once', async () => {
    const handle = await startWithSends('mail-assign', threeSends, 1);
    const raw = replyMail({ from: 'jordan.private@home.example', messageId: '<stray-2@home.example>', subject: 'From my own address', text: 'Can we talk about pricing for 40 seats?' });
    assert.equal((await postMail(raw)).json().disposition, 'unmatched');
    const cli = (args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [bin, 'inbound', ...args],
          { env: { ...process.env, HANDOFF_API_URL: apiUrl, HANDOFF_API_KEY: ADMIN, HANDOFF_DATA_DIR: rig.dataDir }, encoding: 'utf8', timeout: 120_000 },
          (err, stdout, stderr) => resolve({ status: err ? 1 : 0, stdout, stderr }),
        );
      });
    const assigned = await cli(['assign', '<stray-2@home.example>', 'mail-assign']);
    assert.equal(assigned.status, 0, assigned.stderr);
    assert.match(assigned.stdout, new RegExp(`<stray-2@home.example> delivered to ${handle.workflowId} as its reply`));

    const state = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === '<stray-2@home.example>' && t.labels), 'the assigned message classified');
    assert.equal(state.thread.find((t) => t.messageId === '<stray-2@home.example>')?.author, 'prospect');
    assert.equal(state.escalations[0]?.reason, 'pricing');
    const listed = await api.inject({ method: 'GET', url: '/v1/inbound/unmatched', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.ok(!listed.json().messages.some((m: { messageId: string }) => m.messageId === '<stray-2@home.example>'));

    const again = await api.inject({
      method: 'POST',
      url: `/v1/inbound/unmatched/${encodeURIComponent('<stray-2@home.example>')}/assign`,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ prospectId: 'mail-assign' }),
    });
    assert.equal(again.statusCode, 404);
    assert.match(again.json().error.message, /no unmatched message <stray-2@home.example>/);
    const incomplete = await cli(['assign', '<stray-2@home.example>']);
    assert.equal(incomplete.status, 1);
    assert.match(incomplete.stderr, /give the message's Message-ID and the prospect id/);
  });

  test('an auto-reply found by its sender asking for a person and pricing never escalates', async () => {
    const handle = await startWithSends('mail-auto', threeSends, 1);
    const raw = replyMail({
      from: prospect('mail-auto').email,
      messageId: '<auto-1@mail.buyer.example>',
      text: 'Thank you for your email. For pricing, talk to a person on our procurement team.',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      htmlOnly: true,
    });
    const answer = await postMail(raw);
    assert.equal(answer.json().conversationId, handle.workflowId);
    const state = await waitForState(handle, (s) => s.thread.some((t) => t.messageId === '<auto-1@mail.buyer.example>' && t.labels), 'the auto-reply classified');
    assert.equal(state.escalations.length, 0);
    assert.notEqual(state.stage, 'escalated');
    // The ledger is written in the background: the reply's record arrives after the state shows it.
    const [event] = await eventually(async () => {
      const events = await rig.ledger.query({ conversationId: handle.workflowId, kinds: ['reply_classified'] });
      return events.length > 0 && events;
    }, 'the auto-reply in the ledger');
    assert.equal(event?.escalate, false);
  });

  test('a request to stop that no running conversation takes still puts its sender on the suppression list', async () => {
    const handle = await startWithSends('mail-late-stop', threeSends, 1);
    const [first] = await sentTo(handle.workflowId);
    await handle.terminate('the conversation ended');
    const email = prospect('mail-late-stop').email;
    const late = await postMail(replyMail({ from: email, messageId: '<late-stop@buyer.example>', inReplyTo: first!.messageId, subject: 'unsubscribe', text: '' }));
    assert.deepEqual([late.json().disposition, late.json().reason], ['unmatched', 'conversation_over']);
    assert.equal((await rig.ledger.suppressions.match(email))?.source, 'opt_out');
    const stranger = await postMail(replyMail({ from: 'kim@elsewhere.example', messageId: '<stray-stop@elsewhere.example>', text: 'Please remove me from your mailing list.' }));
    assert.deepEqual([stranger.json().disposition, stranger.json().reason], ['unmatched', 'no_conversation']);
    assert.equal((await rig.ledger.suppressions.match('kim@elsewhere.example'))?.source, 'opt_out');
    const asking = await postMail(replyMail({ from: 'ray@elsewhere.example', messageId: '<stray-ask@elsewhere.example>', text: 'Do you integrate with our CRM?' }));
    assert.equal(asking.json().disposition, 'unmatched');
    assert.equal(await rig.ledger.suppressions.match('ray@elsewhere.example'), null, 'a question is no request to stop');
  });

  test('a bounce puts the address on the suppression list and the conversation sends nothing more', async () => {
    const cadence = [threeSends[0]!, { ...threeSends[1]!, offset: '5 seconds' }];
    const handle = await startWithSends('mail-bounce', cadence, 1);
    const [first] = await sentTo(handle.workflowId);
    const answer = await postMail(bounceMail({ recipient: prospect('mail-bounce').email, messageId: '<dsn-1@mx.buyer.example>', originalMessageId: first!.messageId }));
    assert.equal(answer.json().disposition, 'bounce');
    const listed = await rig.ledger.suppressions.match(prospect('mail-bounce').email);
    assert.deepEqual({ source: listed?.source, reason: listed?.reason }, { source: 'bounce', reason: 'bounced' });
    const ended = await eventually(async () => {
      const s = await stateOf(handle);
      return s.optedOut && s;
    }, 'the conversation ended at its next send', 60_000);
    assert.equal(ended.sent.length, 1);
    assert.equal((await sentTo(handle.workflowId)).length, 1);
  });

  test('a bounce naming a recipient the suppression list cannot hold still suppresses the others', async () => {
    const raw = bounceMail({ recipient: 'postmaster@localhost', messageId: '<dsn-two@mx.buyer.example>' }).replace(
      /(Final-Recipient: rfc822; postmaster@localhost[\s\S]*?\r?\n\r?\n)/,
      '$1Final-Recipient: rfc822; gone.too@buyer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n',
    );
    const answer = await postMail(raw);
    assert.deepEqual([answer.statusCode, answer.json().disposition, answer.json().reason], [202, 'bounce', 'suppressed 1']);
    assert.equal((await rig.ledger.suppressions.match('gone.too@buyer.example'))?.source, 'bounce');
  });

  test('with a signing secret, a message must be signed over its raw bytes, and a signature counts once', async () => {
    const secret = 'inbound-signing-secret-0123456789';
    const signed = buildApi({ client: env.client, config: { ...rig.config, api: { ...rig.config.api, replySigningSecret: secret } }, keys, claimSecret: 'unused-claim-secret-0123456789', ledger: rig.ledger });
    try {
      const raw = Buffer.from(replyMail({ from: 'rené@unknown.example', messageId: '<signed-1@unknown.example>', text: 'Grüße, ¿qué tal?' }), 'utf8');
      const post = (headers: Record<string, string>) =>
        signed.inject({ method: 'POST', url: '/v1/inbound/email', headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'message/rfc822', ...headers }, payload: raw });
      const unsigned = await post({});
      assert.equal(unsigned.statusCode, 401);
      assert.equal(unsigned.json().error.code, 'signature_required');
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = signRequest(secret, timestamp, { method: 'POST', path: '/v1/inbound/email', body: raw });
      const accepted = await post({ 'x-handoff-timestamp': timestamp, 'x-handoff-signature': signature });
      assert.equal(accepted.statusCode, 202, accepted.body);
      assert.equal(accepted.json().disposition, 'unmatched');
      assert.equal((await post({ 'x-handoff-timestamp': timestamp, 'x-handoff-signature': signature })).statusCode, 409);
    } finally {
      await signed.close();
    }
  });

  test('the unsubscribe link shows a page on GET and opts out on the one-click POST, once', async () => {
    const handle = await startWithSends('mail-unsub', threeSends, 1);
    const [first] = await sentTo(handle.workflowId);
    const url = new URL(first!.listUnsubscribe!.url).pathname;
    const page = await api.inject({ method: 'GET', url });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post">/);
    assert.equal((await stateOf(handle)).optedOut, false, 'opening the link changes nothing');

    const click = () => api.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    const answer = await click();
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json(), { unsubscribed: true });
    assert.equal((await click()).statusCode, 200);
    const state = await waitForState(handle, (s) => s.optedOut, 'opted out');
    assert.equal(state.counts.replies, 1);
    assert.equal((await rig.ledger.suppressions.match(prospect('mail-unsub').email))?.source, 'opt_out');

    const forged = await api.inject({ method: 'POST', url: `${url.slice(0, -3)}abc`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    assert.equal(forged.statusCode, 403);
  });
});
