// Minutes of training with no server, no port and no deadline: the test runner gives this file idle CPU time
// (scripts/run-tests.cjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_MODEL_FILE } from '../../../src/triggers/learned/reader';
import { trainReader } from '../../../src/triggers/learned/trainCommand';

test('the shipped model is exactly what training on the shipped corpus and rules gives (npm run train)', () => {
  const shipped = readFileSync(DEFAULT_MODEL_FILE, 'utf8');
  const retrained = `${JSON.stringify(trainReader().model, null, 1)}\n`;
  assert.equal(JSON.parse(retrained).version, JSON.parse(shipped).version, 'retrain with `npm run train` after changing the corpus, the rules or the trainer');
  assert.equal(retrained, shipped);
});
