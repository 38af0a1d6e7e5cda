/**
 * Finds the part of a reply the prospect actually wrote: quoted earlier messages, forwarded headers, signatures
 * and disclaimers are cut off, and `>`-quoted lines and the greeting line are masked. Nothing is rewritten, so
 * every offset into the prospect's own text is an offset into the original reply.
 *
 * The markers below are the one place the email-format knowledge lives (the intents themselves live in the
 * rules file). Pure and deterministic.
 *
 * Cost is bounded whatever the text: only the first {@link STRIP_SCAN_CHARS} characters are read, line by line,
 * and every pattern is tested on one line (or the start of one), never scanned across the reply from every
 * position. The prospect's own words are cut at {@link REPLY_SCAN_CHARS}.
 */
import { execText, matchAll, replaceAll, testText } from './meter';

/** At most this many characters of the prospect's own words are read by the rules (a long real reply is 2–3 KB). */
export const REPLY_SCAN_CHARS = 8_000;
/**
 * The stripping passes read at most this many characters of a reply: the prospect's words up to
 * {@link REPLY_SCAN_CHARS} and enough after them to recognise a signature or a quote header straddling the cut.
 */
export const STRIP_SCAN_CHARS = 10_000;
/** Line-start markers are tested on at most this many characters of a line. */
export const MARKER_PREFIX_CHARS = 200;
/** A quote header ("On … wrote:") line is at most this long; longer lines are prose. */
export const HEADER_LINE_MAX_CHARS = 320;
/** A signature's name line, a sign-off or a greeting is at most this long. */
const SHORT_LINE_MAX_CHARS = 120;
/** A contact line of a signature is searched in at most this many characters. */
const CONTACT_LINE_CHARS = 300;

/** What of a reply is the prospect speaking. */
export interface ReplyBody {
  /** Offset where the prospect's own text ends: everything from here on is quote, signature or disclaimer. */
  end: number;
  /** Ranges `[start, end)` before `end` that are quoted or greeting lines, to be ignored. */
  masks: Array<[number, number]>;
  /** True when the prospect's words went on past {@link REPLY_SCAN_CHARS} and were cut there. */
  capped: boolean;
}

/**
 * A quote header: a line starting with `start` whose text before its final colon holds `verb` (on the line
 * itself, or on the next line when Gmail wraps a long header).
 */
interface QuoteHeader {
  start: RegExp;
  verb: RegExp;
}

/** "On Tue, 3 Mar 2026 at 10:00, Sam <sam@x.com> wrote:" and its translations. */
const QUOTE_HEADERS: readonly QuoteHeader[] = [
  { start: /^[ \t]*On(?![\p{L}\p{N}_])/iu, verb: /(?<![\p{L}\p{N}_])wrote$/iu },
  { start: /^[ \t]*Am(?![\p{L}\p{N}_])/iu, verb: /(?<![\p{L}\p{N}_])schrieb(?![\p{L}\p{N}_])/iu },
  { start: /^[ \t]*Le(?![\p{L}\p{N}_])/iu, verb: /a [ée]crit$/iu },
  { start: /^[ \t]*El(?![\p{L}\p{N}_])/iu, verb: /escribi[óo]$/iu },
  { start: /^[ \t]*Em(?![\p{L}\p{N}_])/iu, verb: /escreveu$/iu },
  { start: /^[ \t]*Op(?![\p{L}\p{N}_])/iu, verb: /(?<![\p{L}\p{N}_])schreef(?![\p{L}\p{N}_])/iu },
];
/** A bare attribution line, "Sam Jones <sam@acme.com> wrote:": an address in angle brackets, then the verb. */
const ATTRIBUTION_ADDRESS = /<[^\s<>@]+@[^\s<>]+>/u;
const ATTRIBUTION_VERB = /(?:wrote|schrieb|a [ée]crit|escribi[óo]|escreveu|schreef)$/iu;

const ORIGINAL_MESSAGE =
  /^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Message d'origine|Mensaje original|Mensagem original|Oorspronkelijk bericht|Forwarded message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Mensagem encaminhada|Doorgestuurd bericht)[ \t]*-{2,}/iu;
const FORWARDED =
  /^[ \t]*(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Inicio del mensaje reenviado|Início da mensagem encaminhada|Begin doorgestuurd bericht)[ \t]*:/iu;
