import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localClock } from '../../../workflows/localClock';
import { insideSendWindow, nextSendTime, startOfLocalDay } from '../../../workflows/conversation/schedule';
import type { SendWindow } from '../../../workflows/messages';

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const OFFICE: SendWindow = { start: 9, end: 17, days: WEEKDAYS };

/** When a step due at `dueIso` goes out, as an ISO instant in UTC. */
function sentAt(dueIso: string, timeZone: string | undefined, window: SendWindow = OFFICE): string {
  return new Date(nextSendTime(Date.parse(dueIso), timeZone, window)).toISOString();
}

describe('the send window, in the prospect’s own time zone', () => {
  test('a step due inside working hours goes out when it is due', () => {
    // Wednesday 4 June 2025, 11:20 in Berlin (summer time, UTC+2).
    assert.equal(sentAt('2025-06-04T09:20:00.000Z', 'Europe/Berlin'), '2025-06-04T09:20:00.000Z');
  });

  test('a step due before the window opens waits for the start of the first working hour, to the millisecond', () => {
    // 07:15:42.250 in Berlin: the window opens at 09:00:00.000 local, 07:00 UTC.
    assert.equal(sentAt('2025-06-04T05:15:42.250Z', 'Europe/Berlin'), '2025-06-04T07:00:00.000Z');
  });

  test('the end hour is outside the window: a step due at 17:00 waits for 09:00 the next working day', () => {
    assert.equal(sentAt('2025-06-04T14:59:59.000Z', 'Europe/Berlin'), '2025-06-04T14:59:59.000Z');
    assert.equal(sentAt('2025-06-04T15:00:00.000Z', 'Europe/Berlin'), '2025-06-05T07:00:00.000Z');
  });

  test('the same instant is inside the window for a prospect in Berlin, and waits for the morning in New York and in Tokyo', () => {
    const due = '2025-06-04T08:30:00.000Z';
    assert.equal(sentAt(due, 'Europe/Berlin'), due, '10:30 in Berlin');
    assert.equal(sentAt(due, 'America/New_York'), '2025-06-04T13:00:00.000Z', '04:30 in New York waits for 09:00 EDT');
    assert.equal(sentAt(due, 'Asia/Tokyo'), '2025-06-05T00:00:00.000Z', '17:30 in Tokyo waits for 09:00 JST the next day');
  });

  test('working hours follow the local clock in a zone half an hour off UTC', () => {
    // Kolkata is UTC+5:30: 09:00 local is 03:30 UTC.
    assert.equal(sentAt('2025-06-04T01:00:00.000Z', 'Asia/Kolkata'), '2025-06-04T03:30:00.000Z');
  });

  test('without a known time zone the step goes out when due, even on a Sunday night', () => {
    assert.equal(sentAt('2025-06-08T02:00:00.000Z', undefined), '2025-06-08T02:00:00.000Z');
  });
});

describe('weekends and working days', () => {
  test('a step due on Friday evening waits for Monday morning', () => {
    // Friday 6 June 2025, 18:00 in Berlin; Monday 9 June, 09:00 CEST.
    assert.equal(sentAt('2025-06-06T16:00:00.000Z', 'Europe/Berlin'), '2025-06-09T07:00:00.000Z');
  });

  test('a step due on Saturday or Sunday waits for Monday morning', () => {
    assert.equal(sentAt('2025-06-07T10:00:00.000Z', 'Europe/Berlin'), '2025-06-09T07:00:00.000Z');
    assert.equal(sentAt('2025-06-08T21:59:00.000Z', 'Europe/Berlin'), '2025-06-09T07:00:00.000Z');
  });

  test('the weekend is read on the prospect’s calendar: Friday evening in New York is already Saturday in Berlin', () => {
    // Friday 6 June 2025, 19:00 EDT = Saturday 01:00 CEST.
    const due = '2025-06-06T23:00:00.000Z';
    assert.equal(localClock(Date.parse(due), 'Europe/Berlin').weekday, 6);
    assert.equal(localClock(Date.parse(due), 'America/New_York').weekday, 5);
    assert.equal(sentAt(due, 'America/New_York', { start: 9, end: 24, days: WEEKDAYS }), due, 'still Friday in New York');
    assert.equal(sentAt(due, 'Europe/Berlin', { start: 0, end: 24, days: WEEKDAYS }), '2025-06-08T22:00:00.000Z', 'Monday 00:00 in Berlin');
  });

  test('a window open only at weekends skips the working week', () => {
    // Monday 9 June 2025, 10:00 in Berlin; Saturday 14 June, 10:00 CEST.
    assert.equal(sentAt('2025-06-09T08:00:00.000Z', 'Europe/Berlin', { start: 10, end: 12, days: [6, 7] }), '2025-06-14T08:00:00.000Z');
  });

  test('a window of one hour on one day a week is found from any point in the week', () => {
    // Monday 9 June 2025 00:00 in Berlin; Sunday 15 June, 23:00 CEST.
    assert.equal(sentAt('2025-06-08T22:00:00.000Z', 'Europe/Berlin', { start: 23, end: 24, days: [7] }), '2025-06-15T21:00:00.000Z');
  });

  test('insideSendWindow reads weekday and hour on the local clock', () => {
    // Monday 9 June 2025, 08:30 UTC: 10:30 in Berlin, 04:30 in New York.
    const at = Date.parse('2025-06-09T08:30:00.000Z');
    assert.equal(insideSendWindow(at, 'Europe/Berlin', OFFICE), true);
    assert.equal(insideSendWindow(at, 'America/New_York', OFFICE), false);
    assert.equal(insideSendWindow(at, 'Europe/Berlin', { start: 9, end: 17, days: [6, 7] }), false);
  });
});

