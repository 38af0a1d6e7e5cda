import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { classifyWithReaders } from '../../../src/triggers/readers';
import { eventually } from '../../helpers/eventually';
import { ReaderStore } from '../../../src/triggers/readerStore';
import { DEFAULT_RULES_FILE } from '../../../src/triggers/load';
import type { ReloadLog } from '../../../src/reloadingFile';

function recordingLog(): ReloadLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message, fields) => lines.push(`info ${message} ${JSON.stringify(fields)}`),
    error: (message, fields) => lines.push(`error ${message} ${JSON.stringify(fields)}`),
  };
}

/** Moves a file's mtime forward so a same-second rewrite is still seen as a change. */
function touch(file: string, seconds: number): void {
  const at = new Date(Date.now() + seconds * 1000);
  utimesSync(file, at, at);
}

const PRICING_ONLY = `
settings:
  negation: { cues: { en: ["not"] } }
rules:
  - id: pricing.cost
    label: pricing
    description: asks what it costs
    patterns: ["cost"]
`;

describe('the readers the worker follows', () => {
  test('a rules file is read, re-read when it changes, and a bad edit keeps the last good rules with the error named', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readers-'));
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(file, PRICING_ONLY);
    const log = recordingLog();
    const store = new ReaderStore({ rulesFile: file, model: 'off' }, { log });
    const first = await store.current();
    assert.equal(first.learned, null);
    assert.deepEqual(classifyWithReaders('what does it cost', first).labels, ['pricing']);

    writeFileSync(file, PRICING_ONLY.replace('["cost"]', '["price"]'));
    touch(file, 5);
    const second = await store.settled();
    assert.notEqual(second.rules.version, first.rules.version);
    assert.deepEqual(classifyWithReaders('what does it cost', second).labels, ['none']);

    writeFileSync(file, PRICING_ONLY.replace('label: pricing', 'label: discount'));
    touch(file, 10);
    const kept = await store.settled();
    assert.equal(kept.rules.version, second.rules.version);
    assert.ok(log.lines.some((l) => /error rules rejected; keeping the last good version/.test(l) && /label/.test(l)), log.lines.join('\n'));
    assert.ok(!log.lines.some((l) => l.includes('what does it cost')), 'logs carry no reply text');
  });

  test('a changed rules file is put in force once readied, and replies meanwhile are read with the rules before', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readers-'));
    const file = path.join(dir, 'rules.yaml');
    writeFileSync(file, PRICING_ONLY);
    let release: () => void = () => undefined;
    const readied: string[] = [];
    const store = new ReaderStore(
      { rulesFile: file, model: 'off' },
      {
        log: recordingLog(),
        prepare: (next) => {
          readied.push(next.rules.version);
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    );
    const first = await store.current();
    assert.deepEqual(readied, [], 'the version read at start is not readied by the store');

    writeFileSync(file, PRICING_ONLY.replace('["cost"]', '["price"]'));
    touch(file, 5);
    const whileReadying = store.settled();
    await eventually(async () => readied.length === 1, 'the new rules being readied', 10_000, 10);
    assert.notEqual(readied[0], first.rules.version);
    assert.equal((await store.current()).rules.version, first.rules.version, 'a reply meanwhile is read with the rules before');

    release();
    const second = await whileReadying;
    assert.equal(second.rules.version, readied[0]);
    assert.equal((await store.current()).rules.version, readied[0]);
    assert.deepEqual(classifyWithReaders('what is the price', second).labels, ['pricing']);
  });

  test('the learned reader is read from its file, and a broken model file at start is an error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'readers-'));
    const good = path.join(dir, 'model.json');
    copyFileSync(path.join(__dirname, '../../../src/triggers/learned/model.json'), good);
    const store = new ReaderStore({ model: good });
    const current = await store.current();
    assert.equal(current.learned?.version, JSON.parse(readFileSync(good, 'utf8')).version);
    assert.equal(current.rulesFile, DEFAULT_RULES_FILE);

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"format": "nope"}');
    await assert.rejects(new ReaderStore({ model: broken }).current(), /broken\.json: .*format/s);
  });
});
