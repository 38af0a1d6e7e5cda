import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AlertDeliveryError } from '../../../src/alerts/channel';
import { createSlackChannel, slackAlertPayload } from '../../../src/alerts/slack';
import { clipSlackText, slackMrkdwnText } from '../../../src/alerts/slackText';
import { alert, packet, type Receiver, rep, startReceiver } from './fixtures';

interface Text {
  type: string;
  text: string;
  verbatim?: boolean;
}
interface Block {
  type: string;
  text?: Text;
  fields?: Text[];
  elements?: { url: string; text: { text: string } }[];
}

/** Every text object of a payload, the fallback text first. */
function texts(payload: { text: string; blocks: Block[] }): Text[] {
  return [
    { type: 'mrkdwn', text: payload.text },
    ...payload.blocks.flatMap((b) => [...(b.text ? [b.text] : []), ...(b.fields ?? []), ...(b.elements ?? []).map((e) => ({ type: 'plain_text', ...e.text }))]),
  ];
}

const HOSTILE =
  'Click <http://evil.example/login|Claim now> or <https://evil.example> *URGENT* _today_ ~old~ `rm -rf` ' +
  '<!channel> <!here> <!subteam^S123> <@U0ADMIN> @channel @here #general www.evil.example evil.example/pay mailto:ceo@evil.example\n> fake quote';

