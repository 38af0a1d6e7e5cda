#!/usr/bin/env node
// Runs the test files under test/ with Node's test runner (TypeScript through tsx): the whole suite, fault tests
// included. Each group below is one test-runner process (`test-files.cjs`), which starts its files in the order
// given here. `--only <folder>` runs the files of one folder of test/ (`--only unit`: the files that need no
// Temporal server; `--only faults`: the tests that kill and restart real processes; `--only cluster`: the
// production Temporal server on PostgreSQL with two workers).
//
// The unit files (no server, no port, each its own temporary folder) and the workflow files (each its own
// time-skipping test server, whose clock moves only when the workflow waits) share nothing and have no deadline in
// wall-clock time, so they run several files at once, one per core (at most `HANDOFF_TEST_CONCURRENCY`, default
// 2), the slowest started first so no core idles at the end. The files that start dev servers, clusters, workers
// and browsers, and the fault tests that kill them, then run one at a time: side by side on a small machine they
// would compete for the cores their deadlines assume.
//
// A few files are minutes of pure CPU with no server and no port: the backtracking checks of the built-in patterns,
// the model retrained byte for byte, and the prefilter checked against every rule on every corpus reply. They run
// beside the other groups from the start, one per core in the order of IN_IDLE_TIME, in the kernel's idle
// scheduling class (`chrt --idle`; where there is none, at nice 19): they take the time a core would otherwise sit
// idle, which the one-at-a-time files leave plenty of, and yield a core to the other files whenever those want it.
// A check may then wait minutes for a core: none of these files has a deadline but each backtracking check's half
// hour of wall-clock time (`test/helpers/redos.ts`), far beyond what a starved check takes. Their report is printed
// when they end, after the others'.
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

/**
 * The test runner's arguments for `files`, `concurrency` files at a time, started in the order given (through
 * `test-files.cjs`: `node --test` would sort them by name).
 */
function runnerArgs(files, concurrency) {
  return ['--import', 'tsx', path.join(__dirname, 'test-files.cjs'), String(concurrency), ...files];
}

const runnerEnv = { ...process.env, HANDOFF_LOG_LEVEL: process.env.HANDOFF_LOG_LEVEL ?? 'warn' };

/** The test-runner processes still running, ended with this process if it is stopped. */
const running = new Set();

