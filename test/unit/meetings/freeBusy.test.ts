import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { busyTimes, fetchBusyTimes, FreeBusyError } from '../../../src/meetings/freeBusy';
import { meetingOffer } from '../../../workflows/meetings';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
  // A weekly stand-up, Mondays 09:00–09:30 Berlin time, since May.
  'BEGIN:VEVENT',
  'UID:standup@test',
  'DTSTAMP:20250501T000000Z',
  'DTSTART;TZID=Europe/Berlin:20250505T090000',
  'DTEND;TZID=Europe/Berlin:20250505T093000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  // A customer call on Monday 16 June, 10:00–11:00 UTC.
  'BEGIN:VEVENT',
  'UID:call@test',
  'DTSTAMP:20250601T000000Z',
  'DTSTART:20250616T080000Z',
  'DTEND:20250616T090000Z',
  'SUMMARY:Customer call',
  'END:VEVENT',
  // Free-time and cancelled events do not block time.
  'BEGIN:VEVENT',
  'UID:focus@test',
  'DTSTAMP:20250601T000000Z',
  'DTSTART:20250616T093000Z',
  'DTEND:20250616T100000Z',
  'TRANSP:TRANSPARENT',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:gone@test',
  'DTSTAMP:20250601T000000Z',
  'DTSTART:20250616T100000Z',
  'DTEND:20250616T103000Z',
  'STATUS:CANCELLED',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const FROM = Date.parse('2025-06-13T13:00:00Z');
const TO = FROM + 14 * 86_400_000;

describe('busy times from a rep’s free/busy calendar', () => {
  test('recurring events are expanded in their time zone, and free or cancelled events block nothing', () => {
    const busy = busyTimes(FEED, FROM, TO);
    assert.deepEqual(busy, [
      { start: '2025-06-16T07:00:00.000Z', end: '2025-06-16T07:30:00.000Z' },
      { start: '2025-06-16T08:00:00.000Z', end: '2025-06-16T09:00:00.000Z' },
      { start: '2025-06-23T07:00:00.000Z', end: '2025-06-23T07:30:00.000Z' },
    ]);
  });

  test('the offer leaves the busy times out', () => {
    const busy = busyTimes(FEED, FROM, TO);
    const offer = meetingOffer(
      { repId: 'ana', name: 'Ana Diaz', timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] }, busy },
      Date.parse('2025-06-13T16:00:00Z'),
      'Europe/Berlin',
    );
    assert.deepEqual(
      offer.slots.map((s) => s.label),
      ['Mon 16 Jun 09:30 CEST', 'Mon 16 Jun 11:00 CEST', 'Mon 16 Jun 11:30 CEST'],
    );
  });

  test('text that is not iCalendar is refused by name', () => {
    assert.throws(() => busyTimes('<html>sign in</html>', FROM, TO), FreeBusyError);
  });

  test('a feed that cannot be fetched names its host, not its path', async () => {
    await assert.rejects(
      fetchBusyTimes('https://calendar.example.com/private/secret-token/basic.ics', FROM, TO, {
        fetch: async () => {
          throw new Error('answered 404');
        },
      }),
      (err: Error) => err instanceof FreeBusyError && /calendar\.example\.com/.test(err.message) && !/secret-token/.test(err.message),
    );
  });
});
