import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_RULES_FILE, UnsafePatternError, loadRuleSet, loadUserRuleSet } from '../../../src/triggers';
import { DATE_PATTERNS } from '../../../src/triggers/dates';
import { NEGATION_PATTERNS } from '../../../src/triggers/negation';
import { checkPattern, patternChecksRun } from '../../../src/triggers/redos';
import { patternSources } from '../../../src/triggers/rules';
import { STRIP_PATTERNS } from '../../../src/triggers/strip';

/** Checks each pattern with recheck and lists every one it does not find safe, with where it is and an attack. */
async function unsafe(patterns: ReadonlyArray<{ where: string; source: string; flags: string }>): Promise<string[]> {
  const found: string[] = [];
  for (const p of patterns) {
    const verdict = await checkPattern(p.source, p.flags);
    if (verdict.status !== 'safe') found.push(`${p.where}: ${verdict.status} (${verdict.complexity ?? ''}); attack: ${verdict.attack ?? 'none'}`);
  }
  return found;
}

const fixed = (group: string, patterns: Readonly<Record<string, RegExp>>) =>
  Object.entries(patterns).map(([name, re]) => ({ where: `${group}.${name}`, source: re.source, flags: re.flags.replace(/[gy]/gu, '') }));

describe('catastrophic backtracking (recheck)', () => {
  test('no pattern of the built-in rules file can backtrack catastrophically', async () => {
    const patterns = patternSources(loadRuleSet().file).map((p) => ({
      where: p.ruleId ? `rule ${p.ruleId} ${p.field}` : p.field,
      source: p.source,
      flags: p.flags,
    }));
    assert.ok(patterns.length > 200, `the built-in file's patterns are all checked (${patterns.length})`);
    assert.deepEqual(await unsafe(patterns), []);
  });

  test('no fixed pattern of the stripping passes, the date parser or the negation test can backtrack catastrophically', async () => {
    const patterns = [...fixed('strip', STRIP_PATTERNS), ...fixed('dates', DATE_PATTERNS), ...fixed('negation', NEGATION_PATTERNS)];
    assert.ok(patterns.length > 30);
    assert.deepEqual(await unsafe(patterns), []);
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
