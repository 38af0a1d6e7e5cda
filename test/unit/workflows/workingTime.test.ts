import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addWorkingTime, isWorking, nextShiftStart, NoWorkingTimeError, workingSpanLabel, workingTimeBetween, type ShiftCalendar } from '../../../workflows/workingTime';

const OFFICE: ShiftCalendar = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ms = (iso: string) => Date.parse(iso);
const isoOf = (n: number) => new Date(n).toISOString();

describe('working time over a rep’s shifts', () => {
  test('inside a shift, working time is wall time', () => {
    // Wednesday 11 June 2025, 10:00 in Berlin (UTC+2).
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-06-11T08:00:00Z'), 30 * MINUTE)), '2025-06-11T08:30:00.000Z');
  });

  test('a span that runs past the shift end continues at the next shift start', () => {
    // Wednesday 16:45 Berlin + 30 min: 15 min today, 15 min from Thursday 09:00.
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-06-11T14:45:00Z'), 30 * MINUTE)), '2025-06-12T07:15:00.000Z');
  });

  test('a span started on Friday evening counts from Monday’s shift start', () => {
    // Friday 13 June 2025, 18:00 Berlin → Monday 16 June 09:30 Berlin (07:30 UTC).
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-06-13T16:00:00Z'), 30 * MINUTE)), '2025-06-16T07:30:00.000Z');
    assert.equal(isoOf(nextShiftStart(OFFICE, 'Europe/Berlin', ms('2025-06-13T16:00:00Z'))), '2025-06-16T07:00:00.000Z');
  });

  test('a span started on Sunday counts from Monday, and the end minute is outside the shift', () => {
    assert.equal(isoOf(nextShiftStart(OFFICE, 'Europe/Berlin', ms('2025-06-15T10:00:00Z'))), '2025-06-16T07:00:00.000Z');
    assert.equal(isWorking(OFFICE, 'Europe/Berlin', ms('2025-06-16T15:00:00Z')), false, '17:00 Berlin is after the shift');
    assert.equal(isWorking(OFFICE, 'Europe/Berlin', ms('2025-06-16T14:59:00Z')), true);
  });

  test('a span longer than a shift spreads over several working days', () => {
    // 10 working hours from Thursday 09:00 Berlin: 8 on Thursday, 2 on Friday → Friday 11:00.
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-06-12T07:00:00Z'), 10 * HOUR)), '2025-06-13T09:00:00.000Z');
  });

  test('the weekend before the spring change to summer time: Monday 09:00 is an hour earlier in UTC', () => {
    // Friday 28 March 2025 18:00 CET (UTC+1); clocks go forward on Sunday 30 March; Monday 09:00 CEST is 07:00 UTC.
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-03-28T17:00:00Z'), 30 * MINUTE)), '2025-03-31T07:30:00.000Z');
  });

  test('the weekend of the autumn change back: Monday 09:00 is an hour later in UTC', () => {
    // Friday 24 October 2025 18:00 CEST; clocks go back on Sunday 26 October; Monday 09:00 CET is 08:00 UTC.
    assert.equal(isoOf(addWorkingTime(OFFICE, 'Europe/Berlin', ms('2025-10-24T16:00:00Z'), 30 * MINUTE)), '2025-10-27T08:30:00.000Z');
  });

  test('a US rep across the American change, which comes two weeks before Europe’s', () => {
    // Friday 7 March 2025 18:00 EST; Monday 10 March 09:00 EDT is 13:00 UTC.
    assert.equal(isoOf(nextShiftStart(OFFICE, 'America/New_York', ms('2025-03-07T23:00:00Z'))), '2025-03-10T13:00:00.000Z');
  });

  test('an overnight shift belongs to the day it starts and counts across midnight', () => {
    const nights: ShiftCalendar = { start: '22:00', end: '06:00', days: [5] };
    // Friday 23:00 UTC + 3 h → Saturday 02:00 (inside Friday's shift).
    assert.equal(isoOf(addWorkingTime(nights, 'UTC', ms('2025-06-13T23:00:00Z'), 3 * HOUR)), '2025-06-14T02:00:00.000Z');
    // Saturday 05:00 + 2 h: 1 h left of Friday's shift, then the next Friday 22:00 → 23:00.
    assert.equal(isoOf(addWorkingTime(nights, 'UTC', ms('2025-06-14T05:00:00Z'), 2 * HOUR)), '2025-06-20T23:00:00.000Z');
  });

  test('round-the-clock hours make working time wall time', () => {
    const always: ShiftCalendar = { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };
    assert.equal(isoOf(addWorkingTime(always, 'Asia/Tokyo', ms('2025-06-14T14:50:00Z'), 30 * MINUTE)), '2025-06-14T15:20:00.000Z');
  });

  test('hours that start and end at the same minute have no working time', () => {
    assert.throws(() => addWorkingTime({ start: '09:00', end: '09:00', days: [1] }, 'UTC', 0, MINUTE), NoWorkingTimeError);
  });

  test('working spans read as hours and minutes', () => {
    assert.equal(workingSpanLabel(30 * MINUTE), '30 min');
    assert.equal(workingSpanLabel(90 * MINUTE), '1 h 30 min');
    assert.equal(workingSpanLabel(2 * HOUR), '2 h');
  });

  test('the working time between two instants leaves out the weekend, and undoes adding it', () => {
    const friday = ms('2025-06-13T16:00:00Z');
    const mondayMorning = ms('2025-06-16T07:20:00Z');
    assert.equal(workingTimeBetween(OFFICE, 'Europe/Berlin', friday, mondayMorning), 20 * MINUTE);
    const thursday = ms('2025-06-12T13:00:00Z');
    assert.equal(workingTimeBetween(OFFICE, 'Europe/Berlin', thursday, addWorkingTime(OFFICE, 'Europe/Berlin', thursday, 5 * HOUR)), 5 * HOUR);
    assert.equal(workingTimeBetween(OFFICE, 'Europe/Berlin', mondayMorning, friday), 0);
  });
});
