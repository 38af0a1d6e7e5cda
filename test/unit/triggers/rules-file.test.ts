import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import { DEFAULT_RULES_FILE, RulesFileError, classifyReply, loadRuleSet, parseRuleSet } from '../../../src/triggers';

const settings = { negation: { cues: { en: ['not', 'no', "don't"] } } };

function rulesText(rules: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ settings, rules, ...extra });
}

const goodRule = {
  id: 'pricing.test.price',
  label: 'pricing',
  lang: 'en',
  description: 'asks about price',
  patterns: ['price'],
};

function rejects(source: string, expected: { ruleId?: string; ruleIndex?: number; field?: string; message: RegExp }): void {
  assert.throws(
    () => parseRuleSet(source, 'test.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof RulesFileError, 'a RulesFileError');
      assert.equal(err.ruleId, expected.ruleId);
      assert.equal(err.ruleIndex, expected.ruleIndex);
      assert.equal(err.field, expected.field);
      assert.match(err.message, expected.message);
      assert.match(err.message, /test\.yaml/u);
      return true;
    },
  );
}

describe('parseRuleSet', () => {
  test('the shipped default rules file is valid and has a content version', () => {
    const rules = loadRuleSet();
    assert.match(rules.version, /^sha256:[0-9a-f]{12}$/u);
    assert.ok(rules.rules.length > 30);
    assert.equal(loadRuleSet(), rules, 'the default rule set is cached');
    const labels = new Set(rules.rules.map((r) => r.label));
    for (const label of ['human_request', 'buying_intent', 'pricing', 'technical', 'opt_out', 'out_of_office', 'not_now', 'referral']) {
      assert.ok(labels.has(label as never), `a rule for ${label}`);
    }
  });

  test('the default rules cover the four triggers, opt-out and out-of-office in every language', () => {
    const rules = loadRuleSet();
    for (const lang of ['en', 'de', 'fr', 'es', 'pt', 'nl']) {
      for (const label of ['human_request', 'buying_intent', 'pricing', 'technical', 'opt_out', 'out_of_office']) {
        assert.ok(
          rules.rules.some((r) => r.lang === lang && r.label === label),
          `${label} in ${lang}`,
        );
      }
    }
  });

  test('a rule missing its patterns is rejected naming the rule and the field', () => {
    const { patterns: _patterns, ...noPatterns } = goodRule;
    rejects(rulesText([goodRule, { ...noPatterns, id: 'pricing.test.broken' }]), {
      ruleId: 'pricing.test.broken',
      ruleIndex: 1,
      field: 'patterns',
      message: /rule "pricing\.test\.broken" \(#1\), field "patterns"/u,
    });
  });

  test('an unknown label is rejected naming the rule and the field', () => {
    rejects(rulesText([{ ...goodRule, label: 'pricng' }]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 0,
      field: 'label',
      message: /field "label"/u,
    });
  });

  test('a misspelt field name is rejected naming it', () => {
    rejects(rulesText([{ ...goodRule, paterns: ['x'] }]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 0,
      field: 'paterns',
      message: /field "paterns"/u,
    });
  });

  test('a rule without an id is named by its index', () => {
    const { id: _id, ...noId } = goodRule;
    rejects(rulesText([noId]), { ruleIndex: 0, field: 'id', ruleId: undefined, message: /rule #0, field "id"/u });
  });

  test('a regular expression that does not compile is rejected naming the pattern', () => {
    rejects(rulesText([{ ...goodRule, patterns: ['price', 'cost(s'] }]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 0,
      field: 'patterns[1]',
      message: /invalid pattern/u,
    });
  });

  test('a pattern that matches the empty string is rejected', () => {
    rejects(rulesText([{ ...goodRule, unless: ['(?:later)?'] }]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 0,
      field: 'unless[0]',
      message: /empty string/u,
    });
  });

  test('an unknown term is rejected naming the pattern', () => {
    rejects(rulesText([{ ...goodRule, patterns: ['{{money}}'] }]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 0,
      field: 'patterns[0]',
      message: /unknown term \{\{money\}\}/u,
    });
  });

  test('duplicate rule ids are rejected', () => {
    rejects(rulesText([goodRule, goodRule]), {
      ruleId: 'pricing.test.price',
      ruleIndex: 1,
      field: 'id',
      message: /duplicate id \(also rule #0\)/u,
    });
  });

  test('a bad setting is rejected naming the field', () => {
    rejects(JSON.stringify({ settings: { ...settings, maxEvidencePerRule: 0 }, rules: [goodRule] }), {
      field: 'settings.maxEvidencePerRule',
      message: /field "settings\.maxEvidencePerRule"/u,
    });
  });

  test('an acknowledgement word that is not one lowercase word is rejected naming the language', () => {
    for (const word of ['Muchas gracias', 'Gracias']) {
      rejects(JSON.stringify({ settings: { ...settings, acknowledgementWords: { es: ['gracias', word] } }, rules: [goodRule] }), {
        field: 'settings.acknowledgementWords.es[1]',
        message: /one lowercase word/u,
      });
    }
  });

  test('a refusal’s word in the acknowledgement words is rejected: "No, thanks." stays a refusal', () => {
    rejects(JSON.stringify({ settings: { ...settings, acknowledgementWords: { en: ['thanks', 'no'] } }, rules: [goodRule] }), {
      field: 'settings.acknowledgementWords.en[1]',
      message: /negation cue/u,
    });
  });

  test('text that is not YAML is rejected', () => {
    assert.throws(() => parseRuleSet('rules: [unclosed', 'test.yaml'), RulesFileError);
  });

  test('the version is a hash of the content, not of the formatting', () => {
    const json = rulesText([goodRule]);
    const yaml = YAML.stringify(JSON.parse(json));
    assert.equal(parseRuleSet(json).version, parseRuleSet(`# a comment\n${yaml}`).version);
    assert.notEqual(parseRuleSet(json).version, parseRuleSet(rulesText([{ ...goodRule, patterns: ['prices?'] }])).version);
  });

  test('terms, unless and requires shape what a rule matches', () => {
    const rules = parseRuleSet(
      rulesText(
        [
          {
            id: 'pricing.test.money',
            label: 'pricing',
            description: 'money talk in a question',
            patterns: ['{{money}}'],
            unless: ['already pay'],
            requires: ['\\?'],
          },
        ],
        { terms: { money: 'price|cost' } },
      ),
    );
    assert.deepEqual(classifyReply('What is the price?', rules).labels, ['pricing']);
    assert.deepEqual(classifyReply('The price is fine.', rules).labels, ['none']);
    assert.deepEqual(classifyReply('We already pay that price?', rules).labels, ['none']);
  });

  test('an exclusion in the whole reply works beside one in the sentence, and a bad one is named by its field', () => {
    const away = {
      id: 'out_of_office.test.away',
      label: 'out_of_office',
      description: 'away',
      autoReply: true,
      patterns: ['out of office'],
      unless: ['\\?'],
      unlessInReply: ['can you'],
    };
    const price = { ...goodRule, id: 'pricing.test.any' };
    const rules = parseRuleSet(rulesText([away, price]));
    assert.deepEqual(classifyReply('Out of office until Monday. Prices are on our site.', rules).escalate, false);
    assert.deepEqual(classifyReply('Out of office until Monday. Can you send the price list then?', rules).labels, ['pricing']);
    assert.deepEqual(classifyReply('Out of office? The price, please.', rules).labels, ['pricing']);
    rejects(rulesText([{ ...away, unlessInReply: ['can (you'] }]), {
      ruleId: 'out_of_office.test.away',
      ruleIndex: 0,
      field: 'unlessInReply[0]',
      message: /invalid pattern/u,
    });
  });

  test('negation is configurable per rule', () => {
    const rule = { id: 'human.test', label: 'human_request', description: 'call me', patterns: ['call me'] };
    const negated = parseRuleSet(rulesText([{ ...rule, negation: 3 }]));
    const literal = parseRuleSet(rulesText([{ ...rule, negation: false }]));
    assert.deepEqual(classifyReply("Please don't call me.", negated).labels, ['none']);
    assert.deepEqual(classifyReply("Please don't call me.", literal).labels, ['human_request']);
    assert.deepEqual(classifyReply('No, but call me tomorrow.', negated).labels, ['human_request'], 'a comma ends the negation');
  });

  test('a user rules file on disk is loaded and a missing one fails clearly', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handoff-rules-'));
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(file, YAML.stringify({ settings, rules: [goodRule] }));
    const rules = loadRuleSet(file);
    assert.equal(rules.rules.length, 1);
    assert.equal(rules.origin, file);
    assert.throws(() => loadRuleSet(path.join(dir, 'missing.yaml')), /missing\.yaml: no such file/u);
  });

  test('the default rules file sits next to the module', () => {
    assert.ok(readFileSync(DEFAULT_RULES_FILE, 'utf8').includes('rules:'));
  });
});
