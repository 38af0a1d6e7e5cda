/**
 * Crafted replies of up to 100,000 characters (the most a reply may hold) that made the classifier's regular
 * expressions run for seconds to minutes before its cost was bounded: each family leads with a short real reply
 * whose verdict is known, then repeats what used to make a pattern backtrack. Shared by the hostile-input tests
 * and the classify benchmark.
 */
import type { Intent } from '../../src/triggers';

/** The most characters a reply may hold (`ReplyInputSchema`). */
export const REPLY_MAX_CHARS = 100_000;

/** One family of hostile replies. */
export interface HostileFamily {
  /** What the reply repeats. */
  name: string;
  /** The reply at the given length (close to it; never more). */
  text: (chars: number) => string;
  /** The verdict of the short real reply it leads with. */
  labels: Intent[];
}

function fill(lead: string, unit: string, chars: number, tail = ''): string {
  const room = Math.max(0, chars - lead.length - tail.length);
  return lead + unit.repeat(Math.floor(room / unit.length)) + tail;
}

/** The families, each with the labels its lead reply must still get. */
export const HOSTILE_FAMILIES: readonly HostileFamily[] = [
  {
    name: 'a run after "<" (an address that never closes)',
    text: (n) => fill('How much does it cost for 40 seats?\n<', 'a@', n),
    labels: ['pricing'],
  },
  {
    name: 'a run after a name line (a signature that never ends)',
    text: (n) => fill('How much does it cost for 40 seats?\n\nJane Doe\n', 'a', n),
    labels: ['pricing'],
  },
  {
    name: 'a phrase repeated thousands of times (an exclusion that looks at the whole reply)',
    text: (n) => fill('We are interested, but not before next year. ', 'interested ', n),
    labels: ['not_now'],
  },
  {
    name: 'a soft sign-off repeated on every line',
    text: (n) => fill('Can you send me the price list?\n', 'Thanks\n', n),
    labels: ['pricing'],
  },
  {
    name: 'deep ">" quoting',
    text: (n) => fill('Can I talk to a real person?\n', '>', n),
    labels: ['human_request'],
  },
  {
    name: 'many ">" quoted lines',
    text: (n) => fill('Can I talk to a real person?\n', '> > > > quoted again\n', n),
    labels: ['human_request'],
  },
  {
    name: 'one huge line',
    text: (n) => fill('Does it integrate with Salesforce? ', 'lorem ipsum dolor sit amet ', n),
    labels: ['technical'],
  },
  {
    name: 'many blank lines after an out-of-office reply',
    text: (n) => fill('I am out of the office until March 10.', '\n', n, 'x'),
    labels: ['out_of_office'],
  },
  {
    name: 'a run of spaces after a snooze',
    text: (n) => fill('Not now, maybe next quarter.', ' ', n, 'x'),
    labels: ['not_now'],
  },
  {
    name: 'many emoji after a yes',
    text: (n) => fill('yes ', '👍 ', n, 'x'),
    labels: ['none'],
  },
  {
    name: 'a quote header that never ends',
    text: (n) => fill('What does the enterprise plan cost?\nOn ', 'x ', n, 'wrote:'),
    labels: ['pricing'],
  },
  {
    name: 'Outlook "From:" lines without a "Sent:"',
    text: (n) => fill('What does the enterprise plan cost?\n', 'From: a\n', n),
    labels: ['pricing'],
  },
  {
    name: 'combining marks piled on one letter',
    text: (n) => fill('Can I talk to a real person?\nZ', '\u0301\u0323', n),
    labels: ['human_request'],
  },
  {
    name: 'every letter with a combining accent',
    text: (n) => fill('Quel est le tarif annuel pour 40 postes ? Merci, Hélène\n'.normalize('NFD'), 'e\u0301', n),
    labels: ['pricing'],
  },
  {
    name: 'digits and dots after an out-of-office reply',
    text: (n) => fill('I am out of the office until March 10. ', '1.1.', n),
    labels: ['out_of_office'],
  },
];
