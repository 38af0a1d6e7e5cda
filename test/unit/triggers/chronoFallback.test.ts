import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { chronoDay } from '../../../src/triggers/chronoFallback';
import { parseReturnDate, parseSnoozeDate, referenceDay } from '../../../src/triggers/dates';
import { findReplyBody, scanText } from '../../../src/triggers/strip';
import type { Language } from '../../../src/triggers/types';

interface GoldDate {
  id: string;
  lang: Language;
  kind: 'out_of_office' | 'not_now';
  receivedAt: string;
  text: string;
  date: string | null;
}

const GOLD: GoldDate[] = readFileSync(path.join(__dirname, '../../../data/dates/dates.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as GoldDate);

function score(parse: (g: GoldDate, scan: string) => string | null): { exact: number; falseDates: number } {
  let exact = 0;
  let falseDates = 0;
  for (const g of GOLD) {
    const got = parse(g, scanText(g.text, findReplyBody(g.text)));
    if (got === g.date) exact++;
    else if (g.date === null && got !== null) falseDates++;
  }
  return { exact, falseDates };
}

describe('dates: the hand-written parser, then chrono-node', () => {
  const handWritten = (g: GoldDate, scan: string) =>
    g.kind === 'out_of_office' ? parseReturnDate(scan, referenceDay(g.receivedAt), g.lang) : parseSnoozeDate(scan, referenceDay(g.receivedAt), g.lang);
  const withFallback = (g: GoldDate, scan: string) =>
    handWritten(g, scan) ?? chronoDay(scan, referenceDay(g.receivedAt), g.lang, g.kind === 'out_of_office' ? 'return' : 'snooze');

  test('on the gold dates, the fallback finds more right dates and no more false ones', () => {
    assert.equal(GOLD.length, 300);
    const alone = score(handWritten);
    const both = score(withFallback);
    assert.ok(both.exact > alone.exact, `exact: ${both.exact} with the fallback, ${alone.exact} without`);
    assert.ok(both.falseDates <= alone.falseDates, `false dates: ${both.falseDates} with the fallback, ${alone.falseDates} without`);
  });

  test('chrono-node reads a weekday-and-day the hand-written parser has no pattern for, in the reply language', () => {
    const ref = { year: 2026, month: 3, day: 10 };
    assert.equal(chronoDay('Je reviens le vendredi 20 mars.', ref, 'fr', 'return'), '2026-03-20');
    assert.equal(chronoDay('Out 1–10 July, back after that.', ref, 'en', 'return'), '2026-07-10');
  });

  test('days that are today or only a weekday or a month do not count', () => {
    const ref = { year: 2026, month: 3, day: 10 };
    assert.equal(chronoDay('I am here now, call me today.', ref, 'en', 'snooze'), null);
    assert.equal(chronoDay('Try me next Tuesday.', ref, 'en', 'snooze'), null);
  });
});
