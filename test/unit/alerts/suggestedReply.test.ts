import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAlertActivities, type DeliverAlertInput } from '../../../activities/alerts';
import { alertEmailText } from '../../../src/alerts/email';
import { slackAlertPayload } from '../../../src/alerts/slack';
import { createWebhookChannel } from '../../../src/alerts/webhook';
import { CampaignSchema, type Config } from '../../../src/config';
import { ChatCompletionsClient } from '../../../src/model/chatCompletions';
import type { RepSuggestionDeps } from '../../../src/outreach/repSuggestion';
import { RosterStore } from '../../../src/routing/rosterStore';
import { alert, alertInput, alertRoster, packet, rep, type Receiver, startReceiver } from './fixtures';
import { answer, startModelServer, type ModelServer } from '../../helpers/modelServer';

/** The opening line of the prospect's reply in the fixture packet. */
const THEIR_WORDS = 'Interesting. what would 40 seats cost us <!channel>?';


interface ReceivedAlert {
  suggestedReply?: { text: string; source: string };
}

describe('the suggested reply in a rep’s alert', () => {
  let receiver: Receiver;
  let model: ModelServer;
  let logged: string[];

  before(async () => {
    receiver = await startReceiver();
    model = await startModelServer();
  });
  after(async () => {
    await receiver.close();
    await model.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    model.requests.length = 0;
    logged = [];
  });

  /** The alert activity over a webhook to the loopback receiver, suggesting replies from `suggestions`. */
  function deliverWith(suggestions: RepSuggestionDeps | undefined): (i: DeliverAlertInput) => Promise<unknown> {
    const activities = createAlertActivities({
      roster: RosterStore.fixed(alertRoster().roster),
      channels: { webhook: createWebhookChannel({ defaultUrl: receiver.url, secret: 'whsec-test-0123456789abcdef', timeoutMs: 5000 }) },
      uiUrl: 'http://localhost:8233',
      namespace: 'default',
      claimLinkBaseUrl: 'https://handoff.example.com/claims/',
      claimSecret: 'claim-secret-0123456789abcdef-0123456789',
      claimLinkGraceMs: 60_000,
      log: (line) => logged.push(line),
      ...(suggestions ? { suggestions } : {}),
    });
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
    return (i) => env.run(activities.deliverAlert, i);
  }

  const received = (): ReceivedAlert => JSON.parse(receiver.requests[0]!.body) as ReceivedAlert;
  const noCampaigns = () => ({}) as Config['campaigns'];

  test('without a model, the claim alert carries the template’s reply, which quotes the prospect’s reply', async () => {
    await deliverWith({ campaigns: noCampaigns, model: null })(alertInput());
    const suggestion = received().suggestedReply;
    assert.equal(suggestion?.source, 'template');
    assert.match(suggestion.text, /^Hi Dana,\n\nThanks for your reply\./);
    assert.ok(suggestion.text.includes(`On "${THEIR_WORDS}"`), suggestion.text);
    assert.ok(logged.includes('alert reply suggested key=prospect-dana-42/1/1/ana/webhook workflow=prospect-dana-42 rep=ana channel=webhook tier=1 source=template'));
  });

  test('with a model endpoint, the alert carries the model’s text, written from the packet’s thread', async () => {
    model.reply = answer('{"subject": "Re: pricing", "body": "Hi Dana, 40 seats come to 1,200 a month; shall I walk you through it?"}');
    const client = new ChatCompletionsClient({ url: model.baseUrl, model: 'reply-model', timeoutMs: 2000 });
    await deliverWith({ campaigns: noCampaigns, model: client })(alertInput({ purpose: 'reassigned' }));
    assert.deepEqual(received().suggestedReply, { text: 'Hi Dana, 40 seats come to 1,200 a month; shall I walk you through it?', source: 'model' });
    const prompt = JSON.parse(model.requests[0]?.body.messages?.at(-1)?.content ?? '{}') as { thread: Array<{ text: string }> };
    assert.equal(prompt.thread.at(-1)?.text, THEIR_WORDS);
  });

  test('a model that fails leaves the template’s reply', async () => {
    model.reply = answer('not json at all');
    const client = new ChatCompletionsClient({ url: model.baseUrl, model: 'reply-model', timeoutMs: 2000 });
    await deliverWith({ campaigns: noCampaigns, model: client })(alertInput());
    assert.equal(received().suggestedReply?.source, 'template');
  });

  test('a conversation\'s alert is written in its campaign\'s words, which the packet names', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'handoff-spring-'));
    writeFileSync(path.join(folder, 'reply.md'), '---\nsubject: Re: {{thread.subject}}\n---\n{{greeting}}\n\nSpring words about "{{thread.lastReply?}}".\n\n{{sender.name}}\n');
    const campaigns = () => ({ spring: CampaignSchema.parse({ templates: { reply: path.join(folder, 'reply.md') } }) }) as Config['campaigns'];
    await deliverWith({ campaigns, model: null })(alertInput({ packet: { ...packet(), campaign: 'spring' } }));
    assert.match(received().suggestedReply?.text ?? '', /^Spring words about "/m);
  });

  test('a re-enrolment’s alert is written from its campaign; a template that cannot be read sends the alert without a suggestion, logging ids only', async () => {
    const campaigns = () => ({ spring: CampaignSchema.parse({ templates: path.join(tmpdir(), 'handoff-no-such-templates') }) }) as Config['campaigns'];
    const reenrolled = { ...packet(), conversationId: 'prospect-dana-42~spring' };
    await deliverWith({ campaigns, model: null })(alertInput({ packet: reenrolled, workflowId: 'prospect-dana-42~spring' }));
    assert.equal(receiver.requests.length, 1);
    assert.equal(received().suggestedReply, undefined);
    const line = logged.find((l) => l.startsWith('alert reply not suggested'));
    assert.equal(line, 'alert reply not suggested key=prospect-dana-42/1/1/ana/webhook workflow=prospect-dana-42~spring rep=ana channel=webhook tier=1 error=TemplateError');
  });

  test('a manager told of an unclaimed escalation gets no suggestion', async () => {
    await deliverWith({ campaigns: noCampaigns, model: null })(alertInput({ purpose: 'unclaimed' }));
    assert.equal(received().suggestedReply, undefined);
  });

  test('Slack and e-mail show the suggestion, and Slack makes the prospect’s words in it inert', () => {
    const rendered = alert({ suggestedReply: { text: `On "${THEIR_WORDS}": happy to help.`, source: 'template' } });
    assert.ok(alertEmailText(rendered, rep('ana')).includes(`--- Suggested reply (template) ---\nOn "${THEIR_WORDS}": happy to help.`));
    const blocks = JSON.stringify(slackAlertPayload(rendered, rep('ana')));
    assert.ok(blocks.includes('*Suggested reply* (template)'));
    assert.ok(!blocks.includes('<!channel>'));
    assert.ok(blocks.includes('&lt;!channel&gt;'));
  });
});