describe('Slack channel', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.script({ status: 200 });
  });
  after(async () => {
    await receiver.close();
  });

  test('an alert with nothing to claim (a reassignment, a forwarded reply) has no Claim button', async () => {
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await slack.deliver(alert({ claimUrl: null, purpose: 'reassigned' }), rep('ana'));
    const payload = JSON.parse(receiver.requests[0]!.body) as { blocks: Block[] };
    const buttons = payload.blocks.find((b) => b.type === 'actions')?.elements ?? [];
    assert.deepEqual(buttons.map((b) => b.text.text), ['Open conversation']);
  });

  test('posts a Block Kit message with the prospect, trigger, evidence, tier, deadline and both links', async () => {
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await slack.deliver(alert(), rep('ana'));
    assert.equal(receiver.requests.length, 1);
    const request = receiver.requests[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/json');
    const payload = JSON.parse(request.body) as { text: string; blocks: Block[] };
    assert.equal(payload.blocks[0]?.type, 'header');
    assert.equal(payload.blocks[0]?.text?.text, 'Pricing question: Dana Kim (Acme <Robotics> & Co), tier 2');
    const fields = payload.blocks[1]?.fields?.map((f) => f.text) ?? [];
    assert.deepEqual(fields.slice(0, 4), [
      '*Prospect*\nDana Kim',
      '*Company*\nAcme &lt;Robotics&gt; &amp; Co',
      '*Trigger*\nPricing question',
      '*Tier*\n2',
    ]);
    assert.match(fields[4] ?? '', /^\*Claim by\*\n<!date\^\d+\^/);
    assert.match(payload.blocks[1]?.text?.text ?? '', /^<@U01ANA> Dana asked/);
    assert.equal(payload.blocks[2]?.text?.text, '> what would 40 seats cost us');
    const buttons = payload.blocks[3]?.elements ?? [];
    assert.deepEqual(
      buttons.map((b) => [b.text.text, b.url]),
      [
        ['Claim', 'https://handoff.example.com/claims/TOKEN'],
        ['Open conversation', 'http://localhost:8233/namespaces/default/workflows/prospect-dana-42'],
      ],
    );
  });

  test('a buyer cannot ping the channel through the evidence quote', async () => {
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await slack.deliver(alert({ evidenceQuote: 'call me <!channel> now' }), rep('ana'));
    assert.ok(!receiver.requests[0]!.body.includes('<!channel>'));
    assert.ok(receiver.requests[0]!.body.includes('&lt;!channel&gt;'));
  });

  test('a hostile reply plants no link, mention or formatting anywhere in the message', () => {
    const hostile = alert({
      title: 'Pricing question: *Dana* <@U0ADMIN> (Acme <https://evil.example|Login> & Co), tier 2',
      evidenceQuote: HOSTILE,
      packet: {
        ...packet(),
        summary: `Dana Kim (Acme) asked about pricing. Note: ${HOSTILE}`,
        prospect: { ...packet().prospect, name: '*Dana* <@U0ADMIN> _Kim_', company: 'Acme <https://evil.example|Login> & Co' },
      },
    });
    const payload = slackAlertPayload(hostile, rep('ana')) as { text: string; blocks: Block[] };
    const all = texts(payload);
    const joined = all.map((t) => t.text).join('\n');
    // The only markup left in mrkdwn is ours: the rep's mention and the deadline (plain text is never parsed).
    const markup = all.filter((t) => t.type === 'mrkdwn').map((t) => t.text).join('\n');
    assert.deepEqual(markup.match(/<[^>]*>/g)?.sort(), ['<@U01ANA>', '<@U01ANA>', markup.match(/<!date\^[^>]*>/)![0]].sort());
    assert.doesNotMatch(markup, /<!channel>|<!here>|<!subteam|<@U0ADMIN>|<http/);
    assert.doesNotMatch(joined, /https?:\/\/|www\.evil|evil\.example|@channel|@here|#general/, 'nothing a client would auto-link');
    for (const t of all.filter((x) => x.type === 'mrkdwn' && x !== all[0])) {
      assert.equal(t.verbatim, true, `verbatim on ${t.text.slice(0, 30)}`);
    }
    const outside = [payload.blocks[1]!.text!.text.replace('<@U01ANA> ', ''), payload.blocks[1]!.fields![0]!.text.replace('*Prospect*\n', ''), payload.blocks[1]!.fields![1]!.text.replace('*Company*\n', ''), payload.blocks[2]!.text!.text.replace(/^> /, '')];
    for (const text of outside) {
      assert.doesNotMatch(text, /[*_~`]/, `no formatting characters in ${text.slice(0, 40)}`);
      assert.doesNotMatch(text, /\n/, 'one line: no quote or list of its own');
      assert.doesNotMatch(text, /[<>]/, 'angle brackets escaped');
    }
    assert.match(payload.blocks[1]!.fields![1]!.text, /Acme &lt;https:\u2060\/\/evil\u2060\.example\|Login&gt; &amp; Co/, 'the words are all still there to read');
    assert.doesNotMatch(payload.blocks[0]!.text!.text, /https?:\/\/|<@U0ADMIN>/, 'the header names no link or mention either');
  });

  test('outside text is escaped as Slack requires and cut without breaking an escape', () => {
    assert.equal(slackMrkdwnText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
    assert.equal(clipSlackText(slackMrkdwnText('Tom & Jerry'), 7), 'Tom …');
    assert.equal(clipSlackText('ok', 7), 'ok');
  });

  test("the rep's team webhook is used instead of the default one", async () => {
    const other = await startReceiver();
    try {
      const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
      await slack.deliver(alert({ team: { id: 'sales', slackWebhookUrl: other.url, webhookUrl: undefined } }), rep('ana'));
      assert.equal(other.requests.length, 1);
      assert.equal(receiver.requests.length, 0);
    } finally {
      await other.close();
    }
  });

  test('a 404 from Slack is a permanent failure', async () => {
    receiver.script({ status: 404 });
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await assert.rejects(slack.deliver(alert(), rep('ana')), (err: unknown) => {
      assert.ok(err instanceof AlertDeliveryError);
      assert.equal(err.permanent, true);
      assert.equal(err.details.status, 404);
      return true;
    });
  });

  test('a 429 from Slack is retryable and carries the Retry-After delay', async () => {
    receiver.script({ status: 429, headers: { 'retry-after': '7' } });
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await assert.rejects(slack.deliver(alert(), rep('ana')), (err: unknown) => {
      assert.ok(err instanceof AlertDeliveryError);
      assert.equal(err.permanent, false);
      assert.equal(err.details.retryAfterMs, 7000);
      return true;
    });
  });

  test('a rep without a Slack user id cannot be alerted on Slack, and nothing is sent', async () => {
    const slack = createSlackChannel({ defaultWebhookUrl: receiver.url, timeoutMs: 5000 });
    await assert.rejects(slack.deliver(alert(), rep('ben')), (err: unknown) => err instanceof AlertDeliveryError && err.permanent);
    assert.equal(receiver.requests.length, 0);
  });
});
