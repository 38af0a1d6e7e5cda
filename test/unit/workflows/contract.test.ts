import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { contractSchemas } from '../../../workflows/contract';
import type * as Messages from '../../../workflows/messages';

const load = createRequire(__filename);
const MESSAGES = load.resolve('../../../workflows/messages');

/** Evaluates `workflows/messages.ts` again, as the worker's sandbox does for every conversation it runs. */
function evaluateMessagesAgain(): typeof Messages {
  delete load.cache[MESSAGES];
  return load(MESSAGES) as typeof Messages;
}

test("the contract's schemas are built once: every call hands out the same objects", () => {
  const first = contractSchemas();
  assert.equal(contractSchemas(), first);
  assert.equal(contractSchemas().ReplyInputSchema, first.ReplyInputSchema);
});

test('each evaluation of the messages module hands its conversation the shared schemas instead of building its own', () => {
  const once = evaluateMessagesAgain();
  const again = evaluateMessagesAgain();
  assert.notEqual(once, again, 'the module was evaluated twice');
  for (const name of Object.keys(contractSchemas()) as (keyof ReturnType<typeof contractSchemas>)[]) {
    assert.equal(again[name], once[name], `${name} is one object`);
    assert.equal(again[name], contractSchemas()[name], `${name} is the contract's`);
  }
});

test('the shared schemas validate as before: a reply without a message id is refused, naming the field', () => {
  const { ReplyInputSchema } = evaluateMessagesAgain();
  const result = ReplyInputSchema.safeParse({ text: 'What does it cost?' });
  assert.equal(result.success, false);
  assert.ok(result.error?.issues.some((issue) => issue.path.join('.') === 'messageId'));
});
