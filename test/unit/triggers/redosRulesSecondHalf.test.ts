import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtInRulePatternsHalf, unsafePatterns } from '../../helpers/redos';

describe('catastrophic backtracking (recheck), the built-in rules file’s second half', () => {
  test('no pattern of the second half of the built-in rules file can backtrack catastrophically (the first half: redos.test.ts)', async () => {
    const half = builtInRulePatternsHalf(1);
    assert.ok(half.length > 100, `half of the built-in file's patterns (${half.length})`);
    assert.deepEqual(await unsafePatterns(half), []);
  });
});
