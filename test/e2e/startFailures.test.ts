import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { assertPortFree, startDevServer } from '../../src/temporal/devServer';
import { inMemoryDevServerOptions, provisionedCliPath } from '../helpers/devServer';
import { listenablePort, StackProcess } from '../helpers/stack';

const bin = path.resolve(__dirname, '..', '..', 'bin', 'handoff.cjs');

/**
 * Loaded into a `handoff` command with `--require`: once the command's own check of port `TAKE_PORT` has bound and
 * released it, another server takes the port on the same host, as another process can in the seconds the Temporal dev
 * server takes to start. The taker is unref'd, so it alone cannot keep the process alive.
 */
const TAKE_THE_PORT_AFTER_ITS_CHECK = `
const net = require('node:net');
const port = Number(process.env.TAKE_PORT);
const listen = net.Server.prototype.listen;
let checked = false;
net.Server.prototype.listen = function (...args) {
  const options = args[0];
  const asked = typeof options === 'object' && options !== null ? options.port : options;
  if (!checked && Number(asked) === port) {
    checked = true;
    const host = typeof options === 'object' && options !== null && options.host ? options.host : '127.0.0.1';
    this.once('close', () => {
      net.createServer().listen({ host, port }).unref();
      process.stderr.write('[test] took port ' + port + ' after its check\\n');
    });
  }
  return listen.apply(this, args);
};
`;

/** {@link runUntilExit} with the preload above taking `port`. */
async function runWithPortTaken(command: string, env: NodeJS.ProcessEnv, port: string): Promise<{ code: number | null; output: string }> {
  const preload = path.join(mkdtempSync(path.join(tmpdir(), 'handoff-port-')), 'take-port.cjs');
  writeFileSync(preload, TAKE_THE_PORT_AFTER_ITS_CHECK);
  return runUntilExit(command, { ...env, TAKE_PORT: port, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require "${preload}"`.trim() });
}

/**
 * Runs `handoff <command>` until it exits, and answers its exit code and output. Ctrl-C after 120 s (and SIGKILL 30 s
 * later) if it has not exited by itself: the test then fails on the exit code.
 */
async function runUntilExit(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [bin, command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const interrupt = setTimeout(() => child.kill('SIGINT'), 120_000);
  const kill = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const code = await exited;
  clearTimeout(interrupt);
  clearTimeout(kill);
  return { code, output };
}

const lostPortMessage = (command: string, port: string, purpose: string, setting: string): RegExp =>
  new RegExp(`handoff ${command}: port ${port} \\(${purpose}\\) is already in use; set ${setting} to another port`);

describe('a port taken after its check', () => {
  it('ends handoff start when it is the API port: the port and its setting named, the dev server it started stopped, exit code 1', async () => {
    const stack = await StackProcess.create();
    const port = stack.env.HANDOFF_API_PORT!;
    const { code, output } = await runWithPortTaken('start', stack.env, port);
    assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
    assert.match(output, lostPortMessage('start', port, 'Handoff API', 'HANDOFF_API_PORT'));
    assert.match(output, new RegExp(`\\[test\\] took port ${port} after its check`));
    assert.match(output, /Stopping the Temporal dev server/);
    assert.doesNotMatch(output, /Handoff is running/);
    await assertPortFree('127.0.0.1', Number(stack.env.HANDOFF_TEMPORAL_PORT), 'the stopped dev server', 'HANDOFF_TEMPORAL_PORT');
  });

  it('ends handoff start the same way when it is the inbound SMTP port, bound after the API', async () => {
    const stack = await StackProcess.create();
    const port = String(await listenablePort());
    const { code, output } = await runWithPortTaken('start', { ...stack.env, HANDOFF_INBOUND_SMTP_PORT: port }, port);
    assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
    assert.match(output, lostPortMessage('start', port, 'inbound SMTP listener', 'HANDOFF_INBOUND_SMTP_PORT'));
    assert.match(output, new RegExp(`\\[test\\] took port ${port} after its check`));
    assert.match(output, /Stopping the Temporal dev server/);
    await assertPortFree('127.0.0.1', Number(stack.env.HANDOFF_TEMPORAL_PORT), 'the stopped dev server', 'HANDOFF_TEMPORAL_PORT');
  });

  it('ends handoff api against a cluster when it is the API port, naming it', async () => {
    const server = await startDevServer(await inMemoryDevServerOptions(await provisionedCliPath()));
    try {
      const stack = await StackProcess.create();
      const env: NodeJS.ProcessEnv = { ...stack.env, TEMPORAL_ADDRESS: server.address, HANDOFF_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}` };
      const port = env.HANDOFF_API_PORT!;
      const { code, output } = await runWithPortTaken('api', env, port);
      assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
      assert.match(output, lostPortMessage('api', port, 'Handoff API', 'HANDOFF_API_PORT'));
      assert.match(output, new RegExp(`\\[test\\] took port ${port} after its check`));
      assert.doesNotMatch(output, /API on http/);
    } finally {
      await server.stop();
    }
  });
});

describe('a namespace the cluster lacks', () => {
  it('ends handoff start and handoff worker against a cluster without their namespace, naming it, with exit code 1', async () => {
    const server = await startDevServer(await inMemoryDevServerOptions(await provisionedCliPath()));
    try {
      const stack = await StackProcess.create();
      const env: NodeJS.ProcessEnv = {
        ...stack.env,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: 'no-such-namespace',
        HANDOFF_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      };
      const { code, output } = await runUntilExit('start', env);
      assert.equal(code, 1, `exit code ${code}; output:\n${output}`);
      assert.match(output, /handoff start: namespace "no-such-namespace" does not exist on 127\.0\.0\.1:\d+; create it/);
      assert.doesNotMatch(output, /Handoff is running/);
      const worker = await runUntilExit('worker', env);
      assert.equal(worker.code, 1, `exit code ${worker.code}; output:\n${worker.output}`);
      assert.match(worker.output, /handoff worker: namespace "no-such-namespace" does not exist/);
    } finally {
      await server.stop();
    }
  });
});
