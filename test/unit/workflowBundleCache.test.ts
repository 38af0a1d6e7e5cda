import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cachedWorkflowBundle, workflowBundleKey } from '../../src/workflowBundleCache';

/** A project of a few sources, as the key reads them. */
function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'handoff-bundle-'));
  mkdirSync(path.join(root, 'workflows', 'conversation'), { recursive: true });
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'workflows', 'index.ts'), 'export * from "./conversation/loop";\n');
  writeFileSync(path.join(root, 'workflows', 'conversation', 'loop.ts'), 'export const steps = 3;\n');
  writeFileSync(path.join(root, 'src', 'config.ts'), 'export const port = 8080;\n');
  writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  return root;
}

/** A bundler that counts its builds and bundles whatever the workflow's loop says. */
function countingBuilder(root: string): { build(): Promise<{ code: string }>; builds: number } {
  const counter = {
    builds: 0,
    build: async () => {
      counter.builds++;
      return { code: `/* bundle */ ${readFileSync(path.join(root, 'workflows', 'conversation', 'loop.ts'), 'utf8')}` };
    },
  };
  return counter;
}

describe('the workflow bundle kept between worker processes', () => {
  it('is built by the first process and loaded, the same code, by the next', async () => {
    const root = project();
    const dir = path.join(root, 'node_modules', '.cache', 'handoff');
    const builder = countingBuilder(root);
    const first = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    const second = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    assert.equal(first.origin, 'built');
    assert.equal(second.origin, 'loaded');
    assert.equal(second.code, first.code);
    assert.equal(builder.builds, 1);
    assert.deepEqual(readdirSync(dir), [`workflow-bundle-${first.key}.js`]);
  });

  it('is built again when a workflow source changes, and the old bundle is removed', async () => {
    const root = project();
    const dir = path.join(root, 'cache');
    const builder = countingBuilder(root);
    const before = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    writeFileSync(path.join(root, 'workflows', 'conversation', 'loop.ts'), 'export const steps = 4;\n');
    const after = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    assert.equal(after.origin, 'built');
    assert.notEqual(after.key, before.key);
    assert.match(after.code, /steps = 4/);
    assert.deepEqual(readdirSync(dir), [`workflow-bundle-${after.key}.js`]);
  });

  it('has a key that follows the sources, the lockfiles and the bundler options, and not a file outside the sources', () => {
    const root = project();
    const key = workflowBundleKey('workflows', root);
    assert.equal(workflowBundleKey('workflows', root), key);
    assert.notEqual(workflowBundleKey('workflows and preloads', root), key);
    writeFileSync(path.join(root, 'README.md'), '# not a source\n');
    assert.equal(workflowBundleKey('workflows', root), key);
    writeFileSync(path.join(root, 'src', 'config.ts'), 'export const port = 8081;\n');
    const afterSource = workflowBundleKey('workflows', root);
    assert.notEqual(afterSource, key);
    writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    const afterLockfile = workflowBundleKey('workflows', root);
    assert.notEqual(afterLockfile, afterSource);
    // npm's record of what is installed moves when packages change without the lockfile (an install not yet run).
    mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), '{"packages":{"node_modules/zod":{"version":"3.25.0"}}}\n');
    assert.notEqual(workflowBundleKey('workflows', root), afterLockfile);
  });

  it('is bundled again, and said so, when the kept file is damaged', async () => {
    const root = project();
    const dir = path.join(root, 'cache');
    const builder = countingBuilder(root);
    const first = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    const file = path.join(dir, `workflow-bundle-${first.key}.js`);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 10));
    const said: string[] = [];
    const second = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root, log: (m) => said.push(m) });
    assert.equal(second.origin, 'built');
    assert.equal(second.code, first.code);
    assert.match(said.join('\n'), /damaged/);
    const third = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root });
    assert.equal(third.origin, 'loaded');
    assert.equal(third.code, first.code);
  });

  it('is not kept when a source changes while it is built', async () => {
    const root = project();
    const dir = path.join(root, 'cache');
    const loop = path.join(root, 'workflows', 'conversation', 'loop.ts');
    const said: string[] = [];
    const build = async (): Promise<{ code: string }> => {
      const code = `/* bundle */ ${readFileSync(loop, 'utf8')}`;
      writeFileSync(loop, 'export const steps = 5;\n'); // saved by an editor mid-build
      return { code };
    };
    const during = await cachedWorkflowBundle({ build, extraKey: 'workflows', dir, root, log: (m) => said.push(m) });
    assert.equal(during.origin, 'built');
    assert.match(said.join('\n'), /sources changed while it was built/);
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  });

  it('is bundled by each process, and said so, where the cache folder cannot be written', async () => {
    const root = project();
    // A file where the folder would be: unwritable even for root, who writes into read-only folders.
    const dir = path.join(root, 'unwritable');
    writeFileSync(dir, 'a file, not a folder');
    const builder = countingBuilder(root);
    const said: string[] = [];
    const first = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root, log: (m) => said.push(m) });
    const second = await cachedWorkflowBundle({ build: builder.build, extraKey: 'workflows', dir, root, log: (m) => said.push(m) });
    assert.deepEqual([first.origin, second.origin], ['built', 'built']);
    assert.equal(second.code, first.code);
    assert.equal(builder.builds, 2);
    assert.equal(said.length, 2);
    assert.match(said[0]!, new RegExp(`workflow bundle ${first.key} not kept in .*unwritable`));
  });
});
