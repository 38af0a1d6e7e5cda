/**
 * Provisioning of the two Temporal servers Handoff runs on, with nothing downloaded at run time from outside
 * the package registries:
 *
 * - the **dev server** (the Temporal CLI): `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then the project cache,
 *   else built into the cache with `go install` from the Go module proxy;
 * - the **time-skipping test server**: `TEMPORAL_TEST_SERVER_PATH`, then the cache, else resolved from Maven
 *   Central and run through a wrapper that `exec`s java.
 *
 * Idempotent: a second run finds what the first installed and returns at once. A machine with none of the
 * toolchains falls back to the SDK's own download (which needs internet), and says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The Temporal CLI release built by `go install` (the newest one whose go.mod has no `replace` directive). */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
/**
 * The module's hash as the Go checksum database publishes it. Pinned here so that the build verifies the CLI's
 * own source even where sum.golang.org cannot be reached; every dependency is verified by the CLI's go.sum.
 */
export const TEMPORAL_CLI_MODULE_SUM = 'h1:0RZMk14BWxz44Xg6ciDQvpfAMffoG3J7/K03ql80teY=';
/** The time-skipping test server's Maven coordinates; the version is pinned in tools/test-server/pom.xml. */
export const TEST_SERVER_ARTIFACT = 'io.temporal:temporal-test-server';

const projectRoot = path.resolve(__dirname, '..', '..');

/** Where provisioned binaries live: `.cache/` in the project (git-ignored), or `HANDOFF_CACHE_DIR`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.HANDOFF_CACHE_DIR ?? path.join(projectRoot, '.cache'));
}

/** How a server binary was found. `sdk-download` means: none here, let the Temporal SDK download its own. */
export type ServerSource = 'env' | 'path' | 'cache' | 'built' | 'sdk-download';

/** A resolved server executable, or `path: null` when the SDK's own download is the only way left. */
export interface ResolvedServer {
  path: string | null;
  source: ServerSource;
}

/** Thrown when a server cannot be provisioned; the message names what is missing and the variable to set. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  constructor(
    message: string,
    readonly server: 'dev-server' | 'test-server' | 'cluster-server',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Log = (line: string) => void;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function stampMatches(stampFile: string, expected: string): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === expected;
}

/**
 * Runs a long command, streaming a heartbeat so a cold build never sits silent.
 * Resolves with its combined output; rejects with the output's tail when it fails.
 */
function runWithProgress(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; label: string; log: Log },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let lastLine = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      const lines = text.split('\n').filter((l) => l.trim());
      if (lines.length) lastLine = lines[lines.length - 1]!.trim();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const heartbeat = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      options.log(`  … ${options.label}: ${secs}s${lastLine ? ` (${lastLine.slice(0, 100)})` : ''}`);
    }, 15_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(err);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.split('\n').slice(-25).join('\n')}`));
    });
  });
}

/** Go environment for building the CLI: verification kept on everywhere the machine allows it. */
function goBuildEnv(env: NodeJS.ProcessEnv, binDir: string): NodeJS.ProcessEnv {
  const noSumDb = [env.GONOSUMDB, TEMPORAL_CLI_MODULE].filter(Boolean).join(',');
  return {
    ...env,
    GOBIN: binDir,
    // The checksum database may be out of reach (only the module proxy is): skip it for the CLI module alone,
    // whose hash we pin and check ourselves; every dependency is still checked against the CLI's go.sum.
    GONOSUMDB: noSumDb,
    GOFLAGS: [env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' '),
  };
}

async function buildTemporalCli(binDir: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  const go = which('go', env);
  if (!go) throw new Error('go not found');
  mkdirSync(binDir, { recursive: true });
  const buildEnv = goBuildEnv(env, binDir);
  const spec = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  log(`• Temporal CLI: verifying ${spec} from the Go module proxy`);
  const info = JSON.parse(
    await runWithProgress(go, ['mod', 'download', '-json', spec], {
      env: buildEnv,
      cwd: binDir,
      label: 'downloading the CLI module',
      log,
    }),
  ) as { Sum?: string; Error?: string };
  if (info.Sum !== TEMPORAL_CLI_MODULE_SUM) {
    throw new Error(`${spec} has hash ${info.Sum ?? '(none)'}, expected ${TEMPORAL_CLI_MODULE_SUM}: refusing to build it`);
  }
  log(`• Temporal CLI: building ${spec} with go install (a cold build takes a few minutes)`);
  await runWithProgress(go, ['install', `${TEMPORAL_CLI_MODULE}/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: buildEnv,
    cwd: binDir,
    label: 'building the Temporal CLI',
    log,
  });
  return path.join(binDir, 'temporal');
}

