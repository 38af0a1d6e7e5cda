import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createOutreachActivities, type FirstStepInput, type FirstStepOutcome, type OutreachDeps, type ResearchedMessage, type StepInput, type StepOutcome, type SuggestedReply } from '../../../activities/outreach';
import { JournalCrmSink } from '../../../src/outreach/crm';
import { readJournal } from '../../../src/outreach/journal';
import { OutboxSender, type SentEntry } from '../../../src/outreach/sender';
import { loadConfig, type Config } from '../../../src/config';
import { ChatCompletionsClient } from '../../../src/model/chatCompletions';
import { CampaignComposer, campaignWords, type ComposeInput } from '../../../src/outreach/composer';
import { researchProspect, researchWithModel } from '../../../src/outreach/research';
import { suggestReply } from '../../../src/outreach/suggestReply';
import { referralOpening } from '../../../workflows/conversation/tasks';
import { VoiceSchema, type CadenceStepInput, type ThreadMessage } from '../../../workflows/messages';
import { answer, silence, startModelServer, type ModelServer } from '../../helpers/modelServer';
import { prospect } from '../../helpers/prospect';

const VOICE = VoiceSchema.parse({ senderName: 'Priya', product: 'Acme Sync', tone: 'formal' });
const POINTS = ['Renewals land in one queue, with their owner named.', 'Nothing is lost between shifts.'];
const HELLO: CadenceStepInput = { name: 'Hello', kind: 'first_touch', offsetMs: 0, channel: 'email' };
const NUDGE: CadenceStepInput = { name: 'Nudge', kind: 'follow_up', offsetMs: 86_400_000, channel: 'email' };

/** A config with a `spring` campaign written from its own folder, and one (`plain`) on the shipped templates. */
function springConfig(): Config {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-compose-'));
  mkdirSync(path.join(dir, 'words'));
  writeFileSync(path.join(dir, 'words', 'first_touch.md'), '---\nsubject: {{company}} renewals\n---\n{{greeting}}\n\n{{product}} {{valueProposition}}. {{talkingPoint}}\n\n{{sender.name}}\n');
  writeFileSync(path.join(dir, 'words', 'follow_up.md'), '{{greeting}}\n\n{{talkingPoint}}\n\nAs {{prospect.title}}, would this help?\n\n{{sender.name}}\n');
  writeFileSync(path.join(dir, 'words', 'break_up.md'), '{{greeting}}\n\nLast note.\n');
  writeFileSync(path.join(dir, 'words', 'reply.md'), '---\nsubject: Re: {{thread.subject}}\n---\n{{greeting}}\n\nOn "{{thread.lastReply}}": {{talkingPoint}}\n\n{{sender.name}}\n');
  writeFileSync(
    path.join(dir, 'handoff.yaml'),
    [
      'campaigns:',
      '  spring:',
      '    templates: words',
      `    talkingPoints: ${JSON.stringify(POINTS)}`,
      '    valueProposition: keeps every renewal moving',
      '  plain:',
      `    talkingPoints: ${JSON.stringify(POINTS)}`,
    ].join('\n'),
  );
  return loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir);
}

const config = springConfig();
const input = (overrides: Partial<ComposeInput> = {}): ComposeInput => {
  const p = overrides.prospect ?? prospect('w-1');
  return { prospect: p, research: researchProspect(p), voice: VOICE, step: HELLO, stepIndex: 0, previousSubjects: [], ...overrides };
};

const serverError = (_req: unknown, _body: unknown, res: ServerResponse) => {
  res.writeHead(500);
  res.end('boom');
};

// The mock environment logs activity failures; these tests assert them instead.
const quiet = () => new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });

/** The outreach activities writing to an outbox and a CRM journal in a fresh folder, with nothing suppressed. */
function sendingActivities(composer: CampaignComposer, model: ChatCompletionsClient | null = null) {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-first-step-'));
  const activities = createOutreachActivities({
    composer,
    sender: new OutboxSender(dir),
    crm: new JournalCrmSink(dir),
    suppressions: { match: async () => null },
    campaigns: () => config.campaigns,
    model,
  });
  return { activities, sent: () => readJournal<SentEntry>(path.join(dir, 'sent.jsonl')) };
}

