import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { RosterError } from '../../../src/routing/roster';
import { type RosterLog, RosterStore } from '../../../src/routing/rosterStore';
import { rawRoster, setRep } from './rosterFixture';

function recordingLog(): RosterLog & { infos: Record<string, unknown>[]; errors: Record<string, unknown>[] } {
  const infos: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  return {
    infos,
    errors,
    info: (msg, fields) => infos.push({ msg, ...fields }),
    error: (msg, fields) => errors.push({ msg, ...fields }),
  };
}

describe('roster store', () => {
  let dir: string;
  let edits = 0;

  /** Writes the roster file and gives it a new mtime, as an editor saving it would. */
  async function save(file: string, text: string): Promise<void> {
    await writeFile(file, text);
    edits += 1;
    const stamp = new Date(Date.UTC(2025, 0, 1, 0, 0, edits));
    await utimes(file, stamp, stamp);
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'handoff-roster-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('an edited roster file is picked up on the next use without a restart', async () => {
    const file = path.join(dir, 'reload.yaml');
    await save(file, YAML.stringify(rawRoster()));
    const store = RosterStore.fromFile(file, { log: recordingLog() });
    const first = await store.current();
    assert.equal(first.roster.reps.find((r) => r.id === 'ana')?.away, false);

    const edited = rawRoster();
    setRep(edited, 'ana', { away: true });
    await save(file, YAML.stringify(edited));
    const second = await store.current();
    assert.equal(second.roster.reps.find((r) => r.id === 'ana')?.away, true);
    assert.notEqual(second.policyVersion, first.policyVersion);
  });

  test('an invalid edit is logged by field once and the last good roster stays in force', async () => {
    const file = path.join(dir, 'invalid.yaml');
    await save(file, YAML.stringify(rawRoster()));
    const log = recordingLog();
    const store = RosterStore.fromFile(file, { log });
    const good = await store.current();

    const broken = rawRoster();
    setRep(broken, 'ben', { timeZone: 'Mars/Olympus_Mons' });
    await save(file, YAML.stringify(broken));
    const kept = await store.current();
    const keptAgain = await store.current();
    assert.equal(kept.policyVersion, good.policyVersion);
    assert.equal(keptAgain.policyVersion, good.policyVersion);
    assert.equal(log.errors.length, 1);
    assert.deepEqual(log.errors[0]?.issues, ['reps[2].timeZone: unknown IANA time zone']);
    assert.equal(log.errors[0]?.keptPolicyVersion, good.policyVersion);

    const fixed = rawRoster();
    setRep(fixed, 'ben', { timeZone: 'Europe/Dublin' });
    await save(file, YAML.stringify(fixed));
    const next = await store.current();
    assert.equal(next.roster.reps.find((r) => r.id === 'ben')?.timeZone, 'Europe/Dublin');
  });

  test('a deleted roster file leaves the last good roster in force', async () => {
    const file = path.join(dir, 'deleted.yaml');
    await save(file, YAML.stringify(rawRoster()));
    const log = recordingLog();
    const store = RosterStore.fromFile(file, { log });
    const good = await store.current();
    await rm(file);
    assert.equal((await store.current()).policyVersion, good.policyVersion);
    assert.equal(log.errors.length, 1);
  });

  test('a roster that is invalid from the start is an error for the caller', async () => {
    const file = path.join(dir, 'never-good.yaml');
    await save(file, 'reps: []\nteams: []\n');
    const store = RosterStore.fromFile(file, { log: recordingLog() });
    await assert.rejects(store.current(), (err: unknown) => {
      assert.ok(err instanceof RosterError);
      assert.deepEqual(
        err.issues.map((i) => i.path),
        ['reps', 'teams'],
      );
      return true;
    });
  });
});