/** Outlook's separator line. */
const OUTLOOK_SEPARATOR = /^[ \t]*_{10,}[ \t]*$/u;
/** Outlook's header block: a "From: …" line followed within three lines by "Sent: …" (or its translations). */
const OUTLOOK_FROM = /^[ \t]*\*?(?:From|Von|De|Van)[ \t]*:/iu;
const OUTLOOK_SENT = /^[ \t]*\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Enviado|Fecha|Data|Verzonden|Verstuurd)[ \t]*:/iu;
/** The signature delimiter "-- ". */
const SIGNATURE_DELIMITER = /^--[ \t]?$/u;
const MOBILE_FOOTER =
  /^[ \t]*(?:Sent from my|Sent from Outlook|Sent from Mail for|Sent from Yahoo|Get Outlook for|Sent via|Von meinem [^\n]{1,40} gesendet|Gesendet von meinem|Gesendet mit der|Envoyé de mon|Envoyé depuis mon|Enviado desde mi|Enviado de mi|Enviado do meu|Enviado a partir do meu|Verzonden vanaf mijn|Verzonden met mijn|Verstuurd vanaf mijn)(?![\p{L}\p{N}_])/iu;
const DISCLAIMER =
  /^[ \t]*(?:CONFIDENTIALITY NOTICE|DISCLAIMER|This (?:e-?mail|message)(?: and any (?:files|attachments?)[^\n]{0,30})? (?:is|are|may be|contains?) (?:confidential|intended|privileged))/iu;
/** Sign-offs that always end the message body, on a line of their own. */
const SIGN_OFF =
  /^[ \t]*(?:(?:best|kind|warm|warmest|many thanks and|thanks and|thanks &) regards|regards|best wishes|sincerely|yours sincerely|yours truly|respectfully|all the best|mit freundlichen gr(?:ü|ue|u)(?:ß|ss)en|freundliche gr(?:ü|ue)(?:ß|ss)e|viele gr(?:ü|ue)(?:ß|ss)e|beste gr(?:ü|ue)(?:ß|ss)e|liebe gr(?:ü|ue)(?:ß|ss)e|mfg|lg|(?:bien )?cordialement|bien à vous|(?:meilleures|sincères) salutations|salutations distinguées|saludos(?: cordiales)?|un saludo|atentamente|cordialmente|atenciosamente|abra(?:ç|c)os?|met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|mvg)[ \t]*(?:[,.!][ \t]*)?$/iu;
/** "Thanks, Dana" on a line of its own (case-sensitive: a capitalised name follows). */
const THANKS_NAME =
  /^[ \t]*(?:Thanks|Thank you|Best|Cheers|Regards|Danke|Merci|Gracias|Obrigad[oa]|Bedankt|Groeten|Gruß|Grüße)(?:[ \t]*[,!.])?[ \t]+\p{Lu}\p{Ll}+(?:[ \t]+\p{Lu}[\p{Ll}.]*)?[ \t]*$/u;

/**
 * A signature block after a blank line: a name on its own line (optionally "| title"), then within four lines a
 * phone number, an email address, a URL or a "|" separated title line. Case-sensitive: names are capitalised.
 */
const SIGNATURE_NAME_LINE =
  /^[ \t]*\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}\.?)?(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,2}[ \t]*(?:[|,–—].*)?$/u;
const SIGNATURE_CONTACT = /[\w.+-]@[\w-]+\.\w|https?:\/\/|www\.|\|/u;
/** Runs of phone-number characters; a run holding a phone number is checked in code (see `holdsPhoneNumber`). */
const PHONE_RUN = /[\d ().-]+/gu;
const SIGNATURE_CONTACT_LINES = 4;

/** Whether line `i` (of the lines before `end`) starts material to cut. */
type CutMarker = (text: string, lines: readonly Line[], i: number, end: number) => boolean;

const startsWith =
  (re: RegExp): CutMarker =>
  (text, lines, i, end) =>
    testText(re, head(text, lines[i] as Line, MARKER_PREFIX_CHARS, end));
