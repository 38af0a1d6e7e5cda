import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { contractSchemas } from '../../../workflows/contract';

const WORKFLOWS = path.resolve(__dirname, '..', '..', '..', 'workflows');
const SHARED = path.join(WORKFLOWS, 'sharedModules.ts');

/** The modules a file imports at run time (type-only imports left out), resolved to files or package names. */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?(?:([^;]*?)\s+from\s+)?'([^']+)';/gms)) {
    const [, typeOnly, clause, spec] = m;
    if (typeOnly) continue;
    // `import { type A, type B } from 'x'` is erased too.
    if (clause && /^\{[^}]*\}$/s.test(clause.trim()) && clause.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((s) => s.startsWith('type'))) continue;
    found.push(spec!.startsWith('.') ? `${path.resolve(path.dirname(file), spec!)}.ts` : spec!);
  }
  return found;
}

/** Every module the shared modules load, with what first led to it. */
function sharedClosure(): Map<string, string> {
  const seen = new Map<string, string>([[SHARED, '(entry)']]);
  const queue = [SHARED];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const dep of runtimeImports(file)) {
      if (seen.has(dep)) continue;
      seen.set(dep, file);
      if (dep.endsWith('.ts')) queue.push(dep);
    }
  }
  return seen;
}

test('the shared modules never load @temporalio/workflow or the messages module, whose state is per workflow', () => {
  const closure = sharedClosure();
  for (const [dep, from] of closure) {
    assert.ok(!dep.startsWith('@temporalio/workflow'), `${path.relative(WORKFLOWS, from)} imports ${dep}`);
    assert.notEqual(dep, path.join(WORKFLOWS, 'messages.ts'), `${path.relative(WORKFLOWS, from)} imports ./messages`);
    if (dep.endsWith('.ts')) assert.ok(dep.startsWith(WORKFLOWS), `${path.relative(WORKFLOWS, from)} imports ${dep}, outside workflows/`);
  }
  // The packages they may load: zod and @temporalio/common (which the SDK already shares).
  const packages = [...closure.keys()].filter((d) => !d.endsWith('.ts'));
  assert.deepEqual([...new Set(packages)].sort(), ['@temporalio/common', 'zod']);
});

test('the pure workflow modules are shared', () => {
  const closure = sharedClosure();
  for (const name of ['bounds', 'localClock', 'workingTime', 'meetings', 'permissions', 'searchAttributes', 'suppression', 'conversation/escalation', 'conversation/memory', 'conversation/tasks']) {
    assert.ok(closure.has(path.join(WORKFLOWS, `${name}.ts`)), `workflows/${name}.ts is preloaded`);
  }
});

test("the recorded-input schemas of the reps' updates are built with the contract, once", () => {
  const schemas = contractSchemas();
  assert.equal(contractSchemas().RecordedCloseInputSchema, schemas.RecordedCloseInputSchema);
  // Recorded input from before updates carried an actor still parses; the validators' schemas still require it.
  const closeWithoutActor = { outcome: 'won', repId: 'dana' };
  assert.equal(schemas.RecordedCloseInputSchema.safeParse(closeWithoutActor).success, true);
  assert.equal(schemas.CloseInputSchema.safeParse(closeWithoutActor).success, false);
  const reassignWithoutChannels = { repId: 'sam', by: 'dana' };
  assert.equal(schemas.RecordedReassignInputSchema.safeParse(reassignWithoutChannels).success, true);
  assert.equal(schemas.ReassignInputSchema.safeParse(reassignWithoutChannels).success, false);
});
