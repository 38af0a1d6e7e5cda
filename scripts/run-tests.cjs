#!/usr/bin/env node
// Runs the test files under test/ with Node's test runner (TypeScript through tsx).
// `--only unit` keeps the files that need no Temporal server (test/unit/); `--only faults` runs the fault tests
// (test/faults/), which kill and restart real processes and are left out of the default run; `--only cluster` runs
// the cluster-shape tests (test/cluster/: the production Temporal server on PostgreSQL, two workers), which the
// default run includes.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

function collect(dir, skip = []) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (skip.includes(full)) continue;
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const root = path.join(__dirname, '..', 'test');
if (only && !existsSync(path.join(root, only))) {
  console.error(`no folder test/${only}`);
  process.exit(1);
}
const files = only ? collect(path.join(root, only)) : collect(root, [path.join(root, 'faults')]);
if (files.length === 0) {
  console.error(`no test files found under ${only ? `test/${only}` : 'test/'}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, HANDOFF_LOG_LEVEL: process.env.HANDOFF_LOG_LEVEL ?? 'warn' } },
);
process.exit(result.status ?? 1);
