import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { TurnBook } from '../../../activities/routing';

const PRICING = 'round-robin-sales-pricing';
const TECHNICAL = 'round-robin-sales-technical';

/**
 * A stand-in for the client side of the rotation workflows: each rotation key counts its turns as
 * `reserveTurnsUpdate` does (returns the first turn of the block, then advances by `count`). `answer` can make
 * the rotation refuse or never answer.
 */
function rotations(answer: 'turns' | 'refuse' | 'hang' = 'turns') {
  const turns = new Map<string, number>();
  const reservations: { key: string; count: number }[] = [];
  let signal: AbortSignal | undefined;
  const client = {
    async withAbortSignal<T>(s: AbortSignal, fn: () => Promise<T>): Promise<T> {
      signal = s;
      return fn();
    },
    workflow: {
      async executeUpdateWithStart(_update: unknown, options: { args: [{ count: number }]; startWorkflowOperation: { options: { workflowId: string } } }): Promise<number> {
        const key = options.startWorkflowOperation.options.workflowId;
        const { count } = options.args[0];
        reservations.push({ key, count });
        if (answer === 'refuse') throw new Error('too many outstanding updates');
        if (answer === 'hang') {
          const aborted = signal!;
          return new Promise((_resolve, reject) => aborted.addEventListener('abort', () => reject(aborted.reason as Error)));
        }
        const first = turns.get(key) ?? 0;
        turns.set(key, first + count);
        return first;
      },
    },
  };
  return { client: client as unknown as Client, reservations };
}

function book(client: Client, options: { blockSize?: number; timeoutMs?: number } = {}) {
  const lines: string[] = [];
  const turns = new TurnBook(client, 'handoff', { blockSize: options.blockSize ?? 4, timeoutMs: options.timeoutMs ?? 5000, log: (line) => lines.push(line) });
  return { turns, lines };
}

describe('round-robin turns in one worker process', () => {
  test('escalations take consecutive turns from a reserved block, and a new block is reserved only when one runs out', async () => {
    const { client, reservations } = rotations();
    const { turns } = book(client, { blockSize: 4 });
    const picked: number[] = [];
    for (let i = 0; i < 10; i++) picked.push(await turns.picker(`call-${i}`)(PRICING, 3));
    assert.deepEqual(picked, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
    assert.deepEqual(reservations, [
      { key: PRICING, count: 4 },
      { key: PRICING, count: 4 },
      { key: PRICING, count: 4 },
    ]);
  });

  test('escalations routed at the same moment share one reservation and each gets its own turn', async () => {
    const { client, reservations } = rotations();
    const { turns } = book(client, { blockSize: 4 });
    const picked = await Promise.all([0, 1, 2, 3].map((i) => turns.picker(`call-${i}`)(PRICING, 100)));
    assert.deepEqual([...picked].sort((a, b) => a - b), [0, 1, 2, 3]);
    assert.equal(reservations.length, 1);
  });

  test('a retried routing call gets the turn it already took, and the next call the next turn', async () => {
    const { client } = rotations();
    const { turns } = book(client);
    const first = await turns.picker('prospect-1\n2025-06-11T12:00:00.000Z\n1')(PRICING, 3);
    const retried = await turns.picker('prospect-1\n2025-06-11T12:00:00.000Z\n1')(PRICING, 3);
    const next = await turns.picker('prospect-2\n2025-06-11T12:00:00.000Z\n1')(PRICING, 3);
    assert.equal(retried, first);
    assert.equal(next, (first + 1) % 3);
  });

  // A book that did not cancel would wait on the reservation for ever: the timeout turns that into a failure.
  test('closing the book cancels a reservation in flight without logging it, and refuses new ones', { timeout: 10_000 }, async () => {
    const { client, reservations } = rotations('hang');
    const { turns, lines } = book(client, { timeoutMs: 600_000 });
    void turns.warm(async () => [PRICING]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reservations.length, 1, 'the reservation is in flight');
    await turns.close();
    await turns.warmed;
    assert.deepEqual(lines, []);
    await assert.rejects(turns.picker('after-close', { wait: false })(PRICING, 3), /would wait/);
    assert.equal(reservations.length, 1, 'nothing was reserved after the book closed');
  });

  test('each skill has its own rotation', async () => {
    const { client, reservations } = rotations();
    const { turns } = book(client);
    assert.equal(await turns.picker('call-1')(PRICING, 2), 0);
    assert.equal(await turns.picker('call-2')(TECHNICAL, 2), 0);
    assert.equal(await turns.picker('call-3')(PRICING, 2), 1);
    assert.deepEqual(
      reservations.map((r) => r.key),
      [PRICING, TECHNICAL],
    );
  });

  test('when the rotation refuses, the escalation is not held up: the turn is spread by call id, the same on a retry, and logged by rotation', async () => {
    const { client } = rotations('refuse');
    const { turns, lines } = book(client);
    const spread = await turns.picker('prospect-9\n2025-06-11T12:00:00.000Z\n1')(PRICING, 5);
    assert.ok(Number.isInteger(spread) && spread >= 0 && spread < 5, `turn ${spread} is one of 5 candidates`);
    assert.equal(await turns.picker('prospect-9\n2025-06-11T12:00:00.000Z\n1')(PRICING, 5), spread);
    assert.deepEqual(lines, [
      `routing: round-robin turn on ${PRICING} unavailable (too many outstanding updates); spreading by call id`,
      `routing: round-robin turn on ${PRICING} unavailable (too many outstanding updates); spreading by call id`,
    ]);
  });

  test('different calls spread over the candidates when the rotation refuses', async () => {
    const { client } = rotations('refuse');
    const { turns } = book(client);
    const picked = new Set<number>();
    for (let i = 0; i < 50; i++) picked.add(await turns.picker(`prospect-${i}\n2025-06-11T12:00:00.000Z\n1`)(PRICING, 3));
    assert.deepEqual([...picked].sort(), [0, 1, 2]);
  });

  test('when the rotation does not answer in time, the turn falls back to the spread and says it timed out', async () => {
    const { client } = rotations('hang');
    const { turns, lines } = book(client, { timeoutMs: 20 });
    const spread = await turns.picker('prospect-9\n2025-06-11T12:00:00.000Z\n1')(PRICING, 5);
    const { client: refusing } = rotations('refuse');
    assert.equal(spread, await book(refusing).turns.picker('prospect-9\n2025-06-11T12:00:00.000Z\n1')(PRICING, 5), 'the same spread as any other fallback');
    assert.deepEqual(lines, [`routing: round-robin turn on ${PRICING} unavailable (timed out); spreading by call id`]);
  });
});
