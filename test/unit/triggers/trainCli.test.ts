import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { trainCommand } from '../../../src/cli/train';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import { parseLearnedReader } from '../../../src/triggers/learned/reader';
import { FIXTURE_EVENTS } from '../review/ledgerFixture';

const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-train-'));
const dataDir = path.join(dir, 'data');
const corpusDir = path.join(dir, 'corpus');

async function run(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await trainCommand(argv, { stdout, stderr, env: { HANDOFF_DATA_DIR: dataDir }, workDir: dir });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('handoff train', () => {
  before(async () => {
    const ledger = createSqliteLedger(path.join(dataDir, 'ledger.sqlite'));
    await ledger.migrate();
    await ledger.append(FIXTURE_EVENTS);
    await ledger.close();
    const examples = [
      ['what would it cost for our team', ['pricing']],
      ['please remove me from your list', ['opt_out']],
      ['can someone call me', ['human_request']],
      ['thanks, noted', ['none']],
    ] as const;
    const lines = Array.from({ length: 80 }, (_, i) => {
      const [text, labels] = examples[i % examples.length]!;
      return JSON.stringify({ id: `t${i}`, lang: 'en', labels, tags: [], text: `${text} ${i}` });
    });
    mkdirSync(corpusDir, { recursive: true });
    writeFileSync(path.join(corpusDir, 'tiny.jsonl'), `${lines.join('\n')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--from-ledger learns from reps’ judgements and writes a candidate to back-test, not the shipped model', async () => {
    const { code, stdout, stderr } = await run(['--from-ledger', '--corpus', 'corpus']);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /ledger: \d+ judged replies \(\d+ false escalations, 1 missed, \d+ confirmed\)/);
    const candidate = path.join(dataDir, 'reader-candidate.json');
    assert.ok(existsSync(candidate));
    const reader = parseLearnedReader(readFileSync(candidate, 'utf8'), candidate);
    assert.match(stdout, new RegExp(`wrote .*reader-candidate\\.json \\(${reader.version}\\); back-test it: handoff review --model`));
    assert.match(stdout, /both +escalation P/);
  });

  test('--out names where the model goes, and a usage error names the argument', async () => {
    const { code } = await run(['--corpus', 'corpus', '--out', 'model.json']);
    assert.equal(code, 0);
    assert.ok(existsSync(path.join(dir, 'model.json')));
    const bad = await run(['--frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown argument --frobnicate/);
  });
});
