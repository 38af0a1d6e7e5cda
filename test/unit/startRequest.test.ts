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
});
