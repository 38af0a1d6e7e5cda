/**
 * The courtesy note a buyer gets at once when they ask for a person: in the campaign's voice, it says a person
 * will follow up, and nothing else. It never names a price, a time, a commitment or a technical claim, so it
 * cannot contradict the rep who takes over; names that carry digits or symbols are left out for the same reason.
 */
import type { Prospect, Voice } from '../../workflows/messages';

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

/**
 * Composes the acknowledgement for a human request.
 * @param assigneeFirstName the rep who will follow up, when already known; otherwise "a colleague".
 */
export function composeHumanRequestAcknowledgement(
  prospect: Pick<Prospect, 'name'>,
  voice: Pick<Voice, 'senderName' | 'tone'>,
  assigneeFirstName?: string,
): CourtesyMessage {
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
          '',
          'Kind regards,',
          sender,
        ].join('\n'),
      };
    case 'direct':
      return {
        subject: 'A person will follow up',
        text: [`${buyer ? `${buyer}, t` : 'T'}hanks. I've passed this to ${who}, who will follow up with you personally.`, '', sender].join(
          '\n',
        ),
      };
    case 'friendly':
      return {
        subject: 'Thanks, a person will follow up',
        text: [
          `Hi ${buyer ?? 'there'},`,
          '',
          `Thanks for letting us know. I've passed your note to ${who}, who will follow up with you personally.`,
          '',
          'Best,',
          sender,
        ].join('\n'),
      };
  }
}