/**
 * Finds or builds the Temporal CLI (the dev server).
 * @throws ProvisionError when nothing is found, nothing can be built, and `allowSdkDownload` is false.
 */
export async function provisionDevServer(
  options: { env?: NodeJS.ProcessEnv; log?: Log; allowSdkDownload?: boolean } = {},
): Promise<ResolvedServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new ProvisionError(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`, 'dev-server');
    }
    log(`✓ Temporal CLI: ${fromEnv} (TEMPORAL_CLI_PATH)`);
    return { path: fromEnv, source: 'env' };
  }
  const onPath = which('temporal', env);
  if (onPath) {
    log(`✓ Temporal CLI: ${onPath} (on PATH)`);
    return { path: onPath, source: 'path' };
  }
  const binDir = path.join(cacheDir(env), 'bin');
  const cached = path.join(binDir, 'temporal');
  const stamp = path.join(binDir, 'temporal.version');
  if (isExecutable(cached) && stampMatches(stamp, TEMPORAL_CLI_VERSION)) {
    log(`✓ Temporal CLI: ${cached} (${TEMPORAL_CLI_VERSION}, project cache)`);
    return { path: cached, source: 'cache' };
  }
  if (which('go', env)) {
    try {
      const built = await buildTemporalCli(binDir, env, log);
      writeFileSync(stamp, `${TEMPORAL_CLI_VERSION}\n`);
      log(`✓ Temporal CLI: built ${built}`);
      return { path: built, source: 'built' };
    } catch (err) {
      throw new ProvisionError(
        `could not build the Temporal CLI with go: ${(err as Error).message}\n` +
          'Set TEMPORAL_CLI_PATH to an existing temporal binary instead.',
        'dev-server',
        { cause: err },
      );
    }
  }
  if (options.allowSdkDownload ?? true) {
    log('! Temporal CLI: no TEMPORAL_CLI_PATH, no temporal on PATH and no go toolchain; the Temporal SDK will download its own (needs internet)');
    return { path: null, source: 'sdk-download' };
  }
  throw new ProvisionError(
    'Temporal CLI missing: install Go (to build it) or set TEMPORAL_CLI_PATH to an existing temporal binary.',
    'dev-server',
  );
}

/** Reads the pinned test server version from tools/test-server/pom.xml. */
export function pinnedTestServerVersion(): string {
  const pom = readFileSync(path.join(projectRoot, 'tools', 'test-server', 'pom.xml'), 'utf8');
  const match = /<temporal\.test\.server\.version>([^<]+)</.exec(pom);
  if (!match?.[1]) throw new Error('tools/test-server/pom.xml does not pin temporal.test.server.version');
  return match[1];
}

/**
 * Finds or resolves the time-skipping test server.
 * @throws ProvisionError when neither a path, the cache, nor java + Maven is available and downloads are not allowed.
 */
export async function provisionTestServer(
  options: { env?: NodeJS.ProcessEnv; log?: Log; allowSdkDownload?: boolean } = {},
): Promise<ResolvedServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const fromEnv = env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new ProvisionError(`TEMPORAL_TEST_SERVER_PATH=${fromEnv} is not an executable file`, 'test-server');
    }
    log(`✓ Test server: ${fromEnv} (TEMPORAL_TEST_SERVER_PATH)`);
    return { path: fromEnv, source: 'env' };
  }
  const version = pinnedTestServerVersion();
  const dir = path.join(cacheDir(env), 'test-server');
  const wrapper = path.join(dir, 'temporal-test-server');
  const stamp = path.join(dir, 'version');
  if (isExecutable(wrapper) && stampMatches(stamp, version)) {
    log(`✓ Test server: ${wrapper} (${TEST_SERVER_ARTIFACT}:${version}, project cache)`);
    return { path: wrapper, source: 'cache' };
  }
  const java = which('java', env);
  const mvn = which('mvn', env);
  if (java && mvn) {
    const lib = path.join(dir, 'lib');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(lib, { recursive: true });
    log(`• Test server: resolving ${TEST_SERVER_ARTIFACT}:${version} and its runtime dependencies from Maven Central`);
    try {
      await runWithProgress(
        mvn,
        [
          '-B',
          '-q',
          '-f',
          path.join(projectRoot, 'tools', 'test-server', 'pom.xml'),
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${lib}`,
        ],
        { env, cwd: dir, label: 'resolving the test server', log },
      );
    } catch (err) {
      throw new ProvisionError(
        `could not resolve the test server with Maven: ${(err as Error).message}\n` +
          'Set TEMPORAL_TEST_SERVER_PATH to an existing test server executable instead.',
        'test-server',
        { cause: err },
      );
    }
    // The SDK starts this file and later kills the process it started: exec keeps that process the JVM itself.
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        '# Temporal time-skipping test server, resolved from Maven Central by `npm run provision`.',
        '# Usage: temporal-test-server <port>',
        `exec "${java}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "${lib}/*" io.temporal.testserver.TestServer "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    writeFileSync(stamp, `${version}\n`);
    log(`✓ Test server: ${wrapper}`);
    return { path: wrapper, source: 'built' };
  }
  if (options.allowSdkDownload ?? true) {
    log('! Test server: no TEMPORAL_TEST_SERVER_PATH and no java + mvn; the Temporal SDK will download its own (needs internet)');
    return { path: null, source: 'sdk-download' };
  }
  throw new ProvisionError(
    `Test server missing: install java and maven (to resolve ${TEST_SERVER_ARTIFACT}) or set TEMPORAL_TEST_SERVER_PATH to an existing test server.`,
    'test-server',
  );
}

/**
 * Builds the main packages of a Go module under tools/ into the cache (`go build`, dependencies pinned and verified
 * by the module's go.sum; the checksum database is not needed). Rebuilds only when one of the module's files
 * changed since the last build. Returns null when Go is missing.
 */
async function provisionGoTool(
  tool: { module: string; label: string; binaries: Record<string, string> },
  options: { env: NodeJS.ProcessEnv; log: Log },
): Promise<Record<string, string> | null> {
  const { env, log } = options;
  const source = path.join(projectRoot, 'tools', tool.module);
  const binDir = path.join(cacheDir(env), 'bin');
  const names = Object.keys(tool.binaries);
  const stamp = path.join(binDir, `${tool.module}.source`);
  const files = readdirSync(source).filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go')).sort();
  const fingerprint = hashOf(files.map((f) => `${f}\0${readFileSync(path.join(source, f), 'utf8')}`).join('\0'));
  const built = Object.fromEntries(names.map((name) => [name, path.join(binDir, name)]));
  if (names.every((name) => isExecutable(built[name]!)) && stampMatches(stamp, fingerprint)) {
    log(`✓ ${tool.label}: ${names.join(', ')} in ${binDir} (project cache)`);
    return built;
  }
  const go = which('go', env);
  if (!go) {
    log(`! ${tool.label}: no go toolchain to build ${names.join(', ')}`);
    return null;
  }
  mkdirSync(binDir, { recursive: true });
  const buildEnv = { ...env, GOFLAGS: [env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' ') };
  for (const [name, pkg] of Object.entries(tool.binaries)) {
    log(`• ${tool.label}: building ${name} (${pkg}) from the Go module proxy`);
    await runWithProgress(go, ['build', '-o', built[name]!, pkg], { env: buildEnv, cwd: source, label: `building ${name}`, log });
  }
  writeFileSync(stamp, `${fingerprint}\n`);
  log(`✓ ${tool.label}: built ${names.join(', ')} in ${binDir}`);
  return built;
}

/**
 * Builds `compose-check` (tools/compose-check: Docker Compose's own parser, compose-go) into the cache, for the
 * test that validates docker-compose.yml where no Docker engine runs. Returns null when Go is missing.
 */
export async function provisionComposeCheck(options: { env?: NodeJS.ProcessEnv; log?: Log } = {}): Promise<string | null> {
  const built = await provisionGoTool(
    { module: 'compose-check', label: 'compose-check', binaries: { 'compose-check': '.' } },
    { env: options.env ?? process.env, log: options.log ?? (() => {}) },
  );
  return built?.['compose-check'] ?? null;
}

/** The production Temporal server's version, built from tools/temporal-server (the one the CLI embeds). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';

/** The binaries of the cluster shape (`handoff cluster`), built from tools/temporal-server. */
export interface ClusterBinaries {
  /** `go.temporal.io/server/cmd/server`: frontend, history, matching and worker services. */
  server: string;
  /** `go.temporal.io/server/cmd/tools/sql`: creates and migrates the schemas (they are embedded in it). */
  sqlTool: string;
  /** `github.com/temporalio/ui-server/v2/cmd/server`: the Temporal Web UI. */
  uiServer: string;
}

/**
 * Builds the Temporal server, its SQL schema tool and the Web UI server into the cache from tools/temporal-server,
 * whose go.mod pins the dependency versions of the Temporal CLI (so a machine that built the CLI mostly links).
 * @throws ProvisionError when Go is missing or the build fails.
 */
export async function provisionClusterBinaries(options: { env?: NodeJS.ProcessEnv; log?: Log } = {}): Promise<ClusterBinaries> {
  let built: Record<string, string> | null;
  try {
    built = await provisionGoTool(
      {
        module: 'temporal-server',
        label: `Temporal server ${TEMPORAL_SERVER_VERSION}`,
        binaries: {
          'temporal-server': 'go.temporal.io/server/cmd/server',
          'temporal-sql-tool': 'go.temporal.io/server/cmd/tools/sql',
          'temporal-ui-server': 'github.com/temporalio/ui-server/v2/cmd/server',
        },
      },
      { env: options.env ?? process.env, log: options.log ?? (() => {}) },
    );
  } catch (err) {
    throw new ProvisionError(`could not build the Temporal server with go: ${(err as Error).message}`, 'cluster-server', { cause: err });
  }
  if (!built) throw new ProvisionError('the Temporal server is built from source with Go: install Go (golang-go)', 'cluster-server');
  return { server: built['temporal-server']!, sqlTool: built['temporal-sql-tool']!, uiServer: built['temporal-ui-server']! };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Everything provisioning installs, as the test suite and the benchmarks need it. */
export interface Provisioned {
  devServer: ResolvedServer;
  testServer: ResolvedServer;
  composeCheck: string | null;
  cluster: ClusterBinaries;
}

/** Provisions both servers, the Compose checker and the cluster shape's binaries, printing each step. */
export async function provisionAll(options: { env?: NodeJS.ProcessEnv; log?: Log } = {}): Promise<Provisioned> {
  const devServer = await provisionDevServer(options);
  const testServer = await provisionTestServer(options);
  const composeCheck = await provisionComposeCheck(options);
  const cluster = await provisionClusterBinaries(options);
  return { devServer, testServer, composeCheck, cluster };
}

/** `handoff provision`: provisions both servers and prints what it did. */
export async function provisionCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log('usage: handoff provision\n\nFinds or installs the Temporal dev server, the time-skipping test server and the cluster shape\'s Temporal server and Web UI into .cache/.');
    return 0;
  }
  const log = (line: string) => console.log(line);
  log('Provisioning Temporal servers');
  try {
    const { devServer, testServer } = await provisionAll({ log });
    if (devServer.path) {
      const version = spawnSync(devServer.path, ['--version'], { encoding: 'utf8' }).stdout.trim();
      log(`  dev server: ${version}`);
    }
    if (testServer.source === 'sdk-download' || devServer.source === 'sdk-download') {
      log('  (an SDK download needs internet; offline, set TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH)');
    }
    return 0;
  } catch (err) {
    if (err instanceof ProvisionError) {
      console.error(`handoff provision: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
