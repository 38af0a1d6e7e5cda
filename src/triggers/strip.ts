/**
 * Finds the part of a reply the prospect actually wrote: quoted earlier messages, forwarded headers, signatures
 * and disclaimers are cut off, and `>`-quoted lines and the greeting line are masked. Nothing is rewritten, so
 * every offset into the prospect's own text is an offset into the original reply.
 *
 * The markers below are the one place the email-format knowledge lives (the intents themselves live in the
 * rules file). Pure and deterministic.
 */

/** What of a reply is the prospect speaking. */
export interface ReplyBody {
  /** Offset where the prospect's own text ends: everything from here on is quote, signature or disclaimer. */
  end: number;
  /** Ranges `[start, end)` before `end` that are quoted or greeting lines, to be ignored. */
  masks: Array<[number, number]>;
}

/** A marker line that starts quoted material: everything from it on is not the prospect speaking. */
const QUOTE_HEADERS: readonly RegExp[] = [
  // "On Tue, 3 Mar 2026 at 10:00, Sam <sam@x.com> wrote:" (Gmail wraps long headers onto a second line).
  /^[ \t]*On\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?\bwrote[ \t]*:[ \t]*$/imu,
  /^[ \t]*Am\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?\bschrieb\b[^\n]{0,200}?:[ \t]*$/imu,
  /^[ \t]*Le\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?a [ée]crit[ \t]*:[ \t]*$/imu,
  /^[ \t]*El\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?escribi[óo][ \t]*:[ \t]*$/imu,
  /^[ \t]*Em\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?escreveu[ \t]*:[ \t]*$/imu,
  /^[ \t]*Op\b[^\n]{0,300}?(?:\n[^\n]{0,300}?)?\bschreef\b[^\n]{0,200}?:[ \t]*$/imu,
  // A bare attribution line: "Sam Jones <sam@acme.com> wrote:".
  /^[^\n]{0,200}<[^\n>]+@[^\n>]+>[^\n]{0,40}(?:wrote|schrieb|a [ée]crit|escribi[óo]|escreveu|schreef)[ \t]*:[ \t]*$/imu,
];

/** Markers of forwarded or Outlook-quoted material, and of signatures and disclaimers: cut from here. */
const CUT_MARKERS: readonly RegExp[] = [
  /^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Mensaje original|Mensagem original|Oorspronkelijk bericht|Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Mensagem encaminhada|Doorgestuurd bericht)[ \t]*-{2,}/imu,
  /^[ \t]*(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado|Início da mensagem encaminhada|Begin doorgestuurd bericht)[ \t]*:/imu,
  // Outlook's separator line.
  /^[ \t]*_{10,}[ \t]*$/mu,
  // Outlook's header block: "From: …" followed within three lines by "Sent: …" (or its translations).
  /^[ \t]*\*?(?:From|Von|De|Van)[ \t]*:[^\n]*\n(?:[^\n]*\n){0,2}?[ \t]*\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Enviado|Fecha|Data|Verzonden|Verstuurd)[ \t]*:/imu,
  // Signature delimiter "-- " and mobile footers.
  /^--[ \t]?$/mu,
  /^[ \t]*(?:Sent from my|Sent from Outlook|Sent from Mail for|Sent from Yahoo|Get Outlook for|Sent via|Von meinem [^\n]{1,40} gesendet|Gesendet von meinem|Gesendet mit der|Envoyé de mon|Envoyé depuis mon|Enviado desde mi|Enviado de mi|Enviado do meu|Enviado a partir do meu|Verzonden vanaf mijn|Verzonden met mijn|Verstuurd vanaf mijn)\b/imu,
  /^[ \t]*(?:CONFIDENTIALITY NOTICE|DISCLAIMER|This (?:e-?mail|message)(?: and any (?:files|attachments?)[^\n]{0,30})? (?:is|are|may be|contains?) (?:confidential|intended|privileged))/imu,
  // Sign-offs that always end the message body.
  /^[ \t]*(?:(?:best|kind|warm|warmest|many thanks and|thanks and|thanks &) regards|regards|best wishes|sincerely|yours sincerely|yours truly|respectfully|all the best|mit freundlichen gr(?:ü|ue|u)(?:ß|ss)en|freundliche gr(?:ü|ue)(?:ß|ss)e|viele gr(?:ü|ue)(?:ß|ss)e|beste gr(?:ü|ue)(?:ß|ss)e|liebe gr(?:ü|ue)(?:ß|ss)e|mfg|lg|(?:bien )?cordialement|bien à vous|(?:meilleures|sincères) salutations|salutations distinguées|saludos(?: cordiales)?|un saludo|atentamente|cordialmente|atenciosamente|abra(?:ç|c)os?|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|mvg)[ \t]*[,.!]?[ \t]*$/imu,
  // A signature block after a blank line: a name on its own line (optionally "| title"), then within four lines
  // a phone number, an email address, a URL or a "|" separated title line. Case-sensitive: names are capitalised.
  /(?<=\n[ \t]*\n)[ \t]*\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}\.?)?(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,2}[ \t]*(?:[|,–—][^\n]*)?\n(?:[^\n]*\n){0,3}?[^\n]*(?:\+?\d[\d ().-]{7,}\d|[\w.+-]+@[\w-]+\.\w+|https?:\/\/|www\.|\|)/mu,
  // "Thanks, Dana" on a line of its own (case-sensitive: a capitalised name follows).
  /^[ \t]*(?:Thanks|Thank you|Best|Cheers|Regards|Danke|Merci|Gracias|Obrigad[oa]|Bedankt|Groeten|Gruß|Grüße)[ \t]*[,!.]?[ \t]+\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}[\p{Ll}.]*)?[ \t]*$/mu,
];

