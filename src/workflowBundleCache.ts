/**
 * The workflow bundle kept on disk between processes. Bundling the workflows with webpack costs about 4.5 s of CPU,
 * and every worker process paid it on start: `handoff start`, each of a cluster's workers, every worker a fault test
 * kills and starts again. The bundle is a pure function of the workflow sources, the bundler's options and the
 * installed packages, so a process whose inputs match a bundle already built loads that one instead.
 *
 * The key is a SHA-256 over every source file (`.ts`, `.js`, `.cjs`, `.mjs`, `.json`) under `workflows/`, `src/`
 * and `activities/` (a superset of what the bundle holds: workflow code imports only `workflows/` and packages at run
 * time; anything it imported from elsewhere would escape the key), `package-lock.json` and npm's record of the tree
 * actually installed (`node_modules/.package-lock.json`, which holds the Temporal SDK's version) and the bundler's
 * options. The key is taken again after bundling, and a bundle whose sources changed meanwhile is not kept. Each kept
 * file ends with a SHA-256 of its code, checked on load: a file that does not match is bundled again. Files live under
 * `node_modules/.cache/handoff/`, as other build tools keep theirs; deleting the folder forces a fresh bundle. Where
 * that folder cannot be written (a read-only image), each process bundles for itself, as before.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The project's root: the folder that holds `package.json`. */
const PROJECT_ROOT = path.resolve(__dirname, '..');
/** Where bundles are kept. */
export const WORKFLOW_BUNDLE_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'handoff');
/** The source folders whose files make up the key. */
const SOURCE_FOLDERS = ['workflows', 'src', 'activities'];
const BUNDLE_PREFIX = 'workflow-bundle-';
/** The file kinds the key reads: what webpack resolves besides packages. */
const SOURCE_EXTENSIONS = ['.ts', '.js', '.cjs', '.mjs', '.json'];
/** The last line of a kept bundle: the SHA-256 of the code before it. */
const TRAILER = '\n//# handoff-bundle-sha256=';
/** A temporary file older than this was left by a process that died writing it. */
const STALE_TEMPORARY_MS = 10 * 60_000;

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
      let isDirectory: boolean;
      try {
        isDirectory = statSync(full).isDirectory();
      } catch {
        continue; // A broken link or a file gone since the listing (an editor's lock or swap file): webpack skips it too.
      }
      if (isDirectory) walk(full);
      else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext))) out.push(full);
    }
  };
  for (const folder of SOURCE_FOLDERS) walk(path.join(root, folder));
  return out;
}

/** The key of the bundle the project's current sources, lockfiles (the SDK's version among them) and `extraKey` give. */
export function workflowBundleKey(extraKey: string, root: string = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  hash.update(`options\0${extraKey}\0`);
  const lockfiles = [path.join(root, 'package-lock.json'), path.join(root, 'node_modules', '.package-lock.json')];
  for (const file of [...lockfiles, ...sourceFiles(root)]) {
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

function digest(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** The code of a kept bundle, or null when its trailer is missing or does not match (a torn or damaged file). */
function verified(kept: string): string | null {
  const at = kept.lastIndexOf(TRAILER);
  if (at < 0) return null;
  const code = kept.slice(0, at);
  return kept.slice(at + TRAILER.length).trim() === digest(code) ? code : null;
}

/** Writes `code` with its trailer to `file` through a temporary file made durable before it is renamed. */
function keep(dir: string, file: string, code: string): void {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `${code}${TRAILER}${digest(code)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (err) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
    throw err;
  }
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(BUNDLE_PREFIX) || name === path.basename(file)) continue;
    const full = path.join(dir, name);
    try {
      if (!name.endsWith('.tmp') || now - statSync(full).mtimeMs > STALE_TEMPORARY_MS) rmSync(full, { force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/**
 * The workflow bundle for the current sources: the one kept for their key when there is one and its checksum holds,
 * otherwise built now and kept (written to a temporary name of this process's own, synced and renamed, so a process
 * never reads half a bundle, and processes that build at once each rename a whole one), unless the sources changed
 * while it was built. Bundles of other keys in the folder, and temporary files a dead process left, are removed when
 * one is kept.
 */
export async function cachedWorkflowBundle(options: BundleCacheOptions): Promise<CachedBundle> {
  const dir = options.dir ?? WORKFLOW_BUNDLE_CACHE_DIR;
  const root = options.root ?? PROJECT_ROOT;
  const log = options.log ?? (() => {});
  const key = workflowBundleKey(options.extraKey, root);
  const file = path.join(dir, `${BUNDLE_PREFIX}${key}.js`);
  try {
    const code = verified(readFileSync(file, 'utf8'));
    if (code !== null) return { code, origin: 'loaded', key };
    log(`workflow bundle ${key} in ${dir} is damaged (its checksum does not match); bundling again`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') log(`workflow bundle ${key} not read (${(err as Error).message}); bundling`);
  }
  const { code } = await options.build();
  if (workflowBundleKey(options.extraKey, root) !== key) {
    log(`workflow bundle ${key} not kept: the sources changed while it was built`);
    return { code, origin: 'built', key };
  }
  try {
    keep(dir, file, code);
  } catch (err) {
    log(`workflow bundle ${key} not kept in ${dir} (${(err as Error).message})`);
  }
  return { code, origin: 'built', key };
}
