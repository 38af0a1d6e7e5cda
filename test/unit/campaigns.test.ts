import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createCampaignActivities } from '../../activities/campaign';
import { ConfigError, loadConfig } from '../../src/config';
import { UnknownCampaignError, conversationInput } from '../../src/conversations';
import { prospect } from '../helpers/prospect';

/** A config from a YAML file with a `spring` campaign. */
function configWithCampaign() {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-campaign-'));
  writeFileSync(
    path.join(dir, 'handoff.yaml'),
    [
      'campaigns:',
      '  spring:',
      '    cadence:',
      '      - { name: Hello, kind: first_touch, offset: 0 days, channel: email }',
      '      - { name: Nudge, kind: follow_up, offset: 2 days, channel: email }',
      '    voice: { senderName: Priya }',
      '    claimDeadlines: { pricing: 10 minutes }',
    ].join('\n'),
  );
  return loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir);
}

describe('campaigns', () => {
  test("a start naming a campaign runs with the campaign's cadence, voice and deadlines, and the defaults for the rest", () => {
    const config = configWithCampaign();
    const input = conversationInput(config, { prospect: prospect('c-1'), campaign: 'spring' });
    assert.deepEqual(input.cadence.map((s) => [s.name, s.offsetMs]), [['Hello', 0], ['Nudge', 2 * 86_400_000]]);
    assert.equal(input.voice.senderName, 'Priya');
    assert.equal(input.policy.claimDeadlineMs.pricing, 10 * 60_000);
    assert.equal(input.policy.claimDeadlineMs.human_request, 5 * 60_000);
  });

  test("the start's own cadence and deadlines win over the campaign's", () => {
    const input = conversationInput(configWithCampaign(), {
      prospect: prospect('c-2'),
      campaign: 'spring',
      cadence: [{ name: 'Only', kind: 'first_touch', offset: '0 days', channel: 'email' }],
      claimDeadlines: { pricing: '2 minutes' },
    });
    assert.deepEqual(input.cadence.map((s) => s.name), ['Only']);
    assert.equal(input.policy.claimDeadlineMs.pricing, 2 * 60_000);
  });

  test('a reply that needs a person becomes a task by default; a campaign, and a start, may answer it with an acknowledgement instead', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-campaign-'));
    writeFileSync(path.join(dir, 'handoff.yaml'), ['campaigns:', '  warm:', '    humanReply: acknowledge', '  plain: {}'].join('\n'));
    const config = loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir);
    assert.equal(conversationInput(config, { prospect: prospect('h-1') }).policy.humanReply, 'task');
    assert.equal(conversationInput(config, { prospect: prospect('h-2'), campaign: 'warm' }).policy.humanReply, 'acknowledge');
    assert.equal(conversationInput(config, { prospect: prospect('h-3'), campaign: 'warm', humanReply: 'task' }).policy.humanReply, 'task');
    assert.equal(conversationInput(config, { prospect: prospect('h-4'), campaign: 'plain' }).policy.humanReply, 'task');
  });

  test('a humanReply the config does not know stops start-up naming the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-campaign-'));
    writeFileSync(path.join(dir, 'handoff.yaml'), ['campaigns:', '  warm:', '    humanReply: ignore'].join('\n'));
    assert.throws(() => loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir), (err: unknown) => err instanceof ConfigError && /campaigns\.warm\.humanReply/.test((err as Error).message));
  });

  test('a campaign the config lacks is refused, naming it and the ones there are', () => {
    assert.throws(
      () => conversationInput(configWithCampaign(), { prospect: prospect('c-3'), campaign: 'autumn' }),
      (err: unknown) => err instanceof UnknownCampaignError && err.field === 'campaign' && /"autumn".*known: spring/.test(err.message),
    );
  });

  test('the campaign activity resolves a short start, and refuses a bad one for good, naming the field', async () => {
    const { resolveCampaign } = createCampaignActivities({ config: configWithCampaign });
    const input = await resolveCampaign({ prospect: prospect('c-4'), campaign: 'spring' });
    assert.equal(input.cadence[0]?.name, 'Hello');
    await assert.rejects(resolveCampaign({ prospect: { ...prospect('c-5'), email: 'not-an-address' } }), (err: Error & { type?: string; nonRetryable?: boolean }) => err.type === 'InvalidStart' && err.nonRetryable === true && err.message.startsWith('prospect.email'));
    await assert.rejects(resolveCampaign({ prospect: prospect('c-6'), campaign: 'autumn' }), (err: Error & { type?: string }) => err.type === 'UnknownCampaign');
  });

  test('an events URL without any secret to sign with stops start-up naming both settings', () => {
    assert.throws(() => loadConfig({ HANDOFF_EVENTS_URL: 'http://127.0.0.1:9/events' }, mkdtempSync(path.join(tmpdir(), 'handoff-cfg-'))), (err: unknown) => err instanceof ConfigError && /HANDOFF_EVENTS_URL.*HANDOFF_EVENTS_SECRET/.test((err as Error).message));
  });
});
