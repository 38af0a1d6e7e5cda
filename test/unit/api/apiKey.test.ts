import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import YAML from 'yaml';
import { ApiKeySchema, authenticate } from '../../../src/api/auth';
import { apiKeyCommand } from '../../../src/cli/apiKey';

/** Runs the command and returns what it printed and its exit code. */
async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = mock.method(console, 'log', (line: string) => out.push(line));
  const error = mock.method(console, 'error', (line: string) => err.push(line));
  try {
    return { code: await apiKeyCommand(argv), out, err };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

describe('handoff api-key new', () => {
  test('--rep prints a key and a config entry bound to that rep that accepts the key as that rep', async () => {
    const { code, out } = await run('new', '--rep', 'ana');
    assert.equal(code, 0);
    const token = /: (hk_\S+)$/.exec(out[0]!)?.[1];
    assert.ok(token, out[0]);
    const entry = ApiKeySchema.parse(YAML.parse(out[2]!.replace(/^\s*- /, '')));
    assert.deepEqual({ id: entry.id, scopes: entry.scopes, repId: entry.repId }, { id: 'ana', scopes: ['rep'], repId: 'ana' });
    assert.deepEqual(authenticate(`Bearer ${token}`, [entry], ['rep']), { keyId: 'ana', scopes: ['rep'], repId: 'ana' });
  });

  test('a rep key for a tool scope, or a rep id that is not a roster id, is refused naming --rep', async () => {
    const tool = await run('new', '--rep', 'ana', '--scopes', 'tool');
    assert.equal(tool.code, 2);
    assert.match(tool.err[0]!, /--rep: a key bound to a rep needs the rep \(or admin\) scope/);
    const bad = await run('new', '--rep', 'Ana Weber');
    assert.equal(bad.code, 2);
    assert.match(bad.err[0]!, /--rep: expected a roster rep id/);
  });
});
