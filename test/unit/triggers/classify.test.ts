import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Intent, classifyReply, loadRuleSet } from '../../../src/triggers';
import { asksSomething, isBareAcknowledgement, ownWordsOf as scanOf } from '../../../src/triggers/classify';

const rules = loadRuleSet();
const receivedAt = '2026-03-01T09:00:00Z';
const labelsOf = (text: string): Intent[] => classifyReply(text, rules, { receivedAt }).labels;

/** Asserts that each of `texts` is given `label`, naming the one that is not. */
function assertEachGets(label: Intent, texts: readonly string[]): void {
  for (const text of texts) assert.ok(labelsOf(text).includes(label), `${label} for ${text}`);
}

/** Asserts that none of `texts` is given `label`, naming the one that is. */
function assertNoneGets(label: Intent, texts: readonly string[]): void {
  for (const text of texts) assert.ok(!labelsOf(text).includes(label), `no ${label} for ${text}`);
}

/** Asserts that each of `texts` is given exactly `labels`, naming the one that is not. */
function assertEachReadAs(labels: readonly Intent[], texts: readonly string[]): void {
  for (const text of texts) assert.deepEqual(labelsOf(text), labels, text);
}

/** Held-out style replies, written from the labelling guide rather than from the sample. */
const cases: ReadonlyArray<{ behaviour: string; text: string; labels: Intent[] }> = [
  // human_request
  { behaviour: 'asking for a real person is a human request', text: 'Can I speak to a real person please?', labels: ['human_request'] },
  { behaviour: 'asking whether this is a bot is a human request', text: 'is this a bot?', labels: ['human_request'] },
  { behaviour: 'a bare "bot?" is a human request', text: 'bot?', labels: ['human_request'] },
  { behaviour: 'a bare "call me" is a human request', text: 'call me', labels: ['human_request'] },
  { behaviour: 'asking to be called with a number is a human request', text: 'Call me tomorrow at 10, 555-0199.', labels: ['human_request'] },
  { behaviour: 'asking for someone from sales to ring is a human request', text: 'Just have someone from sales give me a ring.', labels: ['human_request'] },
  { behaviour: 'asking whether the emails are automated is a human request', text: 'Are these emails automated? Would rather talk to an actual human.', labels: ['human_request'] },
  { behaviour: 'asking if the email was written by ChatGPT is a human request', text: 'lol is this chatgpt', labels: ['human_request'] },
  { behaviour: 'curly apostrophes do not hide a request for a human', text: 'I’d rather speak with a human than reply to a robot.', labels: ['human_request'] },
  { behaviour: '"no need to call me" is not a human request', text: 'No need to call me, email is fine.', labels: ['none'] },
  { behaviour: '"please don\'t have anyone call me" is not a human request', text: "Please don't have anyone call me.", labels: ['none'] },
  { behaviour: 'not wanting a salesperson is not a human request', text: "I don't want to talk to a salesperson.", labels: ['none'] },
  // buying_intent
  { behaviour: '"tell me more" is buying intent', text: 'Tell me more.', labels: ['buying_intent'] },
  { behaviour: 'accepting a meeting slot is buying intent', text: 'Thursday 2pm works for me.', labels: ['buying_intent'] },
  { behaviour: 'asking for a proposal is buying intent', text: "Send over a proposal and we'll review it internally.", labels: ['buying_intent'] },
  { behaviour: 'saying they are evaluating tools is buying intent', text: "We're evaluating a few tools like this right now.", labels: ['buying_intent'] },
  { behaviour: 'a bare "sure" is buying intent', text: 'Sure', labels: ['buying_intent'] },
  { behaviour: '"yes, send it" is buying intent', text: 'yes, send it', labels: ['buying_intent'] },
  { behaviour: 'an emoji does not hide a yes', text: "Let's do it 👍", labels: ['buying_intent'] },
  { behaviour: 'a misspelt demo is still buying intent', text: "I'd love to see a demmo sometime this week.", labels: ['buying_intent'] },
  { behaviour: 'a misspelt "interested" is still buying intent', text: "We're intrested, can we book a time?", labels: ['buying_intent'] },
  { behaviour: 'interest with a price question is buying intent and pricing', text: 'Interested — what does it cost for 40 seats?', labels: ['buying_intent', 'pricing'] },
  { behaviour: '"we are not evaluating anything" is not buying intent', text: 'we are not evaluating anything at the moment', labels: ['not_now'] },
  { behaviour: 'declining a demo is not buying intent', text: "We don't need a demo, thanks.", labels: ['none'] },
  { behaviour: 'a polite brush-off is not buying intent', text: 'Sounds interesting, but the timing is bad. Maybe next year.', labels: ['not_now'] },
  // pricing
  { behaviour: 'a bare "price?" is pricing', text: 'price?', labels: ['pricing'] },
  { behaviour: 'a misspelt pricing question is pricing', text: "What's the pricng for the enterprise tier?", labels: ['pricing'] },
  { behaviour: 'negotiating is pricing', text: "Can you do better on that? It's a bit steep for us.", labels: ['pricing'] },
  { behaviour: 'procurement paperwork is pricing', text: 'Send me your MSA and order form.', labels: ['pricing'] },
  { behaviour: 'asking whether a feature costs extra is pricing and technical', text: 'Does it come with API access or is that extra?', labels: ['pricing', 'technical'] },
  { behaviour: 'a price they already pay elsewhere is not pricing', text: "We currently pay $12 per user with our vendor, but we're happy.", labels: ['none'] },
  { behaviour: '"no budget until January" is not_now, not pricing', text: 'No budget until January, sorry.', labels: ['not_now'] },
  // technical
  { behaviour: 'an integration question about their CRM is technical', text: 'Does it integrate with Salesforce custom objects?', labels: ['technical'] },
  { behaviour: 'an infosec requirement is technical', text: 'Our infosec team needs SOC 2 Type II before we can proceed.', labels: ['technical'] },
  { behaviour: 'an on-prem deployment question is technical', text: "We're on-prem, can this run in our VPC?", labels: ['technical'] },
  { behaviour: 'a scale question is technical', text: 'Can it handle 2 million contacts?', labels: ['technical'] },
  // opt_out
  { behaviour: 'a misspelt unsubscribe is an opt-out', text: 'unsubscibe', labels: ['opt_out'] },
  { behaviour: 'a shouted STOP is an opt-out', text: 'STOP', labels: ['opt_out'] },
  { behaviour: '"not interested" is an opt-out, not buying intent', text: 'Not interested.', labels: ['opt_out'] },
  { behaviour: 'a misspelt "not interested" with "stop emailing" is an opt-out', text: "I'm not intrested, please stop emailing me", labels: ['opt_out'] },
  { behaviour: 'an unsubscribe with an emoji is an opt-out', text: 'Unsubscribe 🙏', labels: ['opt_out'] },
  { behaviour: 'a thumbs-down alone is a firm no, an opt-out', text: '👎🏽', labels: ['opt_out'] },
  { behaviour: 'a prohibited sign before an unsubscribe is no negation of it', text: '🚫 unsubscribe', labels: ['opt_out'] },
  { behaviour: 'a one-word no with a thumbs-down is still one firm no', text: 'No 👎', labels: ['opt_out'] },
  { behaviour: 'a Portuguese "tô fora" with a person gesturing no is an opt-out', text: 'Tô fora 🙅‍♂️', labels: ['opt_out'] },
  { behaviour: 'two thumbs-down are a no', text: '👎👎', labels: ['opt_out'] },
  { behaviour: 'a thumbs-up alone is no opt-out', text: '👍', labels: ['none'] },
  { behaviour: 'having just signed with a competitor is an opt-out', text: 'Appreciate the note but we just signed a 2-year contract with Outreach. Not looking to switch.', labels: ['opt_out'] },
  { behaviour: '"not interested right now" is a timing objection', text: "I'm not interested right now, we're mid-reorg. Maybe later in the year.", labels: ['not_now'] },
  // not_now and referral
  { behaviour: '"circle back next quarter" is not_now', text: "Let's circle back next quarter.", labels: ['not_now'] },
  { behaviour: 'a budget review in Q3 is not_now, not pricing', text: "We're reviewing our tooling budget in Q3 — reach out then.", labels: ['not_now'] },
  { behaviour: 'pointing to a colleague in ops is a referral', text: "I'm not the right person, try Dana in ops.", labels: ['referral'] },
  { behaviour: 'forwarding to a colleague is a referral', text: 'Forwarding this to my colleague who handles procurement.', labels: ['referral'] },
  { behaviour: 'pointing to the CTO is a referral', text: "You'd want to talk to our CTO, Sam Lee.", labels: ['referral'] },
  // none
  { behaviour: 'a thank-you is none', text: 'Thanks!', labels: ['none'] },
  { behaviour: 'a thumbs-up alone is none', text: '👍', labels: ['none'] },
  { behaviour: 'small talk is none', text: 'Congrats on the funding round!', labels: ['none'] },
  // keywords in context
  { behaviour: 'a technical word in a decline is not a technical question', text: "We don't need another API. Please stop writing to me.", labels: ['opt_out'] },
  { behaviour: 'a data-protection erasure request is an opt-out, not a technical question', text: 'Under the GDPR, please delete my data and confirm when it is done.', labels: ['opt_out'] },
  { behaviour: 'a security review named as the reason for a delay is not_now, not technical', text: 'Our security review queue is full until the audit is finished, so try us again in the autumn.', labels: ['not_now'] },
  { behaviour: 'their environment stated a sentence before a question is technical', text: 'We run everything on-prem. Could your agent sit behind our proxy?', labels: ['technical'] },
  { behaviour: 'mentioning their own certification in passing is not technical', text: "We're ISO 27001 certified ourselves, nice to see you are too.", labels: ['none'] },
  { behaviour: 'saying it is not about the price is not pricing', text: "I'm not asking about the price, just pointing out a typo on your site.", labels: ['none'] },
  { behaviour: 'declining a demo but asking what seats cost is pricing', text: 'No need for a demo, but what would 25 seats cost?', labels: ['pricing'] },
  { behaviour: 'a demo they sat through in the past is not buying intent', text: 'Thanks, I sat through your demo at the trade fair last year.', labels: ['none'] },
  { behaviour: 'a German opt-out that names the offer is not pricing', text: 'Kein Interesse an Ihrem Angebot, bitte streichen Sie mich aus dem Verteiler.', labels: ['opt_out'] },
  { behaviour: 'a French decline of the demo and the prices is an opt-out only', text: 'Pas intéressé par votre démo ni par vos tarifs. Ne me contactez plus.', labels: ['opt_out'] },
  // German
  { behaviour: 'a German request for a call back is a human request', text: 'Können Sie mich bitte zurückrufen? Ich möchte lieber mit einem Menschen sprechen.', labels: ['human_request'] },
  { behaviour: 'a German bot question is a human request', text: 'Ist das eine automatisierte Nachricht?', labels: ['human_request'] },
  { behaviour: 'German interest in a meeting is buying intent', text: 'Klingt interessant, können wir nächste Woche einen Termin vereinbaren?', labels: ['buying_intent'] },
  { behaviour: 'a German licence price question is pricing', text: 'Was kostet die Lizenz für 20 Nutzer?', labels: ['pricing'] },
  { behaviour: 'a German interface and GDPR question is technical', text: 'Gibt es eine Schnittstelle zu SAP? Und ist das DSGVO-konform?', labels: ['technical'] },
  { behaviour: 'a German unsubscribe is an opt-out', text: 'Bitte nehmen Sie mich aus Ihrem Verteiler. Kein Interesse.', labels: ['opt_out'] },
  { behaviour: 'German "interessiert mich nicht", the negation after the word, is an opt-out, not buying intent', text: 'Interessiert mich nicht.', labels: ['opt_out'] },
  { behaviour: 'German "nicht uninteressant", a double negation, is no request to stop', text: 'Guten Tag, nicht uninteressant. Könnten Sie uns ein Angebot für 50 Nutzer schicken?', labels: ['pricing'] },
  { behaviour: 'German "uninteressant" alone is an opt-out', text: 'Das ist für uns uninteressant.', labels: ['opt_out'] },
  { behaviour: 'German "interessiert uns leider nicht" is an opt-out', text: 'Das interessiert uns leider nicht.', labels: ['opt_out'] },
  { behaviour: 'German "not only … but also" after the word is still interest', text: 'Interessiert uns nicht nur wegen des Preises, sondern auch wegen der API. Gibt es eine Schnittstelle zu SAP?', labels: ['buying_intent', 'pricing', 'technical'] },
  { behaviour: 'German "not right now" after the word is a timing objection', text: 'Interessiert uns derzeit nicht, vielleicht im Herbst.', labels: ['not_now'] },
  { behaviour: 'a German request to leave the mailing list, named as such, is an opt-out', text: 'Bitte nehmen Sie mich aus dem Mailverteiler.', labels: ['opt_out'] },
  { behaviour: 'a German request to leave the e-mail list beside a call request is an opt-out and a human request', text: 'Nehmen Sie mich bitte aus dem E-Mail-Verteiler. Wenn es wichtig ist, soll mich ein Mitarbeiter direkt anrufen.', labels: ['human_request', 'opt_out'] },
  { behaviour: 'German "no interest in a demo" is an opt-out, not buying intent', text: 'Kein Interesse an einer Demo.', labels: ['opt_out'] },
  { behaviour: 'a German evaluation with a quote request is buying intent and pricing', text: 'Wir evaluieren gerade mehrere Anbieter. Können Sie uns ein Angebot für 30 Lizenzen schicken?', labels: ['buying_intent', 'pricing'] },
  // French
  { behaviour: 'a French bot question is a human request', text: 'Est-ce que je parle à un robot ? Je préfère parler à un conseiller.', labels: ['human_request'] },
  { behaviour: 'French interest in a demo is buying intent', text: 'Intéressé, pouvons-nous prévoir une démo jeudi ?', labels: ['buying_intent'] },
  { behaviour: 'a French price question is pricing', text: 'Quel est le prix pour 50 utilisateurs ?', labels: ['pricing'] },
  { behaviour: 'a French GDPR hosting question is technical', text: 'Votre solution est-elle conforme au RGPD ? Où sont hébergées les données ?', labels: ['technical'] },
  { behaviour: 'a French unsubscribe is an opt-out', text: 'Merci de me désinscrire de votre liste.', labels: ['opt_out'] },
  { behaviour: 'French "not interested" is an opt-out', text: 'Pas intéressé, merci.', labels: ['opt_out'] },
  // Spanish
  { behaviour: 'a Spanish bot question is a human request', text: '¿Eres un bot? Quiero hablar con una persona.', labels: ['human_request'] },
  { behaviour: 'Spanish interest in a demo is buying intent', text: 'Nos interesa, ¿podemos agendar una demo?', labels: ['buying_intent'] },
  { behaviour: 'a Spanish price question is pricing', text: '¿Cuánto cuesta el plan anual?', labels: ['pricing'] },
  { behaviour: 'a Spanish integration question is technical', text: '¿Se integra con Salesforce? ¿Cumple con el RGPD?', labels: ['technical'] },
  { behaviour: 'a Spanish unsubscribe is an opt-out', text: 'Por favor, darme de baja de esta lista.', labels: ['opt_out'] },
  { behaviour: 'a Spanish "I don\'t want a demo" is not buying intent', text: 'No quiero una demo, gracias.', labels: ['none'] },
  // Portuguese
  { behaviour: 'a Portuguese bot question is a human request', text: 'Você é um robô? Prefiro falar com uma pessoa.', labels: ['human_request'] },
  { behaviour: 'Portuguese interest in a meeting is buying intent', text: 'Tenho interesse, podemos agendar uma reunião?', labels: ['buying_intent'] },
  { behaviour: 'a Portuguese price question is pricing', text: 'Quanto custa para 10 usuários?', labels: ['pricing'] },
  { behaviour: 'a Portuguese integration question is technical', text: 'Vocês têm integração com o HubSpot? E a LGPD?', labels: ['technical'] },
  { behaviour: 'a Portuguese unsubscribe is an opt-out', text: 'Por favor, me descadastre.', labels: ['opt_out'] },
  { behaviour: 'Spanish "no nos interesa" alone is an opt-out ("nos" is French as well)', text: 'No nos interesa.', labels: ['opt_out'] },
  { behaviour: 'Spanish "ahora mismo no nos interesa" is a timing objection, not an opt-out', text: 'Ahora mismo no nos interesa, quizá el próximo trimestre.', labels: ['not_now'] },
  { behaviour: 'Portuguese "neste momento não temos interesse" is a timing objection, not an opt-out', text: 'Neste momento não temos interesse, talvez no próximo trimestre.', labels: ['not_now'] },
  // Dutch
  { behaviour: 'a Dutch bot question is a human request', text: 'Is dit een bot? Ik wil graag met een mens spreken.', labels: ['human_request'] },
  { behaviour: 'Dutch interest in a demo is buying intent', text: 'Klinkt interessant, kunnen we een demo inplannen?', labels: ['buying_intent'] },
  { behaviour: 'a Dutch price question is pricing', text: 'Wat kost het per gebruiker per maand?', labels: ['pricing'] },
  { behaviour: 'a Dutch integration and GDPR question is technical', text: 'Is er een koppeling met Exact? En hoe zit het met de AVG?', labels: ['technical'] },
  { behaviour: 'Dutch "interesseert me niet", the negation after the word, is an opt-out', text: 'Interesseert me niet.', labels: ['opt_out'] },
  { behaviour: 'Dutch "interesseert ons momenteel niet" is a timing objection', text: 'Interesseert ons momenteel niet, misschien in het najaar.', labels: ['not_now'] },
  { behaviour: 'a Dutch unsubscribe is an opt-out', text: 'Graag uitschrijven, geen interesse.', labels: ['opt_out'] },
  { behaviour: 'a Dutch call-back request with a price question is a human request and pricing', text: 'Kunt u mij bellen? Ik heb vragen over de prijs.', labels: ['human_request', 'pricing'] },
];

