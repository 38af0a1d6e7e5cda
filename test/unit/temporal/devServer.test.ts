import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DevServerStartError, PortInUseError, startDevServer } from '../../../src/temporal/devServer';
import { inMemoryDevServerOptions, provisionedCliPath } from '../../helpers/devServer';

/**
 * The real race (another process taking one of the server's internal ports between its pick and its bind) cannot be
 * provoked on demand, so these tests put a small script in the CLI's place: it fails the way the server does for
 * its first starts, and after that runs the real Temporal CLI with the same arguments.
 */
describe('starting the dev server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-devserver-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A CLI stand-in that fails `failures` times with `message`, then runs `realCli` (or fails for good without one). */
  function flakyCli(name: string, failures: number, message: string, realCli: string | null): { path: string; starts: () => number } {
    const counter = path.join(dir, `${name}.starts`);
    writeFileSync(counter, '');
    const script = path.join(dir, `${name}.sh`);
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        `echo x >> '${counter}'`,
        `if [ "$(wc -l < '${counter}')" -le ${failures} ]; then echo '${message}' >&2; exit 1; fi`,
        realCli ? `exec '${realCli}' "$@"` : 'exit 1',
      ].join('\n') + '\n',
    );
    chmodSync(script, 0o755);
    return { path: script, starts: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
  }

  const options = (cliPath: string, onRetry?: (reason: string) => void) => inMemoryDevServerOptions(cliPath, { onRetry });

  const taken = 'Failed to start gRPC listener: listen tcp 127.0.0.1:41234: bind: address already in use';

  /** A CLI that fails its first start with `failure` is started again, once, and the real server then answers. */
  async function startsAgainAfter(name: string, failure: string): Promise<void> {
    const flaky = flakyCli(name, 1, failure, await provisionedCliPath());
    const reasons: string[] = [];
    const server = await startDevServer(await options(flaky.path, (reason) => reasons.push(reason)));
    try {
      assert.equal(flaky.starts(), 2);
      assert.equal(reasons.length, 1);
      assert.match(reasons[0]!, /port .* was taken .*attempt 1 of 3/);
    } finally {
      await server.stop();
    }
  }

  it('a start that lost a port to another process is tried again, and the server then answers', async () => {
    await startsAgainAfter('recovers', taken);
  });

  it('a port lost in a panic whose stack outruns the kept output is still seen, and the start tried again', async () => {
    await startsAgainAfter('recovers-after-panic', `panic: ${taken}\n\n${'goroutine 1 [running]:\n\tgo.temporal.io/server/temporal.NewServerFx(...)\n'.repeat(120)}`);
  });

  it('a port taken at every start fails after three attempts, naming the port in use', async () => {
    const flaky = flakyCli('always-taken', 10, taken, null);
    const reasons: string[] = [];
    await assert.rejects(startDevServer(await options(flaky.path, (reason) => reasons.push(reason))), (err: unknown) => {
      assert.ok(err instanceof DevServerStartError);
      assert.equal(err.portTaken, true);
      assert.match(err.message, /exited during start[\s\S]*address already in use/);
      return true;
    });
    assert.equal(flaky.starts(), 3);
    assert.equal(reasons.length, 2);
  });

  it('the port the caller chose, taken, is named with its setting at once, not tried again', async () => {
    const chosen = await options('');
    const flaky = flakyCli('frontend-taken', 10, `Failed to start gRPC listener: listen tcp 127.0.0.1:${chosen.port}: bind: address already in use`, null);
    await assert.rejects(startDevServer({ ...chosen, cliPath: flaky.path }), (err: unknown) => {
      assert.ok(err instanceof PortInUseError);
      assert.equal(err.port, chosen.port);
      assert.match(err.message, /HANDOFF_TEMPORAL_PORT/);
      return true;
    });
    assert.equal(flaky.starts(), 1);
  });

  it('any other failure to start is not tried again', async () => {
    const flaky = flakyCli('other', 10, 'unknown flag: --bogus', null);
    await assert.rejects(startDevServer(await options(flaky.path)), (err: unknown) => {
      assert.ok(err instanceof DevServerStartError);
      assert.equal(err.portTaken, false);
      assert.match(err.message, /unknown flag/);
      return true;
    });
    assert.equal(flaky.starts(), 1);
  });
});