/** The first step of conversation `prospect-<id>` as the workflow asks for it, from a referral by Sam Rivera. */
function firstStep(id: string, campaign: string): FirstStepInput {
  const { research: _research, ...composing } = input({ prospect: prospect(id), campaign });
  return {
    composing,
    send: { idempotencyKey: `prospect-${id}/round-0/step-0`, conversationId: `prospect-${id}`, channel: 'email', to: { name: 'Jordan Lee', email: `${id}@buyer.example` }, from: { name: 'Priya' } },
    referredBy: { name: 'Sam Rivera' },
  };
}

/** Follow-up 1 of conversation `prospect-<id>`, researched already, as the workflow asks for it. */
function laterStep(id: string, campaign: string): StepInput {
  return {
    composing: input({ prospect: prospect(id), campaign, step: NUDGE, stepIndex: 1, previousSubjects: ['Buyer Co renewals'] }),
    send: { idempotencyKey: `prospect-${id}/round-0/step-1`, conversationId: `prospect-${id}`, channel: 'email', to: { name: 'Jordan Lee', email: `${id}@buyer.example` }, from: { name: 'Priya' } },
  };
}

describe('composing in the campaign’s words, without a model', () => {
  const composer = new CampaignComposer({ campaigns: () => config.campaigns });

  test('a campaign’s first touch is its own template, with its value proposition and first talking point', async () => {
    const message = await composer.compose(input({ campaign: 'spring' }));
    assert.equal(message.subject, 'Buyer Co renewals');
    assert.equal(message.body, `Dear Jordan,\n\nAcme Sync keeps every renewal moving. ${POINTS[0]}\n\nPriya`);
    assert.deepEqual(message.drafting, {
      outcome: 'template',
      reason: 'no model configured',
      template: path.join(path.dirname(config.campaigns.spring!.templates as string), 'words', 'first_touch.md'),
      campaign: 'spring',
      inputs: { prospectId: 'w-1', step: 'Hello', fields: [] },
    });
  });

  test('each step takes the next talking point, and a follow-up threads under the first subject', async () => {
    const message = await composer.compose(input({ campaign: 'spring', step: NUDGE, stepIndex: 1, previousSubjects: ['Buyer Co renewals'] }));
    assert.equal(message.subject, 'Re: Buyer Co renewals');
    assert.match(message.body, new RegExp(POINTS[1]!.replace(/\./g, '\\.')));
    assert.match(message.body, /As VP Revenue Operations, would this help\?/);
  });

  test('a conversation without a campaign is written from the shipped templates, with no pitch of Handoff’s', async () => {
    const message = await composer.compose(input());
    assert.equal(message.subject, 'Acme Sync for Buyer Co');
    assert.match(message.body, /^Dear Jordan,\n\nI'm reaching out to you at Buyer Co about Acme Sync\.\n\nWould a short conversation be useful\?\n\nPriya$/);
    assert.doesNotMatch(message.body, /durable|workflow|queue|handoff/i);
    assert.equal(message.drafting?.campaign, null);
  });

  test('a campaign on the shipped templates says its own talking point', async () => {
    const message = await composer.compose(input({ campaign: 'plain' }));
    assert.ok(message.body.includes(POINTS[0]!));
  });

  test('a required variable without a value fails the activity for good, naming the variable', async () => {
    const activities = createOutreachActivities({ composer, campaigns: () => config.campaigns } as unknown as OutreachDeps);
    const noTitle = prospect('w-2', { title: undefined });
    await assert.rejects(
      quiet().run(activities.composeMessage, input({ prospect: noTitle, research: researchProspect(noTitle), campaign: 'spring', step: NUDGE, stepIndex: 1 })),
      (err: Error & { type?: string; nonRetryable?: boolean; details?: unknown[] }) =>
        err.type === 'TemplateValueMissing' && err.nonRetryable === true && /\{\{prospect\.title\}\} has no value/.test(err.message) && (err.details?.[0] as { variable?: string }).variable === 'prospect.title',
    );
  });

  test('the first step is researched and composed in one activity, the message written from that research', async () => {
    const activities = createOutreachActivities({ composer, campaigns: () => config.campaigns } as unknown as OutreachDeps);
    const { research: _research, ...composing } = input({ campaign: 'plain' });
    const researched: ResearchedMessage = await quiet().run(activities.researchAndCompose, composing);
    assert.deepEqual(researched.research, await researchWithModel(composing.prospect, null));
    assert.deepEqual(researched.message, await composer.compose({ ...composing, research: researched.research }));
  });

  test('the first step is researched, composed and sent in one activity, with the referrer named, and template words need no checkpoint', async () => {
    const { activities, sent } = sendingActivities(composer);
    const env = quiet();
    const checkpoints: unknown[] = [];
    env.on('heartbeat', (details: unknown) => checkpoints.push(details));
    const step = firstStep('w-5', 'plain');
    const done: FirstStepOutcome = await env.run(activities.sendFirstStep, step);
    assert.deepEqual(done.research, await researchWithModel(step.composing.prospect, null));
    const template = await composer.compose({ ...step.composing, research: done.research });
    assert.equal(done.message.subject, template.subject);
    assert.ok(done.message.body.includes(referralOpening({ name: 'Sam Rivera' })));
    assert.equal(done.receipt.duplicate, false);
    assert.deepEqual((await sent()).map((m) => [m.idempotencyKey, m.subject, m.body]), [[step.send.idempotencyKey, done.message.subject, done.message.body]]);
    assert.deepEqual(checkpoints, []);
  });

  test('a campaign no longer configured fails the activity for good, naming it', async () => {
    const activities = createOutreachActivities({ composer } as unknown as OutreachDeps);
    await assert.rejects(quiet().run(activities.composeMessage, input({ campaign: 'autumn' })), (err: Error & { type?: string; nonRetryable?: boolean }) => err.type === 'UnknownCampaign' && err.nonRetryable === true && /"autumn"/.test(err.message));
  });
});

describe('a later step composed and sent in one activity', () => {
  test('a template-written step goes out in the same activity that writes it, once however often it is retried', async () => {
    const { activities, sent } = sendingActivities(new CampaignComposer({ campaigns: () => config.campaigns }));
    const step = laterStep('w-7', 'spring');
    const done: StepOutcome = await quiet().run(activities.composeAndSendStep, step);
    assert.equal(done.message.subject, 'Re: Buyer Co renewals');
    assert.equal(done.receipt?.duplicate, false);
    const again: StepOutcome = await new MockActivityEnvironment({ attempt: 2 }, { logger: new DefaultLogger('ERROR', () => undefined) }).run(activities.composeAndSendStep, step);
    assert.deepEqual(again.message, done.message);
    assert.equal(again.receipt?.duplicate, true);
    assert.deepEqual((await sent()).map((m) => [m.subject, m.body]), [[done.message.subject, done.message.body]], 'the step went out once');
  });
});

describe('drafting through the model, against a chat-completions endpoint on loopback', () => {
  let server: ModelServer;
  let model: (timeoutMs?: number) => ChatCompletionsClient;
  before(async () => {
    server = await startModelServer();
    model = (timeoutMs = 2000) => new ChatCompletionsClient({ url: server.baseUrl, model: 'draft-model', apiKey: 'sk-draft', timeoutMs });
  });
  after(() => server.close());
  const composerWith = (timeoutMs?: number) => new CampaignComposer({ campaigns: () => config.campaigns, model: model(timeoutMs) });

  test('the model’s draft is sent, and the record names the prompt’s fields, never their values', async () => {
    server.requests.length = 0;
    server.reply = answer(JSON.stringify({ subject: 'Renewals at Buyer Co', body: 'Dear Jordan,\n\nA short note from the model.\n\nPriya' }));
    const message = await composerWith().compose(input({ campaign: 'spring' }));
    assert.equal(message.subject, 'Renewals at Buyer Co');
    assert.equal(message.body, 'Dear Jordan,\n\nA short note from the model.\n\nPriya');
    assert.equal(message.drafting?.outcome, 'model');
    assert.equal(message.drafting?.model, 'draft-model');
    assert.equal(message.drafting?.reason, undefined);
    assert.deepEqual(message.drafting?.inputs.fields, [
      'prospect.firstName', 'prospect.title', 'prospect.company', 'prospect.industry', 'voice.tone', 'voice.senderName', 'voice.product',
      'campaign.valueProposition', 'campaign.talkingPoints', 'step.kind', 'step.number', 'draft',
    ]);
    assert.doesNotMatch(JSON.stringify(message.drafting), /Jordan|renewal moving|model\./);
    const [request] = server.requests;
    assert.equal(request?.auth, 'Bearer sk-draft');
    const prompt = JSON.parse(request?.body.messages?.at(-1)?.content ?? '{}') as { facts: Record<string, unknown>; draft: { subject: string; body: string } };
    assert.deepEqual(prompt.facts['campaign.talkingPoints'], POINTS);
    assert.equal(prompt.draft.subject, 'Buyer Co renewals');
    assert.match(request?.body.messages?.[0]?.content ?? '', /campaign's voice/);
  });

  test('a model that does not answer in time leaves the template’s words, and says so', async () => {
    server.reply = silence;
    const message = await composerWith(100).compose(input({ campaign: 'spring' }));
    assert.equal(message.subject, 'Buyer Co renewals');
    assert.ok(message.body.includes(POINTS[0]!));
    assert.deepEqual([message.drafting?.outcome, message.drafting?.reason], ['template', 'timed out after 100 ms']);
  });

  test('a garbage answer leaves the template’s words, and says so', async () => {
    server.reply = answer('Sure! Here is a great email: Dear Jordan…');
    const message = await composerWith().compose(input({ campaign: 'spring' }));
    assert.equal(message.subject, 'Buyer Co renewals');
    assert.deepEqual([message.drafting?.outcome, message.drafting?.reason], ['template', 'answer is not JSON']);
  });

  test('an empty body, a leftover placeholder or an HTTP error leaves the template’s words', async () => {
    for (const [reply, reason] of [
      [answer('{"subject": "Hi", "body": "  "}'), /answer is invalid: .*body is empty/s],
      [answer('{"subject": "Hi", "body": "Dear {{prospect.firstName}}"}'), /placeholder/],
      [serverError, /^HTTP 500$/],
    ] as const) {
      server.reply = reply;
      const message = await composerWith().compose(input({ campaign: 'spring' }));
      assert.equal(message.drafting?.outcome, 'template');
      assert.match(message.drafting?.reason ?? '', reason);
      assert.equal(message.subject, 'Buyer Co renewals');
    }
  });

  test('the first step’s words from the model are checkpointed before the send, and a retry sends those words without asking again', async () => {
    server.reply = answer(JSON.stringify({ subject: 'Renewals at Buyer Co', body: 'Dear Jordan,\n\nThe first words.\n\nPriya' }));
    const { activities, sent } = sendingActivities(composerWith(), model());
    const first = quiet();
    const checkpoints: unknown[] = [];
    first.on('heartbeat', (details: unknown) => checkpoints.push(details));
    const step = firstStep('w-6', 'spring');
    const done: FirstStepOutcome = await first.run(activities.sendFirstStep, step);
    assert.equal(done.message.body, `Dear Jordan,\n\n${referralOpening({ name: 'Sam Rivera' })} The first words.\n\nPriya`);
    assert.deepEqual(checkpoints, [{ research: done.research, message: done.message }]);

    server.reply = answer(JSON.stringify({ subject: 'Another subject', body: 'Dear Jordan,\n\nOther words.\n\nPriya' }));
    const asked = server.requests.length;
    const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: checkpoints[0] }, { logger: new DefaultLogger('ERROR', () => undefined) });
    const again: FirstStepOutcome = await retry.run(activities.sendFirstStep, step);
    assert.deepEqual(again.message, done.message);
    assert.equal(again.receipt.duplicate, true);
    assert.equal(server.requests.length, asked, 'the model was not asked again');
    assert.deepEqual((await sent()).map((m) => m.body), [done.message.body], 'the words went out once');
  });

  test('a later step the model drafts comes back unsent, so the conversation reads any reply that came in meanwhile first', async () => {
    server.reply = answer(JSON.stringify({ subject: 'Re: Buyer Co renewals', body: 'Dear Jordan,\n\nA nudge from the model.\n\nPriya' }));
    const { activities, sent } = sendingActivities(composerWith(), model());
    const done: StepOutcome = await quiet().run(activities.composeAndSendStep, laterStep('w-8', 'spring'));
    assert.equal(done.message.body, 'Dear Jordan,\n\nA nudge from the model.\n\nPriya');
    assert.equal(done.receipt, undefined);
    assert.deepEqual(await sent(), [], 'nothing was sent');
  });

  test('research adds the model’s summary of the profile, and falls back to the record alone on failure', async () => {
    server.reply = answer('{"summary": "Runs revenue operations at a mid-sized software company."}');
    const found = await researchWithModel(prospect('w-3'), model());
    assert.equal(found.summary, 'Runs revenue operations at a mid-sized software company.');
    assert.equal(found.department, 'revenue_operations');
    assert.deepEqual(found.drafting, {
      outcome: 'model',
      model: 'draft-model',
      campaign: null,
      inputs: { prospectId: 'w-3', fields: ['prospect.name', 'prospect.company', 'prospect.emailDomain', 'prospect.title', 'prospect.profile.employees', 'prospect.profile.industry'] },
    });
    server.reply = answer('{"summary": ""}');
    const fallen = await researchWithModel(prospect('w-4'), model());
    assert.equal(fallen.summary, undefined);
    assert.equal(fallen.drafting?.outcome, 'template');
    assert.match(fallen.drafting?.reason ?? '', /summary is empty/);
  });
});

