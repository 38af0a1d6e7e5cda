import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartConversationSchema } from '../../src/conversations';
import { prospect } from '../helpers/prospect';

const withEmail = (email: string) => StartConversationSchema.safeParse({ prospect: { ...prospect('start-1'), email } });

describe('a start request', () => {
  test('takes an address the suppression list can hold, tagged or not', () => {
    assert.equal(withEmail('dana@northwind.example').success, true);
    assert.equal(withEmail('Dana+Q3@Northwind.example').success, true);
  });

  test('refuses an address the suppression list could not hold, naming prospect.email, so an opt-out from it is never lost', () => {
    for (const email of [`${'a'.repeat(65)}@northwind.example`, 'dana@north-.example', `dana@${'n'.repeat(64)}.example`]) {
      const parsed = withEmail(email);
      assert.equal(parsed.success, false, email);
      assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['prospect.email'], email);
      assert.match(parsed.error?.issues[0]?.message ?? '', /suppression list can hold/);
    }
  });

  test('refuses a profile nested deeper than 32 levels, naming prospect.profile, and takes one as deep as that', () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 'deepest';
      for (let i = 0; i < levels; i++) value = i % 2 ? { inner: value } : [value];
      return value;
    };
    const parse = (levels: number) => StartConversationSchema.safeParse({ prospect: { ...prospect('start-2'), profile: { notes: nested(levels - 1) } } });
    assert.equal(parse(32).success, true);
    for (const levels of [33, 100_000]) {
      const parsed = parse(levels);
      assert.equal(parsed.success, false, String(levels));
      assert.deepEqual(parsed.error?.issues.map((i) => i.path.join('.')), ['prospect.profile']);
      assert.match(parsed.error?.issues[0]?.message ?? '', /at most 32 levels/);
    }
  });
});
