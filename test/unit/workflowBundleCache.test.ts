import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('has a key that follows the sources, the lockfile and the bundler options, and nothing else', () => {
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
    assert.notEqual(workflowBundleKey('workflows', root), afterSource);
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
