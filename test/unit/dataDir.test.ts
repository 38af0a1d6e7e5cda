import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { claimSecret } from '../../src/activityDeps';
import { createOutboxChannel } from '../../src/alerts/outbox';
import { apiKeyNotice } from '../../src/api/keyNotice';
import { embeddedApiKey } from '../../src/api/auth';
import { loadConfig } from '../../src/config';
import { DATA_DIR_MODE, DATA_FILE_MODE, secureDataDir } from '../../src/dataDir';
import { openLedger } from '../../src/ledger/open';
import { IdempotentJournal } from '../../src/outreach/journal';
import { alert, rep } from './alerts/fixtures';

const root = mkdtempSync(path.join(os.tmpdir(), 'handoff-data-dir-'));
const modeOf = (p: string) => statSync(p).mode & 0o777;

describe('the data directory is private to the user who runs Handoff', () => {
  let umask: number;
  before(() => {
    // A permissive umask, as on many machines: what Handoff creates must be private regardless.
    umask = process.umask(0o022);
  });
  after(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  test('a new data directory is created 0700', () => {
    const dir = path.join(root, 'fresh', '.handoff');
    secureDataDir(dir);
    assert.equal(modeOf(dir), DATA_DIR_MODE);
  });

  test('an existing directory left readable is tightened on start: directories 0700, files 0600, links left alone', () => {
    const dir = path.join(root, 'old');
    const outside = path.join(root, 'outside.txt');
    mkdirSync(path.join(dir, 'nested'), { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'api-key'), 'hk_secret\n', { mode: 0o644 });
    writeFileSync(path.join(dir, 'nested', 'temporal-server.log'), 'log\n', { mode: 0o664 });
    writeFileSync(outside, 'not ours\n', { mode: 0o644 });
    symlinkSync(outside, path.join(dir, 'link'));
    const changed = secureDataDir(dir);
    assert.equal(modeOf(dir), DATA_DIR_MODE);
    assert.equal(modeOf(path.join(dir, 'nested')), DATA_DIR_MODE);
    assert.equal(modeOf(path.join(dir, 'api-key')), DATA_FILE_MODE);
    assert.equal(modeOf(path.join(dir, 'nested', 'temporal-server.log')), DATA_FILE_MODE);
    assert.equal(modeOf(outside), 0o644, 'a link is not followed');
    assert.equal(changed.length, 4);
    assert.deepEqual(secureDataDir(dir), [], 'a private directory is left as it is');
  });

  test('every file Handoff writes there is 0600 even under a permissive umask', async () => {
    const dir = path.join(root, 'written');
    const config = loadConfig({ HANDOFF_DATA_DIR: dir }, root);
    embeddedApiKey(dir);
    claimSecret(config);
    const ledger = await openLedger({ dataDir: dir });
    await ledger.close();
    await new IdempotentJournal<{ idempotencyKey: string }>(path.join(dir, 'sent.jsonl')).append({ idempotencyKey: 'k-1' });
    await createOutboxChannel({ dataDir: dir, log: () => {} }).deliver(alert(), rep('ana'));
    const files = readdirSync(dir);
    assert.deepEqual(files.sort(), ['api-key', 'claim-secret', 'ledger.sqlite', 'outbox.jsonl', 'sent.jsonl']);
    for (const file of files) assert.equal(modeOf(path.join(dir, file)), DATA_FILE_MODE, file);
    assert.equal(modeOf(dir), DATA_DIR_MODE);
  });
});

describe('the generated admin key at start-up', () => {
  const file = '/data/api-key';
  test('is printed on an interactive terminal outside a container', () => {
    assert.match(apiKeyNotice('hk_abc', file, { isTTY: true, inContainer: false }), /^hk_abc {2}\(admin; .*kept in \/data\/api-key\)$/);
  });

  test('is never printed where the output may be logged: piped output or a container; the line says where the file is', () => {
    for (const where of [{ isTTY: false, inContainer: false }, { isTTY: true, inContainer: true }, { isTTY: false, inContainer: true }]) {
      const line = apiKeyNotice('hk_abc', file, where);
      assert.doesNotMatch(line, /hk_abc/);
      assert.match(line, /^kept in \/data\/api-key /);
    }
  });
});
