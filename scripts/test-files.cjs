#!/usr/bin/env node
// Runs the test files it is given with Node's test runner, in the order given, `concurrency` at a time, and prints
// the spec report: `node --import tsx scripts/test-files.cjs <concurrency> <file>...` (each file's process inherits
// `--import tsx`). `node --test` sorts its files by name, so the order in which scripts/run-tests.cjs starts them
// would be lost there. Exits 1 when a test fails; a stop (SIGINT, SIGTERM, SIGHUP) ends the files' processes first.
'use strict';
const { run } = require('node:test');
const { spec } = require('node:test/reporters');

const [concurrency, ...files] = process.argv.slice(2);
if (!/^[1-9][0-9]*$/.test(concurrency ?? '') || files.length === 0) {
  console.error('usage: node --import tsx scripts/test-files.cjs <concurrency> <file>...');
  process.exit(1);
}

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stop.abort();
    process.removeAllListeners(signal);
    // The aborted run ends each file's process; then this one stops with the same signal.
    setTimeout(() => process.kill(process.pid, signal), 500);
  });
}

run({ files, concurrency: Number(concurrency), signal: stop.signal })
  .on('test:fail', () => {
    process.exitCode = 1;
  })
  .compose(new spec())
  .pipe(process.stdout);
