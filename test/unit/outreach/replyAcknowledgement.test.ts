import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { composeReplyAcknowledgement } from '../../../src/outreach/replyAcknowledgement';

describe('the step that acknowledges a reply', () => {
  test('greets the prospect by first name and thanks them, in each tone, signed by the sender', () => {
    for (const tone of ['friendly', 'formal', 'direct'] as const) {
      const ack = composeReplyAcknowledgement({ name: 'Jordan Lee' }, { senderName: 'Priya', tone, product: 'Handoff' });
      assert.match(ack.text, /Jordan/, tone);
      assert.match(ack.text, /[Tt]hank/, tone);
      assert.match(ack.text, /Priya$/, tone);
      assert.ok(ack.subject.length > 0, tone);
    }
  });
  test('a name with digits or symbols is not repeated back', () => {
    const ack = composeReplyAcknowledgement({ name: 'j0rdan$ Lee' }, { senderName: 'Priya', tone: 'friendly', product: 'Handoff' });
    assert.match(ack.text, /^Hi there,/);
  });
});
