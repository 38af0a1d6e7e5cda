import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyReply, loadRuleSet, parseReturnDate, parseSnoozeDate, referenceDay } from '../../../src/triggers';

const rules = loadRuleSet();
/** A Sunday. */
const receivedAt = '2026-03-01T09:00:00Z';
const ref = referenceDay(receivedAt);

function returnDateOf(text: string, at = receivedAt): string | null {
  const c = classifyReply(text, rules, { receivedAt: at });
  assert.ok(c.labels.includes('out_of_office'), `not out of office: ${c.labels.join(', ')}`);
  return c.returnDate;
}

function snoozeOf(text: string, at = receivedAt): string | null {
  const c = classifyReply(text, rules, { receivedAt: at });
  assert.ok(c.labels.includes('not_now'), `not not_now: ${c.labels.join(', ')}`);
  return c.snoozeUntil;
}

describe('out-of-office return dates', () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ['an English month and ordinal', 'Out of office. Back on March 3rd.', '2026-03-03'],
    ['an English day and month', "Out of office: I'm on leave and will return on 1 October.", '2026-10-01'],
    ['an ISO date', 'Automatic reply: out of the office until 2026-12-03.', '2026-12-03'],
    ['a US numeric date (month first in English)', 'Out of office, returning 03/12/2026.', '2026-03-12'],
    ['an English numeric date whose first number cannot be a month', 'Out of office, returning 14/03/2026.', '2026-03-14'],
    ['a German date', 'Abwesenheitsnotiz: Ich bin zurück am 3. Dezember.', '2026-12-03'],
    ['a German numeric date (day first)', 'Ich bin bis 12.03.2026 nicht im Büro.', '2026-03-12'],
    ['a German weekday with a date', 'Automatische Antwort: Ich bin im Urlaub und ab Montag, dem 3. Juni, wieder erreichbar.', '2026-06-03'],
    ['a French date', 'Réponse automatique : je suis absent, de retour le 3 décembre.', '2026-12-03'],
    ['a French "1er"', "Je suis en congés jusqu'au 1er avril.", '2026-04-01'],
    ['a French numeric date (day first)', 'Réponse automatique : absent, de retour le 03/04/2026.', '2026-04-03'],
    ['a Spanish date', 'Respuesta automática: estoy de vacaciones, regreso el 3 de diciembre.', '2026-12-03'],
    ['a Portuguese date', 'Resposta automática: estou de férias, volto em 3 de dezembro.', '2026-12-03'],
    ['a Dutch date', 'Automatisch antwoord: ik ben afwezig, terug op 3 december.', '2026-12-03'],
    ['a weekday, relative to the received time', 'Out of office - back Monday.', '2026-03-02'],
    ['"tomorrow"', "I'm out of the office today and will respond tomorrow.", '2026-03-02'],
    ['"next week" as its Monday', "Auto-reply: I'm away at a conference this week with limited email access. I will reply next week.", '2026-03-02'],
    ['the return day after a range', "I'm on annual leave from 2 to 9 March, back on the 10th.", '2026-03-10'],
    ['the end of a range without a return word', 'Out of office from March 2 to March 9.', '2026-03-09'],
  ];
  for (const [what, text, expected] of cases) {
    test(`${what} gives the return date`, () => {
      assert.equal(returnDateOf(text), expected);
    });
  }

  test('a date without a year is the next such date on or after the received day', () => {
    assert.equal(returnDateOf('Out of office until March 10.', '2026-03-10T08:00:00Z'), '2026-03-10');
    assert.equal(returnDateOf('Out of office until March 10.', '2026-03-11T08:00:00Z'), '2027-03-10');
    assert.equal(returnDateOf('Out of office until 5 January.', '2026-12-20T08:00:00Z'), '2027-01-05');
  });

  test('the received day is taken in the offset the timestamp carries', () => {
    assert.equal(returnDateOf('Out of office, back tomorrow.', '2026-03-01T23:30:00-05:00'), '2026-03-02');
    assert.equal(returnDateOf('Out of office, back tomorrow.', '2026-03-01T23:30:00Z'), '2026-03-02');
    // 16:30 UTC on March 1st is already March 2nd in Tokyo.
    assert.equal(returnDateOf('Out of office, back tomorrow.', '2026-03-02T01:30:00+09:00'), '2026-03-03');
  });

  test('an out-of-office reply without a date has no return date', () => {
    assert.equal(returnDateOf('This is an automatic reply. I am currently out of the office with limited access to email.'), null);
  });

  test('an impossible date is ignored', () => {
    assert.equal(parseReturnDate('back on 31 February, then back on 3 March', ref), '2026-03-03');
  });
});

describe('not_now snooze dates', () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ['"next quarter" is the first day of the next quarter', "Let's circle back next quarter.", '2026-04-01'],
    ['"no budget until January" is January 1st', 'No budget until January.', '2027-01-01'],
    ['"after January" is the 1st of that month', "Let's revisit after January.", '2027-01-01'],
    ['"in 3 months" is three months on', 'Not now. Check back in 3 months.', '2026-06-01'],
    ['"in a few months" is three months on', 'Not right now, maybe in a few months.', '2026-06-01'],
    ['"in Q2" is the first day of Q2', 'Please check back with me in Q2.', '2026-04-01'],
    ['"next spring" said in March is the next spring', 'This isn\'t in our budget for this year. Reach out again next spring.', '2027-03-01'],
    ['"after the summer" is September 1st', "We're busy with other projects at the moment. Let's reconnect after the summer.", '2026-09-01'],
    ['a month named as "in November" is its 1st', 'Please contact me again in November.', '2026-11-01'],
    ['a German "next quarter"', 'Derzeit kein Bedarf, melden Sie sich gerne im nächsten Quartal.', '2026-04-01'],
    ['a French "next year"', "Pas pour le moment, peut-être l'année prochaine.", '2027-01-01'],
    ['a Dutch "next quarter"', 'Bedankt, maar op dit moment niet. Neem volgend kwartaal contact op.', '2026-04-01'],
  ];
  for (const [what, text, expected] of cases) {
    test(what, () => {
      assert.equal(snoozeOf(text), expected);
    });
  }

  test('a timing objection without a time has no snooze date', () => {
    assert.equal(snoozeOf('Not a good time for us, sorry.'), null);
  });

  test('the snooze date is a separate field from the return date', () => {
    const c = classifyReply('Not right now, try me in Q3.', rules, { receivedAt });
    assert.equal(c.snoozeUntil, '2026-07-01');
    assert.equal(c.returnDate, null);
  });

  test('the parser is usable on its own', () => {
    assert.equal(parseSnoozeDate('circle back next quarter', { year: 2026, month: 11, day: 20 }), '2027-01-01');
  });
});
