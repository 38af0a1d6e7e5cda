import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/temporal/devServer';

const root = path.resolve(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'handoff.cjs');

describe('the handoff command line against a running stack (`handoff start`)', () => {
  let stack: ChildProcess;
  let output = '';
  let env: NodeJS.ProcessEnv;

  const handoff = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 120_000 });

  before(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'handoff-cli-'));
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    env = {
      ...process.env,
      HANDOFF_DATA_DIR: dataDir,
      HANDOFF_TEMPORAL_PORT: String(temporalPort),
      HANDOFF_UI_PORT: String(uiPort),
      HANDOFF_API_PORT: String(apiPort),
      HANDOFF_ROSTER: path.join(root, 'test', 'fixtures', 'roster.yaml'),
    };
    stack = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    stack.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    stack.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Handoff is running')) {
      if (Date.now() > deadline || stack.exitCode !== null) throw new Error(`the stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  after(async () => {
    if (stack && stack.exitCode === null) {
      stack.kill('SIGKILL');
      await new Promise((r) => stack.once('exit', r));
    }
  });

  test('prints the UI, the API and a generated API key, never an open API', () => {
    assert.match(output, /Web UI\s+http:\/\/localhost:\d+/);
    assert.match(output, /API key\s+hk_\S+/);
  });

  test('starts a conversation, takes a reply, and shows the escalation as a table and as JSON', async () => {
    const started = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs');
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, /started: prospect-cli-1/);
    const again = handoff('conversation', 'start', '--id', 'cli-1', '--name', 'Robin Vega', '--email', 'robin@vega.example', '--company', 'Vega Labs');
    assert.match(again.stdout, /already running/);
    const replied = handoff('conversation', 'reply', 'cli-1', '--text', 'How much is it per seat for 20 seats?');
    assert.equal(replied.status, 0, replied.stderr);
    let state: { stage: string; ladder: unknown[] } | undefined;
    for (let i = 0; i < 60 && state?.ladder.length !== 1; i++) {
      const shown = handoff('conversation', 'show', 'cli-1', '--json');
      state = (JSON.parse(shown.stdout) as { state: { stage: string; ladder: unknown[] } }).state;
      if (state.ladder.length !== 1) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(state?.stage, 'escalated');
    const table = handoff('conversation', 'show', 'cli-1');
    assert.match(table.stdout, /TIER\s+ASSIGNEES\s+ALERTED\s+DEADLINE\s+OUTCOME/);
    let listed = '';
    for (let i = 0; i < 40 && !listed.includes('cli-1'); i++) {
      listed = handoff('escalations').stdout;
      if (!listed.includes('cli-1')) await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(listed, /cli-1\s+Vega Labs\s+pricing\s+1/);
  });

  test('errors name the field that is wrong and exit non-zero', () => {
    const bad = handoff('conversation', 'start', '--id', 'cli-2', '--name', 'No Email', '--company', 'X');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /body\.prospect\.email/);
    const unknown = handoff('conversation', 'claim', 'nobody', '--rep', 'dana');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /404 not_found/);
  });

  test('the demo drives the whole story: automation, a claim, a person, a re-escalation and an opt-out', () => {
    const demo = handoff('demo');
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /-pricing\s+Contoso\s+claimed/);
    assert.match(demo.stdout, /-climb\s+Tailspin Toys\s+escalated\s+buying_intent\s+[2-9]/);
    assert.match(demo.stdout, /-optout\s+Litware\s+opted_out/);
  });

  test('Ctrl-C stops the API, the worker and the dev server cleanly', async () => {
    stack.kill('SIGINT');
    const code = await new Promise<number | null>((r) => stack.once('exit', r));
    assert.equal(code, 0);
    assert.match(output, /Stopped\./);
  });

  test('a second start on the same data directory resumes every conversation the first one had', async () => {
    output = '';
    stack = spawn(process.execPath, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    stack.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    stack.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!output.includes('Handoff is running')) {
      if (Date.now() > deadline || stack.exitCode !== null) throw new Error(`the stack did not start again:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const shown = handoff('conversation', 'show', 'cli-1', '--json');
    assert.equal(shown.status, 0, shown.stderr);
    const { state } = JSON.parse(shown.stdout) as { state: { stage: string; thread: unknown[] } };
    assert.equal(state.stage, 'escalated');
    assert.ok(state.thread.length >= 2);
    stack.kill('SIGINT');
    assert.equal(await new Promise<number | null>((r) => stack.once('exit', r)), 0);
  });
});
