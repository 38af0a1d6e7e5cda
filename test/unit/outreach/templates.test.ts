import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { createCampaignActivities } from '../../../activities/campaign';
import type { Client } from '@temporalio/client';
import { buildActivityDeps } from '../../../src/activityDeps';
import { toApiError } from '../../../src/api/errors';
import { loadConfig } from '../../../src/config';
import { conversationInput } from '../../../src/conversations';
import { checkConfiguredTemplates, DEFAULT_TEMPLATES, templateFile } from '../../../src/outreach/campaignTemplates';
import { parseTemplate, readTemplate, renderTemplate, TemplateError, TemplateValueMissingError } from '../../../src/outreach/templates';
import { prospect } from '../../helpers/prospect';

const FIRST = ['---', 'subject: {{product}} for {{company}}', '---', '{{greeting}}', '', '{{talkingPoint}}', '', '{{sender.name}}'].join('\n');

/** A folder with the given template files, and a config file beside it with the given YAML lines. */
function campaignDir(files: Record<string, string>, yaml: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-templates-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  writeFileSync(path.join(dir, 'handoff.yaml'), yaml.join('\n'));
  return { dir, config: () => loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir) };
}

const SPRING = (templates: string) => [
  'campaigns:',
  '  spring:',
  `    templates: ${templates}`,
  '    talkingPoints: ["Your renewals land in one queue.", "Nothing is lost between shifts."]',
  '    valueProposition: keeps every renewal moving',
  '    cadence:',
  '      - { name: Hello, kind: first_touch, offset: 0 days }',
  '      - { name: Nudge, kind: follow_up, offset: 2 days }',
];

const WORDS = {
  'spring/first_touch.md': FIRST,
  'spring/follow_up.md': '{{greeting}}\n\nStill thinking of {{company}}: {{talkingPoint}}\n',
  'spring/reply.md': '{{greeting}}\n\nThanks, {{prospect.firstName}}.\n',
};