const isShortLine =
  (re: RegExp): CutMarker =>
  (text, lines, i, end) => {
    const line = lines[i] as Line;
    return line.end - line.start <= SHORT_LINE_MAX_CHARS && testText(re, head(text, line, SHORT_LINE_MAX_CHARS, end));
  };

/**
 * Markers of forwarded or Outlook-quoted material, in the order they are applied: each cuts at its first line
 * before the end the markers before it left. Nothing after them is the prospect's.
 */
const QUOTE_CUT_MARKERS: readonly CutMarker[] = [
  startsWith(ORIGINAL_MESSAGE),
  startsWith(FORWARDED),
  startsWith(OUTLOOK_SEPARATOR),
  (text, lines, i, end) =>
    startsWith(OUTLOOK_FROM)(text, lines, i, end) &&
    nextLines(lines, i, 3, end).some((l) => testText(OUTLOOK_SENT, head(text, l, MARKER_PREFIX_CHARS, end))),
];

/**
 * Markers of signatures, sign-offs and disclaimers, applied after {@link QUOTE_CUT_MARKERS} in the same way. A
 * postscript after them is still the prospect's (see {@link POSTSCRIPT}).
 */
const SIGNATURE_CUT_MARKERS: readonly CutMarker[] = [
  startsWith(SIGNATURE_DELIMITER),
  startsWith(MOBILE_FOOTER),
  startsWith(DISCLAIMER),
  isShortLine(SIGN_OFF),
  startsSignatureBlock,
  isShortLine(THANKS_NAME),
];

/**
 * Soft sign-offs ("Thanks", "Cheers"): they end the body only when what follows looks like a signature
 * (a few short lines), since "Thanks!" can also open a real reply.
 */
const SOFT_SIGNOFF =
  /^[ \t]*(?:thanks|thanks again|thank you|many thanks|thx|best|cheers|danke|vielen dank|gruß|grüße|merci|gracias|obrigad[oa]|bedankt|groet(?:en)?)[ \t]*(?:[,.!][ \t]*)?$/iu;
const SIGNATURE_TAIL_MAX_LINES = 6;
const SIGNATURE_TAIL_MAX_LINE_LENGTH = 80;

/**
 * A postscript's opening after a blank line: "P.S.", "PS:", "PPS", "P.-S." (French), "P.D.:" or "PD:" (Spanish, only
 * with a colon: "PD Dr." and "P.D. Dr." open a German name), then its words. Written below the signature, it is the
 * prospect's own words ("PS Please take me off your list"). Group 1 is the separator after a "PS", if any; group 2 a
 * "PD", whose colon is required.
 */
const POSTSCRIPT =
  /^[ \t]*(?:(?:P\.?[ \t]?P\.?[ \t]?S|P\.?[ \t]?S|P\.-S)(?![\p{L}\p{N}_])\.?(?:[ \t]*([:–-]))?|(P\.[ \t]?D\.|PD)[ \t]*:)[ \t]*(?=\S)/u;
/** A "PS" with no colon or dash opens a postscript only before a sentence of at least this many words ("P.S. Nair" is a name). */
const POSTSCRIPT_MIN_WORDS = 3;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
/** One whitespace character beyond ASCII (a no-break space, an em space…), for telling a blank line in place. */
const WHITESPACE = /^\s$/u;

/**
 * A closing line below the signature, with no "PS" before it: the last paragraph of the signature's part, one or two
 * short lines after a blank line ("--\nMark Hughes\nHead of Operations\n+44 161 555 0142\n\ntake me off this list").
 * Signatures end in many kinds of line a person did not write to us (slogans, working hours, booking links, legal
 * lines), so it is read as the prospect's own words only when it asks to stop ({@link CLOSING_STOP}: the one thing
 * that must never be missed) and has none of a signature's or footer's marks (a name, a contact, a phone number, a
 * sign-off, a mobile footer, a disclaimer, a footer's words).
 */
