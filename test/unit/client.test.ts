import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { ZodError } from 'zod';
import * as handoff from 'handoff/client';
import { prospect } from '../helpers/prospect';

/** A Temporal client that records what it is asked to do. */
function recordingClient() {
  const calls: { kind: string; name: string; options: Record<string, unknown> }[] = [];
  const client = {
    workflow: {
      start: async (name: string, options: Record<string, unknown>) => (calls.push({ kind: 'start', name, options }), {}),
      signalWithStart: async (name: string, options: Record<string, unknown>) => (calls.push({ kind: 'signalWithStart', name, options }), {}),
      getHandle: (id: string) => ({ signal: async (signal: { name: string }, input: unknown) => void calls.push({ kind: 'signal', name: signal.name, options: { id, input } }) }),
    },
  } as unknown as Client;
  return { client, calls };
}

describe('handoff/client, the entry point for outreach tools on the TypeScript SDK', () => {
  test('it is importable by its package name and exports the definitions and the helpers', () => {
    assert.equal(handoff.conversationWorkflowId('42'), 'prospect-42');
    assert.equal(handoff.replySignal.name, 'reply');
    assert.equal(handoff.CONVERSATION_WORKFLOW, 'conversationWorkflow');
    assert.equal(typeof handoff.sendReply, 'function');
  });

  test('a start sends only the prospect and campaign, on the Handoff task queue, under the prospect workflow id', async () => {
    const { client, calls } = recordingClient();
    await handoff.startConversation(client, { prospect: prospect('42'), campaign: 'spring' });
    assert.equal(calls[0]?.name, 'conversationWorkflow');
    assert.equal(calls[0]?.options.workflowId, 'prospect-42');
    assert.equal(calls[0]?.options.taskQueue, 'handoff');
    assert.deepEqual(Object.keys((calls[0]?.options.args as Record<string, unknown>[])[0]!), ['prospect', 'campaign']);
  });

  test('a reply with a start is one signal-with-start; an invalid reply is refused before anything is sent, naming the field', async () => {
    const { client, calls } = recordingClient();
    const reply = { messageId: 'm-1', channel: 'email' as const, text: 'Pricing?', receivedAt: '2026-03-02T10:00:00Z' };
    await handoff.sendReply(client, '42', reply, { start: { prospect: prospect('42') } });
    assert.equal(calls[0]?.kind, 'signalWithStart');
    await assert.rejects(handoff.sendReply(client, '42', { ...reply, receivedAt: 'yesterday' }), (err: unknown) => err instanceof ZodError && err.issues[0]?.path[0] === 'receivedAt');
    assert.equal(calls.length, 1);
  });
});
