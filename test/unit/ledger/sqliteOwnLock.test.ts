import assert from 'node:assert/strict';
import fs, { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { recogniseOwnLocks } from '../../../src/ledger/sqliteOwnLock';

describe("the ledger thread's view of SQLite lock directories", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-own-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  // A copy of node:fs stands in for the thread's own instance, so this process's fs stays as it is.
  const threadFs = { ...fs } as typeof fs;
  recogniseOwnLocks(threadFs);
  recogniseOwnLocks(threadFs);
  const exists = (file: string) => {
    try {
      threadFs.accessSync(file, fs.constants.F_OK);
      return true;
    } catch {
      return false;
    }
  };

  test('a lock this thread took reads as free, so SQLite may play back a journal a dead writer left', () => {
    const lock = path.join(dir, 'mine.sqlite.lock');
    threadFs.mkdirSync(lock);
    assert.equal(exists(lock), false);
    assert.equal(fs.existsSync(lock), true, 'the directory is really there');
    threadFs.rmdirSync(lock);
    assert.equal(fs.existsSync(lock), false);
  });

  test("another process's lock, and any other file, read as they are", () => {
    const theirs = path.join(dir, 'theirs.sqlite.lock');
    fs.mkdirSync(theirs);
    assert.equal(exists(theirs), true);
    const journal = path.join(dir, 'mine.sqlite-journal');
    fs.writeFileSync(journal, 'x');
    assert.equal(exists(journal), true);
    assert.equal(exists(path.join(dir, 'absent.sqlite.lock')), false);
  });

  test('a lock released and then taken by another process reads as held', () => {
    const lock = path.join(dir, 'shared.sqlite.lock');
    threadFs.mkdirSync(lock);
    threadFs.rmdirSync(lock);
    fs.mkdirSync(lock);
    assert.equal(exists(lock), true);
  });
});