describe('daylight-saving changes in Europe/Berlin', () => {
  // Spring forward: Sunday 30 March 2025, 02:00 CET becomes 03:00 CEST (01:00 UTC); 02:xx never happens.
  // Fall back: Sunday 26 October 2025, 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:xx happens twice.

  test('a step due in the spring-forward night goes out at the first hour after the gap', () => {
    // 01:30 CET, window from 02:00: the next local hour is 03:00 CEST, 01:00 UTC.
    assert.equal(sentAt('2025-03-30T00:30:00.000Z', 'Europe/Berlin', { start: 2, end: 4, days: EVERY_DAY }), '2025-03-30T01:00:00.000Z');
  });

  test('a window that only opens in the hour spring-forward skips opens the next day instead', () => {
    assert.equal(sentAt('2025-03-29T23:30:00.000Z', 'Europe/Berlin', { start: 2, end: 3, days: EVERY_DAY }), '2025-03-31T00:00:00.000Z');
  });

  test('the first working morning after spring-forward opens at 09:00 summer time, an hour earlier in UTC', () => {
    // Friday 28 March 2025, 17:30 CET; Monday 31 March, 09:00 CEST = 07:00 UTC (it was 08:00 UTC the week before).
    assert.equal(sentAt('2025-03-28T16:30:00.000Z', 'Europe/Berlin'), '2025-03-31T07:00:00.000Z');
    assert.equal(sentAt('2025-03-21T16:30:00.000Z', 'Europe/Berlin'), '2025-03-24T08:00:00.000Z');
  });

  test('a step due in the repeated hour of the fall-back night goes out then, on either pass of the hour', () => {
    const window = { start: 2, end: 3, days: EVERY_DAY };
    assert.equal(sentAt('2025-10-26T00:30:00.000Z', 'Europe/Berlin', window), '2025-10-26T00:30:00.000Z', '02:30 CEST');
    assert.equal(sentAt('2025-10-26T01:15:00.000Z', 'Europe/Berlin', window), '2025-10-26T01:15:00.000Z', '02:15 CET');
    assert.equal(sentAt('2025-10-25T23:30:00.000Z', 'Europe/Berlin', window), '2025-10-26T00:00:00.000Z', '01:30 CEST waits for the first 02:00');
  });

  test('a window opening at 03:00 waits through the repeated hour: two real hours from 02:30 summer time', () => {
    assert.equal(sentAt('2025-10-26T00:30:00.000Z', 'Europe/Berlin', { start: 3, end: 17, days: EVERY_DAY }), '2025-10-26T02:00:00.000Z');
  });

  test('the first working morning after fall-back opens at 09:00 winter time, an hour later in UTC', () => {
    // Friday 24 October 2025, 18:00 CEST; Monday 27 October, 09:00 CET = 08:00 UTC.
    assert.equal(sentAt('2025-10-24T16:00:00.000Z', 'Europe/Berlin'), '2025-10-27T08:00:00.000Z');
  });
});

