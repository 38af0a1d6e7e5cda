import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvRows, jsonlRows, progressBar, summaryText } from '../../../src/cli/importProspects';

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
      counts: { created: 2, existing: 0, suppressed: 1, invalid: 2 },
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
    const counts = { created: 1, existing: 0, suppressed: 0, invalid: 0 };
    assert.equal(progressBar({ done: 1, total: 4, counts }, 8), '[##------]  25% 1/4  1 created, 0 existing, 0 suppressed, 0 invalid');
    assert.match(progressBar({ done: 0, total: 0, counts }, 4), /^\[####\] 100% 0\/0/);
  });
});
