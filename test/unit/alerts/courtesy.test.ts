import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { composeHumanRequestAcknowledgement } from '../../../src/alerts/courtesy';

const COMMITMENT_WORDS =
  /\b(price|pricing|cost|discount|free|quote|guarantee\w*|promise\w*|commit\w*|contract|today|tomorrow|tonight|hours?|minutes?|asap|immediately|within|by end|integrat\w*|support\w*|compatib\w*|secure|complian\w*|feature\w*|api)\b/i;
const CURRENCY = /[$€£¥₹%]|\b(usd|eur|gbp)\b/i;

const tones = ['friendly', 'formal', 'direct'] as const;

describe('human request acknowledgement', () => {
  for (const tone of tones) {
    test(`in a ${tone} voice it says a person will follow up and carries no digits, currency or commitments`, () => {
      const message = composeHumanRequestAcknowledgement({ name: 'Dana Kim' }, { senderName: 'Sam Rivera', tone }, 'Ana');
      const whole = `${message.subject}\n${message.text}`;
      assert.doesNotMatch(whole, /\d/);
      assert.doesNotMatch(whole, CURRENCY);
      assert.doesNotMatch(whole, COMMITMENT_WORDS);
      assert.match(message.text, /follow up with you personally/);
      assert.match(message.text, /Ana/);
      assert.match(message.text, /Dana/);
      assert.doesNotMatch(message.text, /Kim/);
      assert.match(message.text, /Sam Rivera$/);
    });
  }

  test('without a known assignee it refers to a colleague', () => {
    const message = composeHumanRequestAcknowledgement({ name: 'Dana Kim' }, { senderName: 'Sam Rivera', tone: 'friendly' });
    assert.match(message.text, /passed your note to a colleague, who will follow up/);
  });

  test('names carrying digits or symbols are left out rather than repeated to the buyer', () => {
    const message = composeHumanRequestAcknowledgement({ name: 'R2D2 Unit' }, { senderName: 'Team 42 $ales', tone: 'friendly' }, 'Agent 7');
    const whole = `${message.subject}\n${message.text}`;
    assert.doesNotMatch(whole, /\d/);
    assert.doesNotMatch(whole, CURRENCY);
    assert.match(message.text, /^Hi there,/);
    assert.match(message.text, /The team$/);
    assert.match(message.text, /a colleague/);
  });

  test('with the rep’s meeting times and booking link, it offers them on the buyer’s clock, in every voice', () => {
    const meeting = {
      repId: 'ana',
      repName: 'Ana Diaz',
      timeZone: 'America/New_York',
      slots: [
        { startsAt: '2025-06-13T14:00:00.000Z', endsAt: '2025-06-13T14:30:00.000Z', label: 'Fri 13 Jun 10:00 GMT-4' },
        { startsAt: '2025-06-13T14:30:00.000Z', endsAt: '2025-06-13T15:00:00.000Z', label: 'Fri 13 Jun 10:30 GMT-4' },
      ],
      bookingUrl: 'https://cal.example.com/ana',
    };
    for (const tone of tones) {
      const message = composeHumanRequestAcknowledgement({ name: 'Dana Kim' }, { senderName: 'Sam Rivera', tone }, 'Ana', meeting);
      assert.match(message.text, /\(America\/New_York\):\n- Fri 13 Jun 10:00 GMT-4\n- Fri 13 Jun 10:30 GMT-4\n/);
      assert.match(message.text, /https:\/\/cal\.example\.com\/ana/);
      assert.match(message.text, /Sam Rivera$/);
    }
  });

  test('with a booking link and no free times, it offers the link alone', () => {
    const meeting = { repId: 'ana', repName: 'Ana Diaz', timeZone: 'Europe/Berlin', slots: [], bookingUrl: 'https://cal.example.com/ana' };
    const message = composeHumanRequestAcknowledgement({ name: 'Dana Kim' }, { senderName: 'Sam Rivera', tone: 'friendly' }, 'Ana', meeting);
    assert.match(message.text, /You can pick a time for a call here: https:\/\/cal\.example\.com\/ana/);
    assert.doesNotMatch(message.text, /^- /m);
  });
});
