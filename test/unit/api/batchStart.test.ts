import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { startBatch } from '../../../src/api/batchStart';
import { apiLedger } from '../../../src/api/ledgerAccess';
import { loadConfig } from '../../../src/config';
import { fakeTemporal, ledgerSuppressing } from '../../helpers/fakeStarts';
import { prospect } from '../../helpers/prospect';

const config = loadConfig({}, '/nonexistent');

describe('starting a batch of conversations', () => {
  test('answers each item in order, never has more starts in flight than its bound, and starts each prospect once', async () => {
    const { client, seen } = fakeTemporal(new Set(['prospect-had-one']));
    const items = [
      ...Array.from({ length: 40 }, (_, i) => ({ prospect: prospect(`lead-${i}`) })),
      { prospect: prospect('had-one') },
      { prospect: prospect('opted-out', { email: 'gone@buyer.example' }) },
      { prospect: { ...prospect('bad'), timeZone: 'Mars/Olympus' } },
      'not an object',
    ];
    const answer = await startBatch({ client, config, ledger: apiLedger(ledgerSuppressing('gone@buyer.example'), { dataDir: '/nonexistent' }), concurrency: 4 }, items);
    assert.deepEqual(answer.results.map((r) => r.index), items.map((_, i) => i));
    assert.deepEqual(answer.counts, { created: 40, existing: 1, suppressed: 1, invalid: 2, refused: 0 });
    assert.deepEqual(answer.results[41], { index: 41, status: 'suppressed', prospectId: 'opted-out', suppression: { kind: 'email', source: 'opt_out' } });
    assert.deepEqual(answer.results[42]!.fields?.map((f) => f.field), ['prospect.timeZone']);
    assert.equal(answer.results[42]!.prospectId, 'bad');
    assert.deepEqual(answer.results[43], { index: 43, status: 'invalid', prospectId: null, fields: [{ field: '(item)', message: answer.results[43]!.fields![0]!.message }] });
    assert.ok(seen.most <= 4, `at most 4 in flight (saw ${seen.most})`);
    assert.ok(seen.most > 1, 'starts overlap');
    assert.equal(new Set(seen.started).size, 40);
  });

  test('stops at a failure of Temporal and rejects with it; what started stays started and a second send finds it existing', async () => {
    const running = new Set<string>();
    const { client } = fakeTemporal(running);
    const failing = {
      workflow: {
        ...client.workflow,
        start: async (workflow: unknown, options: { workflowId: string }) => {
          if (options.workflowId === 'prospect-lead-5') throw new Error('Temporal unavailable');
          return client.workflow.start(workflow as never, options as never);
        },
      },
    } as unknown as Client;
    const items = Array.from({ length: 10 }, (_, i) => ({ prospect: prospect(`lead-${i}`) }));
    await assert.rejects(startBatch({ client: failing, config, ledger: apiLedger(ledgerSuppressing(), { dataDir: '/nonexistent' }), concurrency: 2 }, items), /Temporal unavailable/);
    assert.ok(running.has('prospect-lead-0'));
    const again = await startBatch({ client, config, ledger: apiLedger(ledgerSuppressing(), { dataDir: '/nonexistent' }), concurrency: 2 }, items);
    assert.equal(again.counts.created + again.counts.existing, 10);
    assert.ok(again.counts.existing >= 1);
  });
});
