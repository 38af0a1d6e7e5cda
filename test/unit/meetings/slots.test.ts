import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freeSlots, meetingOffer, type BookingCalendar } from '../../../workflows/meetings';

const ANA: BookingCalendar = {
  repId: 'ana',
  name: 'Ana Diaz',
  timeZone: 'Europe/Berlin',
  workingHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  bookingUrl: 'https://cal.example.com/ana',
  busy: [],
};
const ms = (iso: string) => Date.parse(iso);
const starts = (offer: { slots: { startsAt: string }[] }) => offer.slots.map((s) => s.startsAt);

describe('meeting times offered to the buyer', () => {
  test('a Friday afternoon offers the last half-hours of the rep’s shift, then Monday morning after the weekend', () => {
    // Friday 13 June 2025, 15:00 in Berlin (13:00 UTC): at least an hour ahead is 16:00.
    const offer = meetingOffer(ANA, ms('2025-06-13T13:00:00Z'), 'America/New_York');
    assert.deepEqual(starts(offer), ['2025-06-13T14:00:00.000Z', '2025-06-13T14:30:00.000Z', '2025-06-16T07:00:00.000Z']);
    assert.deepEqual(
      offer.slots.map((s) => s.label),
      ['Fri 13 Jun 10:00 GMT-4', 'Fri 13 Jun 10:30 GMT-4', 'Mon 16 Jun 03:00 GMT-4'],
      'labelled on the buyer’s clock',
    );
    assert.equal(offer.timeZone, 'America/New_York');
    assert.equal(offer.bookingUrl, 'https://cal.example.com/ana');
    assert.equal(offer.slots[0]!.endsAt, '2025-06-13T14:30:00.000Z');
  });

  test('across the buyer’s change to summer time the labels move with their clock, the instants with the rep’s', () => {
    // Friday 7 March 2025, 16:30 CET; New York moves to EDT on Sunday 9 March, Berlin stays on CET.
    const offer = meetingOffer(ANA, ms('2025-03-07T15:30:00Z'), 'America/New_York');
    assert.deepEqual(starts(offer), ['2025-03-10T08:00:00.000Z', '2025-03-10T08:30:00.000Z', '2025-03-10T09:00:00.000Z']);
    assert.deepEqual(offer.slots.map((s) => s.label), ['Mon 10 Mar 04:00 GMT-4', 'Mon 10 Mar 04:30 GMT-4', 'Mon 10 Mar 05:00 GMT-4']);
  });

  test('across the rep’s change to summer time Monday 09:00 is an hour earlier in UTC; without a buyer zone the rep’s is shown', () => {
    const offer = meetingOffer(ANA, ms('2025-03-28T15:45:00Z'), undefined);
    assert.deepEqual(starts(offer), ['2025-03-31T07:00:00.000Z', '2025-03-31T07:30:00.000Z', '2025-03-31T08:00:00.000Z']);
    assert.equal(offer.timeZone, 'Europe/Berlin');
    assert.equal(offer.slots[0]!.label, 'Mon 31 Mar 09:00 CEST');
  });

  test('slots start on the rep’s half-hours at least an hour ahead, and never run past the shift end', () => {
    // Wednesday 11 June 2025, 10:07 Berlin: an hour ahead is 11:07, so the first slot is 11:30.
    assert.deepEqual(
      freeSlots(ANA, ms('2025-06-11T08:07:00Z')).map((s) => new Date(s.startMs).toISOString()),
      ['2025-06-11T09:30:00.000Z', '2025-06-11T10:00:00.000Z', '2025-06-11T10:30:00.000Z'],
    );
    // 15:40 Berlin: 16:40 is too late for a 30-minute slot before 17:00, so Thursday 09:00.
    assert.equal(new Date(freeSlots(ANA, ms('2025-06-11T13:40:00Z'))[0]!.startMs).toISOString(), '2025-06-12T07:00:00.000Z');
  });

  test('busy times are skipped, including a slot they only overlap', () => {
    const busy = [
      { start: '2025-06-16T07:00:00.000Z', end: '2025-06-16T08:15:00.000Z' },
      { start: '2025-06-16T09:00:00.000Z', end: '2025-06-16T09:30:00.000Z' },
    ];
    const offer = meetingOffer({ ...ANA, busy }, ms('2025-06-13T16:00:00Z'), 'Europe/London');
    assert.deepEqual(starts(offer), ['2025-06-16T08:30:00.000Z', '2025-06-16T09:30:00.000Z', '2025-06-16T10:00:00.000Z']);
  });

  test('hours with no working time offer no slots, only the booking link', () => {
    const offer = meetingOffer({ ...ANA, workingHours: { start: '09:00', end: '09:00', days: [1] } }, ms('2025-06-13T13:00:00Z'), undefined);
    assert.deepEqual(offer.slots, []);
    assert.equal(offer.bookingUrl, 'https://cal.example.com/ana');
  });
});
