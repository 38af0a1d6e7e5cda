import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localClock, wallClockLabel } from '../../../workflows/localClock';

// Monday 16 June 2025, 07:00 UTC: 09:00 in Berlin (CEST), 03:00 in New York (EDT).
const AT = Date.parse('2025-06-16T07:00:00Z');

describe('the wall clock of an instant', () => {
  test('labels an instant on each zone’s own clock, with the zone’s short name when asked', () => {
    assert.equal(wallClockLabel(AT, 'Europe/Berlin'), 'Mon 16 Jun 09:00');
    assert.equal(wallClockLabel(AT, 'Europe/Berlin', { zoneName: true }), 'Mon 16 Jun 09:00 CEST');
    assert.equal(wallClockLabel(AT, 'America/New_York'), 'Mon 16 Jun 03:00');
    assert.equal(wallClockLabel(AT, 'America/New_York', { zoneName: true }), 'Mon 16 Jun 03:00 GMT-4');
  });

  test('a zone’s name in any case reads the same clock', () => {
    for (const spelling of ['europe/berlin', 'EUROPE/BERLIN', 'Europe/Berlin']) {
      assert.equal(wallClockLabel(AT, spelling, { zoneName: true }), 'Mon 16 Jun 09:00 CEST', spelling);
      assert.deepEqual(localClock(AT, spelling), { weekday: 1, hour: 9, minute: 0, second: 0, minuteOfDay: 540 }, spelling);
    }
  });

  test('a name that matches a zone only by Unicode case folding is refused, even once that zone has been read', () => {
    assert.equal(wallClockLabel(AT, 'Asia/Kolkata'), 'Mon 16 Jun 12:30');
    // U+212A KELVIN SIGN lower-cases to an ASCII k, but the time zone database matches ASCII letters only.
    assert.throws(() => wallClockLabel(AT, 'Asia/\u212Aolkata'), RangeError);
    assert.throws(() => localClock(AT, 'ASIA/\u212AOLKATA'), RangeError);
  });
});
