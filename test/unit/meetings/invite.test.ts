import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ICAL from 'ical.js';
import { meetingInvite } from '../../../src/meetings/invite';

const MEETING = {
  number: 2,
  startsAt: '2026-03-05T14:00:00.000Z',
  durationMinutes: 45,
  repId: 'ana',
  escalation: 1,
  bookedAt: '2026-03-04T10:00:00.000Z',
  bookedBy: 'ana',
  note: 'Seats and terms for 40 users',
};
const PARTIES = {
  conversationId: 'prospect-p-1042',
  prospect: { name: 'Dana Kim', email: 'dana@northwind.example', company: 'Northwind Traders' },
  rep: { name: 'Ana Diaz', email: 'ana@handoff.example', bookingUrl: 'https://cal.example.com/ana' },
};

describe('a booked meeting’s invite', () => {
  test('is one iCalendar request from the rep to the buyer, at the booked time, for its length', () => {
    const text = meetingInvite(MEETING, PARTIES);
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.doesNotMatch(text, /[^\r]\n/, 'every line ends in CRLF');
    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.equal(calendar.getFirstPropertyValue('method'), 'REQUEST');
    const events = calendar.getAllSubcomponents('vevent');
    assert.equal(events.length, 1);
    const event = new ICAL.Event(events[0]!);
    assert.equal(event.uid, 'prospect-p-1042-meeting-2@handoff');
    assert.equal(event.startDate.toJSDate().toISOString(), '2026-03-05T14:00:00.000Z');
    assert.equal(event.endDate.toJSDate().toISOString(), '2026-03-05T14:45:00.000Z');
    assert.equal(event.summary, 'Northwind Traders and Ana Diaz');
    assert.match(event.description, /Seats and terms for 40 users/);
    assert.match(event.description, /https:\/\/cal\.example\.com\/ana/);
    assert.equal(event.organizer, 'mailto:ana@handoff.example');
    assert.deepEqual(event.attendees.map((a) => a.getFirstValue()), ['mailto:dana@northwind.example']);
  });

  test('is the same event each time it is produced, so importing it again updates it', () => {
    assert.equal(meetingInvite(MEETING, PARTIES), meetingInvite(MEETING, PARTIES));
  });

  test('a rep without an address gives an invite with no organizer', () => {
    const text = meetingInvite(MEETING, { ...PARTIES, rep: { name: 'ana' } });
    assert.doesNotMatch(text, /ORGANIZER/);
  });
});
