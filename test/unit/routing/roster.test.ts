import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseRoster, RosterError, validateRoster } from '../../../src/routing/roster';
import { rawRoster, roster, setRep } from './rosterFixture';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RosterError, `expected a RosterError, got ${String(err)}`);
    return err.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  assert.fail('expected the roster to be refused');
}

describe('roster file', () => {
  test('the example roster validates, with defaults filled in', () => {
    const file = path.join(__dirname, '../../../examples/roster.yaml');
    const { roster: example } = parseRoster(readFileSync(file, 'utf8'), file);
    assert.equal(example.reps.length, 5);
    assert.deepEqual(example.policy.ladders.default, ['owner_then_skill', 'skill', 'lead', 'team']);
    const maria = example.reps.find((rep) => rep.id === 'maria');
    assert.deepEqual(maria?.workingHours, { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] });
    assert.deepEqual(maria?.channels, ['slack', 'email']);
    assert.equal(example.accounts['acme.com'], 'ana');
  });

  test('an unknown time zone is named by its field path', () => {
    const raw = rawRoster();
    setRep(raw, 'ben', { timeZone: 'Europe/Atlantis' });
    assert.deepEqual(
      issuesOf(() => validateRoster(raw)),
      ['reps[2].timeZone: unknown IANA time zone'],
    );
  });

  test('a rep’s booking link and free/busy calendar are web addresses; anything else is named by its field path', () => {
    const raw = rawRoster();
    setRep(raw, 'ana', { bookingUrl: 'https://cal.example.com/ana', freeBusyUrl: 'https://calendar.example.com/ana/basic.ics' });
    const ana = validateRoster(raw).roster.reps.find((r) => r.id === 'ana')!;
    assert.equal(ana.bookingUrl, 'https://cal.example.com/ana');
    assert.equal(ana.freeBusyUrl, 'https://calendar.example.com/ana/basic.ics');
    setRep(raw, 'ana', { bookingUrl: 'calendly ana', freeBusyUrl: 'file:///etc/passwd' });
    const issues = issuesOf(() => validateRoster(raw));
    assert.ok(issues.some((i) => i.startsWith('reps[0].bookingUrl:')));
    assert.ok(issues.some((i) => i.startsWith('reps[0].freeBusyUrl:')));
  });

  test('malformed working hours and unknown skills are named by their field paths', () => {
    const raw = rawRoster();
    setRep(raw, 'ana', { workingHours: { start: '9am', end: '17:00', days: [8] }, skills: ['golf'] });
    const issues = issuesOf(() => validateRoster(raw));
    assert.ok(issues.some((i) => i.startsWith('reps[0].workingHours.start:')));
    assert.ok(issues.some((i) => i.startsWith('reps[0].workingHours.days[0]:')));
    assert.ok(issues.some((i) => i.startsWith('reps[0].skills[0]:')));
  });

  test('references to reps and teams that do not exist are refused, each by its field', () => {
    const raw = rawRoster();
    raw.teams[0]!.lead = 'zed';
    raw.teams[1]!.members = ['ana', 'nobody'];
    raw.managers = ['boss'];
    raw.accounts = { 'acme.com': 'ghost' };
    setRep(raw, 'otto', { team: 'apac' });
    raw.policy = { defaultTeam: 'emea' };
    assert.deepEqual(
      issuesOf(() => validateRoster(raw)),
      [
        'teams[0].lead: unknown rep "zed"',
        'teams[1].members[1]: unknown rep "nobody"',
        'reps[5].team: unknown team "apac"',
        'managers[0]: unknown rep "boss"',
        'accounts.acme.com: unknown rep "ghost"',
        'policy.defaultTeam: unknown team "emea"',
      ],
    );
  });

  test('duplicate rep ids are refused', () => {
    const raw = rawRoster();
    setRep(raw, 'ben', { id: 'ana' });
    assert.deepEqual(
      issuesOf(() => validateRoster(raw)),
      ['reps[2].id: duplicate rep id "ana"', 'teams[0].members[2]: unknown rep "ben"'],
    );
  });

  test('YAML that does not parse is refused with the parser message', () => {
    const issues = issuesOf(() => parseRoster('reps: [\n  - id: ana', 'broken.yaml'));
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, /^\(root\): /);
  });

  test('a validated roster validates again unchanged', () => {
    const once = roster();
    assert.deepEqual(validateRoster(once.roster), once);
  });

  test('the policy version follows the content, not the formatting', () => {
    const yaml = 'reps:\n  - { id: ana, name: Ana, email: ana@example.com, timeZone: UTC }\nteams:\n  - { id: t, lead: ana }\n';
    const reformatted = `# a comment\n${yaml.replace('{ id: t, lead: ana }', '{ lead: ana, id: t }')}`;
    const changed = yaml.replace('name: Ana', 'name: Anna');
    assert.equal(parseRoster(yaml).policyVersion, parseRoster(reformatted).policyVersion);
    assert.notEqual(parseRoster(yaml).policyVersion, parseRoster(changed).policyVersion);
    assert.equal(roster().policyVersion, roster().policyVersion);
  });
});
