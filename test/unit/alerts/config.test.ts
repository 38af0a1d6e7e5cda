import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlertsConfigSchema, alertsEnvOverrides, configuredChannelNames, createAlertChannels, durationMs, enabledChannelNames } from '../../../src/alerts/config';

describe('alert settings', () => {
  test('secrets and endpoints are read from the environment, empty variables counting as unset', () => {
    const overrides = alertsEnvOverrides({
      HANDOFF_SMTP_URL: 'smtp://mail.example.com:587',
      HANDOFF_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
      HANDOFF_CLAIM_SECRET: 'claim-secret-0123456789abcdef-0123456789',
      HANDOFF_SLACK_WEBHOOK_URL: '',
    });
    assert.deepEqual(overrides, {
      email: { smtpUrl: 'smtp://mail.example.com:587' },
      webhook: { secret: 'whsec-0123456789abcdef' },
      claimLinks: { secret: 'claim-secret-0123456789abcdef-0123456789' },
    });
  });

  test('only the outbox is on by default; each other channel turns on with its setting', () => {
    assert.deepEqual(enabledChannelNames(createAlertChannels(AlertsConfigSchema.parse({}), { dataDir: '/tmp/unused' })), ['outbox']);
    const all = AlertsConfigSchema.parse({
      slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' },
      email: { smtpUrl: 'smtp://127.0.0.1:2525' },
      webhook: { secret: 'whsec-0123456789abcdef' },
    });
    assert.deepEqual(enabledChannelNames(createAlertChannels(all, { dataDir: '/tmp/unused' })).sort(), ['email', 'outbox', 'slack', 'webhook']);
  });

  test('the channels the settings name without building them are the channels built', () => {
    const settings = [
      {},
      { slack: { enabled: true } },
      { email: { smtpUrl: 'smtp://127.0.0.1:2525' } },
      { webhook: { secret: 'whsec-0123456789abcdef' }, slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/X' } },
    ];
    for (const raw of settings) {
      const config = AlertsConfigSchema.parse(raw);
      assert.deepEqual(configuredChannelNames(config).sort(), enabledChannelNames(createAlertChannels(config, { dataDir: '/tmp/unused' })).sort(), JSON.stringify(raw));
    }
  });

  test('a claim link keeps working five minutes past its rung’s deadline unless told otherwise', () => {
    assert.equal(durationMs(AlertsConfigSchema.parse({}).claimLinks.grace), 5 * 60_000);
    assert.equal(durationMs(AlertsConfigSchema.parse({ claimLinks: { grace: '1 minute' } }).claimLinks.grace), 60_000);
  });

  test('a short webhook secret is refused, naming the field', () => {
    const result = AlertsConfigSchema.safeParse({ webhook: { secret: 'short' } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['webhook', 'secret']);
  });

  test('durations read as milliseconds', () => {
    assert.equal(durationMs('10s'), 10_000);
    assert.equal(durationMs('15 minutes'), 900_000);
    assert.equal(durationMs('24 hours'), 86_400_000);
    assert.equal(durationMs('250ms'), 250);
    assert.equal(durationMs('2 days'), 172_800_000);
  });
});
