import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

const HANDOFF = path.resolve(__dirname, '../../../bin/handoff.cjs');

/** Runs the `handoff` command with no API key and no server: these cases must be answered before either is needed. */
async function handoff(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [HANDOFF, ...args], {
      env: { ...process.env, HANDOFF_API_KEY: '', HANDOFF_DATA_DIR: path.join(__dirname, 'no-such-dir') },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the handoff command line', () => {
  test('an option a command does not take is refused by name, with exit code 2 and no stack trace', async () => {
    for (const args of [['escalations', '--bogus'], ['demo', '--bogus'], ['rep', 'away', 'dana', '--bogus']]) {
      const { code, stderr } = await handoff(...args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, new RegExp(`^handoff ${args[0]}: Unknown option '--bogus'`), args.join(' '));
      assert.doesNotMatch(stderr, /\n\s+at /, `${args.join(' ')} prints no stack`);
    }
  });

  test('an option left without its value is named, with exit code 2', async () => {
    const { code, stderr } = await handoff('api-key', 'new', '--rep');
    assert.equal(code, 2);
    assert.match(stderr, /^handoff api-key: Option '--rep <value>' argument missing/);
  });

  test('--help in place of an action prints the command’s usage and exits 0, without needing an API key', async () => {
    for (const command of ['rep', 'suppress', 'inbound', 'prospect', 'conversation', 'escalations', 'api-key']) {
      const { code, stdout } = await handoff(command, '--help');
      assert.equal(code, 0, command);
      assert.match(stdout, new RegExp(`usage:[\\s\\S]*handoff ${command}`), command);
    }
  });

  test('npm run train takes the same options as handoff train and refuses one it does not know', async () => {
    const { code, stderr } = await handoff('train', '--bogus');
    assert.equal(code, 2);
    assert.match(stderr, /^handoff train: unknown argument --bogus/);
  });
});