describe('the suggested reply for the rep', () => {
  const thread: ThreadMessage[] = [
    { messageId: '<m1@x>', author: 'automation', channel: 'email', subject: 'Buyer Co renewals', text: `Dear Jordan,\n\nAcme Sync keeps every renewal moving. ${POINTS[1]}\n\nPriya`, at: '2026-03-02T09:00:00.000Z', step: 0 },
    { messageId: '<r1@buyer>', author: 'prospect', channel: 'email', text: 'How does this work with our CRM?\n\n> Dear Jordan,', at: '2026-03-02T10:00:00.000Z' },
  ];
  const spring = campaignWords(config.campaigns, 'spring');

  test('from the template, it answers the latest reply and picks up the talking point already made', async () => {
    const reply = await suggestReply(thread, spring, prospect('w-5'), { voice: VOICE });
    assert.equal(reply.subject, 'Re: Buyer Co renewals');
    assert.equal(reply.body, `Dear Jordan,\n\nOn "How does this work with our CRM?": ${POINTS[1]}\n\nPriya`);
    assert.deepEqual([reply.drafting.outcome, reply.drafting.reason, reply.drafting.campaign], ['template', 'no model configured', 'spring']);
    assert.deepEqual(reply.drafting.inputs.messageIds, ['<m1@x>', '<r1@buyer>']);
  });

  test('without a campaign, the shipped reply template is in the default voice', async () => {
    const reply = await suggestReply(thread, campaignWords(config.campaigns, undefined), prospect('w-6'));
    assert.equal(reply.subject, 'Re: Buyer Co renewals');
    assert.match(reply.body, /^Hi Jordan,\n\nThanks for your reply\./);
  });

  describe('with a model', () => {
    let server: ModelServer;
    before(async () => {
      server = await startModelServer();
    });
    after(() => server.close());
    const model = () => new ChatCompletionsClient({ url: server.baseUrl, model: 'reply-model', timeoutMs: 2000 });

    test('the model reads the thread and writes the reply; the record names the messages by id', async () => {
      server.requests.length = 0;
      server.reply = answer('{"subject": "Re: Buyer Co renewals", "body": "Dear Jordan, it syncs both ways with your CRM. Priya"}');
      const reply = await suggestReply(thread, spring, prospect('w-7'), { voice: VOICE, model: model() });
      assert.equal(reply.body, 'Dear Jordan, it syncs both ways with your CRM. Priya');
      assert.equal(reply.drafting.outcome, 'model');
      assert.ok(reply.drafting.inputs.fields.includes('thread'));
      const prompt = JSON.parse(server.requests[0]?.body.messages?.at(-1)?.content ?? '{}') as { thread: Array<{ author: string; text: string }> };
      assert.deepEqual(prompt.thread.map((m) => m.author), ['automation', 'prospect']);
    });

    test('a garbage answer leaves the template’s reply, and says so; the activity does the same', async () => {
      server.reply = answer('not json at all');
      const activities = createOutreachActivities({ campaigns: () => config.campaigns, model: model() } as unknown as OutreachDeps);
      const reply = (await quiet().run(activities.suggestReply, { thread, campaign: 'spring', prospect: prospect('w-8'), voice: VOICE })) as SuggestedReply;
      assert.equal(reply.body, `Dear Jordan,\n\nOn "How does this work with our CRM?": ${POINTS[1]}\n\nPriya`);
      assert.deepEqual([reply.drafting.outcome, reply.drafting.reason], ['template', 'answer is not JSON']);
    });
  });
});
