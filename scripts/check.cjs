#!/usr/bin/env node
// What `npm test` does before the test files: the type check, the lint and provisioning, all three at once. The
// first two use one core each for under a minute; provisioning on a new machine is minutes of Go build that leave
// a core idle between packages. Provisioning prints its progress as it goes; the type check's and the lint's
// output is printed when each ends. Exits 1, naming each step that failed, once all three have ended.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** The steps, each a command run from the project folder. */
const STEPS = [
  { name: 'type check', command: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'], live: false },
  { name: 'lint', command: bin('eslint'), args: ['.'], live: false },
  { name: 'provisioning', command: process.execPath, args: [path.join(root, 'bin', 'handoff.cjs'), 'provision'], live: true },
];

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of running) child.kill(signal);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

/** Runs one step; resolves to whether it passed. */
function runStep(step) {
  const started = Date.now();
  const child = spawn(step.command, step.args, { cwd: root, stdio: step.live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const output = [];
  if (!step.live) {
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
  }
  return new Promise((resolve) => {
    let ended = false;
    const finish = (passed, why) => {
      if (ended) return;
      ended = true;
      running.delete(child);
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const text = Buffer.concat(output).toString();
      if (text.trim()) process.stdout.write(`\n# ${step.name}:\n${text}${text.endsWith('\n') ? '' : '\n'}`);
      console.log(`${passed ? '✓' : '✗'} ${step.name} ${passed ? 'passed' : `failed (${why})`} in ${seconds}s`);
      resolve(passed);
    };
    child.on('error', (err) => finish(false, `did not start: ${err.message}`));
    // 'close' rather than 'exit': it comes once the output has all been read.
    child.on('close', (code, signal) => finish(code === 0, signal ? `ended by ${signal}` : `exit status ${code}`));
  });
}

(async () => {
  const passed = await Promise.all(STEPS.map(runStep));
  const failed = STEPS.filter((_, i) => !passed[i]).map((step) => step.name);
  if (failed.length > 0) {
    console.error(`npm test stops before the test files: ${failed.join(', ')} failed`);
    process.exit(1);
  }
})();
