/**
 * The calendar invite of a booked meeting: one iCalendar `VEVENT` (RFC 5545, written by ical.js) from the rep to
 * the buyer, with a stable UID per conversation and meeting, so importing it twice updates the same event.
 */
import ICAL from 'ical.js';
import type { BookedMeeting, Prospect } from '../../workflows/messages';

/** What an invite needs besides the meeting: the conversation, the buyer, and the rep as the roster has them. */
export interface InviteParties {
  conversationId: string;
  prospect: Pick<Prospect, 'name' | 'email' | 'company'>;
  /** The rep; without an address the invite has no organizer. */
  rep: { name: string; email?: string; bookingUrl?: string };
}

const utc = (iso: string): ICAL.Time => ICAL.Time.fromJSDate(new Date(iso), true);

/** The invite's UID: stable for the conversation and the meeting's number. */
export function inviteUid(conversationId: string, meeting: Pick<BookedMeeting, 'number'>): string {
  return `${conversationId}-meeting-${meeting.number}@handoff`;
}

/** The `.ics` text of a booked meeting's invite (`METHOD:REQUEST`, times in UTC). */
export function meetingInvite(meeting: BookedMeeting, parties: InviteParties): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.updatePropertyWithValue('prodid', '-//Handoff//Meetings//EN');
  calendar.updatePropertyWithValue('version', '2.0');
  calendar.updatePropertyWithValue('calscale', 'GREGORIAN');
  calendar.updatePropertyWithValue('method', 'REQUEST');
  const event = new ICAL.Component('vevent');
  const start = Date.parse(meeting.startsAt);
  event.updatePropertyWithValue('uid', inviteUid(parties.conversationId, meeting));
  event.updatePropertyWithValue('dtstamp', utc(meeting.bookedAt));
  event.updatePropertyWithValue('dtstart', utc(meeting.startsAt));
  event.updatePropertyWithValue('dtend', utc(new Date(start + meeting.durationMinutes * 60_000).toISOString()));
  event.updatePropertyWithValue('summary', `${parties.prospect.company} and ${parties.rep.name}`);
  const description = [`${parties.rep.name} meets ${parties.prospect.name} (${parties.prospect.company}).`];
  if (meeting.note) description.push('', meeting.note);
  if (parties.rep.bookingUrl) description.push('', `Another time: ${parties.rep.bookingUrl}`);
  event.updatePropertyWithValue('description', description.join('\n'));
  event.updatePropertyWithValue('status', 'CONFIRMED');
  event.updatePropertyWithValue('sequence', 0);
  if (parties.rep.email) {
    const organizer = event.addPropertyWithValue('organizer', `mailto:${parties.rep.email}`);
    organizer.setParameter('cn', parties.rep.name);
  }
  const buyer = event.addPropertyWithValue('attendee', `mailto:${parties.prospect.email}`);
  buyer.setParameter('cn', parties.prospect.name);
  buyer.setParameter('role', 'REQ-PARTICIPANT');
  buyer.setParameter('partstat', 'NEEDS-ACTION');
  buyer.setParameter('rsvp', 'TRUE');
  calendar.addSubcomponent(event);
  // RFC 5545 lines end in CRLF.
  return `${calendar.toString().split(/\r?\n/).join('\r\n')}\r\n`;
}