describe('classifyReply on held-out style replies', () => {
  for (const c of cases) {
    test(c.behaviour, () => {
      assert.deepEqual(labelsOf(c.text), c.labels);
    });
  }
});

describe('classifyReply in real inboxes', () => {
  test('a pricing question inside a quoted thread does not escalate', () => {
    const text =
      'Thanks, got it.\n\nOn Mon, Mar 2, 2026 at 10:00 AM Sam <sam@handoff.io> wrote:\n> Would you like a demo? Our pricing starts at $20/user.\n> Reply STOP to unsubscribe.';
    const c = classifyReply(text, rules);
    assert.deepEqual(c.labels, ['none']);
    assert.equal(c.escalate, false);
  });

  test('an Outlook-quoted message does not lend its triggers to the reply', () => {
    const text =
      'Not interested.\n\n-----Original Message-----\nFrom: Sam <sam@handoff.io>\nSent: Monday, March 2, 2026 10:00 AM\nSubject: Quick question\n\nCan I show you a demo? What is your budget?';
    assert.deepEqual(labelsOf(text), ['opt_out']);
  });

  test('an Outlook underscore separator ends the reply', () => {
    const text = 'Thank you.\n\n________________________________\nFrom: Sam\nSent: Monday\nTo: Jane\nSubject: pricing\n\nWould you like to talk to a human about pricing?';
    assert.deepEqual(labelsOf(text), ['none']);
  });

  test('quote headers in German, French and Spanish are recognised', () => {
    for (const text of [
      'Danke.\n\nAm 02.03.2026 um 10:00 schrieb Sam <sam@handoff.io>:\n> Haben Sie Interesse an einer Demo?',
      'Merci.\n\nLe mar. 3 mars 2026 à 09:14, Sam <sam@handoff.io> a écrit :\n> Souhaitez-vous une démo ?',
      'Gracias.\n\nEl mar, 3 mar 2026 a las 9:14, Sam (<sam@handoff.io>) escribió:\n> ¿Le interesa una demo?',
      'Obrigado.\n\nEm ter., 3 de mar. de 2026 às 09:14, Sam <sam@handoff.io> escreveu:\n> Tem interesse numa demo?',
      'Bedankt.\n\nOp di 3 mrt 2026 om 09:14 schreef Sam <sam@handoff.io>:\n> Interesse in een demo?',
    ]) {
      assert.deepEqual(labelsOf(text), ['none'], text.split('\n')[2]);
    }
  });

  test('a forwarded message keeps the note above it and ignores the rest', () => {
    const text = 'Interesting, tell me more.\n\n---------- Forwarded message ---------\nFrom: Sam <sam@handoff.io>\nDate: Tue, Mar 3, 2026\nSubject: Quick question\n\nUnsubscribe here if not interested.';
    assert.deepEqual(labelsOf(text), ['buying_intent']);
  });

  test('a wrapped Gmail header with a bottom quote still leaves the reply on top', () => {
    const text = 'Sounds good!\n\nOn Tue, Mar 3, 2026 at 9:14 AM Sam Smith <sam@handoff.io>\nwrote:\n\n> Hi Jane, would Thursday at 2pm work for a demo?\n>';
    assert.deepEqual(labelsOf(text), ['buying_intent']);
  });

  test('an inline reply between quoted lines is read and the quoted lines are not', () => {
    const text = '> Would you like a demo?\nYes, Thursday works.\n> Do you need SSO?\nNo.';
    const c = classifyReply(text, rules);
    assert.deepEqual(c.labels, ['buying_intent']);
    assert.ok(c.evidence.every((e) => !text.slice(0, e.start).endsWith('> ')));
  });

  test('a demo link in the signature does not fire', () => {
    const text = 'Please call me.\n\nBest regards,\nJohn Smith\nVP Sales | Acme\nBook a demo: acme.com/demo';
    assert.deepEqual(labelsOf(text), ['human_request']);
  });

  test('certifications in a signature block are not a technical question', () => {
    const text = "Thanks — I'm good.\n\nJane Doe | Director of IT | Acme Corp\nm: +1 555 0100\nAcme is SOC 2 Type II and ISO 27001 certified.";
    assert.deepEqual(labelsOf(text), ['opt_out']);
  });

  test('a "-- " signature delimiter ends the reply', () => {
    assert.deepEqual(labelsOf('Happy to help.\n-- \nJane Doe\nSecurity & Compliance Lead, SOC 2 certified team'), ['none']);
  });

  test('a postscript below the signature is read as the prospect’s own words, in every language', () => {
    for (const text of [
      'Thanks for the info.\n\nBest regards,\nTom Reilly\nHead of IT | Kestrel Foods\nT: +353 21 555 0192\n\nP.S. please remove me from your mailing list.',
      'Danke.\n\nMit freundlichen Grüßen\nMax Mustermann\nTel: +49 30 1234567\n\nPS: Bitte streichen Sie mich aus Ihrem Verteiler.',
      'Merci.\n\nCordialement,\nJean Dupont\n\nP.-S. : merci de me retirer de votre liste de diffusion.',
      'Gracias.\n\n--\nJuan Pablo Herrera\nGerente de Operaciones\n\nPD: por favor, sáquenme de su lista de distribución.',
      'Obrigado.\n\nAtenciosamente,\nCarlos Menezes\n(19) 3555-0192\n\nP.S. por favor, me tirem da sua lista de e-mails.',
      'Dank voor de informatie.\n\nMet vriendelijke groet,\nHarm Kuipers\nT 0521 55 12 00 | www.kuipers.nl\n\nPS Graag mijn adres uit uw bestand verwijderen.',
    ]) {
      assert.ok(labelsOf(text).includes('opt_out'), text);
    }
  });

  test('a closing line below the signature, with no "PS", is read as the prospect’s own words, in every language', () => {
    for (const text of [
      'Thanks,\n--\nMark Hughes\nHead of Operations\nBrightline Logistics\n+44 161 555 0142\n\nplease take me off this list',
      'Danke.\n\n--\nThomas Brenner\nLeiter Beschaffung\n+41 44 380 22 11\n\nbitte nehmen Sie mich aus Ihrem Verteiler',
      'Merci pour votre message.\n\nCordialement,\n--\nMarc Lefebvre\n03 20 55 41 87\n\nretirez-moi de votre liste de diffusion',
      'Saludos,\n\nLic. Verónica Sosa\nJefa de Compras\nTel. (0341) 425-7781\n\nno me escriban más, por favor',
      '--\nCarlos Menezes\nDiretor Financeiro | Cerâmica Santa Luzia\n(19) 3555-0192\n\nnão quero mais receber esses emails',
      'Bedankt.\n\nMet vriendelijke groet,\nHarm Kuipers\nT 0521 55 12 00 | www.kuipers.nl\n\nhaal me van jullie mailinglijst',
      'Ok.\n\n--\nSandra Weber\nEinkauf | weber-logistik.de\n\nKein Interesse, danke.',
      'Noted.\n\n--\nAna Costa\nCompras | costa.com.br\n\nDESCADASTRAR',
    ]) {
      assert.ok(labelsOf(text).includes('opt_out'), text);
    }
  });

  test('a footer, a tagline or a company line below the signature stays part of it: only a request to stop is read there', () => {
    for (const footer of [
      'Please consider the environment before printing this email.',
      'Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Empfänger sind, löschen Sie diese Mail bitte.',
      'Ce courriel est confidentiel. Si vous l’avez reçu par erreur, merci de le supprimer.',
      'Antes de imprimir este correo, piense si es necesario.',
      'Obter o Outlook para Android',
      'Outlook voor iOS downloaden',
      'Kestrel Foods Ltd',
      'Oficial de Protección de Datos\nIPS Salud Integral del Caribe',
      "My working hours may not be yours, please don't feel obliged to reply outside yours.",
      'Book a meeting with me: calendly.com/treilly',
      'Meet us at booth 12 at Logistics World, Birmingham.',
      'Making logistics simple.',
      'Tijuana, Baja California',
      'To unsubscribe from our newsletter, reply with REMOVE.',
    ]) {
      const text = `How much is it for 40 seats?\n\nBest regards,\nTom Reilly\nHead of IT | Kestrel Foods\nT: +353 21 555 0192\n\n${footer}`;
      assert.deepEqual(labelsOf(text), ['pricing'], footer);
    }
  });

  test('"saqué" (I took) is not "sáquenme" (take me off)', () => {
    assert.ok(!labelsOf('Ya saqué la lista de precios de su web. ¿Tienen descuento anual?').includes('opt_out'));
    assert.ok(labelsOf('Sáquenme de la lista, por favor.').includes('opt_out'));
  });

  test('a bare thank-you or acknowledgement is one in every language; a refusal, a question or anything more is not', () => {
    const acknowledges = (text: string): boolean => isBareAcknowledgement(scanOf(text), rules);
    for (const text of ['Gracias.', 'Merci beaucoup, bien reçu', 'Obrigada 🙏', 'Dank je wel, goed ontvangen.', 'Danke, gelesen.', 'Thanks!', 'Ok.', 'Muchas gracias, igualmente']) {
      assert.equal(acknowledges(text), true, text);
    }
    for (const text of ['No, gracias.', 'Non merci.', 'Nee, bedankt.', 'Danke, kein Bedarf.', 'Thanks, but no thanks.', 'Thanks Unsubscribe', 'Gracias?', 'Obrigada, Bruno.', '', '🙏']) {
      assert.equal(acknowledges(text), false, text);
    }
    assert.equal(acknowledges(`Dankeschön\n\nAm 11.02.2025 um 09:47 schrieb Tobias Kern <t.kern@example.de>:\n> Hallo Frau Seidel,\n> Viele Grüße`), true, 'quoted thread below');
    assert.equal(acknowledges('thanks '.repeat(12)), true, 'as many words as an acknowledgement may have');
    assert.equal(acknowledges('thanks '.repeat(13)), false, 'more words than an acknowledgement has');
    assert.equal(acknowledges(`Thanks${'\n'.repeat(20_000)}remove me`), false, 'a reply cut for its length may say anything after');
  });

  test('moving or deleting data in the product is a question about it; deleting the prospect’s own data is a request to stop', () => {
    assert.deepEqual(labelsOf('tienen API? necesitamos sacar los datos a Power BI cada noche'), ['technical']);
    for (const text of ['necesitamos sacar nuestros datos a Power BI cada noche', 'Si cancelamos, ¿borran nuestros datos?', '¿Puedo sacar mis datos en CSV?']) {
      assert.ok(!labelsOf(text).includes('opt_out'), text);
    }
    assert.ok(labelsOf('Borren todos mis datos, por favor.').includes('opt_out'));
    assert.ok(labelsOf('Eliminen todos los datos que tienen sobre mí.').includes('opt_out'));
    assert.ok(labelsOf('Borren los datos personales de nuestra empresa.').includes('opt_out'));
    assert.ok(labelsOf('Solicito que esta dirección sea eliminada de sus bases de datos.').includes('opt_out'));
    assert.ok(labelsOf('¿Me pueden quitar de su lista de correos?').includes('opt_out'));
  });

  test('a postscript ends at its paragraph, and a quoted thread below it stays unread', () => {
    const text =
      'Sounds good.\n\nBest regards,\nJane Doe\nVP Ops | Acme\n\nPS: send the proposal over.\n\nBook a demo: acme.com/demo\n\nOn Tue, Mar 3, 2026 at 9:14 AM Sam <sam@handoff.io> wrote:\n> What would 40 seats cost you?';
    const c = classifyReply(text, rules, { receivedAt });
    assert.deepEqual(c.labels, ['buying_intent']);
    assert.ok(c.evidence.some((e) => e.text === 'send the proposal'), JSON.stringify(c.evidence));
    assert.ok(c.evidence.every((e) => e.end < text.indexOf('Book a demo')), JSON.stringify(c.evidence));
  });

  test('"PD Dr." or initials like "P.S. Nair" opening a name below a sign-off are no postscript', () => {
    assert.deepEqual(labelsOf('Danke, passt.\n\nMit freundlichen Grüßen\n\nPD Dr. Hans Müller\nChefarzt, Preisanfragen bitte an den Einkauf\n+49 30 1234567'), ['none']);
    assert.deepEqual(labelsOf('Danke.\n\nMit freundlichen Grüßen\n\nP.D. Dr. Hans Müller\nChefarzt, Preisanfragen bitte an den Einkauf\n+49 30 1234567'), ['none']);
    assert.deepEqual(labelsOf('Got it, thanks.\n\nKind regards,\n\nP.S. Nair\nSales Director | Acme Pvt Ltd\nTalk to a specialist or request a quote: acme.in/contact'), ['none']);
    assert.deepEqual(labelsOf('Received.\n\n--\n\nP. S. Raghavan\nHead of IT Security | SSO, SAML, SOC 2 questions: security@acme.in'), ['none']);
  });

  test('a Spanish postscript that opens with "¿" is read', () => {
    assert.deepEqual(labelsOf('Gracias.\n\n--\nJuan Pablo Herrera\nGerente\n\nPD: ¿cuánto cuesta para 40 usuarios?'), ['pricing']);
  });

  test('"Sent from my iPhone" ends the reply', () => {
    const text = 'Ok, thanks\n\nSent from my iPhone\n\n> On Mar 3, 2026, at 09:14, Sam <sam@handoff.io> wrote:\n>\n> Can I call you tomorrow to discuss pricing?';
    assert.deepEqual(labelsOf(text), ['none']);
  });

  test('German and French sign-offs end the reply', () => {
    assert.deepEqual(labelsOf('Gerne, schicken Sie mir mehr Informationen.\n\nMit freundlichen Grüßen\nMax Mustermann\nTel: +49 30 1234567'), ['buying_intent']);
    assert.deepEqual(labelsOf('Merci, pas pour le moment.\n\nCordialement,\nJean Dupont\nDirecteur commercial\nDemandez une démo : acme.fr'), ['not_now']);
  });

  test('a greeting line does not stop a short yes from counting', () => {
    assert.deepEqual(labelsOf('Hi Sam,\n\nSure!\n\nThanks,\nKaren'), ['buying_intent']);
  });
});