const CLOSING_MAX_LINES = 2;
/** Asking to stop, in the first person or as a command, in each language (not "to unsubscribe, click here"). */
const CLOSING_STOP =
  /^[ \t]*(?:stop|unsubscribe|remove|baja|remover|descadastrar|afmelden|uitschrijven|austragen|abmelden)[ \t.!]*$|(?<![\p{L}\p{N}_])(?:unsubscribe (?:me|us)|remove (?:me|us|my)|take (?:me|us) off|stop (?:e-?mailing|mailing|sending|writing|contacting)|no more (?:e-?mails|mails|messages)|(?:do not|don['’]?t) (?:e-?mail|contact|write)|not interested|austragen|abmelden|aus (?:Ihrem|dem|eurem|deinem|diesem) Verteiler|keine (?:weiteren )?(?:E-?Mails|Mails|Nachrichten)|kein Interesse|nicht mehr (?:an)?(?:schreiben|kontaktieren|mailen)|désabonn|désinscri|retirez-(?:moi|nous)|(?:me|nous) retirer de|ne plus (?:m['’]|nous )(?:écrire|envoyer|contacter)|pas intéressée?s?|de baja|s[aá]qu(?:en|e)(?:me|nos)|el[ií]m[ií]n(?:en|e|a)(?:me|nos)|qu[ií]t(?:en|e|a)(?:me|nos)|no (?:me|nos) (?:interesa|escriban|escribas|env[ií]en|contacten)|no (?:estoy|estamos) interesad|descadastr|remov(?:am|a)-me|tirem-me|tire-me|me tire(?:m)? d|n[aã]o (?:quero|queremos) (?:mais )?receber|sem interesse|n[aã]o tenho interesse|haal (?:me|mij|ons) (?:\p{L}+ )?(?:van|uit)|verwijder (?:me|mij|ons|mijn)|geen (?:interesse|mails|e-?mails)|niet meer (?:mailen|benaderen|contacteren))/iu;
const SENTENCE_END = /[.!?…][ \t]*$/u;
/** Words of footers in every language: confidentiality notices, print-saving requests, a mail app's name. */
const FOOTER_WORDS =
  /(?<![\p{L}\p{N}_])(?:confiden|vertraulich|vertrouwelijk|destinatari|destinataire|Empfänger|intended recipient|print|imprim|druck|milieu|environ|Umwelt|medio ambiente|meio ambiente|newsletter|Outlook|iPhone|iPad|Android|Samsung|Galaxy|BlackBerry)/iu;

/** A line quoted with `>` (any depth). */
const QUOTED_LINE = /^[ \t]*>/u;
/** What follows a quote header when the prospect answers in between quoted lines. */
const INLINE_REPLY_FOLLOWS = /^\s*>/u;
const INLINE_REPLY_LOOKAHEAD_CHARS = 400;

