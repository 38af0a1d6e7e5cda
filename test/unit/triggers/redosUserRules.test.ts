import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_RULES_FILE, UnsafePatternError, loadUserRuleSet } from '../../../src/triggers';
import { patternChecksRun } from '../../../src/triggers/redos';

// Apart from the built-in patterns' checks (redos.test.ts), which run in idle CPU time: these go through the
// production path and its two-minute limit, so they run at the priority of the other unit files.
describe("catastrophic backtracking (recheck) in a user's rules file", () => {
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
