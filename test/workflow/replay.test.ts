import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { EncryptionCodec } from '../../src/temporal/codec';
import { workflowBundle } from '../helpers/conversation';

const dir = path.resolve(__dirname, '..', 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
// The worker's data converter, as in production: these histories were recorded in plaintext, and the codec passes
// payloads it did not encrypt through, so conversations started before encryption keep running.
const dataConverter = { payloadCodecs: [new EncryptionCodec([{ id: 'replay', key: randomBytes(32) }])] };

describe('recorded conversation histories replay on the current workflow code', () => {
  test('the committed histories are there to replay', () => {
    assert.ok(files.length >= 8, `found ${files.length} histories in test/histories`);
  });

  for (const file of files) {
    test(`${path.basename(file, '.json')} replays without nondeterminism`, async () => {
      const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter }, history, path.basename(file, '.json'));
    });
  }
});
