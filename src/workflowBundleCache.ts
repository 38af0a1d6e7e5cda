/**
 * The workflow bundle kept on disk between processes. Bundling the workflows with webpack costs about 4.5 s of CPU,
 * and every worker process paid it on start: `handoff start`, each of a cluster's workers, every worker a fault test
 * kills and starts again. The bundle is a pure function of the workflow sources, the bundler's options and the
 * installed packages, so a process whose inputs match a bundle already built loads that one instead.
 *
 * The key is a SHA-256 over every TypeScript file under `workflows/`, `src/` and `activities/` (a superset of what
 * the bundle holds: workflow code imports only `workflows/` and packages at run time, but a wider key costs a few
 * milliseconds and cannot miss an import added later), `package-lock.json`, the installed Temporal SDK's version and
 * the bundler's options. Files live under `node_modules/.cache/handoff/`, as other build tools keep theirs; deleting
 * the folder forces a fresh bundle. Where that folder cannot be written (a read-only image), each process bundles
 * for itself, as before.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The project's root: the folder that holds `package.json`. */
const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Where bundles are kept. */
export const WORKFLOW_BUNDLE_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'handoff');
/** The source folders whose files make up the key. */
const SOURCE_FOLDERS = ['workflows', 'src', 'activities'];
const BUNDLE_PREFIX = 'workflow-bundle-';

/** What a cached bundle is read or built with; every field but `build` has a default for the project itself. */
export interface BundleCacheOptions {
  /** Builds the bundle when none is kept for the key. */
  build(): Promise<{ code: string }>;
  /** What else the bundle depends on besides the sources (the bundler's options, relative to the project). */
  extraKey: string;
  /** The folder bundles are kept in. */
  dir?: string;
  /** The project root the key's files are read under. */
  root?: string;
  /** Told why a bundle was built rather than loaded, or could not be kept. */
  log?: (message: string) => void;
}

/** What {@link cachedWorkflowBundle} did. */
export interface CachedBundle {
  code: string;
  /** `loaded`: read from the cache; `built`: built now (and kept, when the folder could be written). */
  origin: 'loaded' | 'built';
  key: string;
}

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === 'node_modules') continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) out.push(full);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(path.join(root, folder));
  return out;
}

function installedVersion(root: string, pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return 'absent';
  }
}

/** The key of the bundle the project's current sources, lockfile, SDK and `extraKey` give. */
export function workflowBundleKey(extraKey: string, root: string = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  hash.update(`options\0${extraKey}\0`);
  for (const pkg of ['@temporalio/worker', '@temporalio/workflow']) hash.update(`${pkg}\0${installedVersion(root, pkg)}\0`);
  const lockfile = path.join(root, 'package-lock.json');
  for (const file of [lockfile, ...sourceFiles(root)]) {
    hash.update(`${path.relative(root, file)}\0`);
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('absent');
    }
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * The workflow bundle for the current sources: the one kept for their key when there is one, otherwise built now
 * and kept (written to a temporary name and renamed, so a process never reads half a bundle, and processes that
 * build at once each rename a whole one). Bundles of other keys in the folder are removed when one is kept.
 */
export async function cachedWorkflowBundle(options: BundleCacheOptions): Promise<CachedBundle> {
  const dir = options.dir ?? WORKFLOW_BUNDLE_CACHE_DIR;
  const log = options.log ?? (() => {});
  const key = workflowBundleKey(options.extraKey, options.root ?? PROJECT_ROOT);
  const file = path.join(dir, `${BUNDLE_PREFIX}${key}.js`);
  try {
    return { code: readFileSync(file, 'utf8'), origin: 'loaded', key };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') log(`workflow bundle ${key} not read (${(err as Error).message}); bundling`);
  }
  const { code } = await options.build();
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, code);
    renameSync(temporary, file);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(BUNDLE_PREFIX) && name !== path.basename(file) && !name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
    }
  } catch (err) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
    log(`workflow bundle ${key} not kept in ${dir} (${(err as Error).message})`);
  }
  return { code, origin: 'built', key };
}
