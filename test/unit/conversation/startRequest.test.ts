import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../../src/config';
import { conversationInput, StartConversationSchema } from '../../../src/conversations';

const prospect = { id: 'p-1', name: 'Jordan Lee', email: 'jordan@buyer.example', company: 'Buyer Co' };

describe('a start request under the config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-start-'));
  const config = loadConfig({ HANDOFF_DATA_DIR: dir }, dir);

  test('the conversation keeps the configured re-alert cap and the request’s own off-hours policies', () => {
    const input = conversationInput(config, StartConversationSchema.parse({ prospect, offHours: { buying_intent: 'page' } }));
    assert.equal(input.policy.maxRealerts, 8);
    assert.deepEqual(input.policy.offHours, { buying_intent: 'page' });
  });

  test('without its own policies the conversation follows the roster’s', () => {
    const input = conversationInput(config, StartConversationSchema.parse({ prospect }));
    assert.equal(input.policy.offHours, undefined);
  });

  test('an unknown off-hours policy is refused, naming the field', () => {
    const parsed = StartConversationSchema.safeParse({ prospect, offHours: { pricing: 'whenever' } });
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues[0]?.path, ['offHours', 'pricing']);
  });
});