describe('daylight-saving changes in America/New_York', () => {
  // Spring forward: Sunday 9 March 2025, 02:00 EST becomes 03:00 EDT (07:00 UTC).
  // Fall back: Sunday 2 November 2025, 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:xx happens twice.

  test('a step due in the spring-forward night goes out at the first hour after the gap', () => {
    // 01:45 EST, window from 02:00: the next local hour is 03:00 EDT, 07:00 UTC.
    assert.equal(sentAt('2025-03-09T06:45:00.000Z', 'America/New_York', { start: 2, end: 5, days: EVERY_DAY }), '2025-03-09T07:00:00.000Z');
  });

  test('a step due in the repeated hour of the fall-back night goes out then, on either pass of the hour', () => {
    const window = { start: 1, end: 2, days: EVERY_DAY };
    assert.equal(sentAt('2025-11-02T05:20:00.000Z', 'America/New_York', window), '2025-11-02T05:20:00.000Z', '01:20 EDT');
    assert.equal(sentAt('2025-11-02T06:20:00.000Z', 'America/New_York', window), '2025-11-02T06:20:00.000Z', '01:20 EST');
  });

  test('a window opening at 02:00 waits through the repeated hour after fall-back', () => {
    // 01:30 EDT (05:30 UTC): 01:00 EST comes next, then 02:00 EST at 07:00 UTC.
    assert.equal(sentAt('2025-11-02T05:30:00.000Z', 'America/New_York', { start: 2, end: 6, days: EVERY_DAY }), '2025-11-02T07:00:00.000Z');
  });

  test('the working mornings around each change open at 09:00 local time', () => {
    // Friday 7 March 2025 18:00 EST → Monday 10 March 09:00 EDT (13:00 UTC).
    assert.equal(sentAt('2025-03-07T23:00:00.000Z', 'America/New_York'), '2025-03-10T13:00:00.000Z');
    // Friday 31 October 2025 18:00 EDT → Monday 3 November 09:00 EST (14:00 UTC).
    assert.equal(sentAt('2025-10-31T22:00:00.000Z', 'America/New_York'), '2025-11-03T14:00:00.000Z');
  });
});

describe('the start of a calendar day a prospect names', () => {
  test('is local midnight in the prospect’s time zone, summer or winter', () => {
    assert.equal(new Date(startOfLocalDay('2025-06-04', 'Europe/Berlin')).toISOString(), '2025-06-03T22:00:00.000Z');
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'Europe/Berlin')).toISOString(), '2025-01-14T23:00:00.000Z');
    assert.equal(new Date(startOfLocalDay('2025-06-04', 'America/New_York')).toISOString(), '2025-06-04T04:00:00.000Z');
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'America/New_York')).toISOString(), '2025-01-15T05:00:00.000Z');
  });

  test('on the day of a change it is the midnight before the change', () => {
    assert.equal(new Date(startOfLocalDay('2025-03-30', 'Europe/Berlin')).toISOString(), '2025-03-29T23:00:00.000Z', 'still CET at midnight');
    assert.equal(new Date(startOfLocalDay('2025-10-26', 'Europe/Berlin')).toISOString(), '2025-10-25T22:00:00.000Z', 'still CEST at midnight');
    assert.equal(new Date(startOfLocalDay('2025-03-09', 'America/New_York')).toISOString(), '2025-03-09T05:00:00.000Z', 'still EST at midnight');
    assert.equal(new Date(startOfLocalDay('2025-11-02', 'America/New_York')).toISOString(), '2025-11-02T04:00:00.000Z', 'still EDT at midnight');
  });

  test('where the clock skips midnight itself, the day starts at 01:00', () => {
    // Santiago springs forward at 00:00 on Sunday 7 September 2025, to 01:00 (UTC−3).
    assert.equal(new Date(startOfLocalDay('2025-09-07', 'America/Santiago')).toISOString(), '2025-09-07T04:00:00.000Z');
  });

  test('start of day: east of UTC+12 local midnight is the previous UTC day (Auckland in summer, Kiribati)', () => {
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'Pacific/Auckland')).toISOString(), '2025-01-14T11:00:00.000Z');
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'Pacific/Kiritimati')).toISOString(), '2025-01-14T10:00:00.000Z');
  });

  test('start of day: at UTC−12 and in Honolulu local midnight is later the same UTC day', () => {
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'Etc/GMT+12')).toISOString(), '2025-01-15T12:00:00.000Z');
    assert.equal(new Date(startOfLocalDay('2025-01-15', 'Pacific/Honolulu')).toISOString(), '2025-01-15T10:00:00.000Z');
  });

  test('is UTC midnight without a known time zone', () => {
    assert.equal(new Date(startOfLocalDay('2025-06-04', undefined)).toISOString(), '2025-06-04T00:00:00.000Z');
  });
});