describe('classifyReply evidence', () => {
  test('evidence offsets point into the original text, past quotes, emoji and curly quotes', () => {
    const text = 'Hi 👋 Sam,\n\nWe’re interested — what’s the pricing for 40 seats?\n\nOn Mon, Sam <sam@handoff.io> wrote:\n> Our pricing…';
    const c = classifyReply(text, rules);
    assert.deepEqual(c.labels, ['buying_intent', 'pricing']);
    for (const e of c.evidence) {
      assert.equal(text.slice(e.start, e.end), e.text);
      assert.ok(e.end <= text.indexOf('On Mon'), `${e.rule} points into the quote`);
    }
    assert.ok(c.evidence.some((e) => e.label === 'pricing' && e.text.toLowerCase() === 'pricing'));
  });

  test('a refusing emoji reads as "no", and its evidence is the emoji in the original text', () => {
    const text = '🙅‍♂️';
    const c = classifyReply(text, rules);
    assert.deepEqual(c.labels, ['opt_out']);
    assert.deepEqual(
      c.evidence.map((e) => text.slice(e.start, e.end)),
      [text],
    );
  });

  test('every label is backed by the rules that fired for it', () => {
    const c = classifyReply('Is this a bot? Also, how much is it per seat?', rules);
    assert.deepEqual(c.labels, ['human_request', 'pricing']);
    assert.deepEqual(Object.keys(c.rulesFired).sort(), ['human_request', 'pricing']);
    for (const e of c.evidence) assert.ok(c.rulesFired[e.label]?.includes(e.rule));
  });

  test('the trigger is the most urgent label and escalation follows the triggers', () => {
    const c = classifyReply("I'm interested and would like to speak to one of your salespeople.", rules);
    assert.deepEqual(c.labels, ['human_request', 'buying_intent']);
    assert.equal(c.escalate, true);
    assert.equal(c.trigger, 'human_request');
    const quiet = classifyReply('Please take us off your list.', rules);
    assert.equal(quiet.escalate, false);
    assert.equal(quiet.trigger, null);
  });

  test('none stands alone and an empty reply is exactly none', () => {
    for (const text of ['', '   ', 'Have a good weekend!', 'Thanks for sending the link.']) {
      const c = classifyReply(text, rules);
      assert.deepEqual(c.labels, ['none']);
      assert.deepEqual(c.evidence, []);
    }
    assert.ok(!labelsOf('Is this a bot?').includes('none'));
  });

  test('the verdict records the rule set version and is the same on every call', () => {
    const text = 'Can you send a quote for 20 users? Thursday works for a call.';
    const first = classifyReply(text, rules, { receivedAt });
    assert.match(first.rulesVersion, /^sha256:[0-9a-f]{12}$/u);
    assert.equal(first.rulesVersion, rules.version);
    assert.deepEqual(classifyReply(text, rules, { receivedAt }), first);
  });
});

