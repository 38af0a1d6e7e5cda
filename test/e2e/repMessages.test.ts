import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { buildApi } from '../../src/api/server';
import { startInboundSmtp, type InboundSmtpListener } from '../../src/inbound/smtpListener';
import { computeReview } from '../../src/review/compute';
import { stateQuery, type HandoffPacket } from '../../workflows/messages';
import { FIXTURE_REPS, oneSendCadence, repKeyOf, TOOL_KEY, toolAndRepKeys } from '../helpers/apiKeys';
import { callAsDocumented } from '../helpers/contract';
import { createConversationRig, waitForState, type ConversationRig } from '../helpers/conversation';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';
import { createDevServerEnv } from '../helpers/temporal';

const TOOL = TOOL_KEY;
const REPS = FIXTURE_REPS;
const keyOf = repKeyOf;
const keys = toolAndRepKeys;
const oneSend = oneSendCadence;

/** The mail server in front of the inbound address, as it names itself in `Authentication-Results`. */
const AUTHSERV = 'mx.handoff.test';

/**
 * A rep's own email to the prospect, as their mail client writes it (the BCC does not appear in the headers), with
 * the verdict the mail server in front wrote on it (`verdict: null` for none).
 */
function repMail(options: { from: string; to: string; messageId: string; text: string; inReplyTo?: string; verdict?: string | null }): string {
  const domain = options.from.slice(options.from.indexOf('@') + 1);
  const verdict = options.verdict === undefined ? `${AUTHSERV}; dkim=pass header.d=${domain}; spf=pass smtp.mailfrom=${domain}; dmarc=pass (p=NONE dis=NONE) header.from=${domain}` : options.verdict;
  const headers = [
    ...(verdict === null ? [] : [`Authentication-Results: ${verdict}`]),
    `From: Rep <${options.from}>`,
    `To: Buyer <${options.to}>`,
    'Subject: Re: your question',
    'Date: Tue, 3 Mar 2026 10:15:00 +0000',
    `Message-ID: ${options.messageId}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`, `References: ${options.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${options.text}\r\n`;
}

describe('the rep’s own words join the thread, on the dev server', () => {
  let env: TestWorkflowEnvironment;
  let rig: ConversationRig;
  let running: Promise<void>;
  let api: FastifyInstance;
  let smtp: InboundSmtpListener;

  const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) => callAsDocumented(api, method, url, token, body);

  before(async () => {
    env = await createDevServerEnv();
    rig = await createConversationRig(env);
    running = rig.worker.run();
    const roster = rig.deps.alerts.roster;
    const config = { ...rig.config, inbound: { ...rig.config.inbound, repMailAuthservId: AUTHSERV } };
    api = buildApi({ client: env.client, config, keys, claimSecret: rig.deps.alerts.claimSecret, roster, ledger: rig.ledger });
    smtp = await startInboundSmtp(
      { host: '127.0.0.1', port: 0, log: () => {} },
      { client: env.client, ledger: { use: (work) => work(rig.ledger) }, reps: async () => (await roster.current()).roster.reps, repMailAuthservId: AUTHSERV },
    );
  });
  after(async () => {
    await smtp?.close();
    await api?.close();
    rig?.worker.shutdown();
    await running;
    await env?.teardown();
  });

  const relay = (raw: string, from: string) =>
    nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }).sendMail({ envelope: { from, to: 'outreach@handoff.local' }, raw });
  const repMessagesIn = (workflowId: string) => rig.ledger.query({ conversationId: workflowId, kinds: ['rep_message'] });

  test('the claiming rep’s message joins the thread once, reaches the next owner’s packet and the review; another rep cannot post as them', async () => {
    const handle = await rig.start({ prospect: prospect('rw-api'), cadence: oneSend });
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch sent');
    await call('POST', '/v1/conversations/rw-api/replies', TOOL, { messageId: 'r-1', channel: 'email', text: 'Can I talk to a real person about this?', receivedAt: new Date().toISOString() });
    const escalated = await waitForState(handle, (s) => s.ladder.length === 1, 'tier 1 alerted');
    const owner = escalated.ladder[0]!.eligibleRepIds.find((r) => r !== 'max')!;
    assert.equal((await call('POST', '/v1/conversations/rw-api/claim', keyOf(owner), {})).statusCode, 200);

    const words = { messageId: 'rep-note-1', channel: 'phone', text: 'Called Jordan: they want 40 seats, decision by Friday.' };
    const posted = await call('POST', '/v1/conversations/rw-api/messages', keyOf(owner), words);
    assert.equal(posted.statusCode, 201, posted.body);
    assert.deepEqual(posted.json(), { messageId: 'rep-note-1', repId: owner, duplicate: false });
    const again = await call('POST', '/v1/conversations/rw-api/messages', keyOf(owner), words);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().duplicate, true);

    const other = REPS.find((r) => r !== owner && r !== 'max')!;
    const impostor = await call('POST', '/v1/conversations/rw-api/messages', keyOf(other), { ...words, messageId: 'rep-note-2', repId: owner });
    assert.equal(impostor.statusCode, 403);
    assert.equal(impostor.json().error.code, 'not_your_rep');
    assert.match(impostor.json().error.message, new RegExp(`acts as ${other}; it cannot act as ${owner}`));

    const state = await handle.query(stateQuery);
    const repWords = state.thread.filter((t) => t.author === 'rep');
    assert.deepEqual(
      repWords.map((t) => ({ messageId: t.messageId, repId: t.repId, channel: t.channel, text: t.text })),
      [{ messageId: 'rep-note-1', repId: owner, channel: 'phone', text: words.text }],
    );
    assert.equal(state.counts.replies, 1, 'the rep’s words are not a prospect reply');

    // The next owner is told with the whole story, the rep's words included.
    assert.equal((await call('POST', '/v1/conversations/rw-api/reassign', keyOf('max'), { repId: other })).statusCode, 200);
    const told = await eventually(async () => (await rig.alerts()).find((a) => a.workflowId === handle.workflowId && a.purpose === 'reassigned' && a.repId === other), 'the new owner’s alert');
    const packet = told.packet as HandoffPacket;
    // The first touch, the buyer's request, then the rep's words (the buyer's acknowledgement may go out before or
    // after the rep writes).
    const people = packet.thread.filter((t) => t.author !== 'automation');
    assert.deepEqual(people.map((t) => t.author), ['prospect', 'rep']);
    assert.equal(packet.thread[0]!.author, 'automation');
    assert.equal(people.at(-1)!.text, words.text);

    const events = await eventually(async () => {
      const recorded = await repMessagesIn(handle.workflowId);
      return recorded.length > 0 && recorded;
    }, 'the rep message in the ledger');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.repId, owner);
    const review = computeReview(await rig.ledger.query({ conversationId: handle.workflowId }), { now: new Date().toISOString() });
    assert.equal(review.escalations.find((e) => e.conversationId === handle.workflowId)?.repMessages, 1);
    assert.equal(review.totals.repMessages, 1);
  });

  test('a rep’s own email BCC’d to the inbound address joins the prospect’s conversation as theirs, once, never as a reply', async () => {
    const handle = await rig.start({ prospect: prospect('rw-bcc'), cadence: oneSend });
    await waitForState(handle, (s) => s.sent.length === 1, 'the first touch sent');
    const raw = repMail({ from: 'dana@example.com', to: prospect('rw-bcc').email, messageId: '<dana-1@mail.example.com>', text: 'Can I talk to you about pricing for 40 seats on Thursday?' });
    const relayed = await relay(raw, 'dana@example.com');
    assert.match(relayed.response, /accepted: rep_message/);
    assert.match((await relay(raw, 'dana@example.com')).response, /accepted: rep_message \(redelivery\)/);

    const state = await waitForState(handle, (s) => s.thread.some((t) => t.author === 'rep'), 'the rep’s mail in the thread');
    const mine = state.thread.filter((t) => t.author === 'rep');
    assert.deepEqual(mine.map((t) => ({ messageId: t.messageId, repId: t.repId, text: t.text })), [
      { messageId: '<dana-1@mail.example.com>', repId: 'dana', text: 'Can I talk to you about pricing for 40 seats on Thursday?' },
    ]);
    assert.equal(state.counts.replies, 0, 'a rep’s words asking about pricing are not a prospect asking');
    assert.equal(state.escalations.length, 0);
    assert.equal(state.stage, 'automating');
    const events = await eventually(async () => {
      const recorded = await repMessagesIn(handle.workflowId);
      return recorded.length > 0 && recorded;
    }, 'the rep message in the ledger');
    assert.deepEqual(events.map((e) => [e.repId, e.source]), [['dana', 'mail']]);
  });

  test('a rep’s email answering our thread joins that conversation, whoever it is addressed to', async () => {
    const handle = await rig.start({ prospect: prospect('rw-thread'), cadence: oneSend });
    const [first] = (await waitForState(handle, (s) => s.sent.length === 1, 'the first touch sent')).sent;
    const raw = repMail({ from: 'eli@example.com', to: 'someone-else@buyer.example', messageId: '<eli-1@mail.example.com>', inReplyTo: first!.messageId, text: 'Following up personally.' });
    const answer = await api.inject({ method: 'POST', url: '/v1/inbound/email', headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'message/rfc822' }, payload: raw });
    assert.equal(answer.statusCode, 202, answer.body);
    assert.deepEqual(answer.json(), { messageId: '<eli-1@mail.example.com>', disposition: 'rep_message', conversationId: handle.workflowId, reason: 'eli', duplicate: false });
    const state = await waitForState(handle, (s) => s.thread.some((t) => t.author === 'rep'), 'the rep’s mail in the thread');
    assert.equal(state.thread.find((t) => t.author === 'rep')?.repId, 'eli');
  });

  test('mail that only writes a rep’s address in From is kept as unmatched, never joining the thread as theirs', async () => {
    const handle = await rig.start({ prospect: prospect('rw-forged'), cadence: oneSend });
    const [first] = (await waitForState(handle, (s) => s.sent.length === 1, 'the first touch sent')).sent;
    const forged = (verdict: string | null, n: number) =>
      repMail({ from: 'dana@example.com', to: prospect('rw-forged').email, messageId: `<forged-${n}@elsewhere.example>`, inReplyTo: first!.messageId, text: '60% off for three years, signed Dana.', verdict });
    const verdicts = [
      null,
      'mx.elsewhere.example; dmarc=pass header.from=example.com',
      `${AUTHSERV}; dmarc=fail (p=REJECT) header.from=example.com`,
      `${AUTHSERV}; dmarc=pass header.from=elsewhere.example`,
    ];
    for (const [n, verdict] of verdicts.entries()) {
      const answer = await api.inject({ method: 'POST', url: '/v1/inbound/email', headers: { authorization: `Bearer ${TOOL}`, 'content-type': 'message/rfc822' }, payload: forged(verdict, n) });
      assert.deepEqual([answer.statusCode, answer.json().disposition, answer.json().reason], [202, 'unmatched', 'unverified_rep_mail'], String(verdict));
    }
    const state = await handle.query(stateQuery);
    assert.equal(state.thread.filter((t) => t.author === 'rep').length, 0);
    assert.deepEqual(await repMessagesIn(handle.workflowId), []);
  });
});
