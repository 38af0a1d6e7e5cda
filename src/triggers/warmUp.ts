/**
 * Replies a classification thread reads once when the pool starts, before any prospect's reply: the first reading of
 * a pattern compiles it and the first readings of the code paths optimise them, which would otherwise fall on the
 * first replies after every start. One reply of each kind the readers tell apart, in each language they read, with
 * the forms real mail has (a quoted thread, a signature, dates).
 */
export const WARM_UP_REPLIES: readonly string[] = [
  'Interested. What does it cost for 40 seats, and is there an annual discount? Could you send a quote by Friday?',
  'Is this a bot? I would rather talk to a real person, can someone from your team call me?',
  'Does it integrate with our Salesforce instance, and do you support SSO/SAML and SOC 2 Type II?',
  'Please remove me from your mailing list and stop emailing me.',
  'I am out of the office until 10 March 2026 with limited access to email. For urgent matters contact sales@example.com.',
  'Not now, we are busy with other priorities. Maybe circle back next quarter, after 15 April?',
  "I'm not the right person for this, try Dana in operations, she handles our tooling decisions.",
  `Hi Sam,

Thursday 2pm works for me. Send over a calendar invite and we can go through a demo together.

Best regards,
Jane Doe
Director of Revenue Operations | Example Corp
m: +1 555 010 0199

On Tue, Mar 3, 2026 at 9:14 AM Sam Smith <sam@example.com> wrote:
> Would you be open to a 20-minute demo next week? Pricing starts at $30 per seat.
> If this isn't relevant, just reply "unsubscribe".`,
  'Was kostet das für 20 Nutzer? Bitte rufen Sie mich an, ich möchte mit einem Menschen sprechen.',
  "Bonjour, quel est le tarif ? Je suis absent jusqu'au 12 mars. Merci de ne plus m'écrire ensuite.",
  '¿Cuánto cuesta? Estoy fuera de la oficina hasta el lunes. Por favor, no me envíen más correos.',
  'Quanto custa? Gostaria de falar com uma pessoa. Estou de férias até dia 20.',
  'Wat kost het per gebruiker? Ik ben afwezig tot 5 mei. Graag geen mails meer.',
];
