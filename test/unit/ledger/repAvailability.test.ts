import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generateApiKey, hashApiKey } from '../../../src/api/auth';
import { buildApi } from '../../../src/api/server';
import { HandoffApi } from '../../../src/cli/http';
import { repCommand, untilFrom } from '../../../src/cli/rep';
import { loadConfig } from '../../../src/config';
import { RosterStore } from '../../../src/routing/rosterStore';
import { fakeTemporal } from '../../helpers/fakeStarts';
import { ROSTER_FIXTURE } from '../../helpers/conversation';
import { createSqliteLedger } from '../../../src/ledger/sqlite';
import type { LedgerStore } from '../../../src/ledger/store';
import { withAvailability } from '../../../src/routing/availability';
import { roster } from '../routing/rosterFixture';

describe("reps' availability over the roster's", () => {
  let dir: string;
  let ledger: LedgerStore;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'handoff-availability-'));
    ledger = createSqliteLedger(path.join(dir, 'ledger.sqlite'));
    await ledger.migrate();
  });
  after(async () => {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a rep set out of office until Monday is unavailable until then, and not after', async () => {
    await ledger.availability.set({ repId: 'ana', status: 'out_of_office', until: '2026-03-09T08:00:00.000Z', note: 'conference', setBy: 'key-ana' });
    assert.equal((await ledger.availability.get('ana', new Date('2026-03-06T12:00:00Z')))?.status, 'out_of_office');
    assert.equal(await ledger.availability.get('ana', new Date('2026-03-09T08:00:00Z')), null);
    assert.deepEqual((await ledger.availability.inForce(new Date('2026-03-06T12:00:00Z'))).map((e) => e.repId), ['ana']);
  });

  test('setting a rep again replaces the entry, and setting them back removes it', async () => {
    await ledger.availability.set({ repId: 'ben', status: 'away', until: null, note: null, setBy: 'ops' });
    await ledger.availability.set({ repId: 'ben', status: 'out_of_office', until: null, note: 'parental leave', setBy: 'ops' });
    assert.equal((await ledger.availability.get('ben'))?.note, 'parental leave');
    assert.equal(await ledger.availability.clear('ben'), true);
    assert.equal(await ledger.availability.get('ben'), null);
    assert.equal(await ledger.availability.clear('ben'), false);
  });

  test('routing sees a rep with an entry in force as away, and everyone else as the roster has them', () => {
    const snapshot = roster();
    const [first, second] = snapshot.roster.reps;
    const at = new Date('2026-03-06T12:00:00Z');
    const seen = withAvailability(snapshot, [{ repId: first!.id, status: 'away', until: null }, { repId: second!.id, status: 'away', until: '2026-03-01T00:00:00Z' }], at);
    assert.equal(seen.roster.reps.find((r) => r.id === first!.id)?.away, true);
    assert.equal(seen.roster.reps.find((r) => r.id === second!.id)?.away, second!.away, 'an entry that has ended does not count');
    assert.equal(snapshot.roster.reps[0]?.away, first!.away, 'the roster itself is left as it was');
  });

  test('--until takes an ISO time or a duration from now, and names a value that is neither', () => {
    assert.equal(untilFrom('2026-03-09T09:00:00+01:00'), '2026-03-09T08:00:00.000Z');
    assert.equal(untilFrom('2 hours', Date.parse('2026-03-06T12:00:00Z')), '2026-03-06T14:00:00.000Z');
    assert.throws(() => untilFrom('next tuesday'), /--until: next tuesday is neither/);
  });
});

describe('handoff rep, through the API in process (Temporal stood in for)', () => {
  const token = generateApiKey();
  let dir: string;
  let ledger: LedgerStore;
  let app: FastifyInstance;
  let api: HandoffApi;
  const printed: string[] = [];
  const run = async (...argv: string[]) => {
    const log = console.log;
    console.log = (line: string) => void printed.push(line);
    try {
      return await repCommand(argv, () => api);
    } finally {
      console.log = log;
    }
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'handoff-rep-cli-'));
    ledger = createSqliteLedger(path.join(dir, 'ledger.sqlite'));
    await ledger.migrate();
    app = buildApi({
      client: fakeTemporal().client,
      config: loadConfig({}, '/nonexistent'),
      keys: [{ id: 'ops', hash: hashApiKey(token), scopes: ['admin'] }],
      claimSecret: 'rep-test-claim-secret-0123456789',
      roster: RosterStore.fromFile(ROSTER_FIXTURE, { log: { info: () => {}, error: () => {} } }),
      ledger,
    });
    api = new HandoffApi(await app.listen({ host: '127.0.0.1', port: 0 }), token);
  });
  after(async () => {
    await app.close();
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('rep ooo sets a rep out of office until a time, show reads it, back clears it', async () => {
    assert.equal(await run('ooo', 'dana', '--until', '2 days', '--note', 'conference'), 0);
    assert.match(printed.at(-1)!, /^dana is out of office until 20\d\d-.*\(conference\)$/);
    assert.equal((await ledger.availability.get('dana'))?.status, 'out_of_office');
    assert.equal(await run('show', 'dana'), 0);
    assert.match(printed.at(-1)!, /out of office/);
    assert.equal(await run('back', 'dana'), 0);
    assert.equal(printed.at(-1), 'dana is available');
    assert.equal(await ledger.availability.get('dana'), null);
  });

  test('a rep the roster lacks is refused by the API with its reason', async () => {
    await assert.rejects(run('away', 'zed'), /zed is not in the roster/);
  });
});
