/**
 * Where one cached conversation's heap is, from a heap snapshot of the workflow thread: builds the dominator tree
 * (weak edges left out), takes every workflow's `Activator` (the SDK's per-workflow object, which holds the
 * workflow's module cache, its state and its pending promises), and splits what each dominates by the Activator's
 * field it hangs from, and the module cache by module.
 *
 *   node --max-old-space-size=8000 --import tsx bench/heap/dominators.ts thread-600.heapsnapshot [top]
 */
import { readFileSync } from 'node:fs';

const file = process.argv[2]!;
const top = Number(process.argv[3] ?? 30);
const s = JSON.parse(readFileSync(file, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
};
const nf = s.snapshot.meta.node_fields.length;
const ef = s.snapshot.meta.edge_fields.length;
const nodeTypes = s.snapshot.meta.node_types[0];
const edgeTypes = s.snapshot.meta.edge_types[0];
const N = s.nodes.length / nf;
const typeOf = (n: number) => nodeTypes[s.nodes[n * nf]!]!;
const nameOf = (n: number) => s.strings[s.nodes[n * nf + 1]!]!;
const selfSize = (n: number) => s.nodes[n * nf + 3]!;
const firstEdge = new Uint32Array(N + 1);
for (let n = 0, e = 0; n < N; n++) {
  firstEdge[n] = e;
  e += s.nodes[n * nf + 4]!;
  firstEdge[n + 1] = e;
}
const WEAK = edgeTypes.indexOf('weak');
const edgeTo = (e: number) => s.edges[e * ef + 2]! / nf;
const edgeType = (e: number) => edgeTypes[s.edges[e * ef]!]!;
const edgeName = (e: number) => {
  const t = s.edges[e * ef]!;
  const v = s.edges[e * ef + 1]!;
  return edgeTypes[t] === 'element' || edgeTypes[t] === 'hidden' ? String(v) : s.strings[v]!;
};

// Postorder DFS from the root (node 0), strong edges only.
const post = new Int32Array(N).fill(-1);
const order: number[] = [];
{
  const stack: number[] = [0];
  const it = new Uint32Array(N);
  const seen = new Uint8Array(N);
  seen[0] = 1;
  for (let n = 0; n < N; n++) it[n] = firstEdge[n]!;
  while (stack.length) {
    const n = stack[stack.length - 1]!;
    if (it[n]! < firstEdge[n + 1]!) {
      const e = it[n]!++;
      if (s.edges[e * ef] === WEAK) continue;
      const m = edgeTo(e);
      if (!seen[m]) {
        seen[m] = 1;
        stack.push(m);
      }
    } else {
      stack.pop();
      post[n] = order.length;
      order.push(n);
    }
  }
}
// Predecessors (strong edges, reachable nodes).
const predCount = new Uint32Array(N + 1);
for (let n = 0; n < N; n++) {
  if (post[n] === -1) continue;
  for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) if (s.edges[e * ef] !== WEAK) predCount[edgeTo(e) + 1]!++;
}
for (let n = 0; n < N; n++) predCount[n + 1]! += predCount[n]!;
const preds = new Uint32Array(predCount[N]!);
{
  const fill = predCount.slice();
  for (let n = 0; n < N; n++) {
    if (post[n] === -1) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) if (s.edges[e * ef] !== WEAK) preds[fill[edgeTo(e)]!++] = n;
  }
}
// Cooper, Harvey, Kennedy: iterative dominators over reverse postorder.
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a: number, b: number) => {
  while (a !== b) {
    while (post[a]! < post[b]!) a = idom[a]!;
    while (post[b]! < post[a]!) b = idom[b]!;
  }
  return a;
};
for (let changed = true; changed; ) {
  changed = false;
  for (let i = order.length - 2; i >= 0; i--) {
    const n = order[i]!;
    let d = -1;
    for (let p = predCount[n]!; p < predCount[n + 1]!; p++) {
      const q = preds[p]!;
      if (idom[q] === -1) continue;
      d = d === -1 ? q : intersect(q, d);
    }
    if (d !== -1 && idom[n] !== d) {
      idom[n] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (const n of order) {
  retained[n]! += selfSize(n);
  if (n !== 0 && idom[n]! >= 0) retained[idom[n]!]! += retained[n]!;
}

// Label the subtrees under each Activator.
const activators = [];
for (let n = 0; n < N; n++) if (typeOf(n) === 'object' && nameOf(n) === 'Activator' && post[n] !== -1) activators.push(n);
const label = new Map<number, string>();
for (const a of activators) {
  label.set(a, 'activator (its own fields)');
  for (let e = firstEdge[a]!; e < firstEdge[a + 1]!; e++) {
    const c = edgeTo(e);
    if (idom[c] !== a || label.has(c)) continue;
    label.set(c, `activator.${edgeName(e)}`);
    if (edgeName(e) === 'moduleCache') {
      // Map -> table -> key, value, key, value ...
      for (let e2 = firstEdge[c]!; e2 < firstEdge[c + 1]!; e2++) {
        const table = edgeTo(e2);
        if (idom[table] !== c || typeOf(table) !== 'array') continue;
        label.set(table, 'activator.moduleCache (table)');
        let key: string | undefined;
        for (let e3 = firstEdge[table]!; e3 < firstEdge[table + 1]!; e3++) {
          const m = edgeTo(e3);
          if (typeOf(m) === 'string') key = nameOf(m);
          else if (key !== undefined && typeOf(m) === 'object') {
            if (idom[m] === table) label.set(m, `module ${key}`);
            key = undefined;
          }
        }
      }
    }
  }
}
// Every node under an Activator takes the label of its nearest labelled dominator.
const byLabel = new Map<string, number>();
const underActivator = new Set(activators);
let total = 0;
for (let i = order.length - 1; i >= 0; i--) {
  const n = order[i]!;
  if (label.has(n) && !underActivator.has(n)) {
    /* labelled child: found below */
  }
  let d = n;
  let l: string | undefined;
  while (d !== 0) {
    l = label.get(d);
    if (l) break;
    d = idom[d]!;
  }
  if (!l) continue;
  byLabel.set(l, (byLabel.get(l) ?? 0) + selfSize(n));
  total += selfSize(n);
}
const k = activators.length;
console.log(`${k} Activators; retained by them: ${(total / k / 1024).toFixed(1)} KB each (mean)`);
const rows = [...byLabel.entries()].sort((a, b) => b[1] - a[1]);
for (const [l, bytes] of rows.slice(0, top)) console.log(`${(bytes / k / 1024).toFixed(1).padStart(8)} KB  ${l}`);

// Who holds an Activator: its retainers of the first one, for the report.
const a0 = activators[0];
if (a0 !== undefined) {
  console.log(`\nthe first Activator's dominator chain: ${(() => {
    const chain = [];
    for (let d = idom[a0]!, i = 0; d !== 0 && i < 8; d = idom[d]!, i++) chain.push(`${typeOf(d)}:${nameOf(d).slice(0, 40)} (${(retained[d]! / 1024).toFixed(0)} KB)`);
    return chain.join(' <- ');
  })()}`);
}
// Largest single dominators that are not under an Activator, for what is per conversation elsewhere.
void edgeType;

// What the Activator dominates without a field of its own on the path: grouped by the Activator's child in the
// dominator tree (type:name), and that child's own first strong retainer edge name.
{
  const childOf = new Map<number, number>(); // node -> its ancestor directly under an Activator
  const groups = new Map<string, number>();
  const isActivator = new Set(activators);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    const d = idom[n]!;
    if (isActivator.has(d)) childOf.set(n, n);
    else if (childOf.has(d)) childOf.set(n, childOf.get(d)!);
    const c = childOf.get(n);
    if (c === undefined || label.has(c)) continue;
    // Describe c by its type and name, and by the name of an edge into it from the Activator's subtree.
    let via = '';
    for (let p = predCount[c]!; p < predCount[c + 1]! && !via; p++) {
      const q = preds[p]!;
      for (let e = firstEdge[q]!; e < firstEdge[q + 1]!; e++) if (edgeTo(e) === c && s.edges[e * ef] !== WEAK) { via = `${typeOf(q)}:${nameOf(q).slice(0, 30)} -${edgeName(e)}->`; break; }
    }
    const key = `${via} ${typeOf(c)}:${nameOf(c).slice(0, 50)}`;
    groups.set(key, (groups.get(key) ?? 0) + selfSize(n));
  }
  console.log(`\nunder the Activators, outside their labelled fields (per Activator):`);
  for (const [key, bytes] of [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(bytes / k / 1024).toFixed(1).padStart(8)} KB  ${key}`);
}

// Inside one labelled field (HEAP_FIELD=activator.promiseStackStore): what its nodes are, by type:name.
if (process.env.HEAP_FIELD) {
  const want = process.env.HEAP_FIELD;
  const groups = new Map<string, [number, number]>();
  const lab = new Map<number, string>();
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    const l = label.get(n) ?? lab.get(idom[n]!);
    if (l) lab.set(n, l);
    if (l !== want) continue;
    const key = `${typeOf(n)}:${typeOf(n).includes('string') ? '' : nameOf(n).slice(0, 40)}`;
    const g = groups.get(key) ?? [0, 0];
    g[0] += selfSize(n);
    g[1] += 1;
    groups.set(key, g);
  }
  console.log(`\ninside ${want}, per Activator (bytes, count):`);
  for (const [key, [bytes, count]] of [...groups.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20)) console.log(`${(bytes / k).toFixed(0).padStart(8)} ${(count / k).toFixed(1).padStart(7)}  ${key}`);
  // One string of the field, as an example.
  for (let n = 0; n < N; n++) if (lab.get(n) === want && typeOf(n) === 'string' && nameOf(n).includes('\n')) { console.log(`\nexample:\n${nameOf(n).slice(0, 1500)}`); break; }
}