describe('message templates', () => {
  test('a template fills its variables and takes its subject from the front matter', () => {
    const template = parseTemplate(FIRST, 'first.md');
    const out = renderTemplate(template, { product: 'Acme Sync', company: 'Buyer Co', greeting: 'Hi Jordan,', talkingPoint: 'Renewals land in one queue.', 'sender.name': 'Priya' });
    assert.equal(out.subject, 'Acme Sync for Buyer Co');
    assert.equal(out.body, 'Hi Jordan,\n\nRenewals land in one queue.\n\nPriya');
  });

  test('an unknown variable is refused naming the file, the line and the variable', () => {
    assert.throws(
      () => parseTemplate('---\nsubject: Hello\n---\nHi {{prospect.firstName}},\n\n{{talking_point}}\n', 'spring/first_touch.md'),
      (err: unknown) => err instanceof TemplateError && err.file === 'spring/first_touch.md' && err.line === 6 && err.variable === 'talking_point' && /^spring\/first_touch\.md:6: unknown variable \{\{talking_point\}\}/.test(err.message),
    );
  });

  test('an unclosed placeholder and a front-matter key other than subject are refused naming the line', () => {
    assert.throws(() => parseTemplate('Hi {{greeting\n', 't.md'), (err: unknown) => err instanceof TemplateError && err.line === 1 && /never closed/.test(err.message));
    assert.throws(() => parseTemplate('---\nfrom: me\n---\nHi\n', 't.md'), (err: unknown) => err instanceof TemplateError && err.line === 2 && /only "subject/.test(err.message));
  });

  test('a required variable without a value is an error naming it, the file and the line', () => {
    const template = parseTemplate(FIRST, 'first.md');
    assert.throws(
      () => renderTemplate(template, { product: 'Acme', company: 'Buyer Co', greeting: 'Hi,', 'sender.name': 'Priya' }),
      (err: unknown) => err instanceof TemplateValueMissingError && err.variable === 'talkingPoint' && err.line === 6 && /first\.md:6: \{\{talkingPoint\}\} has no value.*talkingPoints/.test(err.message),
    );
  });

  test('a line whose optional variable has no value is left out, and the blank lines around it fold into one', () => {
    const template = parseTemplate('{{greeting}}\n\n{{talkingPoint?}}\n\nBye', 't.md');
    assert.equal(renderTemplate(template, { greeting: 'Hi,' }).body, 'Hi,\n\nBye');
    assert.equal(renderTemplate(template, { greeting: 'Hi,', talkingPoint: 'A point.' }).body, 'Hi,\n\nA point.\n\nBye');
  });

  test('a missing template file is an error naming the file', () => {
    const file = path.join(tmpdir(), 'handoff-no-such-template.md');
    assert.throws(() => readTemplate(file), (err: unknown) => err instanceof TemplateError && err.file === file && /not found/.test(err.message));
  });

  test('the shipped templates parse and say nothing of their own about a product', () => {
    for (const name of ['first_touch', 'follow_up', 'break_up', 'reply']) {
      const template = readTemplate(path.join(DEFAULT_TEMPLATES, `${name}.md`));
      const words = template.body.flatMap((line) => line.segments.flatMap((s) => ('text' in s ? [s.text] : []))).join(' ');
      assert.doesNotMatch(words, /handoff|durable|workflow|escalat|queue/i, `${name}.md carries no pitch of its own`);
    }
  });
});

describe("a campaign's templates", () => {
  test('a folder in the config is read relative to the config file, a step-named file winning over its kind', () => {
    const { dir, config } = campaignDir({ ...WORDS, 'spring/nudge.md': 'Just {{company}}.\n' }, SPRING('spring'));
    const spring = config().campaigns.spring!;
    assert.equal(spring.templates, path.join(dir, 'spring'));
    assert.equal(templateFile(spring.templates, { name: 'Hello', kind: 'first_touch' }), path.join(dir, 'spring', 'first_touch.md'));
    assert.equal(templateFile(spring.templates, { name: 'Nudge', kind: 'follow_up' }), path.join(dir, 'spring', 'nudge.md'));
    assert.equal(templateFile(spring.templates, 'reply'), path.join(dir, 'spring', 'reply.md'));
  });

  test('a map names files per step name or kind, relative to the config file', () => {
    const { dir, config } = campaignDir(WORDS, SPRING('{ Hello: spring/first_touch.md, follow_up: spring/follow_up.md, reply: spring/reply.md }'));
    const spring = config().campaigns.spring!;
    assert.equal(templateFile(spring.templates, { name: 'Hello', kind: 'first_touch' }), path.join(dir, 'spring', 'first_touch.md'));
    assert.equal(templateFile(spring.templates, { name: 'Later', kind: 'follow_up' }), path.join(dir, 'spring', 'follow_up.md'));
    assert.throws(() => templateFile(spring.templates, { name: 'Bye', kind: 'break_up' }, 'spring'), (err: unknown) => err instanceof TemplateError && /campaign spring: templates names no file for "Bye" or "break_up"/.test(err.message));
  });

  test('the worker refuses a config whose campaign folder lacks a template its cadence needs, naming the file', () => {
    const { dir, config } = campaignDir({ 'spring/first_touch.md': FIRST, 'spring/reply.md': 'Hi\n' }, SPRING('spring'));
    assert.throws(() => checkConfiguredTemplates(config()), (err: unknown) => err instanceof TemplateError && err.file === path.join(dir, 'spring', 'follow_up.md') && /not found/.test(err.message));
  });

  test('the worker refuses a campaign template with an unknown variable, naming the file, the line and the variable', async () => {
    const { dir, config } = campaignDir({ ...WORDS, 'spring/follow_up.md': 'Hi\n\n{{prospect.first_name}}\n' }, SPRING('spring'));
    await assert.rejects(
      buildActivityDeps(config(), {} as Client),
      (err: unknown) => err instanceof TemplateError && err.file === path.join(dir, 'spring', 'follow_up.md') && err.line === 3 && err.variable === 'prospect.first_name',
    );
  });

  test('a template that requires talking points is refused for a campaign that has none', () => {
    const yaml = SPRING('spring').filter((line) => !line.includes('talkingPoints'));
    const { config } = campaignDir(WORDS, yaml);
    assert.throws(() => checkConfiguredTemplates(config()), (err: unknown) => err instanceof TemplateError && err.variable === 'talkingPoint' && err.line === 6 && /campaign spring sets no talkingPoints/.test(err.message));
  });

  test("a template that requires the model's research summary is refused: the summary is there only when the model answers", () => {
    const { config } = campaignDir({ ...WORDS, 'spring/follow_up.md': 'Hi\n\n{{research.summary}}\n' }, SPRING('spring'));
    assert.throws(() => checkConfiguredTemplates(config()), (err: unknown) => err instanceof TemplateError && err.variable === 'research.summary' && err.line === 3 && /write \{\{research\.summary\?\}\}/.test(err.message));
  });

  test('a first touch without a subject is refused naming its file', () => {
    const { dir, config } = campaignDir({ ...WORDS, 'spring/first_touch.md': 'Hi {{company}}\n' }, SPRING('spring'));
    assert.throws(() => checkConfiguredTemplates(config()), (err: unknown) => err instanceof TemplateError && err.file === path.join(dir, 'spring', 'first_touch.md') && /needs a "subject:" line/.test(err.message));
  });

  test('the shipped set and a well-formed campaign pass the check the worker runs', () => {
    const { config } = campaignDir(WORDS, SPRING('spring'));
    assert.doesNotThrow(() => checkConfiguredTemplates(config()));
    assert.doesNotThrow(() => checkConfiguredTemplates(loadConfig({}, mkdtempSync(path.join(tmpdir(), 'handoff-defaults-')))));
  });

  test('the example configuration and its campaign templates pass the check the worker runs', () => {
    const examples = path.resolve(__dirname, '..', '..', '..', 'examples');
    const config = loadConfig({ HANDOFF_CONFIG: 'handoff.yaml', HANDOFF_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'handoff-example-')) }, examples);
    assert.equal(config.campaigns['spring-launch']?.templates, path.join(examples, 'campaigns', 'spring-launch'));
    assert.doesNotThrow(() => checkConfiguredTemplates(config));
  });

  test('a conversation started for a campaign whose template broke since start-up is refused, naming the variable (the API: 422)', async () => {
    const { dir, config } = campaignDir(WORDS, SPRING('spring'));
    const loaded = config();
    assert.equal(conversationInput(loaded, { prospect: prospect('t-1'), campaign: 'spring' }).campaign, 'spring');
    writeFileSync(path.join(dir, 'spring', 'reply.md'), 'Hi {{prospect.nickname}}\n');
    let refused: unknown;
    assert.throws(
      () => conversationInput(loaded, { prospect: prospect('t-2'), campaign: 'spring' }),
      (err: unknown) => {
        refused = err;
        return err instanceof TemplateError && err.variable === 'prospect.nickname' && err.line === 1;
      },
    );
    const answer = toApiError(refused, { id: 'req-1', log: { error: () => undefined } } as unknown as FastifyRequest);
    assert.deepEqual([answer.status, answer.code, answer.details], [422, 'invalid_campaign_templates', { file: path.join(dir, 'spring', 'reply.md'), line: 1, variable: 'prospect.nickname' }]);
    const { resolveCampaign } = createCampaignActivities({ config: () => loaded });
    await assert.rejects(
      resolveCampaign({ prospect: prospect('t-3'), campaign: 'spring' }),
      (err: Error & { type?: string; nonRetryable?: boolean }) => err.type === 'InvalidTemplates' && err.nonRetryable === true && /reply\.md:1: unknown variable \{\{prospect\.nickname\}\}/.test(err.message),
    );
  });

  test('talking points and the value proposition are validated as campaign fields', () => {
    const { dir } = campaignDir(WORDS, ['campaigns:', '  spring:', '    talkingPoints: []']);
    assert.throws(() => loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir), /campaigns\.spring\.talkingPoints/);
  });
});
