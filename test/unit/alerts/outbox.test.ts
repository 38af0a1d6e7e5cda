import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOutboxChannel, readOutbox } from '../../../src/alerts/outbox';
import { alert, rep } from './fixtures';

describe('outbox channel', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'handoff-outbox-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('writes one JSON line per alert and logs one line with ids only', async () => {
    const dir = path.join(dataDir, 'lines');
    const logged: string[] = [];
    const outbox = createOutboxChannel({ dataDir: dir, log: (line) => logged.push(line) });
    const receipt = await outbox.deliver(alert(), rep('ana'));
    const entries = await readOutbox(dir);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.idempotencyKey, 'prospect-dana-42/1/2/ana/slack');
    assert.equal(entries[0]?.repId, 'ana');
    assert.equal(entries[0]?.claimUrl, 'https://handoff.example.com/claims/TOKEN');
    assert.equal(receipt.duplicate, undefined);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /key=prospect-dana-42\/1\/2\/ana\/slack workflow=prospect-dana-42 rep=ana tier=2/);
    assert.ok(!logged[0]!.includes('seats'));
  });

  test('a retried alert with the same key is not written twice, even when retried concurrently', async () => {
    const dir = path.join(dataDir, 'dedupe');
    const outbox = createOutboxChannel({ dataDir: dir, log: () => undefined });
    const receipts = await Promise.all([outbox.deliver(alert(), rep('ana')), outbox.deliver(alert(), rep('ana'))]);
    const again = await outbox.deliver(alert(), rep('ana'));
    assert.deepEqual(
      receipts.map((r) => r.duplicate ?? false),
      [false, true],
    );
    assert.equal(again.duplicate, true);
    assert.equal((await readOutbox(dir)).length, 1);
  });

  test('keys written before a worker restart are still recognised', async () => {
    const dir = path.join(dataDir, 'restart');
    await createOutboxChannel({ dataDir: dir, log: () => undefined }).deliver(alert(), rep('ana'));
    const restarted = createOutboxChannel({ dataDir: dir, log: () => undefined });
    const retried = await restarted.deliver(alert(), rep('ana'));
    const next = await restarted.deliver(alert({ idempotencyKey: 'prospect-dana-42/1/3/ana/outbox', tier: 3 }), rep('ana'));
    assert.equal(retried.duplicate, true);
    assert.equal(next.duplicate, undefined);
    assert.deepEqual(
      (await readOutbox(dir)).map((e) => e.tier),
      [2, 3],
    );
  });
});
