import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generateApiKey, hashApiKey } from '../../../src/api/auth';
import { buildApi } from '../../../src/api/server';
import { HandoffApi } from '../../../src/cli/http';
import { csvRows, importRows, jsonlRows, progressBar, summaryText, type ImportProgress } from '../../../src/cli/importProspects';
import { loadConfig } from '../../../src/config';
import { fakeTemporal, ledgerSuppressing } from '../../helpers/fakeStarts';

describe('reading a prospect list', () => {
  test('a CSV row becomes a start request with its file line; unknown columns go into the profile and empty cells are left out', () => {
    const csv = [
      'id,name,email,company,title,time_zone,industry',
      'p-1,Dana Whitfield,dana@northwind.example,Northwind,,Europe/Berlin,logistics',
      '',
      'p-2,"Ortiz, Sam",sam@contoso.example,Contoso,CFO,,',
      'p-3,"Multi',
      'line",x@y.example,Z,,,',
    ].join('\n');
    const rows = csvRows(csv);
    assert.deepEqual(rows[0], {
      line: 2,
      item: { prospect: { id: 'p-1', name: 'Dana Whitfield', email: 'dana@northwind.example', company: 'Northwind', timeZone: 'Europe/Berlin', profile: { industry: 'logistics' } } },
    });
    assert.deepEqual(rows[1], { line: 4, item: { prospect: { id: 'p-2', name: 'Ortiz, Sam', email: 'sam@contoso.example', company: 'Contoso', title: 'CFO' } } });
    assert.equal(rows[2]!.line, 6, 'a quoted cell across lines ends on its last line');
    assert.equal(rows.length, 3);
  });

  test('a JSON Lines row is a start request or a bare prospect; a line that is not JSON is unreadable, with its line', () => {
    const rows = jsonlRows(['{"prospect":{"id":"p-1"},"voice":{}}', '', '{"id":"p-2","name":"Sam"}', '{oops'].join('\n'));
    assert.deepEqual(rows[0], { line: 1, item: { prospect: { id: 'p-1' }, voice: {} } });
    assert.deepEqual(rows[1], { line: 3, item: { prospect: { id: 'p-2', name: 'Sam' } } });
    assert.equal(rows[2]!.line, 4);
    assert.match(rows[2]!.unreadable!, /^not JSON/);
  });
});

describe('what an import prints', () => {
  test('the summary counts each outcome and names the line of every invalid and suppressed row', () => {
    const text = summaryText({
      file: '/tmp/lists/prospects.csv',
      rows: 5,
      counts: { created: 2, existing: 0, suppressed: 1, invalid: 2, refused: 0 },
      invalid: [
        { line: 3, prospectId: 'p-2', problems: ['prospect.email: Invalid email address'] },
        { line: 6, prospectId: null, problems: ['prospect.id: Invalid input', 'prospect.name: Invalid input'] },
      ],
      suppressedLines: [4],
    });
    assert.equal(
      text,
      [
        'prospects.csv: 5 rows: 2 created, 0 existing, 1 suppressed, 2 invalid',
        'suppressed (not contacted): lines 4',
        'invalid rows (not started; fix them and run the import again):',
        '  line 3 (p-2): prospect.email: Invalid email address',
        '  line 6: prospect.id: Invalid input; prospect.name: Invalid input',
      ].join('\n'),
    );
  });

  test('the progress bar fills with the share done', () => {
    const counts = { created: 1, existing: 0, suppressed: 0, invalid: 0, refused: 0 };
    assert.equal(progressBar({ done: 1, total: 4, counts }, 8), '[##------]  25% 1/4  1 created, 0 existing, 0 suppressed, 0 invalid');
    assert.match(progressBar({ done: 0, total: 0, counts }, 4), /^\[####\] 100% 0\/0/);
  });
});

describe('importing a list through the batch endpoint (the API in process, Temporal stood in for)', () => {
  const token = generateApiKey();
  const temporal = fakeTemporal();
  let app: FastifyInstance;
  let api: HandoffApi;

  before(async () => {
    app = buildApi({
      client: temporal.client,
      config: loadConfig({}, '/nonexistent'),
      keys: [{ id: 'outreach-tool', hash: hashApiKey(token), scopes: ['tool'] }],
      claimSecret: 'import-test-claim-secret-0123456789',
      ledger: ledgerSuppressing('left@buyer.example'),
    });
    api = new HandoffApi(await app.listen({ host: '127.0.0.1', port: 0 }), token);
  });
  after(async () => {
    await app.close();
  });

  const list = [
    'id,name,email,company',
    ...Array.from({ length: 7 }, (_, i) => `lead-${i},Lead ${i},lead${i}@buyer.example,Buyer Co`),
    'lead-bad,Bad Address,nowhere,Buyer Co',
    'lead-left,Left Us,left@buyer.example,Buyer Co',
    ',No Id,no.id@buyer.example,Buyer Co',
  ].join('\n');

  test('sends chunks, reports progress after each, and names each invalid and suppressed row by its file line', async () => {
    const seen: ImportProgress[] = [];
    const summary = await importRows(api, 'leads.csv', csvRows(list), 4, (p) => seen.push(structuredClone(p)));
    assert.deepEqual(summary.counts, { created: 7, existing: 0, suppressed: 1, invalid: 2, refused: 0 });
    assert.deepEqual(summary.invalid.map((row) => [row.line, row.prospectId, row.problems.map((p) => p.split(':')[0])]), [
      [9, 'lead-bad', ['prospect.email']],
      [11, null, ['prospect.id']],
    ]);
    assert.deepEqual(summary.suppressedLines, [10]);
    assert.deepEqual(seen.map((p) => p.done), [0, 4, 8, 10]);
    assert.equal(temporal.seen.started.length, 7);
  });

  test('run again, it starts nothing new: what it started is existing', async () => {
    const summary = await importRows(api, 'leads.csv', csvRows(list), 500, () => undefined);
    assert.deepEqual(summary.counts, { created: 0, existing: 7, suppressed: 1, invalid: 2, refused: 0 });
    assert.equal(temporal.seen.started.length, 7);
  });
});