/** A greeting line on its own ("Hi Sam,", "Bonjour,"), masked so short-reply rules see only the reply. */
const GREETING_LINE =
  /^\s*(?:hi|hello|hey|dear|hiya|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen)|sehr geehrte[rs]?|liebe[rs]?|moin|servus|bonjour|bonsoir|salut|cher|chère|hola|buenos días|buenas tardes|estimad[oa]s?|olá|ola|oi|bom dia|boa tarde|prezad[oa]s?|caro|cara|beste|goedemorgen|goedemiddag|hoi|dag)(?:[ \t]+[\p{L}.'’-]+){0,3}[ \t]*(?:[,!:.][ \t]*)?$/iu;

/**
 * A pleasantry closed by a question mark ("Oi, tudo bem?", "Hola Lucía, ¿qué tal?", "Hi Sam, how are you?"), which
 * asks for nothing: after at most a greeting and a name on the first line of a reply's own words it does not make the
 * reply ask something (see `asksSomething` in `classify.ts`). Only the pleasantry and a word of place or time may
 * stand before the mark: "¿qué tal el martes?" and "how are you handling SSO?" ask.
 */
export const PLEASANTRY_QUESTION =
  /(?<![\p{L}\p{N}])¿?(?:how are (?:you|things)(?: doing)?|how'?s (?:it going|everything|life)|how have you been|tudo (?:bem|bom|certo|tranquilo)|como (?:vai|vais|est[áa]s?)|qu[ée] tal|c[óo]mo (?:est[áa]s?|va|andas|le va)|todo bien|[çc]a va|comment (?:allez-vous|vas-tu|[çc]a va)|wie geht(?:'?s| es (?:dir|ihnen|euch))|alles (?:gut|klar|goed|ok[ée]?)|hoe (?:gaat|is) het(?: met (?:je|jou|u|jullie))?)(?:[ \t\u00a0]+(?:por (?:a[íi]|ah[íi]|all[áa]|l[áa])|with you|over there|there|lately|today|hoje|hoy|aujourd'hui|heute|bei (?:dir|ihnen|euch)|daar|vandaag))?[ \t\u00a0]*\?+/giu;

/** Every fixed pattern of the stripping passes, by name: checked for catastrophic backtracking by the test suite. */
export const STRIP_PATTERNS: Readonly<Record<string, RegExp>> = {
  ...Object.fromEntries(QUOTE_HEADERS.flatMap((h, i) => [[`quoteHeader[${i}].start`, h.start], [`quoteHeader[${i}].verb`, h.verb]])),
  attributionAddress: ATTRIBUTION_ADDRESS,
  attributionVerb: ATTRIBUTION_VERB,
  originalMessage: ORIGINAL_MESSAGE,
  forwarded: FORWARDED,
  outlookSeparator: OUTLOOK_SEPARATOR,
  outlookFrom: OUTLOOK_FROM,
  outlookSent: OUTLOOK_SENT,
  signatureDelimiter: SIGNATURE_DELIMITER,
  mobileFooter: MOBILE_FOOTER,
  disclaimer: DISCLAIMER,
  signOff: SIGN_OFF,
  thanksName: THANKS_NAME,
  signatureNameLine: SIGNATURE_NAME_LINE,
  signatureContact: SIGNATURE_CONTACT,
  phoneRun: PHONE_RUN,
  softSignoff: SOFT_SIGNOFF,
  quotedLine: QUOTED_LINE,
  inlineReplyFollows: INLINE_REPLY_FOLLOWS,
  greetingLine: GREETING_LINE,
  pleasantryQuestion: PLEASANTRY_QUESTION,
  postscript: POSTSCRIPT,
  closingStop: CLOSING_STOP,
  sentenceEnd: SENTENCE_END,
  footerWords: FOOTER_WORDS,
  word: WORD,
  whitespace: WHITESPACE,
};

/** One line of the reply: `[start, end)` without its line break (and without a trailing `\r`). */
interface Line {
  start: number;
  end: number;
  /** Offset just past the line break (`end` of the text for the last line). */
  next: number;
  blank: boolean;
}

/**
 * Where to cut `text` so that at most `limit` characters are kept: at the last whitespace in the final stretch
 * before the limit (so no word is cut in half), never inside a surrogate pair.
 */
export function cutPoint(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  for (let i = limit; i > limit - 64 && i > 0; i--) {
    if (/\s/u.test(text[i - 1] as string)) return i;
  }
  const unit = text.charCodeAt(limit - 1);
  return unit >= 0xd800 && unit <= 0xdbff ? limit - 1 : limit;
}

function splitLines(text: string, limit: number): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < limit) {
    const newline = text.indexOf('\n', start);
    const stop = newline === -1 || newline >= limit ? limit : newline;
    const end = stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
    const next = stop === limit ? limit : stop + 1;
    lines.push({ start, end, next, blank: isBlank(text, start, end) });
    if (stop === limit) break;
    start = next;
  }
  return lines;
}

/** Whether `text[start, end)` is only whitespace, read in place. */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 32 || (unit >= 9 && unit <= 13)) continue;
    if (unit < 128 || !testText(WHITESPACE, text[i] as string)) return false;
  }
  return true;
}

/** The start of a line (at most `chars` long, and not past `end`), for tests anchored at the line's start. */
function head(text: string, line: Line, chars = MARKER_PREFIX_CHARS, end = line.end): string {
  return text.slice(line.start, Math.min(line.end, end, line.start + chars));
}

function lineText(text: string, line: Line): string {
  return text.slice(line.start, line.end);
}

/**
 * Locates the prospect's own words in a reply. Pure; reads at most {@link STRIP_SCAN_CHARS} characters, each
 * line a bounded number of times.
 */
