import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config';

const made: string[] = [];
const emptyDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-config-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the configuration', () => {
  test('runs the dev server on write-ahead logging and bounds the worker cache by default', () => {
    const config = loadConfig({}, emptyDir());
    assert.deepEqual(config.temporal.devServer.sqlitePragmas, ['journal_mode=wal', 'synchronous=normal']);
    assert.equal(config.worker.maxCachedWorkflows, 2000);
    assert.equal(config.worker.maxConcurrentActivityTaskExecutions, undefined);
  });

  test('takes worker limits and SQLite settings from the environment over the file', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'handoff.yaml'), 'worker:\n  maxCachedWorkflows: 50\n  maxConcurrentActivityTaskExecutions: 20\n');
    const config = loadConfig({ HANDOFF_WORKER_MAX_CACHED_WORKFLOWS: '300', HANDOFF_SQLITE_PRAGMAS: 'journal_mode=wal, synchronous=full' }, dir);
    assert.equal(config.worker.maxCachedWorkflows, 300);
    assert.equal(config.worker.maxConcurrentActivityTaskExecutions, 20);
    assert.deepEqual(config.temporal.devServer.sqlitePragmas, ['journal_mode=wal', 'synchronous=full']);
  });

  test('names the variable when a worker limit is not a number', () => {
    assert.throws(() => loadConfig({ HANDOFF_WORKER_ACTIVITIES: 'lots' }, emptyDir()), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /HANDOFF_WORKER_ACTIVITIES must be a whole number/);
      return true;
    });
  });

  test('classifies in two threads with a two-second limit per reply by default, and takes both from the environment', () => {
    const defaults = loadConfig({}, emptyDir());
    assert.equal(defaults.classify.threads, 2);
    assert.equal(defaults.classify.timeLimit, '2 seconds');
    const config = loadConfig({ HANDOFF_CLASSIFY_TIME_LIMIT: '500ms', HANDOFF_CLASSIFY_THREADS: '4' }, emptyDir());
    assert.equal(config.classify.timeLimit, '500ms');
    assert.equal(config.classify.threads, 4);
    assert.throws(() => loadConfig({ HANDOFF_CLASSIFY_TIME_LIMIT: 'soon' }, emptyDir()), /classify\.timeLimit/);
  });

  test('names the field when a SQLite setting is malformed', () => {
    assert.throws(() => loadConfig({ HANDOFF_SQLITE_PRAGMAS: 'journal_mode wal;drop' }, emptyDir()), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /temporal\.devServer\.sqlitePragmas/);
      assert.match(err.message, /expected PRAGMA=VALUE/);
      return true;
    });
  });

  test('names the field when a duration is longer than a year, and takes a year', () => {
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'handoff.yaml'), "conversation:\n  notNowDefault: '100000000 days'\n  claimDeadlines:\n    pricing: '400 days'\n");
    assert.throws(() => loadConfig({}, dir), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /conversation\.notNowDefault/);
      assert.match(err.message, /conversation\.claimDeadlines\.pricing/);
      assert.match(err.message, /at most 365 days/);
      return true;
    });
    writeFileSync(path.join(dir, 'handoff.yaml'), "conversation:\n  notNowDefault: '365 days'\n");
    assert.equal(loadConfig({}, dir).conversation.notNowDefault, '365 days');
  });

  test('takes the public URL only over https, or plain http on this machine', () => {
    assert.equal(loadConfig({ HANDOFF_PUBLIC_URL: 'https://handoff.example.com' }, emptyDir()).api.publicUrl, 'https://handoff.example.com');
    assert.equal(loadConfig({ HANDOFF_PUBLIC_URL: 'http://localhost:3000' }, emptyDir()).api.publicUrl, 'http://localhost:3000');
    assert.throws(() => loadConfig({ HANDOFF_PUBLIC_URL: 'http://handoff.example.com' }, emptyDir()), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /api\.publicUrl/);
      assert.match(err.message, /https/);
      return true;
    });
  });
});
