/**
 * Compares two heap snapshots of the workflow thread (from `cachedConversations.ts --snapshot-dir`): what the
 * added conversations hold, per conversation, by node type and constructor (or closure) name, and closures by the
 * module of the bundle they were created in.
 *
 *   node --max-old-space-size=8000 --import tsx bench/heap/summarise.ts A.heapsnapshot B.heapsnapshot <conversations added> [bundle.js] [top]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; location_fields: string[] } };
  nodes: number[];
  strings: string[];
  locations: number[];
}

type Key = string;

function moduleLines(bundlePath: string | undefined): ((line: number) => string) | undefined {
  if (!bundlePath) return undefined;
  const lines = readFileSync(bundlePath, 'utf8').split('\n');
  const starts: [number, string][] = [];
  lines.forEach((l, i) => {
    const m = /^\/\*\*\*\/ "([^"]+)":?$/.exec(l);
    if (m) starts.push([i, m[1]!]);
  });
  return (line: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle runtime)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= line) {
        found = starts[mid]![1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function aggregate(file: string, moduleOf?: (line: number) => string): { byName: Map<Key, [number, number]>; byModule: Map<Key, [number, number]>; total: number } {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const f = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const nf = f.length;
  const iType = f.indexOf('type');
  const iName = f.indexOf('name');
  const iSize = f.indexOf('self_size');
  const byName = new Map<Key, [number, number]>();
  const byModule = new Map<Key, [number, number]>();
  let total = 0;
  const add = (m: Map<Key, [number, number]>, k: Key, size: number) => {
    const e = m.get(k) ?? [0, 0];
    e[0] += size;
    e[1] += 1;
    m.set(k, e);
  };
  const locationOf = new Map<number, number>();
  const lf = s.snapshot.meta.location_fields ?? [];
  if (lf.length) {
    const li = lf.indexOf('object_index');
    const ll = lf.indexOf('line');
    for (let i = 0; i < s.locations.length; i += lf.length) locationOf.set(s.locations[i + li]!, s.locations[i + ll]!);
  }
  for (let i = 0; i < s.nodes.length; i += nf) {
    const type = types[s.nodes[i + iType]!]!;
    const name = s.strings[s.nodes[i + iName]!]!;
    const size = s.nodes[i + iSize]!;
    total += size;
    const short = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : name.slice(0, 60);
    add(byName, `${type}:${short}`, size);
    if (moduleOf && type === 'closure') {
      const line = locationOf.get(i);
      add(byModule, line === undefined ? '(no location)' : moduleOf(line), size);
    }
  }
  return { byName, byModule, total };
}

const [a, b, nArg, bundle, topArg] = process.argv.slice(2);
const n = Number(nArg);
const top = Number(topArg ?? 40);
const moduleOf = moduleLines(bundle);
const A = aggregate(a!, moduleOf);
const B = aggregate(b!, moduleOf);
console.log(`total self size ${(A.total / 1e6).toFixed(1)} → ${(B.total / 1e6).toFixed(1)} MB: ${((B.total - A.total) / n / 1024).toFixed(1)} KB per conversation`);
const diff = (x: Map<Key, [number, number]>, y: Map<Key, [number, number]>) =>
  [...new Set([...x.keys(), ...y.keys()])]
    .map((k) => ({ k, bytes: ((y.get(k)?.[0] ?? 0) - (x.get(k)?.[0] ?? 0)) / n, count: ((y.get(k)?.[1] ?? 0) - (x.get(k)?.[1] ?? 0)) / n }))
    .sort((p, q) => q.bytes - p.bytes);
console.log('\nper conversation, by type:name (bytes, count)');
for (const d of diff(A.byName, B.byName).slice(0, top)) console.log(`${d.bytes.toFixed(0).padStart(8)} ${d.count.toFixed(1).padStart(7)}  ${d.k}`);
if (moduleOf) {
  console.log('\nper conversation, closures by the module that created them (bytes, count)');
  for (const d of diff(A.byModule, B.byModule).slice(0, top)) console.log(`${d.bytes.toFixed(0).padStart(8)} ${d.count.toFixed(1).padStart(7)}  ${d.k}`);
}