export function findReplyBody(text: string): ReplyBody {
  const window = cutPoint(text, STRIP_SCAN_CHARS);
  const lines = splitLines(text, window);
  let end = window;
  const masks: Array<[number, number]> = [];

  // Every quote header and attribution ends its line with a colon: a reply with none before the window has none.
  const mayQuote = text.lastIndexOf(':', window - 1) >= 0;
  const finders = mayQuote
    ? [...QUOTE_HEADERS.map((header) => (limit: number) => findQuoteHeader(text, lines, header, limit)), (limit: number) => findAttribution(text, lines, limit)]
    : [];
  for (const find of finders) {
    const found = find(end);
    if (!found) continue;
    const [start, headerEnd] = found;
    // An inline (bottom-posted) reply: the header is followed by `>` lines the prospect answers in between.
    if (testText(INLINE_REPLY_FOLLOWS, text.slice(headerEnd, headerEnd + INLINE_REPLY_LOOKAHEAD_CHARS))) masks.push([start, headerEnd]);
    else end = Math.min(end, start);
  }

  const quoteEnd = cutMarkers(text, lines, QUOTE_CUT_MARKERS, end);
  const signatureEnd = cutSoftSignoff(text, lines, cutMarkers(text, lines, SIGNATURE_CUT_MARKERS, quoteEnd));
  end = signatureEnd;
  for (const [start, stop] of postscripts(text, lines, signatureEnd, quoteEnd)) {
    masks.push([end, start - 1]);
    end = stop;
  }
  const closing = closingLine(text, lines, end, quoteEnd);
  if (closing) {
    masks.push([end, closing[0] - 1]);
    end = closing[1];
  }

  for (const line of lines) {
    if (line.start >= end) break;
    if (!line.blank && testText(QUOTED_LINE, head(text, line))) masks.push([line.start, Math.min(end, line.end)]);
  }

  const first = lines.find((line) => !line.blank);
  if (first && first.end <= end && first.end - first.start <= SHORT_LINE_MAX_CHARS && testText(GREETING_LINE, lineText(text, first))) {
    masks.push([0, Math.min(end, first.next)]);
  }

  masks.sort((a, b) => a[0] - b[0]);
  const capped = end > REPLY_SCAN_CHARS;
  return { end: capped ? cutPoint(text, REPLY_SCAN_CHARS) : end, masks, capped };
}

/** The first header of this kind that ends before `end`, as `[start, end)`; on one line or wrapped onto two. */
function findQuoteHeader(text: string, lines: readonly Line[], header: QuoteHeader, end: number): [number, number] | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.start >= end) return null;
    if (line.blank || !isHeaderLine(line) || !testText(header.start, head(text, line))) continue;
    if (line.end <= end && endsWithVerb(text, line, header.verb)) return [line.start, line.end];
    const wrapped = lines[i + 1];
    if (wrapped && wrapped.end <= end && isHeaderLine(wrapped) && endsWithVerb(text, wrapped, header.verb)) {
      return [line.start, wrapped.end];
    }
  }
  return null;
}

function isHeaderLine(line: Line): boolean {
  return line.end - line.start <= HEADER_LINE_MAX_CHARS;
}

/** The line ends with a colon, and the text before that colon holds `verb`. */
function endsWithVerb(text: string, line: Line, verb: RegExp): boolean {
  const content = lineText(text, line).trimEnd();
  return content.endsWith(':') && testText(verb, content.slice(0, -1).trimEnd());
}

/** The first bare attribution line that ends before `end`, as `[start, end)`. */
function findAttribution(text: string, lines: readonly Line[], end: number): [number, number] | null {
  for (const line of lines) {
    if (line.end > end) return null;
    if (!line.blank && isHeaderLine(line) && endsWithVerb(text, line, ATTRIBUTION_VERB) && testText(ATTRIBUTION_ADDRESS, lineText(text, line))) {
      return [line.start, line.end];
    }
  }
  return null;
}

/** Applies `markers` in order: each cuts the body at its first line before the current end. */
function cutMarkers(text: string, lines: readonly Line[], markers: readonly CutMarker[], end: number): number {
  for (const marker of markers) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as Line;
      if (line.start >= end) break;
      if (!line.blank && marker(text, lines, i, end)) {
        end = line.start;
        break;
      }
    }
  }
  return end;
}

/**
 * The postscripts between the end of the signature and the end of the prospect's material, as `[start, end)`
 * ranges: each runs from its opening line (after a blank line) to the next blank line.
 */
