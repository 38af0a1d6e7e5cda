/**
 * The two shapes the benchmarks run on: `dev` (the Temporal CLI's dev server on a SQLite file, one worker) and
 * `cluster` (the production Temporal server on PostgreSQL, two workers, as `handoff cluster` runs them), both
 * started by the fault rig. `--shape both` runs the bench once per shape, each in its own process, and prints
 * their figures side by side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import pg from 'pg';
import { FaultRig, type ClusterRigOptions, type FaultRigOptions } from '../test/helpers/faults/rig';
import type { ClusterServer } from '../test/helpers/faults/clusterServer';
import type { RigServer } from '../test/helpers/faults/server';

/** Where the benchmarks run their Temporal figures. */
export type Shape = 'dev' | 'cluster';
const SHAPES: readonly Shape[] = ['dev', 'cluster'];

/**
 * The shapes `--shape` names: `dev`, `cluster` or `both`; `dev` when unset.
 * @throws Error naming the value when it is none of them.
 */
export function parseShapes(value: string | undefined): Shape[] {
  if (value === undefined || value === 'dev') return ['dev'];
  if (value === 'cluster') return ['cluster'];
  if (value === 'both') return [...SHAPES];
  throw new Error(`--shape takes dev, cluster or both (not ${value})`);
}

/** Temporal's persistence and visibility databases in the cluster shape, whose sizes the benchmarks report. */
export const TEMPORAL_DATABASES = ['temporal', 'temporal_visibility'] as const;

/** A running shape: the rig and how to read what the server stores. */
export interface BenchShape {
  shape: Shape;
  rig: FaultRig<RigServer>;
  /** Bytes the Temporal server stores: the SQLite file (with its WAL) or the PostgreSQL databases' sizes. */
  databaseBytes(): Promise<Record<string, number>>;
  /** Every Handoff worker process id. */
  workerPids(): number[];
}

function sqliteBytes(dbFile: string): number {
  return ['', '-wal', '-shm', '-journal'].reduce((sum, suffix) => sum + (existsSync(dbFile + suffix) ? statSync(dbFile + suffix).size : 0), 0);
}

async function postgresBytes(server: ClusterServer): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: await server.databaseUrl('postgres') });
  await client.connect();
  try {
    const sizes: Record<string, number> = {};
    for (const name of TEMPORAL_DATABASES) {
      const row = await client.query<{ size: string }>('SELECT pg_database_size($1)::text AS size', [name]);
      sizes[name] = Number(row.rows[0]!.size);
    }
    return sizes;
  } finally {
    await client.end();
  }
}

/** Starts the rig in `shape` (the cluster shape with its two workers). */
export async function startShape(shape: Shape, options: FaultRigOptions & ClusterRigOptions): Promise<BenchShape> {
  const workerPids = (rig: FaultRig<RigServer>) => [rig.worker, ...rig.otherWorkers].flatMap((w) => (w?.child.pid ? [w.child.pid] : []));
  if (shape === 'dev') {
    const rig = await FaultRig.start(options);
    return { shape, rig, databaseBytes: () => Promise.resolve({ sqlite: sqliteBytes(rig.server.dbFile) }), workerPids: () => workerPids(rig) };
  }
  const { sqlitePragmas: _devOnly, ...clusterOptions } = options;
  const rig = await FaultRig.startCluster(clusterOptions);
  return { shape, rig, databaseBytes: () => postgresBytes(rig.server), workerPids: () => workerPids(rig) };
}

/** The sum of a {@link BenchShape.databaseBytes} answer. */
export function totalBytes(sizes: Record<string, number>): number {
  return Object.values(sizes).reduce((a, b) => a + b, 0);
}

/** A figure row of `bench/results/latest-<shape>.json`. */
interface ShapeRow {
  figure: string;
  value: number;
  floor: number | null;
  unit: string;
  ratio: number | null;
}

/** The results file one shape's run writes. */
export function resultsFile(dir: string, shape: Shape): string {
  return `${dir}/latest-${shape}.json`;
}

/**
 * `--shape both`: runs this bench once per shape in a child process (same arguments, `--shape <one>`), one after
 * the other so they do not share the cores, then prints each figure's value, floor and ratio per shape side by side.
 * @throws Error naming the shape whose run failed.
 */
export function runEachShape(script: string, argv: string[], resultsDir: string): void {
  const args = argv.filter((a, i) => a !== '--shape' && argv[i - 1] !== '--shape');
  for (const shape of SHAPES) {
    console.log(`[bench] shape ${shape}: ${['--shape', shape, ...args].join(' ')}`);
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--shape', shape, ...args], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`the ${shape} shape's bench run failed (exit ${run.status}, signal ${run.signal})`);
  }
  const results = SHAPES.map((shape) => [shape, JSON.parse(readFileSync(resultsFile(resultsDir, shape), 'utf8')) as { rows: ShapeRow[]; loadAverage?: number[] }] as const);
  console.log(sideBySide(Object.fromEntries(results.map(([shape, r]) => [shape, r.rows]))));
  console.log(`load average at the end of each run: ${results.map(([shape, r]) => `${shape} ${(r.loadAverage ?? []).join(' ')}`).join('; ')}`);
}

/** The figures of several shapes as one table: a value, floor and ratio column group per shape. */
export function sideBySide(rows: Record<string, ShapeRow[]>): string {
  const shapes = Object.keys(rows);
  const figures = [...new Set(shapes.flatMap((s) => rows[s]!.map((r) => r.figure)))];
  const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(digits));
  const width = Math.max(6, ...figures.map((f) => f.length));
  const head = `${'figure'.padEnd(width)}  ${shapes.map((s) => `${`${s} value`.padStart(14)} ${'floor'.padStart(10)} ${'ratio'.padStart(7)}`).join('  ')}  unit`;
  const lines = figures.map((figure) => {
    const cells = shapes.map((s) => {
      const r = rows[s]!.find((x) => x.figure === figure);
      return `${fmt(r?.value).padStart(14)} ${fmt(r?.floor).padStart(10)} ${fmt(r?.ratio, 2).padStart(7)}`;
    });
    const unit = shapes.map((s) => rows[s]!.find((x) => x.figure === figure)?.unit).find(Boolean) ?? '';
    return `${figure.padEnd(width)}  ${cells.join('  ')}  ${unit}`;
  });
  return ['', head, ...lines].join('\n');
}
