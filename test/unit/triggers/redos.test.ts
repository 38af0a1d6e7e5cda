import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATE_PATTERNS } from '../../../src/triggers/dates';
import { NEGATION_PATTERNS } from '../../../src/triggers/negation';
import { STRIP_PATTERNS } from '../../../src/triggers/strip';
import { builtInRulePatterns, builtInRulePatternsHalf, unsafePatterns } from '../../helpers/redos';

const fixed = (group: string, patterns: Readonly<Record<string, RegExp>>) =>
  Object.entries(patterns).map(([name, re]) => ({ where: `${group}.${name}`, source: re.source, flags: re.flags.replace(/[gy]/gu, '') }));

describe('catastrophic backtracking (recheck)', () => {
  test('no pattern of the first half of the built-in rules file can backtrack catastrophically (the second half: redosRulesSecondHalf.test.ts)', async () => {
    const all = builtInRulePatterns();
    assert.ok(all.length > 200, `the built-in file's patterns are all checked (${all.length} distinct)`);
    assert.equal(builtInRulePatternsHalf(0).length + builtInRulePatternsHalf(1).length, all.length, 'the two halves cover every pattern');
    assert.deepEqual(await unsafePatterns(builtInRulePatternsHalf(0)), []);
  });

  test('no fixed pattern of the stripping passes, the date parser or the negation test can backtrack catastrophically', async () => {
    const patterns = [...fixed('strip', STRIP_PATTERNS), ...fixed('dates', DATE_PATTERNS), ...fixed('negation', NEGATION_PATTERNS)];
    assert.ok(patterns.length > 30);
    assert.deepEqual(await unsafePatterns(patterns), []);
  });
});
