import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressesInOwnWords } from '../../../src/triggers/addresses';

describe('the addresses a prospect names in their own words', () => {
  test('an address in the prospect\'s sentence is found, lower-cased', () => {
    assert.deepEqual(addressesInOwnWords('Not me, please write to Dana.Reyes@Buyer.example instead.'), ['dana.reyes@buyer.example']);
  });
  test('addresses in their signature and in our quoted email are not', () => {
    const text = [
      'Try dana@buyer.example, she owns this.',
      '',
      'Best,',
      'Jordan',
      'jordan@buyer.example',
      '',
      'On Mon, 1 Dec 2026 at 10:00, Sam <sam@handoff.example> wrote:',
      '> Write to lee@handoff.example any time',
    ].join('\n');
    assert.deepEqual(addressesInOwnWords(text), ['dana@buyer.example']);
  });
  test('each address once, in the order written', () => {
    assert.deepEqual(addressesInOwnWords('Ask lee@buyer.example or dana@buyer.example (cc LEE@buyer.example).'), ['lee@buyer.example', 'dana@buyer.example']);
  });
  test('a reply with no address names none', () => {
    assert.deepEqual(addressesInOwnWords('Talk to someone in our ops team.'), []);
  });
});
