import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_RULES_FILE, UnsafePatternError, loadUserRuleSet } from '../../../src/triggers';
import { DATE_PATTERNS } from '../../../src/triggers/dates';
import { NEGATION_PATTERNS } from '../../../src/triggers/negation';
import { patternChecksRun } from '../../../src/triggers/redos';
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

  test("a user's rules file with a pattern that backtracks catastrophically is refused, naming the rule, the field and an attack", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-redos-'));
    const file = path.join(dir, 'candidate.yaml');
    const source = readFileSync(DEFAULT_RULES_FILE, 'utf8').replace(
      "      - 'ai[- ]generated|auto[- ]generated (?:email|message)|chat ?gpt'",
      "      - 'ai[- ]generated|auto[- ]generated (?:email|message)|chat ?gpt'\n      - '(?:bot|robot)(?:\\s*\\w+)+\\?'",
    );
    writeFileSync(file, source);
    await assert.rejects(loadUserRuleSet(file), (err: unknown) => {
      assert.ok(err instanceof UnsafePatternError);
      assert.equal(err.ruleId, 'human_request.en.bot-question');
      assert.equal(err.field, 'patterns[8]');
      assert.ok(err.attack && err.attack.length > 0, 'an attack string is given');
      assert.match(err.message, /rule "human_request\.en\.bot-question" \(#0\), field "patterns\[8\]": pattern can backtrack catastrophically \((?:exponential|\d\w+ degree polynomial)(?: \(fuzz\))?\); an input that shows it: /u);
      return true;
    });
  });

  test("a user's rules file whose patterns are all safe loads; its new patterns are checked once, the built-in ones not at all", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-redos-'));
    const file = path.join(dir, 'candidate.yaml');
    writeFileSync(file, readFileSync(DEFAULT_RULES_FILE, 'utf8').replace(
      "      - 'ai[- ]generated|auto[- ]generated (?:email|message)|chat ?gpt'",
      "      - 'ai[- ]generated|auto[- ]generated (?:email|message)|chat ?gpt'\n      - 'written by (?:a )?robot'",
    ));
    const before = patternChecksRun();
    const rules = await loadUserRuleSet(file);
    assert.equal(rules.origin, file);
    assert.equal(patternChecksRun() - before, 1, 'only the pattern the built-in file lacks is checked');
    const again = await loadUserRuleSet(file);
    assert.equal(again.version, rules.version);
    assert.equal(patternChecksRun() - before, 1, 'loading it again asks recheck nothing');
  });
});
