/**
 * The courtesy note a buyer gets at once when they ask for a person: in the campaign's voice, it says a person
 * will follow up and, when routing knows the rep's calendar, offers the rep's next free meeting times (on the
 * buyer's clock) and booking link. It never names a price, a commitment or a technical claim, so it cannot
 * contradict the rep who takes over; names that carry digits or symbols are left out for the same reason.
 */
import type { MeetingOffer, Prospect, Voice } from '../../workflows/messages';

/** The acknowledgement e-mail. */
export interface CourtesyMessage {
  subject: string;
  text: string;
}

/** A name safe to put in the note: letters, spaces, apostrophes, dots and hyphens only. */
function safeName(name: string | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '' || trimmed.length > 60) return null;
  return /^[\p{L}][\p{L}\p{M} .'’-]*$/u.test(trimmed) ? trimmed : null;
}

function firstName(fullName: string): string | null {
  return safeName(fullName.trim().split(/\s+/)[0]);
}

/** The lines offering meeting times and the booking link, or none when the offer has neither. */
export function meetingLines(meeting: MeetingOffer | undefined, tone: Voice['tone']): string[] {
  if (!meeting || (meeting.slots.length === 0 && !meeting.bookingUrl)) return [];
  const lines = [''];
  if (meeting.slots.length > 0) {
    lines.push(tone === 'formal' ? `Should a call be convenient, these times are available (${meeting.timeZone}):` : `If a call helps, any of these times works (${meeting.timeZone}):`);
    for (const slot of meeting.slots) lines.push(`- ${slot.label}`);
  }
  if (meeting.bookingUrl) lines.push(meeting.slots.length > 0 ? `Or pick a time that suits you: ${meeting.bookingUrl}` : `You can pick a time for a call here: ${meeting.bookingUrl}`);
  return lines;
}

/**
 * Composes the acknowledgement for a human request.
 * @param assigneeFirstName the rep who will follow up, when already known; otherwise "a colleague".
 * @param meeting the rep's next free times and booking link, offered when given.
 */
export function composeHumanRequestAcknowledgement(
  prospect: Pick<Prospect, 'name'>,
  voice: Pick<Voice, 'senderName' | 'tone'>,
  assigneeFirstName?: string,
  meeting?: MeetingOffer,
): CourtesyMessage {
  const offer = meetingLines(meeting, voice.tone);
  const buyer = firstName(prospect.name);
  const sender = safeName(voice.senderName) ?? 'The team';
  const colleague = safeName(assigneeFirstName);
  const who = colleague ? `my colleague ${colleague}` : 'a colleague';

  switch (voice.tone) {
    case 'formal':
      return {
        subject: 'Your request to speak with someone',
        text: [
          `Dear ${buyer ?? 'Sir or Madam'},`,
          '',
          `Thank you for your message. I have passed your request to ${who}, who will follow up with you personally.`,
          ...offer,
          '',
          'Kind regards,',
          sender,
        ].join('\n'),
      };
    case 'direct':
      return {
        subject: 'A person will follow up',
        text: [`${buyer ? `${buyer}, t` : 'T'}hanks. I've passed this to ${who}, who will follow up with you personally.`, ...offer, '', sender].join('\n'),
      };
    case 'friendly':
      return {
        subject: 'Thanks, a person will follow up',
        text: [
          `Hi ${buyer ?? 'there'},`,
          '',
          `Thanks for letting us know. I've passed your note to ${who}, who will follow up with you personally.`,
          ...offer,
          '',
          'Best,',
          sender,
        ].join('\n'),
      };
  }
}