describe('classifyReply on auto-replies', () => {
  test('an out-of-office reply that mentions pricing and a colleague never escalates', () => {
    const c = classifyReply('Out of Office: back Monday. If it is about pricing, please contact sales@acme.com.', rules, { receivedAt });
    assert.deepEqual(c.labels, ['out_of_office']);
    assert.equal(c.escalate, false);
    assert.equal(c.autoReply, true);
    assert.equal(c.returnDate, '2026-03-02');
  });

  test('an unmonitored mailbox is an away message that never escalates', () => {
    const c = classifyReply('This mailbox is not monitored. Please do not reply to this email. For a demo, visit acme.com.', rules);
    assert.deepEqual(c.labels, ['out_of_office']);
    assert.equal(c.autoReply, true);
    assert.equal(c.escalate, false);
    assert.deepEqual(c.autoReplyRules, ['out_of_office.en.mailbox', 'auto_reply.en.system']);
  });

  test('a ticket receipt is an auto-reply with no label', () => {
    const c = classifyReply('Your request has been received. Ticket #48213. A member of our team will contact you about pricing.', rules);
    assert.deepEqual(c.labels, ['none']);
    assert.equal(c.autoReply, true);
    assert.equal(c.escalate, false);
    assert.deepEqual(c.autoReplyRules, ['auto_reply.en.system']);
  });

  test('someone who has left, or an office closed for the holidays, reads as away in every language', () => {
    const away = [
      'Thank you for your email. I have left the company. For anything urgent, please write to Rachel Dunn.',
      'Our offices are closed for the Christmas break and reopen on 5 January.',
      'Frau Schneider ist nicht mehr in unserem Unternehmen tätig. Ihre Nachricht wird nicht weitergeleitet.',
      "Mme Fabre ne fait plus partie des effectifs de la société. Cette adresse n'est plus consultée.",
      'Lucas ya no trabaja en Bodegas Cuyo. Su mensaje no será reenviado.',
      'A Ana deixou de colaborar com a empresa. Esta caixa de correio já não é monitorizada.',
      'Ik werk sinds 1 maart niet meer bij Groenrijk. Uw e-mail wordt niet doorgestuurd.',
    ];
    for (const text of away) {
      const c = classifyReply(text, rules);
      assert.ok(c.labels.includes('out_of_office'), text);
      assert.equal(c.autoReply, true, text);
      assert.equal(c.escalate, false, text);
    }
  });

  test('a person who mentions leaving or a trade fair beside a real question still escalates', () => {
    const c = classifyReply("I'm no longer with the old team, but we'd like a demo for my new one. Does Thursday work?", rules);
    assert.equal(c.escalate, true);
    assert.equal(c.autoReply, false);
    assert.ok(!c.labels.includes('out_of_office'));
    const fair = classifyReply('Wir haben uns auf der Messe in Köln kurz gesprochen. Was kostet das für 40 Nutzer?', rules);
    assert.equal(fair.escalate, true);
    assert.ok(!fair.labels.includes('out_of_office'));
  });

  test('a reply that only sends urgent matters elsewhere is an auto-reply in every language, whatever it advertises', () => {
    for (const text of [
      'I only read email on Tuesdays and Fridays. For urgent matters, please contact the office on 01632 960118.',
      'Ich lese E-Mails nur dienstags. In dringenden Fällen erreichen Sie mich mobil unter 0160 9876543.',
      "Je ne consulte mes e-mails que le mardi. Si votre demande est urgente, un SMS fera l'affaire.",
      'Solo reviso el correo los martes. Para asuntos urgentes, llame al 33 5555 0101. Nuestra lista de precios está en la web.',
      'Leio os e-mails apenas às terças. Se for algo urgente, ligue para (11) 95555-0187.',
      'Ik lees mijn mail alleen op dinsdag. Voor dringende zaken kunt u bellen met 010 433 22 90.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.labels, c.autoReply, c.escalate], [['out_of_office'], true, false], text);
    }
  });

  test('a person who asks or needs something and adds "if it is urgent, call me" still escalates', () => {
    for (const text of [
      "Can you send pricing for 40 seats? If it's urgent, call me.",
      'Können Sie mir die Preisliste schicken? In dringenden Fällen rufen Sie mich an.',
      'Pouvez-vous m’envoyer vos tarifs ? En cas d’urgence, appelez-moi.',
      'Is het een optie om volgende week een demo te plannen? Voor dringende zaken: 06 1234 5678.',
      'We need SSO via Okta and a signed DPA before anything else. For anything urgent, my mobile is 555-0100.',
      'Wir benötigen SSO über Azure AD. Für dringende Rückfragen erreichen Sie mich unter 0171 1234567.',
      'Precisamos de integração com o SAP e SSO. Se for urgente, me liga no celular.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.equal(c.escalate, true, text);
      assert.equal(c.autoReply, false, text);
    }
  });

  test('an away message that sends demos, quotes or calls to a colleague is an auto-reply in every language', () => {
    for (const text of [
      'I am on parental leave until 1 September. For product demos or a quote, please contact my colleague Ruth Amos (ruth@example.com).',
      'Ich bin bis zum 14. Mai im Urlaub. Für Preisanfragen und Demo-Termine wenden Sie sich bitte an Herrn Brandt.',
      "Je suis en congés jusqu'au 3 juin. Pour toute demande de tarif, merci de contacter mon collègue Paul Girard.",
      'Estoy de vacaciones hasta el 2 de agosto. Para presupuestos y demostraciones, póngase en contacto con Marta Ruiz.',
      'Estou de férias até 20/07. Para orçamentos ou uma demonstração, entre em contato com a Ana Lopes.',
      'Ik ben afwezig tot 12 augustus. Voor een offerte of demo kunt u contact opnemen met mijn collega Joost.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.labels.includes('out_of_office'), c.autoReply, c.escalate], [true, true, false], text);
    }
  });

  test('a receipt, or a message forwarded automatically, is an auto-reply in every language', () => {
    for (const text of [
      'Your message has been automatically forwarded to the sales desk. To book a demo, use the form on our website.',
      'Eingangsbestätigung: Ihre Anfrage ist bei uns eingegangen. Eine Produktdemo können Sie online buchen.',
      'Accusé de réception : votre demande a bien été enregistrée. Nos tarifs sont disponibles sur notre site.',
      'Este es un acuse automático: su consulta ha sido recibida. Puede solicitar una demostración en nuestra web.',
      'Sua mensagem foi encaminhada automaticamente para o setor comercial. Nossa tabela de preços está no site.',
      'Uw bericht is automatisch doorgestuurd naar de afdeling verkoop. Een demo aanvragen kan via onze website.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.autoReply, c.escalate], [true, false], text);
    }
  });

  test('an away message that points to its own demo on the web and asks nothing is an auto-reply', () => {
    for (const text of [
      'I am at a trade fair until Thursday. Watch the demo of our new planner at www.example.com/demo.',
      'Ich bin bis 3. Mai im Urlaub. Die Demo unseres Portals finden Sie unter https://portal.example/demo.',
      "Je suis en congés jusqu'au 2 mai. Découvrez la démo de notre outil sur outil.example/demo.",
      'Ik ben afwezig tot 4 mei. Bekijk alvast de demo van ons portaal op www.portaal.example/demo.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.autoReply, c.escalate], [true, false], text);
    }
    for (const text of [
      "I'm back from holiday. We'd like a demo: my calendar is at www.example.com/jo.",
      "I'm back from holidays and watched the demo at https://vendor.example/demo. How much is it for 40 seats?",
      'Wir haben uns die Demo unter www.vendor.example/demo angesehen. Was kostet die Lizenz ab dem 1. Januar für 40 Nutzer?',
    ]) {
      assert.equal(classifyReply(text, rules, { receivedAt }).escalate, true, text);
    }
  });

  test('a mailbox nobody reads is an auto-reply in every language, whatever else it lists', () => {
    for (const text of [
      'Diese E-Mail-Adresse wird nicht mehr gelesen. Sicherheitsvorfälle melden Sie bitte der IT.',
      "Cette boîte n'est pas consultée. Pour un incident de sécurité, appelez le 01 23 45 67 89.",
      'Este buzón no está monitoreado. Para temas de seguridad, llame al 900 555 000.',
      'Este buzón no se revisa y su correo no se reenviará. Para precios, consulte la web.',
      'Esta caixa de e-mail não é monitorada. Incidentes de segurança: ligue para o service desk.',
      'Deze mailbox wordt niet gelezen. Bij beveiligingsincidenten belt u de servicedesk.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.autoReply, c.escalate], [true, false], text);
    }
  });

  test('a person who is away but wants a demo, a price or a call still escalates when a colleague is named', () => {
    for (const text of [
      "Back from vacation. We'd like a demo next week; please contact my assistant Jo to book it.",
      'I am travelling until Friday. Can you send pricing for 40 seats? Otherwise contact my colleague Tom.',
      'Ich bin bis Montag im Urlaub, aber wir möchten eine Demo. Wenden Sie sich bitte an Frau Keller.',
      "Je suis en déplacement. Nous aimerions connaître vos tarifs : merci de contacter mon collègue Paul.",
      'Estoy de viaje hasta el lunes. Nos gustaría ver una demostración; póngase en contacto con mi asistente.',
      'Ik ben op vakantie tot maandag. We willen graag een offerte; neem contact op met mijn collega Joost.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.equal(c.autoReply, false, text);
      assert.equal(c.escalate, true, text);
    }
  });

  test('a person who opens with an away phrase and then asks or wants something still escalates', () => {
    for (const text of [
      'Out of office until Monday, at a fair. Short answer though: can you send pricing for 60 users?',
      "Absente jusqu'au 8 juillet. En mon absence, pouvez-vous faire un effort sur le prix ?",
      'Estarei ausente na próxima semana. Na minha ausência: temos interesse numa demonstração, fale com o Felipe.',
      'De vacaciones hasta el 31. Cuando vuelva prefiero hablar con una persona de su equipo por teléfono.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.equal(c.autoReply, false, text);
      assert.equal(c.escalate, true, text);
    }
    const away = classifyReply("Out of office: on holiday until the 21st. If it's about a meeting, I'll be happy to look at my diary then.", rules, { receivedAt });
    assert.deepEqual([away.autoReply, away.escalate], [true, false]);
  });

  test('a person who writes a receipt, a forward or "please call" in their own words still escalates', () => {
    for (const text of [
      'Your email was automatically forwarded to me, as I now run procurement. Can you send a quote for 40 seats?',
      'Hi, your note was auto-forwarded to me since Dana left. We are evaluating CRMs this quarter; send over pricing for 40 seats.',
      'Votre message a bien été reçu, merci. Nous sommes intéressés par une démo la semaine prochaine.',
      'Uw bericht is in goede orde ontvangen. We willen graag volgende week een demo; stuur me de prijs voor 20 gebruikers.',
      'Aguardo retorno na segunda. Por favor, entre em contato com o nosso diretor sobre o preço das licenças.',
      'Please send pricing right away for 40 seats, and kindly contact my colleague Dana for the contract.',
      'Estoy de viaje hasta el lunes. Envíenos una cotización para 40 licencias.',
      'Estou em viagem até sexta. Me contate na segunda para falarmos da demonstração.',
      'Please call me tomorrow to discuss pricing for 40 seats; our CFO wants the return on investment figures.',
      "I'm at a conference this week; please call me Thursday at 2pm to walk through the SSO and SAML setup.",
      'Ligue para o meu celular amanhã para falarmos do preço das licenças. Aguardo retorno.',
      'Estou em viagem esta semana, contate-me na segunda para marcarmos a demonstração.',
      'Wir sind sehr interessiert an einer Demo, ich bin im Urlaub, bitte kontaktieren Sie meine Assistentin Frau Roth.',
      'Out of office until Monday. Please send me pricing for 60 users.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.autoReply, c.escalate], [false, true], text);
    }
    const lookingForward = classifyReply(
      'I am out of the office with no access to email until Monday. I am looking forward to reading your message when I return.',
      rules,
      { receivedAt },
    );
    assert.equal(lookingForward.autoReply, true);
  });

  test('a receipt that offers help with a question, or an away message that sends requests to the company, is an auto-reply', () => {
    for (const text of [
      'Votre demande a bien été enregistrée. Vous avez une question sur nos tarifs ? Consultez notre FAQ.',
      'Eingangsbestätigung: Ihre Anfrage ist bei uns eingegangen. Haben Sie Fragen zu Preisen? Besuchen Sie unsere Website.',
      'Abwesenheitsnotiz: Ich bin bis 12. Mai im Urlaub. Für Preisanfragen und Angebote können Sie uns unter vertrieb@firma.example erreichen.',
      "I'm travelling this week with my team. For pricing and demo requests please contact us at sales@firm.example.",
      'Ich bin bis Montag im Urlaub. Für Angebote wenden Sie sich bitte an unseren Vertrieb.',
      'Estou de férias até 20/07. Para orçamentos, fale com Ana Lopes ou entre em contato com o meu colega João.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual([c.autoReply, c.escalate], [true, false], text);
    }
  });

  test('a delivery failure is an auto-reply', () => {
    const c = classifyReply('Delivery has failed to these recipients or groups: jane@acme.com', rules);
    assert.equal(c.autoReply, true);
    assert.equal(c.escalate, false);
  });

  test('a person mentioning a holiday next to a real question still escalates', () => {
    const c = classifyReply("I'll be back on Monday — can we book a demo for Tuesday?", rules, { receivedAt });
    assert.deepEqual(c.labels, ['buying_intent']);
    assert.equal(c.autoReply, false);
    assert.equal(c.escalate, true);
  });

  test('out-of-office replies in every language are recognised and never escalate', () => {
    for (const text of [
      'Automatische Antwort: Ich bin im Urlaub. Bei Fragen zu Preisen wenden Sie sich an vertrieb@acme.de.',
      'Réponse automatique : je suis absent. Pour toute question de prix, contactez ventes@acme.fr.',
      'Respuesta automática: estoy fuera de la oficina. Para precios, escriba a ventas@acme.es.',
      'Resposta automática: estou de férias. Para preços, fale com vendas@acme.pt.',
      'Automatisch antwoord: ik ben afwezig. Voor prijzen kunt u mailen naar verkoop@acme.nl.',
    ]) {
      const c = classifyReply(text, rules, { receivedAt });
      assert.deepEqual(c.labels, ['out_of_office'], text);
      assert.equal(c.escalate, false);
    }
  });
});

describe('classifyReply on replies that ask to stop', () => {
  test('a terse decline is an opt-out in every language, unless it turns to someone else or leaves the door open', () => {
    for (const text of ['Nope.', 'Für uns nicht relevant.', 'Danke, wir sind versorgt.', 'Pas pour nous.', 'Sans façon.', 'No es para nosotros.', 'Estamos servidos, gracias.', 'Não é para nós.', 'SAIR', 'Niet voor ons.', 'Daar pas ik voor.']) {
      assert.deepEqual(classifyReply(text, rules).labels, ['opt_out'], text);
    }
    for (const text of ['Pas pour nous, mais ça pourrait intéresser notre filiale belge.', 'Nicht für uns im Moment, vielleicht im Frühjahr.', 'Das ist ein Thema für die Rechtsabteilung, nicht für mich.']) {
      assert.ok(!classifyReply(text, rules).labels.includes('opt_out'), text);
    }
  });

  test('a sarcastic decline of a demo is an opt-out, not buying intent, in every language and after a pleasantry that asks nothing', () => {
    for (const text of [
      'Great, another demo. Exactly what my week was missing. Take me off your list.',
      'Toll, noch eine Demo. Genau das hat mir gefehlt. Bitte streichen Sie mich aus dem Verteiler.',
      'Génial, encore une démo. Retirez-moi de la liste.',
      'Fantastisch, nog een demo. Haal me van de lijst.',
      'Hi Sam, how are you?\n\nGreat, another demo. Take me off your list.',
      'Olá Rafael, tudo bem?\n\nOutra demonstração, que ótimo. Me tirem da lista, por favor.',
      'Hola Lucía, ¿qué tal?\n\nOtra demo, qué ilusión. Dame de baja, por favor.',
    ]) {
      const verdict = classifyReply(text, rules, { receivedAt });
      assert.deepEqual(verdict.labels, ['opt_out'], text);
      assert.equal(verdict.escalate, false, text);
    }
  });

  test('a real question beside a pleasantry still asks', () => {
    assert.equal(asksSomething(scanOf('Hi Sam, how are you? What would it cost for 12 people?')), true);
    assert.equal(asksSomething(scanOf('Hola, ¿qué tal el martes a las 10?')), true);
    assert.equal(asksSomething(scanOf('How are you handling SSO for contractors?')), true);
    assert.equal(asksSomething(scanOf('Oi, tudo bem? Estou fora do escritório até 08/04.')), false);
    assert.equal(asksSomething(scanOf('Hallo Frau Berg, wie geht es Ihnen?\n\nKein Bedarf.')), false);
    assert.equal(asksSomething(scanOf('Bonjour Claire, ça va\u00a0? Merci de me retirer de la liste.')), false);
    assert.equal(asksSomething(scanOf('Hi Sam, how are you??\n\nRemove me.')), false);
    // More than a greeting and a name before it, and the mark is read as a question.
    assert.equal(asksSomething(scanOf('Did you get my note, how are you?')), true);
    assert.equal(asksSomething(scanOf('Nos vemos el martes a las diez, ¿qué tal?')), true);
    // A fullwidth question mark asks as an ASCII one does.
    assert.equal(asksSomething(scanOf('Hi, what does it cost\uff1f')), true);
  });

  test('a price already paid elsewhere, with a request to stop, does not escalate', () => {
    assert.deepEqual(labelsOf('We betalen 2 euro per gebruiker bij onze leverancier en zijn tevreden. Haal me van de lijst.'), ['opt_out']);
  });

  test('a reply that asks to stop but also asks a price keeps the price question', () => {
    const verdict = classifyReply('I was about to unsubscribe, but first: how much is it for a charity of 5 people?', rules, { receivedAt });
    assert.ok(verdict.labels.includes('pricing'), verdict.labels.join(','));
    assert.equal(verdict.escalate, true);
  });

  test('a request for a person beside a request to stop still goes to a rep', () => {
    const verdict = classifyReply('Take me off your mailing list. Have a real person call me instead.', rules, { receivedAt });
    assert.ok(verdict.labels.includes('opt_out') && verdict.labels.includes('human_request'), verdict.labels.join(','));
    assert.equal(verdict.escalate, true);
  });
});

describe('classifyReply on budget and purchasing words', () => {
  test('"the budget is spent, try in January" is a timing objection, not a price question', () => {
    assert.ok(!labelsOf('Het budget voor dit jaar is op. Probeer het in januari nog eens.').includes('pricing'));
    assert.ok(!labelsOf('Plus de budget cette année, on en reparle en janvier.').includes('pricing'));
  });

  test('a one-word pointer to purchasing is not a price question, and asking about the budget is', () => {
    assert.ok(!labelsOf('Einkauf.').includes('pricing'));
    assert.ok(labelsOf('Welches Budget müssten wir für 40 Nutzer einplanen?').includes('pricing'));
  });
});

describe('classifyReply on prices mentioned and prices asked', () => {
  test('a price they pay, a licence that renews or a contract already signed, mentioned without an ask, is not a pricing question', () => {
    assertNoneGets('pricing', [
      'We pay 2 EUR per user for our current tool and the price is fine.',
      'Our licence renews every March.',
      'Our annual contract was signed last year.',
      'Our current contract includes unlimited seats.',
      'Wir zahlen 2 € pro Nutzer und sind zufrieden.',
      'Unsere Lizenz verlängert sich jedes Jahr im März.',
      'Nous payons 2 € par utilisateur et par mois.',
      "Le contrat avec notre prestataire a été signé l'an dernier.",
      'Pagamos 2 € por usuario y estamos contentos.',
      'El contrato con nuestro proveedor se firmó el año pasado.',
      'Pagamos R$ 10 por usuário e estamos satisfeitos.',
      'A nossa licença renova em março.',
      'Onze licentie wordt elk jaar in maart verlengd.',
      'Ons contract is vorig jaar getekend.',
    ]);
  });

  test('a terse or a polite price question is still a pricing question, in every language', () => {
    assertEachGets('pricing', [
      'Pricing?',
      'Pricing please.',
      'Could you send me your pricing for 40 seats?',
      'Kosten?',
      'Preise bitte.',
      'Schicken Sie mir bitte ein Angebot für 25 Arbeitsplätze.',
      'Tarifs.',
      'Combien pour 20 postes',
      "Pourriez-vous m'envoyer vos tarifs pour 50 utilisateurs ?",
      'Merci de nous envoyer un devis.',
      'Precios.',
      '¿Cuánto cuesta?',
      'Por favor, envíenme la lista de precios.',
      'Preço?',
      'Quanto custa para 10 usuários',
      'Poderia me enviar o preço para 40 licenças?',
      'Prijzen.',
      'Wat kost het voor 10 gebruikers',
      'Graag een offerte voor 20 gebruikers.',
    ]);
  });

  test('waiting for a quote, or finding the price too high, asks for a rep, in every language', () => {
    assertEachGets('pricing', [
      'We look forward to receiving your quote.',
      'Awaiting your quote for the 30 users.',
      'Your price is steep for a team our size.',
      'Email me your rates.',
      'Wir freuen uns auf Ihr Angebot.',
      'Das Angebot ist uns zu teuer.',
      'Schickt mir mal eure Preise.',
      "Dans l'attente de votre devis, bonne journée.",
      'Votre tarif est trop élevé pour nous.',
      'Je vous remercie de me faire parvenir un devis.',
      'Quedo a la espera de la cotización.',
      'El precio es demasiado caro para nosotros.',
      'Agradecería que me compartan la lista de precios.',
      'Fico no aguardo do orçamento.',
      'O preço está caro demais pra nós.',
      'Qual o preço para 20 usuários',
      'We kijken uit naar uw offerte.',
      'Dat is te duur voor ons.',
      'Wilt u de prijslijst mailen.',
    ]);
  });

  test('good wishes, a greeting, thanks for what was sent and how they always pay are not asks beside a price word', () => {
    assertNoneGets('pricing', [
      "Je vous souhaite une bonne journée. Notre contrat court jusqu'en 2027.",
      'Que pasen un buen fin de semana, el contrato ya está firmado.',
      'Gracias, nos enviaron la factura ayer.',
      'Caro cliente, o contrato foi assinado ontem.',
      'Bedankt voor het toesturen van de offerte; deze is goed ontvangen.',
      'We always pay by invoice with our vendors and that works.',
      'Got the price sheet, thanks.',
    ]);
  });
});

describe('classifyReply on invoices, prices already paid and exasperated declines', () => {
  test('an invoice mentioned in passing is not a price question, and asking how something is invoiced is', () => {
    assert.ok(!labelsOf("J'ai bien reçu votre facture de mars, merci.").includes('pricing'));
    assert.ok(!labelsOf('Yo solo reviso las facturas del proveedor actual.').includes('pricing'));
    assert.ok(labelsOf('Et la maintenance, elle est facturée à part ?').includes('pricing'));
    assert.ok(labelsOf('Para nosotros es obligatorio recibir factura electrónica.').includes('pricing'));
  });

  test('a price already paid to another vendor beside a request to stop is an opt-out alone', () => {
    assert.deepEqual(labelsOf('Wij betalen 3 euro per licentie bij onze huidige partij en zijn tevreden. Niet meer opvolgen a.u.b.'), ['opt_out']);
    assert.deepEqual(labelsOf('Ya pagamos la suscripción anual de otra herramienta. No me escriban más.'), ['opt_out']);
  });

  test('"how many times must I say it" is exasperation, not a price question', () => {
    assert.deepEqual(labelsOf('Combien de fois faut-il vous le répéter ? Désinscrivez-moi.'), ['opt_out']);
    assert.ok(labelsOf('Combien pour 20 postes ?').includes('pricing'));
  });

  test('a sentence-final "please, stop" opts out and declines the pricing it mocks', () => {
    assert.deepEqual(labelsOf('Your discount offer means nothing to us. Please, stop.'), ['opt_out']);
  });

  test('closing the file or marking the deal lost is an opt-out, in every language', () => {
    assertEachReadAs(['opt_out'], [
      'Please mark our account as closed lost.',
      'Betrachten Sie den Vorgang bitte als abgeschlossen.',
      'Considérez cette affaire comme close, merci.',
      'Demos el asunto por zanjado.',
      'Considerem o processo encerrado.',
      'Beschouw deze kwestie maar als afgehandeld.',
    ]);
  });

  test('not wanting to be mailed any more opts out beside a referral, and "we need no other" declines what it names', () => {
    assert.ok(labelsOf('Ik ga hier niet over en wil niet langer gebeld worden. Vraag het aan inkoop.').includes('opt_out'));
    assert.deepEqual(labelsOf('Ya contamos con SSO y auditorías con nuestro proveedor. No necesitamos otra.'), ['opt_out']);
  });

  test('leave is not a licence, a ticket number to quote is not a quote, and "going forward," is not interest', () => {
    assert.ok(!labelsOf('Estoy de licencia por paternidad hasta marzo.').includes('pricing'));
    assert.ok(!labelsOf('Estou em licença-maternidade até junho.').includes('pricing'));
    assert.ok(labelsOf('¿Cuánto cuesta la licencia anual?').includes('pricing'));
    assert.ok(!labelsOf('Please quote your case number when you write back.').includes('pricing'));
    assert.ok(!labelsOf('I have moved on. Going forward, please write to my successor, Amir.').includes('buying_intent'));
  });

  test('"send it to our CFO" points elsewhere, and "stop the follow-ups" opts out and declines the trial it names', () => {
    assert.ok(!labelsOf('Please send it to our CFO rather than to me.').includes('buying_intent'));
    assert.deepEqual(labelsOf('The trial was enough for us. Please stop the follow-ups.'), ['opt_out']);
  });

  test('withdrawing consent to be contacted, or objecting to the processing of one\'s data, is an opt-out in every language', () => {
    assertEachReadAs(['opt_out'], [
      'I hereby withdraw my consent to any further marketing contact.',
      'Ich widerrufe hiermit meine Einwilligung zu Werbeanrufen und E-Mails.',
      'Je retire mon consentement à toute prospection commerciale.',
      'Retiro mi consentimiento para recibir comunicaciones comerciales.',
      'Revogo o meu consentimento para contactos comerciais.',
      'Hierbij trek ik mijn toestemming voor commerciële mails in.',
      'We object to the processing of our contact details for marketing.',
      'I withdraw my consent to any further emails, could you confirm?',
    ]);
  });

  test('asking not to be pressed or written to again, in the forms people use, is an opt-out in every language', () => {
    assertEachReadAs(['opt_out'], [
      'Merci de ne plus m\'écrire.',
      'Ne m\'envoyez plus rien.',
      'Inutile de me relancer.',
      'Bitte sehen Sie von weiteren Kontaktaufnahmen ab.',
      'No insistan, por favor.',
      'Por favor, les ruego no volver a contactarme.',
      'Por favor, não insistam.',
      'Gelieve mij niet meer te contacteren.',
      'Graag ons adres te schrappen.',
      'Wij wensen niet verder benaderd te worden.',
      'Please remove this address from your sequence.',
    ]);
  });

  test('requests to stop and firm declines in forms the stop patterns used to miss: an accented Spanish imperative, a one-word Portuguese "remover", everyone at a company, a consent withdrawn with a comma, an address asked about and then wiped, "Wir verzichten.", "Paso, gracias.", "Nee, dank je." and "van deze lijst af"', () => {
    assertEachReadAs(['opt_out'], [
      'Desuscríbanme por favor.',
      'Desuscríbeme de esta lista.',
      'REMOVER.',
      'Please remove everyone at Harrow & Pike Logistics from your outreach.',
      'Please remove everyone at harrowpike.com from your list.',
      'Please remove everyone at Harrow & Pike Ltd. from your outreach.',
      'Take everybody from our office off your list.',
      'I withdraw my consent, given or not, to receive marketing from you.',
      'Where did you even get this address? Wipe it.',
      'CHF 900 pro Monat ist für uns kein Thema. Wir verzichten, merci.',
      'Con esos plazos no hay forma. Paso, gracias.',
      'Twee maanden implementatie? Nee, dank je.',
      'Ik wil graag van deze lijst af.',
    ]);
    assertNoneGets('opt_out', [
      'Can you remove everyone at the old office from the shared workspace in your tool?',
      'Can you remove everyone at the old office from the campaign in your tool?',
      'Does the CRM sync delete anyone from the database who bounced?',
      'Where did you get this address? I would like to send it to my colleague too.',
      'Where did you get this number? Our revenue is $12M, not $20M. Please remove it from the case study.',
      'Where did you get our info? Please delete it from your slide.',
      'Vamos remover a etapa de aprovação manual no fluxo?',
      'Wir verzichten auf Papierrechnungen. Können Sie E-Rechnungen?',
      'El siguiente paso. ¿Cuándo hacemos la demo?',
      'Nee, dank je, ik heb de offerte al. Wanneer kunnen we starten?',
      'Hoe halen we klanten van de lijst af in jullie tool?',
    ]);
  });

  test('a buyer\'s or a privacy question\'s words that share those forms are no request to stop', () => {
    assertNoneGets('opt_out', [
      'Please remove this address and use jane@newco.com from now on, I\'m still keen on the demo.',
      'How do end users withdraw their consent in your widget?',
      'We object to the processing of our data outside the EU - can you host in Frankfurt?',
      'Unterstützt Ihr Tool den Widerruf der Einwilligung durch Endkunden?',
      'Wir haben keine Angebote mehr von Ihnen bekommen, können Sie uns eins schicken?',
      'Ne m\'envoyez plus le devis en PDF, passez par DocuSign.',
      'Merci de retirer mes coordonnées du devis et de mettre celles de ma collègue.',
      'Comment gérez-vous l\'opposition au traitement dans votre outil ?',
      'Inutile de me relancer, je reviens vers vous la semaine prochaine.',
      'Por favor, no volver a enviar el contrato, ya lo firmé. ¿Cuándo arrancamos?',
      'Não insistam, eu retorno na semana que vem.',
      'U hoeft mij niet meer te bellen, mail me liever.',
      'Kunt u voor ons een offerte uit te schrijven?',
      'If we withdraw our consent, your platform must purge our data within 30 days.',
      'We object to the processing of our data outside the EU, so we need EU hosting.',
      'Widerrufen die Nutzer ihre Einwilligung, muss Ihr System die Daten löschen.',
      'Si nous retirons notre consentement, que devient l\'historique ?',
      'Wat gebeurt er als we onze toestemming intrekken?',
      'Inutile de me relancer, je signe le devis lundi.',
      'No insistan, la orden de compra sale mañana.',
      'Não insistam, vou assinar o contrato amanhã.',
      'Please delete that email, I attached the wrong price list.',
      'Dana left the company, please remove that contact.',
    ]);
  });

  test('"en tant que" and "tant que vous y êtes" are no condition, and a stop "unless I get in touch" is still a stop', () => {
    assertEachReadAs(['opt_out'], [
      'En tant que DPO, je vous demande de ne plus nous contacter.',
      'Désabonnez-moi, tant que vous y êtes.',
      'No me contacten mientras no sea yo quien los busque.',
      'Haal mij uit uw bestand, zolang dat nog kan.',
      'Désabonnez-moi, vos newsletters ne m\'intéressent pas tant que ça.',
      'Kein Interesse, solange es Ihre Firma gibt.',
      'Mail maar zolang je wilt, geen interesse.',
    ]);
  });

  test('"don\'t follow up as long as it lacks SSO" is a condition, not a request to stop, in every language', () => {
    assertNoneGets('opt_out', [
      'Tant que vous n\'avez pas de SSO, inutile de me relancer.',
      'Solange es kein SSO gibt, sehen Sie bitte von weiteren Kontaktaufnahmen ab.',
      'Mientras no tengan SSO, no insistan.',
      'Enquanto não houver SSO, não insistam.',
      'Zolang er geen SSO is, gelieve mij niet meer te contacteren.',
    ]);
  });

  test('a Dutch "pas" ("only just") is no French negation of the trigger beside it', () => {
    assert.ok(labelsOf('We zijn pas gestart en willen graag een demo.').includes('buying_intent'));
    assert.ok(labelsOf('Ik zag uw mail pas net en wil graag met iemand bellen.').includes('human_request'));
  });

  test('asking who writes these emails asks for a person, in every language', () => {
    assertEachReadAs(['human_request'], [
      'Who is actually sending these emails?',
      'Wer schreibt mir hier eigentlich?',
      'Qui se cache derrière ces messages ?',
      '¿Y tú quién eres?',
      'Quem assina esses e-mails, afinal?',
      'Wie schrijft mij eigenlijk?',
      'Wer steckt hinter dieser E-Mail?',
      'Who am I talking to?',
    ]);
  });

  test('asking whether anyone reads this mailbox asks for a person, in every language', () => {
    assertEachReadAs(['human_request'], [
      'Is this inbox even monitored?',
      'Wird dieses Postfach überhaupt gelesen?',
      'Cette adresse est-elle vraiment lue ?',
      '¿Este buzón está atendido?',
      'Essa caixa de e-mail é monitorada?',
      'Wordt deze mailbox eigenlijk gelezen?',
      'Is anyone monitoring this inbox?',
      'Wordt deze inbox eigenlijk wel gelezen?',
    ]);
  });

  test('the same words said rather than asked, or asked about someone else, are no request for a person', () => {
    assert.deepEqual(labelsOf('This mailbox is not monitored.'), ['out_of_office']);
    assert.deepEqual(labelsOf('Wer schreibt mir hier eigentlich.'), ['none']);
    assert.deepEqual(labelsOf("Who's your designer? The template is lovely."), ['none']);
  });

  test('who writes a proposal or signs a contract, and how an account or address is checked, ask for no person', () => {
    assertNoneGets('human_request', [
      "Who's signing this contract on your end?",
      'Who sent that invoice? We never got a PO.',
      'Wer schreibt das Angebot auf Ihrer Seite?',
      '¿Quién nos escribe la propuesta?',
      'Wie ondertekent het contract bij jullie?',
      'Is the account read-only for auditors?',
      'Is the address checked against our CRM during import?',
      '¿Este correo es leído por finanzas?',
      'A conta é verificada com 2FA?',
      'Wordt jullie mailbox beheerd in Microsoft 365?',
      'Who sends the emails, our domain or yours?',
      'Wer verschickt die E-Mails, unser Server oder Ihrer?',
      'Quem envia esses e-mails para os clientes, vocês ou nós?',
      'Wie stuurt die mails naar onze klanten, jullie of wij?',
      'Wer schreibt uns das Angebot?',
      'Wer mailt mir diese Unterlagen?',
      'Wie mailt ons nu de offerte?',
      'Met wie bent u al in contact geweest?',
      '¿Quién está detrás de la integración con SAP en su equipo?',
      'Quem está por trás do desenvolvimento da integração com o SAP?',
    ]);
  });

  test('asking whether a machine wrote this email asks for a person, in every language', () => {
    assertEachReadAs(['human_request'], [
      'Did an AI write this?',
      'Hat diese Mail eine KI geschrieben?',
      'Ist das eine automatische Nachricht?',
      'Ce message a été rédigé par une IA ?',
      'Je parle à un robot, là ?',
      '¿Este mensaje es automático?',
      '¿Sos una persona o un bot?',
      'Esse e-mail foi escrito por uma IA?',
      'Estou falando com uma máquina?',
      'Heeft een bot deze mail geschreven?',
      'Is dit bericht automatisch verstuurd?',
      'Is there a human of flesh and blood there?',
    ]);
  });

  test('asking whether anyone reads the replies asks for a person, in every language', () => {
    assertEachReadAs(['human_request'], [
      'Wer liest das hier überhaupt?',
      "Y a-t-il quelqu'un qui lit vraiment ces réponses ?",
      '¿Alguien lee realmente estos correos?',
      'Alguém lê de verdade essas mensagens?',
      'Wie leest dit eigenlijk?',
    ]);
  });

  test('asking to be phoned or put through, in everyday words, asks for a person in every language', () => {
    assertEachReadAs(['human_request'], [
      'Can I get a name and a direct line?',
      'Rufen Sie mich doch morgen kurz an.',
      'Könnte mich Ihr Kollege heute Nachmittag anrufen?',
      'Melden Sie sich bitte telefonisch.',
      'Passez-moi un coup de fil demain.',
      "J'aimerais qu'un de vos conseillers me rappelle.",
      'Qui puis-je appeler chez vous ?',
      '¿Nos puede llamar alguien de su equipo?',
      'Páseme con su gerente, por favor.',
      'Me chama no WhatsApp.',
      'Pode dar-me o contacto do gestor de conta?',
      'Kunt u mij morgen even bellen?',
      'Ik wil graag iemand van jullie supportteam spreken.',
      'Graag telefonisch contact met een adviseur.',
    ]);
  });

  test('declining a call, the product\'s own automation, the writer\'s own people and calls already made ask for no person', () => {
    assertNoneGets('human_request', [
      'Sie müssen mich nicht anrufen, eine Mail reicht.',
      'Kunt u mij niet bellen maar mailen?',
      'U hoeft mij niet te bellen.',
      'Ça me rappelle un projet de 2019.',
      'Vocês acham mesmo que alguém lê esses e-mails até o fim?',
      'Does a bot send these reminders to our customers, or do we have to do it manually?',
      'Did a tool generate that number? It looks off compared to the price on your website.',
      'Sind Ihre Support-Mitarbeiter Menschen aus Fleisch und Blut oder ein Chatbot?',
      'Antwortet uns ein Mensch, wenn wir nachts ein Ticket aufmachen?',
      'Le message est généré par une IA, ou on peut le personnaliser pour chaque client ?',
      '¿Lo que ofrecen es un bot para WhatsApp?',
      'O email é automático quando o cliente assina o contrato?',
      'Wordt dit rapport automatisch gegenereerd vanuit ons ERP?',
      'Wer liest mit, wenn wir unsere Kundendaten hochladen?',
      "Y a-t-il quelqu'un qui répond au support le week-end ?",
      '¿Una persona revisa los datos o es todo automático?',
      'Tem alguém de verdade no suporte 24h ou é só chatbot?',
      'Wie leest onze data mee als we dit koppelen?',
      'For the vendor form we need a name and phone number of your billing contact.',
      'Ihre Kollegen rufen uns einfach an, ohne Termin.',
      'Ich kann mich ja bei Bedarf selbst bei Ihnen melden und Sie anrufen.',
      'Danke, ich werde morgen mal durchklingeln.',
      'Lassen Sie mich kurz meinen Chef anrufen, dann melde ich mich wieder.',
      'Mon directeur va me passer un coup de fil ce soir.',
      "C'est la troisième fois cette semaine qu'on m'appelle pour ça, arrêtez.",
      'Je vais en discuter de vive voix avec mon équipe demain.',
      'Qui dois-je contacter pour me désabonner ?',
      '¿Me da el número de factura para el pago?',
      'En vez de hablarlo por teléfono, mándeme un resumen por escrito.',
      'Le pedí a mi colega que se comunique conmigo cuando vuelva.',
      'Me passa o número da proposta, por favor?',
      'Vou tratar com um gestor aqui da empresa e volto a falar.',
      'Kunt u me mailen in plaats van bellen?',
      'Ik heb vorige week al telefonisch contact gehad met uw collega.',
      'Uw collega heeft een terugbelverzoek achtergelaten, maar we hebben geen interesse.',
      'Ik wil eerst iemand intern spreken.',
    ]);
  });

  test('asking to remove one\'s address opts out without naming a list, in Spanish and Portuguese', () => {
    assert.deepEqual(labelsOf('Retirem o meu endereço, por favor.'), ['opt_out']);
    assert.deepEqual(labelsOf('Borren mis datos, gracias.'), ['opt_out']);
    assert.ok(!labelsOf('¿De dónde han sacado mi contacto?').includes('opt_out'));
  });
});

describe('classifyReply on meeting slots and erasure requests in six languages', () => {
  test('a day with a time proposes or accepts a meeting, in every language', () => {
    for (const text of ['Monday 11am?', "Jeudi 10h, c'est parfait.", 'Donnerstag 14 Uhr passt.', 'Martes a las 10, perfecto.', 'Terça às 15h está ótimo.', 'Dinsdag 14.00 past prima.']) {
      assert.deepEqual(labelsOf(text), ['buying_intent'], text);
    }
  });

  test('a return date in an away message is not a meeting slot', () => {
    assert.ok(!labelsOf('Ich bin bis 08.08. im Urlaub und ab Montag, 11.08. wieder erreichbar.').includes('buying_intent'));
  });

  test('a request to erase their own data is an opt-out, not a technical question, in every language', () => {
    for (const text of [
      'Under Art. 17 GDPR I request that you erase all personal data you hold about me.',
      "Conformément au RGPD, je vous demande d'effacer toutes mes données personnelles.",
      'Gemäß Art. 17 DSGVO bitte ich um Löschung meiner personenbezogenen Daten.',
      'Conforme al RGPD, solicito la supresión de todos mis datos personales.',
      'Com base na LGPD, solicito a exclusão de todos os meus dados pessoais.',
      'Op grond van de AVG verzoek ik u al mijn persoonsgegevens te verwijderen.',
    ]) {
      const verdict = classifyReply(text, rules, { receivedAt });
      assert.deepEqual(verdict.labels, ['opt_out'], text);
      assert.equal(verdict.escalate, false, text);
    }
  });

  test('asking how long data is kept is not an erasure request', () => {
    assert.ok(!labelsOf('Can you delete our data after 30 days?').includes('opt_out'));
  });
});

describe('classifyReply on whether a person reads, calls and what a price is in', () => {
  test('asking whether a person reads the mail is a human request in every language', () => {
    assertEachGets('human_request', [
      'Does a real person read these?',
      'Liest das überhaupt jemand?',
      "Quelqu'un lit vraiment ces mails ?",
      '¿Alguien lee esto de verdad?',
      'Alguém lê isso?',
      'Wordt deze mailbox door een persoon gelezen?',
      'Ben ik nu met een mens aan het mailen?',
        ]);
  });

  test('asking to be rung at the office or dialled is a human request, and "don\'t call me" is not', () => {
    assert.deepEqual(labelsOf('Ring my office please.'), ['human_request']);
    assert.deepEqual(labelsOf('Márquenme, por favor.'), ['human_request']);
    assert.deepEqual(labelsOf("Please don't call my office."), ['none']);
  });

  test('the currency of a price, payment terms and charges asked about are pricing', () => {
    assert.deepEqual(labelsOf('Is that in USD or AUD? Our finance team will ask.'), ['pricing']);
    assert.deepEqual(labelsOf('¿Aceptan pago a 60 días? Es la política de la empresa.'), ['pricing']);
    assert.deepEqual(labelsOf('Vocês cobram pela implantação?'), ['pricing']);
    assert.ok(!labelsOf('We are a US company, all our staff are paid in dollars.').includes('pricing'));
  });

  test('a quote not wanted yet and budgets chatted about are not price questions', () => {
    assert.deepEqual(labelsOf("Budget's frozen until April. Don't bother with a quote before then."), ['not_now']);
    assert.deepEqual(labelsOf('Funny, we were just talking about budgets in our team meeting. Anyway, have a good weekend.'), ['none']);
    assert.deepEqual(labelsOf('Send me a quote.'), ['pricing']);
  });

  test('a declined demo, one not to be scheduled and "paso de la demo" are not buying intent', () => {
    assert.ok(!labelsOf("Demo declined. Please don't reschedule it.").includes('buying_intent'));
    assert.ok(!labelsOf("Please don't schedule anything yet. We'll reach out if we want to see it.").includes('buying_intent'));
    assert.ok(!labelsOf('Paso de la demo, gracias.').includes('buying_intent'));
    assert.deepEqual(labelsOf('Can we book a demo Thursday?'), ['buying_intent']);
  });
});

describe('classifyReply on asking a colleague of the sender to call or come by', () => {
  test('a member of the team, a colleague or "your guy" asked to call, visit or present is a human request in every language', () => {
    assertEachGets('human_request', [
      'Please could a member of your team telephone me to discuss?',
      'Can your guy in Cape Town pop by the office next week?',
      'Kann Ihr Kollege mich nächste Woche kurz anrufen?',
      "Je voudrais parler à l'un de vos ingénieurs avant d'aller plus loin.",
      'Et appelle-moi, ça va être plus simple.',
      '¿Me marca mañana para revisarlo?',
      'Preferia que alguém me ligasse amanhã.',
      'Dá pra alguém de vocês vir à nossa fábrica?',
        ]);
  });

  test('a call already made, or one not wanted, is not a human request, and "me llama la atención" is not a call', () => {
    assert.ok(!labelsOf('A member of your team called me yesterday.').includes('human_request'));
    assert.ok(!labelsOf('No need for someone to call me.').includes('human_request'));
    assert.ok(!labelsOf('Me llama la atención el diseño.').includes('human_request'));
  });
});

describe('classifyReply on named stacks and where the data stays', () => {
  test('a cloud, infrastructure as code, a health data standard or an allowlist named with a question or a need is technical', () => {
    assertEachGets('technical', [
      'Is there a Terraform provider so we can manage config as code?',
      'Ours must run in Azure Government. Would you qualify?',
      "We'd need HL7/FHIR going both ways.",
      'Domain allowlist please.',
      'Si lo alojamos en nuestra propia cuenta de AWS, ¿el licenciamiento cambia?',
      'We need the data to stay in the EU.',
        ]);
  });

  test('a stack mentioned in passing or in a decline is not technical', () => {
    assert.deepEqual(labelsOf('We host on Azure. Thanks for the note.'), ['none']);
    assert.ok(!labelsOf('We already run everything on AWS, no thanks.').includes('technical'));
  });
});

describe('classifyReply on a firm, repeated no', () => {
  test('"final answer: no", a no said before and "basta ya" are opt-outs', () => {
    assertEachGets('opt_out', ['Final answer: no.', 'The answer is no.', 'Dude I\'ve replied "no" three times. I\'m begging you.', 'Basta ya.', 'Chega!']);
  });

  test('a question whether the answer is no, and "basta" or "chega" inside a sentence, are not', () => {
    assert.deepEqual(labelsOf('Is the answer no?'), ['none']);
    assert.ok(!labelsOf('Basta con un correo.').includes('opt_out'));
    assert.ok(!labelsOf('O contrato chega amanhã.').includes('opt_out'));
  });
});

describe('classifyReply on short commitments and questions of fit', () => {
  test('"I\'m curious", "we\'re in", being sold, ready to pick a vendor and asking about a company of their size are buying intent in every language', () => {
    assertEachGets('buying_intent', [
      "ok I'm curious",
      "We're in. Month-to-month to start?",
      "Alright, I'm sold on the concept.",
      "We're ready to pick a vendor.",
      "What's the fastest way to see it on our own data?",
      'Is this something small shops use or is it built for enterprise?',
      'Auch für einen Betrieb unserer Größe?',
      'Mit dem würde ich mich gern mal austauschen.',
      'Ben écoutez, allons-y. Je fais quoi maintenant ?',
      'Si podéis igualarlo o mejorarlo, hablamos.',
      'Si me mandas precios antes de septiembre, os tengo en cuenta para comparar.',
      'Se vocês diluírem isso nas mensalidades, eu levo pra aprovação essa semana.',
      'Queria ver isso rodando de verdade.',
    ]);
  });

  test('being somewhere, sold out or not curious is not buying intent', () => {
    for (const text of ["We're in Berlin.", "I'm sold out.", "I'm not curious, I'm in a meeting.", 'Are we in?']) {
      assert.ok(!labelsOf(text).includes('buying_intent'), text);
    }
  });
});

describe('classifyReply on French interest and pilots', () => {
  test('"qui pilote le projet" is a person leading it, not a pilot project', () => {
    assert.ok(!labelsOf("C'est Émilie qui pilote le projet, vous pouvez lui écrire ?").includes('buying_intent'));
  });

  test('"je suis partant" and a subject that interests them are French buying intent; one that does not interest them is not', () => {
    assertEachGets('buying_intent', ['Je suis partant.', "Le sujet m'intéresse.", 'Votre offre nous intéresse.', "Ça pourrait m'intéresser."]);
    for (const text of ["Cela ne m'intéresse pas.", "Rien de tout ça ne m'intéresse.", "Je ne suis pas partant."]) {
      assert.ok(!labelsOf(text).includes('buying_intent'), text);
    }
  });
});

describe('classifyReply on requests to stop as people word them, and the words of stopping that ask for no stop', () => {
  test('an imperative, a wish to be removed, a firm decision and a case closed are opt-outs in every language', () => {
    assertEachGets('opt_out', [
      'Stop the automated emails, please.',
      'We decided not to go ahead with any vendor.',
      'Bin raus.',
      'Ich möchte gelöscht werden.',
      'Ich möchte weder Anrufe noch E-Mails von Ihnen.',
      'Für uns hat sich das Thema damit erledigt.',
      'Merci de cesser vos envois.',
      'Fichez-moi la paix.',
      'Le sujet est clos.',
      'Ce sera sans moi, merci.',
      "On n'en veut pas.",
      'Dadnos de baja, por favor.',
      'Solicito la baja de sus envíos.',
      'Quiero ser eliminado de su base.',
      'Hemos decidido no seguir con el proyecto.',
      'Quero ser excluída da lista.',
      'Prefiro sair da lista de vocês.',
      'Decidimos não avançar com a ferramenta.',
      'Ons mag u voortaan overslaan.',
      'We hebben besloten er niet mee verder te gaan.',
    ]);
  });

  test('asking not to be removed, a change of address, email preferred to calls, a named plan declined and a list footer are not opt-outs', () => {
    assertNoneGets('opt_out', [
      "Please don't remove me, I moved to the finance team.",
      'Bitte nicht aus dem Verteiler nehmen, ich lese gern mit.',
      'Austragen müssen Sie mich nicht.',
      'Ne me désinscrivez pas, je suis toujours intéressée.',
      'No me quitéis de la lista, solo he cambiado de puesto.',
      'Não me remova, só mudei de área.',
      'Uitschrijven hoeft niet hoor.',
      'Please stop writing to my old address and use my new email: ana@example.com.',
      'Bitte schreiben Sie nicht mehr an meine alte Adresse, Sie erreichen mich ab sofort unter mia@example.de.',
      'Please stop calling my desk phone, email works much better for me.',
      'Not interested in the premium tier. What does the standard plan cost?',
      'Je suis absent jusqu’au 4 mai. Pour vous désabonner de notre lettre, cliquez ici.',
    ]);
  });

  test('a request to stop beside an address, a plan, a footer phrase, a mistake or a "do not" is still an opt-out', () => {
    assertEachGets('opt_out', [
      'Please do not email me at this address again. It is a personal address.',
      'Werbung per E-Mail ist unzulässig. Austragen. Sofort.',
      'Merci de me désinscrire de vos envois. Si vous avez reçu ce message par erreur, merci de le supprimer.',
      'I signed up by mistake, please unsubscribe me.',
      'Vocês não podem continuar me mandando e-mails. Me descadastrem.',
      'No usen mi dirección para publicidad. Denme de baja.',
      'Please never again use my work address for your marketing. Unsubscribe me.',
      "Unsubscribe me. You've now started spamming my new email too.",
      'Bitte schicken Sie keine Werbung mehr an unsere neue Adresse.',
      "Not interested, it doesn't fit our business plan.",
      'Ya cancelamos el plan básico, dennos de baja de la lista.',
      'Kein Interesse an Ihrem Softwarepaket.',
      "Don't just unsubscribe me, delete everything you hold on me.",
      'Every time I click to unsubscribe I get an error page, so please remove me manually.',
      'Stop spamming our members with your cold emails.',
      'Comment me désinscrire de vos envois ?',
      'Do not ever write to my work email again.',
    ]);
  });

  test('a decision about another vendor, a closed debate, data the product deletes and a project left are not opt-outs', () => {
    assertNoneGets('opt_out', [
      'We decided not to go ahead with the other vendor, can you send pricing?',
      'We decided against building it in-house. Can we book a demo Thursday?',
      'Decidimos no seguir con nuestro proveedor actual, ¿nos mandan una propuesta?',
      'Resolvemos não continuar com o fornecedor atual. Qual o preço para 50 usuários?',
      'Wir haben uns dagegen entschieden, das selbst zu bauen. Können wir nächste Woche eine Demo machen?',
      'Le sujet est clos côté juridique, on peut avancer sur la démo ?',
      "Des frais cachés, nous n'en voulons pas : quel est le prix tout compris ?",
      '¿Los datos pueden ser eliminados de sus servidores al terminar el contrato?',
      'Si nos damos de baja del plan anual, ¿podemos pasar al mensual?',
      'Como faço para sair da lista de espera e entrar no piloto?',
      'Ich möchte vom Projekt entfernt werden, Frau Keller übernimmt die Evaluierung.',
      'Can we stop the daily calls and switch to a weekly sync?',
      'Pour la réunion de jeudi, ce sera sans moi, mais mon collègue Paul y sera.',
      'Pourriez-vous cesser de nous mettre en copie et écrire directement à Julie ?',
      'Marcus on my team hit unsubscribe by mistake. Could you put him back on the list?',
      'How do our patients opt out of the SMS reminders?',
    ]);
  });
});

describe('classifyReply on interest shown through the buying process, and buying words that show none', () => {
  test('taking it forward, an invitation to tender, a keen taker, liking the product and a yes that asks for the next move show interest', () => {
    assertEachGets('buying_intent', [
      'Legal needs to see your DPA before we can take this forward.',
      "I'd like to take the evaluation further with our CFO.",
      'Wir möchten Sie zur Teilnahme an unserer Ausschreibung einladen.',
      'Gerne senden wir Ihnen die Vergabeunterlagen, sobald Sie uns einen Ansprechpartner nennen.',
      "Nous vous invitons à participer à notre appel d'offres pour la gestion des plannings.",
      "Je serais preneur d'une démonstration pour mon équipe.",
      'Nos gustaría invitarles a participar en la licitación del próximo mes.',
      'Gostamos muito da plataforma, vamos marcar uma conversa com o time?',
      'Queremos convidar vocês para participar da licitação de software de frota.',
      'Ja graag, stuur me een uitnodiging voor volgende week.',
      'U bent van harte uitgenodigd om in te schrijven op onze aanbesteding.',
    ]);
  });

  test('a tender that is a year off, a project left and a past debate are not interest', () => {
    assertNoneGets('buying_intent', [
      'Nossa licitação para esse serviço só sai no ano que vem.',
      'De aanbesteding voor de hardware moet eerst rond, daarna zien we verder.',
      'We will not take this forward.',
    ]);
  });

  test('"we\'re good" beside a request for the contract is no decline, and the address question alone is no request to stop', () => {
    assertEachGets('pricing', ["We're good. Send over the order form for 30 seats and I'll sign it this week."]);
    assertNoneGets('opt_out', [
      "We're good, send me the contract and we'll get it signed.",
      "We're good. Send over the order form for 30 seats and I'll sign it this week.",
      'How did you get my email address?',
      'Ik ben tot 3 mei afwezig en lees in die periode geen mail.',
    ]);
    assertEachGets('opt_out', ['How did you get my number? Delete it and never call again.', "Thanks, but we're good."]);
  });

  test('a data-processing agreement is a privacy document, not commercial terms; the contract itself is', () => {
    assertNoneGets('pricing', ['Ohne AV-Vertrag nach Art. 28 DSGVO kann unser Datenschutz nicht zustimmen.', 'Können Sie uns den AV-Vertrag schicken?']);
    assertEachGets('technical', ['Können Sie uns den AV-Vertrag schicken?']);
    assertEachGets('pricing', [
      'Bitte schicken Sie uns den AV-Vertrag und den Vertrag für 25 Nutzer.',
      'Kunt u de overeenkomst alvast sturen? Dan laat ik hem tekenen.',
    ]);
  });

  test('an IT department is named by a determiner, not by the pronoun it; an objection word asks', () => {
    assertNoneGets('technical', ['Interested. Can we book the first week of July so it doesn\'t slip?']);
    assertEachGets('technical', [
      'Our IT says no new tool gets in without a review, can you share your docs?',
      "We're air-gapped here, so anything cloud-hosted is a non-starter.",
      'I need to know whether your agent can run on our hardened images without root.',
    ]);
  });

  test('a buyer who buys through a reseller, or names a partner or an agency, still shows interest', () => {
    assertEachGets('buying_intent', [
      "We'd like a demo next week; our reseller Insight will handle the licences.",
      'Thursday at 2 works. Our implementation partner will join too.',
      "We're an SEO agency and want this for our own outbound. What are the next steps?",
      'Unser Vertriebspartner wäre beim Termin dabei. Passt Ihnen Donnerstag um 10 Uhr?',
    ]);
  });

  test('a tender lost or told in the past, a decline after praise, a stop after "graag" and a colleague taking it on show no interest', () => {
    assertNoneGets('buying_intent', [
      'Participaron cinco empresas en la licitación y ganó otra.',
      'Apresentamos nossa proposta na licitação do ano passado e perdemos.',
      'Gostamos do produto, mas já fechamos contrato com outro fornecedor.',
      'Graag, bel me niet meer.',
      "I've passed this to Maria, she'll take it forward from here.",
    ]);
    assertEachGets('opt_out', ['Ik ontvang liever geen mail meer van jullie, haal me van de lijst.']);
  });

  test('a meeting cancelled until the diary clears is a timing objection', () => {
    assertEachGets('not_now', ['Cancelo la reunión, te escribo cuando tenga la agenda más despejada.']);
  });

  test('a technical word in German, French, Spanish, Portuguese or Dutch counts only beside an ask, a need, a condition or a ban', () => {
    assertNoneGets('technical', [
      'Wir sind seit letztem Jahr ISO-27001-zertifiziert, alles bestens.',
      'Den Pentest-Bericht hat unser Sicherheitsbeauftragter gelesen, von seiner Seite gibt es keine Rückfragen.',
      'Merci pour le livre blanc sur la sécurité, très instructif.',
      'Acabamos de migrar todo a Dynamics 365 este verano.',
      'Obrigado pelo material sobre LGPD, ficou muito claro.',
      'Het pentestrapport is binnen, verder geen vragen.',
    ]);
    assertEachGets('technical', [
      'Läuft das auch mit unserem Exchange on-premise?',
      'Er wird wissen wollen, ob Sie SSO über Entra ID unterstützen.',
      'Notre RSSI exige un hébergement en France.',
      'Elle vous demandera vos derniers tests d\'intrusion avant toute chose.',
      'Solo si se integra con nuestro SAP tiene sentido seguir.',
      'Sem SSO nem vale a pena conversarmos.',
      'Onze security officer vraagt of jullie een recent pentestrapport kunnen delen.',
    ]);
  });

  test('a quick sync with a person is a meeting and a head count is seats, while keeping data in sync and volumes a night are technical', () => {
    assertNoneGets('technical', [
      "I'm not sitting through a quick sync with my manager to find out what it costs.",
      'We have about 200 users; any chance of a pooled licence?',
    ]);
    assertEachGets('technical', [
      'How do you keep the sync from overwriting fields our reps edit by hand?',
      'We load 40,000 records a night into the warehouse. Will that be a problem?',
    ]);
  });

  test('how the tool decides for their data, a BAA, authenticating against their directory and mailbox access are technical', () => {
    assertEachGets('technical', [
      'When a contact moves between subsidiaries, how does your tool decide which account it belongs to?',
      'Will you sign a BAA?',
      'Can it authenticate against our Ping setup?',
      'Is there a way to run this without giving it access to our inboxes?',
    ]);
  });

  test('a technical ask without a question mark still asks, in each language; a writer selling pentests or naming their own title asks nothing', () => {
    assertEachGets('technical', [
      'Ich hätte gern eine kurze Übersicht, wie Sie die Gesprächsdaten verschlüsseln.',
      'Ein Hosting außerhalb der EU kommt für uns nicht in Frage.',
      "J'aimerais savoir où sont hébergées les données.",
      'Notre DSI ne validera rien sans hébergement en France.',
      'Los datos tienen que estar alojados en la UE, eso es innegociable.',
      'Cuéntenme más sobre la integración con Salesforce.',
      'O time de segurança quer saber onde os dados ficam armazenados.',
      'A conformidade com a LGPD é inegociável pra gente.',
      'Ik vraag me af of jullie een koppeling met AFAS hebben.',
      'Hosting buiten de EU is voor ons geen optie.',
    ]);
    assertNoneGets('technical', [
      'Spannend! Wir bieten übrigens selbst Pentests für SaaS-Anbieter an, wäre das etwas für Sie?',
      "Je suis RSSI, je ne m'occupe pas des achats logiciels. Merci de contacter Paul Martin.",
      'Den Bericht haben wir gelesen, zum Datenschutz gibt es keine Rückfragen.',
    ]);
  });

  test('a daily sync, a monthly volume and a count the tool must cope with are technical; an assistant who reads our inbox is not the tool', () => {
    assertEachGets('technical', [
      'We need a daily sync with NetSuite, not a manual export.',
      "We'd be sending around 300k emails monthly. Any limits we should know about?",
      'Would it cope with 12,000 users on day one?',
      'How does it pick which rep gets the lead?',
      "Does the assistant need access to our employees' inboxes?",
    ]);
    assertNoneGets('technical', ['Our assistant scans our inbox for anything urgent and yours made the cut. Can you send a deck?']);
  });

  test('a price still asked after "price isn\'t the issue", and Spanish contract length, are pricing; how long a company has existed is not', () => {
    assertEachGets('pricing', ["Price isn't the issue, but is there an annual discount?", '¿Cuánto duran los contratos?', '¿Y cuánto hace falta desembolsar al inicio?']);
    assertNoneGets('pricing', ['¿Hace cuánto que existe la empresa?']);
  });

  test('passing something around the team is no decline; passing on the demo is', () => {
    assertNoneGets('opt_out', [
      "Thanks for the pricing page, I'll pass it around the team.",
      "I'll pass this along to our ops lead.",
      "I'll pass the pricing sheet to finance.",
      "I'll pass this over to Maria in RevOps.",
    ]);
    assertEachGets('opt_out', ["I'll pass on the demo, thanks."]);
  });
});
