import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { StackProcess } from '../helpers/stack';

const bin = path.resolve(__dirname, '..', '..', 'bin', 'handoff.cjs');

/**
 * Loaded into `handoff start` with `--require`: once the start's own check of the API port has bound and released it,
 * another server takes the port, as another process can in the seconds the Temporal dev server takes to start. The
 * taker is unref'd, so it alone cannot keep the process alive.
 */
const TAKE_THE_API_PORT_AFTER_ITS_CHECK = `
const net = require('node:net');
const port = Number(process.env.HANDOFF_API_PORT);
const listen = net.Server.prototype.listen;
let checked = false;
net.Server.prototype.listen = function (...args) {
  const options = args[0];
  const asked = typeof options === 'object' && options !== null ? options.port : options;
  if (!checked && Number(asked) === port) {
    checked = true;
    this.once('close', () => net.createServer().listen({ host: '127.0.0.1', port }).unref());
  }
  return listen.apply(this, args);
};
`;

describe('handoff start when the API port is taken after its check', () => {
  it('names the port and the setting, stops the Temporal dev server it started, and exits with 1', async () => {
    const stack = await StackProcess.create();
    const preload = path.join(mkdtempSync(path.join(tmpdir(), 'handoff-port-')), 'take-api-port.cjs');
    writeFileSync(preload, TAKE_THE_API_PORT_AFTER_ITS_CHECK);
    const child = spawn(process.execPath, [bin, 'start'], {
      env: { ...stack.env, NODE_OPTIONS: `${stack.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const hung = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const code = await exited;
    clearTimeout(hung);

    assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
    assert.match(output, new RegExp(`handoff start: port ${stack.env.HANDOFF_API_PORT} \\(Handoff API\\) is already in use; set HANDOFF_API_PORT to another port`));
    assert.match(output, /Stopping the Temporal dev server/);
    assert.doesNotMatch(output, /Handoff is running/);
  });
});