/**
 * Soft sign-offs ("Thanks", "Cheers"): they end the body only when what follows looks like a signature
 * (a few short lines), since "Thanks!" can also open a real reply.
 */
const SOFT_SIGNOFF =
  /^[ \t]*(?:thanks|thanks again|thank you|many thanks|thx|best|cheers|danke|vielen dank|gruß|grüße|merci|gracias|obrigad[oa]|bedankt|groet(?:en)?)[ \t]*[,.!]?[ \t]*$/gimu;
const SIGNATURE_TAIL_MAX_LINES = 6;
const SIGNATURE_TAIL_MAX_LINE_LENGTH = 80;

/** A line quoted with `>` (any depth). */
const QUOTED_LINE = /^[ \t]*>[^\n]*$/gmu;

/** A greeting line on its own ("Hi Sam,", "Bonjour,"), masked so short-reply rules see only the reply. */
const GREETING_LINE =
  /^\s*(?:hi|hello|hey|dear|hiya|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen)|sehr geehrte[rs]?|liebe[rs]?|moin|servus|bonjour|bonsoir|salut|cher|chère|hola|buenos días|buenas tardes|estimad[oa]s?|olá|ola|oi|bom dia|boa tarde|prezad[oa]s?|caro|cara|beste|goedemorgen|goedemiddag|hoi|dag)(?:[ \t]+[\p{L}.'’-]+){0,3}[ \t]*[,!:.]?[ \t]*(?:\n|$)/iu;

/**
 * Locates the prospect's own words in a reply. Pure; O(length of the reply).
 */
export function findReplyBody(text: string): ReplyBody {
  let end = text.length;
  const masks: Array<[number, number]> = [];

  for (const header of QUOTE_HEADERS) {
    const m = header.exec(text.slice(0, end));
    if (!m) continue;
    const headerEnd = m.index + m[0].length;
    // An inline (bottom-posted) reply: the header is followed by `>` lines the prospect answers in between.
    if (/^\s*>/u.test(text.slice(headerEnd, headerEnd + 400))) masks.push([m.index, headerEnd]);
    else end = Math.min(end, m.index);
  }
  for (const marker of CUT_MARKERS) {
    const m = marker.exec(text.slice(0, end));
    if (m) end = m.index;
  }
  end = cutSoftSignoff(text, end);

  QUOTED_LINE.lastIndex = 0;
  for (let m = QUOTED_LINE.exec(text); m && m.index < end; m = QUOTED_LINE.exec(text)) {
    masks.push([m.index, Math.min(end, m.index + m[0].length)]);
  }

  const greeting = GREETING_LINE.exec(text.slice(0, end));
  if (greeting) masks.push([greeting.index, greeting.index + greeting[0].length]);

  masks.sort((a, b) => a[0] - b[0]);
  return { end, masks };
}

function cutSoftSignoff(text: string, end: number): number {
  SOFT_SIGNOFF.lastIndex = 0;
  const head = text.slice(0, end);
  for (let m = SOFT_SIGNOFF.exec(head); m; m = SOFT_SIGNOFF.exec(head)) {
    if (m.index === 0 || head.slice(0, m.index).trim() === '') continue;
    const tail = head.slice(m.index + m[0].length).split('\n').filter((line) => line.trim() !== '');
    if (tail.length <= SIGNATURE_TAIL_MAX_LINES && tail.every((l) => l.length <= SIGNATURE_TAIL_MAX_LINE_LENGTH)) {
      return m.index;
    }
  }
  return end;
}

/**
 * The text the rules scan: the reply up to {@link ReplyBody.end}, with masked ranges blanked to spaces, curly
 * quotes and dashes straightened and emoji blanked. Same length as the body, so offsets carry over to the
 * original text unchanged.
 */
export function scanText(text: string, body: ReplyBody): string {
  let out = text.slice(0, body.end);
  if (body.masks.length > 0) {
    const parts: string[] = [];
    let at = 0;
    for (const [maskStart, stop] of body.masks) {
      const start = Math.max(maskStart, at);
      if (stop <= start) continue;
      parts.push(out.slice(at, start), ' '.repeat(stop - start));
      at = stop;
    }
    parts.push(out.slice(at));
    out = parts.join('');
  }
  out = out.replace(/[`´]/gu, "'");
  if (!HAS_OUTSIDE_LATIN1.test(out)) return out;
  out = out.replace(OUTSIDE_LATIN1, latin1);
  // `replace` with a function leaves a two-byte string; a Latin-1 round trip makes it one-byte again.
  return HAS_OUTSIDE_LATIN1.test(out) ? out : Buffer.from(out, 'latin1').toString('latin1');
}

const HAS_OUTSIDE_LATIN1 = /[^\x00-\xff]/;

/** Code units outside Latin-1; matched one UTF-16 unit at a time (no `u` flag), so surrogate pairs stay 2 long. */
const OUTSIDE_LATIN1 = /[^\x00-\xff]/g;
const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2026': '.', '\u2022': '*', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u2007': ' ', '\u200b': ' ',
};
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Maps a code unit outside Latin-1 to one unit: typographic quotes and dashes to ASCII, letters kept, anything
 * else (emoji halves, symbols) to a space. Keeps the scan text one-byte for most replies, which V8's regular
 * expressions scan several times faster, without moving any offset.
 */
function latin1(unit: string): string {
  return TYPOGRAPHIC[unit] ?? (LETTER_OR_DIGIT.test(unit) ? unit : ' ');
}