function postscripts(text: string, lines: readonly Line[], from: number, to: number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  let open: number | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.start < from) continue;
    if (line.start >= to) break;
    if (open !== null) {
      if (!line.blank) continue;
      found.push([open, (lines[i - 1] as Line).end]);
      open = null;
    }
    if ((lines[i - 1] as Line).blank && !line.blank && opensPostscript(head(text, line, MARKER_PREFIX_CHARS, to))) {
      open = line.start;
    }
  }
  if (open !== null) {
    const last = lines.findLast((l) => l.start < to) as Line;
    found.push([open, Math.min(last.end, to)]);
  }
  return found;
}

/**
 * The closing line below the signature (see {@link CLOSING_MAX_LINES}) between `from`, where the prospect's words
 * end, and `to`, where the quoted material starts, as `[start, end)`; null when there is none.
 */
function closingLine(text: string, lines: readonly Line[], from: number, to: number): [number, number] | null {
  if (from >= to) return null;
  // The first and the last written lines between the two.
  let opening = -1;
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.start >= to) break;
    if (line.blank || line.start < from) continue;
    if (opening < 0) opening = i;
    last = i;
  }
  if (last < 0) return null;
  let first = last;
  while (first > 0 && !(lines[first - 1] as Line).blank) first--;
  // Something, the signature, stands between the prospect's words and the closing line.
  if (first <= opening || last - first + 1 > CLOSING_MAX_LINES) return null;
  const paragraph = lines.slice(first, last + 1);
  for (const line of paragraph) {
    if (line.end - line.start > SHORT_LINE_MAX_CHARS || line.end > to) return null;
    const content = lineText(text, line);
    if (CLOSING_EXCLUDES.some((re) => testText(re, content)) || holdsPhoneNumber(content)) return null;
    // A name's shape, unless it ends a sentence: "Kein Interesse, danke." is no "Sandra Baja".
    if (testText(SIGNATURE_NAME_LINE, content) && !testText(SENTENCE_END, content)) return null;
  }
  if (!paragraph.some((l) => testText(CLOSING_STOP, lineText(text, l)))) return null;
  return [(paragraph[0] as Line).start, (paragraph[paragraph.length - 1] as Line).end];
}

/** The marks of a signature's or footer's line, none of which a closing line holds. */
const CLOSING_EXCLUDES: readonly RegExp[] = [
  SIGNATURE_DELIMITER,
  MOBILE_FOOTER,
  DISCLAIMER,
  SIGN_OFF,
  SOFT_SIGNOFF,
  THANKS_NAME,
  SIGNATURE_CONTACT,
  QUOTED_LINE,
  GREETING_LINE,
  FOOTER_WORDS,
];

/** Whether a line opens a postscript: a "PS" marker, then a colon or dash, or a sentence rather than a name. */
function opensPostscript(start: string): boolean {
  const marker = execText(POSTSCRIPT, start);
  if (!marker) return false;
  if (marker[1] !== undefined || marker[2] !== undefined) return true;
  let words = 0;
  for (const _ of matchAll(WORD, start.slice(marker[0].length))) if (++words >= POSTSCRIPT_MIN_WORDS) return true;
  return false;
}

function nextLines(lines: readonly Line[], i: number, count: number, end: number): Line[] {
  return lines.slice(i + 1, i + 1 + count).filter((l) => l.start < end);
}

function startsSignatureBlock(text: string, lines: readonly Line[], i: number, end: number): boolean {
  const before = lines[i - 1];
  const name = lines[i] as Line;
  if (i < 2 || !before?.blank || name.end > end || name.end - name.start > SHORT_LINE_MAX_CHARS) return false;
  // "Hi Sam," after a quoted block has a name's shape too.
  const content = lineText(text, name);
  if (!testText(SIGNATURE_NAME_LINE, content) || testText(GREETING_LINE, content)) return false;
  return nextLines(lines, i, SIGNATURE_CONTACT_LINES, end).some((l) => {
    const content = head(text, l, CONTACT_LINE_CHARS, end);
    return testText(SIGNATURE_CONTACT, content) || holdsPhoneNumber(content);
  });
}

/** A phone number: a digit, at least seven of `0-9 ( ) . -` and space, then a digit. */
function holdsPhoneNumber(content: string): boolean {
  for (const m of matchAll(PHONE_RUN, content)) {
    const run = m[0];
    let first = 0;
    while (first < run.length && !isDigit(run, first)) first++;
    let last = run.length - 1;
    while (last > first && !isDigit(run, last)) last--;
    if (last - first + 1 >= 9) return true;
  }
  return false;
}