/** Starts `command` and resolves to its exit status (1 when it could not start or a signal ended it). */
function exitStatusOf(command, args, stdio, describe) {
  // Not detached: on Linux a new session is a new scheduler autogroup, which shares the CPU with this session as an
  // equal whatever its processes' class, and so would undo the idle class below.
  const child = spawn(command, args, { stdio, env: runnerEnv });
  running.add(child);
  return new Promise((resolve) => {
    child.on('error', (err) => {
      running.delete(child);
      console.error(`${describe} did not start: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      running.delete(child);
      if (signal) console.error(`${describe} was ended by ${signal}`);
      resolve(code ?? 1);
    });
  });
}

/** Runs `files` in one test-runner process, `concurrency` files at a time; resolves to its exit status. */
function run(files, concurrency) {
  return exitStatusOf(process.execPath, runnerArgs(files, concurrency), 'inherit', 'the test run');
}

/** Whether `command` runs here (a node that does nothing, started through it). */
function works(command, args) {
  return spawnSync(command, [...args, process.execPath, '-e', ''], { stdio: 'ignore' }).status === 0;
}

/** How to start a process that gets only idle CPU time: the idle scheduling class, else nice 19, else as it is. */
function idlePrefix() {
  if (works('chrt', ['--idle', '0'])) return { prefix: ['chrt', '--idle', '0'], name: 'chrt --idle' };
  if (works('nice', ['-n', '19'])) return { prefix: ['nice', '-n', '19'], name: 'nice 19' };
  return { prefix: [], name: 'no lower priority available' };
}

/**
 * Starts `files` in one test-runner process that gets only idle CPU time (see the comment at the top), its report
 * kept in a file while the other groups print theirs. Returns a function that waits for it, prints its report and
 * resolves to its exit status.
 */
function startInIdleTime(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'handoff-idle-tests-'));
  temporaryDirs.add(dir);
  const reportFile = path.join(dir, 'report.txt');
  const report = openSync(reportFile, 'w');
  const { prefix, name } = idlePrefix();
  if (prefix.length === 0) console.error(`neither chrt nor nice runs here: ${files.length} files meant for idle CPU time run at normal priority`);
  // As many at once as there are cores, in the order given: more would only share the same idle time and hold
  // memory while they wait.
  const concurrency = Math.min(files.length, os.availableParallelism());
  const [command, ...args] = [...prefix, process.execPath, ...runnerArgs(files, concurrency)];
  const exited = exitStatusOf(command, args, ['ignore', report, report], 'the idle-time test run');
  closeSync(report);
  return async () => {
    const status = await exited;
    process.stdout.write(`\n# ${files.length} files run in idle CPU time (${name}):\n`);
    process.stdout.write(readFileSync(reportFile, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    temporaryDirs.delete(dir);
    return status;
  };
}

/** Folders to remove if this process is stopped. */
const temporaryDirs = new Set();

// Stopped (Ctrl-C, a CI's cancel, `timeout`): end the test runs this process started (each test runner ends the
// file processes it started), remove its folders, and stop with the same signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').replace(/\/+$/, '') : undefined;
if (only === '') {
  console.error('--only needs a folder of test/, for example --only unit');
  process.exit(1);
}
const root = path.join(__dirname, '..', 'test');
if (only && !existsSync(path.join(root, only))) {
  console.error(`no folder test/${only}`);
  process.exit(1);
}
/** The folders whose files may run side by side (see the comment at the top). */
const SIDE_BY_SIDE = ['unit', 'workflow'];
/** The longest files of those folders (from a few seconds to minutes each), started first, in this order. */
const SLOWEST_FIRST = [
  'workflow/conversation.test.ts',
  'workflow/replay.test.ts',
  'workflow/humanReply.test.ts',
  'unit/triggers/pool.test.ts',
  'unit/cli/usage.test.ts',
  'unit/temporal/devServer.test.ts',
  'workflow/campaignWords.test.ts',
].map((f) => path.join(root, f));
/** The files that run in idle CPU time beside the other groups (see the comment at the top), started in this order. */
const IN_IDLE_TIME = [
  'unit/triggers/redos.test.ts',
  'unit/triggers/redosRulesSecondHalf.test.ts',
  'unit/triggers/modelReproduction.test.ts',
  'unit/triggers/prefilter.test.ts',
].map((f) => path.join(root, f));
const rank = (file) => {
  const i = SLOWEST_FIRST.indexOf(file);
  return i < 0 ? SLOWEST_FIRST.length : i;
};

let sideBySideFiles = [];
let serialFiles = [];
if (only === undefined) {
  sideBySideFiles = SIDE_BY_SIDE.flatMap((folder) => collect(path.join(root, folder)));
  serialFiles = collect(root, SIDE_BY_SIDE.map((folder) => path.join(root, folder)));
} else if (SIDE_BY_SIDE.includes(only)) {
  sideBySideFiles = collect(path.join(root, only));
} else {
  serialFiles = collect(path.join(root, only));
}
const idleFiles = IN_IDLE_TIME.filter((file) => sideBySideFiles.includes(file));
sideBySideFiles = sideBySideFiles.filter((file) => !IN_IDLE_TIME.includes(file)).sort((a, b) => rank(a) - rank(b));
if (sideBySideFiles.length + serialFiles.length + idleFiles.length === 0) {
  console.error(`no test files found under ${only ? `test/${only}` : 'test/'}`);
  process.exit(1);
}
const concurrency = sideBySideFiles.length > 0 ? sideBySideConcurrency() : 1;
(async () => {
  const idleRun = idleFiles.length > 0 ? startInIdleTime(idleFiles) : null;
  // Every group runs even when another fails, so one run reports every failure.
  const statuses = [];
  if (sideBySideFiles.length > 0) statuses.push(await run(sideBySideFiles, concurrency));
  if (serialFiles.length > 0) statuses.push(await run(serialFiles, 1));
  if (idleRun) statuses.push(await idleRun());
  process.exit(statuses.find((status) => status !== 0) ?? 0);
})();
