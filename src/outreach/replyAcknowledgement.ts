/**
 * The step that acknowledges a prospect's reply when a campaign answers replies that need a person with
 * automation (`humanReply: acknowledge`): in the campaign's voice, it thanks them for writing and says the note
 * was read, before the cadence goes on. Like the courtesy note, it never claims an answer, a price or a
 * commitment, so it cannot contradict what a rep says later.
 */
import type { Prospect, Voice } from '../../workflows/messages';
import type { CourtesyMessage } from '../alerts/courtesy';

function firstName(fullName: string): string | null {
  const first = fullName.trim().split(/\s+/)[0] ?? '';
  return /^[\p{L}][\p{L}\p{M}.'’-]{0,40}$/u.test(first) ? first : null;
}

/** Composes the acknowledgement of a reply. */
export function composeReplyAcknowledgement(prospect: Pick<Prospect, 'name'>, voice: Pick<Voice, 'senderName' | 'tone' | 'product'>): CourtesyMessage {
  const buyer = firstName(prospect.name);
  const sender = voice.senderName.trim() || 'The team';
  switch (voice.tone) {
    case 'formal':
      return {
        subject: 'Thank you for your reply',
        text: [`Dear ${buyer ?? 'Sir or Madam'},`, '', `Thank you for your reply; I have read it with care. I will keep my next note on ${voice.product} brief and to the point.`, '', 'Kind regards,', sender].join('\n'),
      };
    case 'direct':
      return {
        subject: 'Thanks for your reply',
        text: [`${buyer ? `${buyer}, t` : 'T'}hanks for writing back. Noted. I'll keep the next note on ${voice.product} short.`, '', sender].join('\n'),
      };
    case 'friendly':
      return {
        subject: 'Thanks for getting back to me',
        text: [`Hi ${buyer ?? 'there'},`, '', `Thanks for getting back to me, I appreciate you taking the time to write. I'll keep my next note on ${voice.product} short and useful.`, '', 'Best,', sender].join('\n'),
      };
  }
}