function isDigit(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  return unit >= 48 && unit <= 57;
}

/**
 * The first soft sign-off line with text before it and only a short signature after it (up to `end`): suffix
 * counts of the lines after each line are computed once, so each line is looked at a bounded number of times.
 */
function cutSoftSignoff(text: string, lines: readonly Line[], end: number): number {
  const inBody = lines.filter((l) => l.start < end);
  const linesAfter: number[] = new Array<number>(inBody.length).fill(0);
  const longestAfter: number[] = new Array<number>(inBody.length).fill(0);
  let count = 0;
  let longest = 0;
  for (let i = inBody.length - 1; i >= 0; i--) {
    linesAfter[i] = count;
    longestAfter[i] = longest;
    const line = inBody[i] as Line;
    if (!line.blank) {
      count++;
      longest = Math.max(longest, Math.min(line.end, end) - line.start);
    }
  }
  let textBefore = false;
  for (let i = 0; i < inBody.length; i++) {
    const line = inBody[i] as Line;
    if (line.blank) continue;
    if (
      textBefore &&
      line.end - line.start <= SHORT_LINE_MAX_CHARS &&
      (linesAfter[i] as number) <= SIGNATURE_TAIL_MAX_LINES &&
      (longestAfter[i] as number) <= SIGNATURE_TAIL_MAX_LINE_LENGTH &&
      testText(SOFT_SIGNOFF, lineText(text, line))
    ) {
      return line.start;
    }
    textBefore = true;
  }
  return end;
}

/**
 * Stands for the rest of a reply whose words were cut at {@link REPLY_SCAN_CHARS}: a pattern anchored at the end
 * of the reply (`$`, as short-reply rules are) must not take the cut for the end.
 */
export const CUT_MARK = '\u0000';

/**
 * The text the rules scan: the reply up to {@link ReplyBody.end}, with masked ranges blanked to spaces, curly
 * quotes and dashes straightened and emoji blanked. Same length as the body (plus {@link CUT_MARK} when the body
 * was capped), so offsets carry over to the original text unchanged.
 */
export function scanText(text: string, body: ReplyBody): string {
  let out = text.slice(0, body.end);
  if (body.masks.length > 0) {
    const parts: string[] = [];
    let at = 0;
    for (const [maskStart, stop] of body.masks) {
      const start = Math.max(maskStart, at);
      const until = Math.min(stop, out.length);
      if (until <= start) continue;
      parts.push(out.slice(at, start), ' '.repeat(until - start));
      at = until;
    }
    parts.push(out.slice(at));
    out = parts.join('');
  }
  if (body.capped) out += CUT_MARK;
  out = replaceAll(BACKTICKS, out, "'");
  if (!testText(HAS_OUTSIDE_LATIN1, out)) return out;
  out = replaceAll(REFUSING_EMOJI, out, 'no');
  out = replaceAll(OUTSIDE_LATIN1, out, latin1);
  // `replace` with a function leaves a two-byte string; a Latin-1 round trip makes it one-byte again.
  return testText(HAS_OUTSIDE_LATIN1, out) ? out : Buffer.from(out, 'latin1').toString('latin1');
}

const BACKTICKS = /[`´]/gu;
/**
 * A thumbs-down, a person gesturing no and a prohibited sign say what "no" says ("👎" alone is a firm no, the
 * guide's opt-out), so they read as that word: two code units for two, no offset moves. Every other emoji is blanked.
 */
const REFUSING_EMOJI = /[\u{1F44E}\u{1F645}\u{1F6AB}]/gu;
const HAS_OUTSIDE_LATIN1 = /[^\x00-\xff]/;

/** Code units outside Latin-1; matched one UTF-16 unit at a time (no `u` flag), so surrogate pairs stay 2 long. */
const OUTSIDE_LATIN1 = /[^\x00-\xff]/g;
const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2026': '.', '\u2022': '*', '\u2009': ' ', '\u200a': ' ', '\u202f': ' ', '\u2007': ' ', '\u200b': ' ',
  '\uff1f': '?',
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
