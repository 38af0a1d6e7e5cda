#!/usr/bin/env node
// Runs the test files under test/ with Node's test runner (TypeScript through tsx).
// `--only unit` keeps the files that need no Temporal server (test/unit/); `--only faults` runs the fault tests
// (test/faults/), which kill and restart real processes and are left out of the default run; `--only cluster` runs
// the cluster-shape tests (test/cluster/: the production Temporal server on PostgreSQL, two workers), which the
// default run includes.
//
// The unit files (no server, no port, each its own temporary folder) and the workflow files (each its own
// time-skipping test server, whose clock moves only when the workflow waits) share nothing and have no deadline in
// wall-clock time, so they run several files at once, one per core (at most `HANDOFF_TEST_CONCURRENCY`, default
// 2), the slowest started first so no core idles at the end. The files that start dev servers, clusters, workers
// and browsers run one at a time: side by side on a small machine they would compete for the cores their deadlines
// assume.
//
// The backtracking checks of the rule patterns (minutes of CPU, no server, no deadline) run beside both groups
// from the start, in the kernel's idle scheduling class (`chrt --idle`; where there is none, at the lowest nice
// level): they take only the time a core would otherwise sit idle, which the one-at-a-time files leave plenty of,
// so they cost the groups' deadlines nothing. Their report is printed when they end, after the groups' reports.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync } = require('node:fs');
const os = require('node:os');
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

function sideBySideConcurrency() {
  const setting = process.env.HANDOFF_TEST_CONCURRENCY;
  if (setting !== undefined && !/^[1-9][0-9]*$/.test(setting)) {
    console.error(`HANDOFF_TEST_CONCURRENCY must be a whole number of files at once, 1 or more (got "${setting}")`);
    process.exit(1);
  }
  const most = setting === undefined ? 2 : Number(setting);
  return Math.max(1, Math.min(most, os.availableParallelism()));
}

/** The test runner's arguments for `files`, `concurrency` files at a time. */
function runnerArgs(files, concurrency) {
  return ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];
}

const runnerEnv = { ...process.env, HANDOFF_LOG_LEVEL: process.env.HANDOFF_LOG_LEVEL ?? 'warn' };

/** Runs `files` in one test-runner process, `concurrency` files at a time; returns its exit status. */
function run(files, concurrency) {
  const result = spawnSync(process.execPath, runnerArgs(files, concurrency), { stdio: 'inherit', env: runnerEnv });
  return result.status ?? 1;
}

/** Whether this machine's `chrt` can start a process in the idle scheduling class. */
function idleClassAvailable() {
  return spawnSync('chrt', ['--idle', '0', process.execPath, '-e', ''], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `files` in one test-runner process that gets only idle CPU time (see the comment at the top), its report
 * kept in a file while the other groups print theirs. Returns a function that waits for it, prints its report and
 * resolves to its exit status.
 */
function startInIdleTime(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-idle-tests-'));
  const reportFile = path.join(dir, 'report.txt');
  const report = openSync(reportFile, 'w');
  const args = runnerArgs(files, files.length);
  const idle = idleClassAvailable();
  const child = idle
    ? spawn('chrt', ['--idle', '0', process.execPath, ...args], { stdio: ['ignore', report, report], env: runnerEnv })
    : spawn(process.execPath, args, { stdio: ['ignore', report, report], env: runnerEnv });
  if (!idle) os.setPriority(child.pid, 19);
  closeSync(report);
  const exited = new Promise((resolve) => {
    child.on('error', (err) => resolve({ status: 1, error: err }));
    child.on('exit', (code, signal) => resolve({ status: code ?? 1, signal }));
  });
  return async () => {
    const { status, error, signal } = await exited;
    process.stdout.write(`\n# ${files.length} files run in idle CPU time (${idle ? 'chrt --idle' : 'nice 19'}):\n`);
    process.stdout.write(readFileSync(reportFile, 'utf8'));
    if (error) console.error(`the idle-time test run did not start: ${error.message}`);
    if (signal) console.error(`the idle-time test run was ended by ${signal}`);
    rmSync(dir, { recursive: true, force: true });
    return status;
  };
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const root = path.join(__dirname, '..', 'test');
if (only && !existsSync(path.join(root, only))) {
  console.error(`no folder test/${only}`);
  process.exit(1);
}
/** The folders whose files may run side by side (see the comment at the top). */
const SIDE_BY_SIDE = ['unit', 'workflow'];
/** The longest files of those folders (minutes each), started first, in this order. */
const SLOWEST_FIRST = [
  'workflow/conversation.test.ts',
  'unit/triggers/learned.test.ts',
  'workflow/replay.test.ts',
].map((f) => path.join(root, f));
/** The files that run in idle CPU time beside the other groups (see the comment at the top). */
const IN_IDLE_TIME = ['unit/triggers/redos.test.ts', 'unit/triggers/redosRulesSecondHalf.test.ts'].map((f) => path.join(root, f));
const rank = (file) => {
  const i = SLOWEST_FIRST.indexOf(file);
  return i < 0 ? SLOWEST_FIRST.length : i;
};

let sideBySideFiles = [];
let serialFiles = [];
if (only === undefined) {
  sideBySideFiles = SIDE_BY_SIDE.flatMap((folder) => collect(path.join(root, folder)));
  serialFiles = collect(root, [path.join(root, 'faults'), ...SIDE_BY_SIDE.map((folder) => path.join(root, folder))]);
} else if (SIDE_BY_SIDE.includes(only)) {
  sideBySideFiles = collect(path.join(root, only));
} else {
  serialFiles = collect(path.join(root, only));
}
const idleFiles = sideBySideFiles.filter((file) => IN_IDLE_TIME.includes(file));
sideBySideFiles = sideBySideFiles.filter((file) => !IN_IDLE_TIME.includes(file)).sort((a, b) => rank(a) - rank(b));
if (sideBySideFiles.length + serialFiles.length + idleFiles.length === 0) {
  console.error(`no test files found under ${only ? `test/${only}` : 'test/'}`);
  process.exit(1);
}
(async () => {
  const idleRun = idleFiles.length > 0 ? startInIdleTime(idleFiles) : null;
  // Every group runs even when another fails, so one run reports every failure.
  const statuses = [];
  if (sideBySideFiles.length > 0) statuses.push(run(sideBySideFiles, sideBySideConcurrency()));
  if (serialFiles.length > 0) statuses.push(run(serialFiles, 1));
  if (idleRun) statuses.push(await idleRun());
  process.exit(statuses.find((status) => status !== 0) ?? 0);
})();
