import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readOutbox } from '../../src/alerts/outbox';
import type { ConversationState, HandoffPacket } from '../../workflows/messages';
import { HOSTILE_FAMILIES, REPLY_MAX_CHARS } from '../helpers/hostileReplies';
import { StackProcess } from '../helpers/stack';
import { eventually } from '../helpers/eventually';
import { prospect } from '../helpers/prospect';

/** How long a crafted reply may keep the stack busy before its effect shows. */
const HOSTILE_WAIT_MS = 120_000;

describe('hostile replies against the running stack (`handoff start`)', () => {
  let stack: StackProcess;
  let baseUrl: string;
  let key: string;
  const call = async (method: 'GET' | 'POST', route: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const start = (id: string) => call('POST', '/v1/conversations', { prospect: prospect(id) });
  const reply = (id: string, messageId: string, text: string) =>
    call('POST', `/v1/conversations/${id}/replies`, { messageId, channel: 'email', text, receivedAt: new Date().toISOString() });

  before(async () => {
    stack = await StackProcess.create();
    await stack.start();
    const dataDir = stack.env.HANDOFF_DATA_DIR as string;
    key = readFileSync(path.join(dataDir, 'api-key'), 'utf8').trim();
    baseUrl = `http://127.0.0.1:${stack.env.HANDOFF_API_PORT}`;
  });
  after(async () => {
    await stack?.stop();
  });

  test('100 KB crafted replies to one conversation leave the API answering and another conversation alerted; each ends classified', async () => {
    assert.equal((await start('hostile-1')).status, 201);
    assert.equal((await start('pricing-1')).status, 201);
    const families = HOSTILE_FAMILIES.slice(0, 5);

    const hostile = families.map((family, i) => reply('hostile-1', `h-${i}`, family.text(REPLY_MAX_CHARS)));
    const pricing = reply('pricing-1', 'p-1', 'What is the price per seat for 40 seats?');
    const health = fetch(`${baseUrl}/healthz`);
    const [sent, priced, healthy] = await Promise.all([Promise.all(hostile), pricing, health]);
    for (const answer of sent) assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(priced.status, 202);
    assert.equal(healthy.status, 200);

    const dataDir = stack.env.HANDOFF_DATA_DIR as string;
    const alert = await eventually(
      async () => (await readOutbox(dataDir)).find((e) => e.workflowId === 'prospect-pricing-1' && e.tier === 1),
      "the pricing conversation's tier-1 alert",
      HOSTILE_WAIT_MS,
    );
    assert.equal((alert.packet as HandoffPacket).reason, 'pricing');
    assert.equal((await fetch(`${baseUrl}/healthz`)).status, 200);

    const state = await eventually(async () => {
      const { body } = await call('GET', '/v1/conversations/hostile-1');
      const current = body.state as ConversationState;
      const replies = current.thread?.filter((m) => m.author === 'prospect') ?? [];
      return replies.length === families.length && replies.every((m) => m.labels !== undefined) ? current : undefined;
    }, 'every hostile reply classified', HOSTILE_WAIT_MS);
    for (const [i, family] of families.entries()) {
      const message = state.thread.find((m) => m.messageId === `h-${i}`)!;
      const escalatedForAHuman = message.labels!.length === 0 && state.escalations.some((e) => e.unclassified !== undefined);
      assert.ok(escalatedForAHuman || message.labels!.length > 0, `${family.name}: labelled, or escalated for a human to read`);
    }
  });

  test('Ctrl-C still stops the stack cleanly, its classification threads with it', async () => {
    assert.equal(await stack.stop(), 0, stack.output.slice(-4000));
    assert.match(stack.output, /Stopped\./);
  });
});
