/**
 * Message templates: Markdown files with named variables (`{{prospect.firstName}}`, `{{talkingPoint}}`) and an
 * optional front matter with a `subject:` line. A variable is required unless it ends in `?`
 * (`{{research.summary?}}`): a line whose optional variable has no value is left out of the message. Parsing
 * checks every variable against {@link TEMPLATE_VARIABLES}, so a misspelt one stops start-up naming the file, the
 * line and the variable, never leaves a gap in a message to a buyer.
 */
import { readFileSync, statSync } from 'node:fs';

/** Every variable a template may use, and what it holds. */
export const TEMPLATE_VARIABLES = {
  greeting: 'the salutation in the campaign\'s tone ("Hi Jordan,", "Dear Jordan,", "Jordan,")',
  'prospect.firstName': "the prospect's first name",
  'prospect.name': "the prospect's full name",
  'prospect.title': "the prospect's job title (not every prospect has one)",
  company: "the prospect's company",
  industry: "the prospect's industry, from its profile (not every prospect has one)",
  talkingPoint: "the campaign's talking point for this step (the campaign's `talkingPoints`, in turn)",
  valueProposition: "the campaign's value proposition (`valueProposition`)",
  product: "the campaign's product, from its voice",
  'sender.name': 'who the message is from, from the voice',
  'sender.email': "the sender's address, from the voice",
  'step.name': 'the cadence step being sent',
  firstSubject: 'the subject of the first message of the thread',
  'research.summary': "the model's research summary of the prospect (only when a model is configured)",
  'thread.subject': 'in a suggested reply: the subject the thread runs under',
  'thread.lastReply': "in a suggested reply: the opening line of the prospect's latest reply",
} as const;

/** A variable's name. */
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

/** The values a template is rendered with; an absent or empty value is missing. */
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

/** Thrown when a template file is missing or malformed: names the file, and the line and variable when there are. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    readonly variable?: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
  }
}

/** Thrown at compose time when a required variable has no value for this conversation; names it and the file. */
export class TemplateValueMissingError extends Error {
  override readonly name = 'TemplateValueMissingError';
  constructor(
    readonly variable: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: {{${variable}}} has no value for this conversation (${hint(variable)}, or write {{${variable}?}} to leave the line out)`);
  }
}

function hint(variable: string): string {
  if (variable === 'talkingPoint') return "set the campaign's talkingPoints";
  if (variable === 'valueProposition') return "set the campaign's valueProposition";
  if (variable === 'research.summary') return 'it needs a model (HANDOFF_MODEL_URL)';
  return 'the prospect or campaign lacks it';
}

type Segment = { text: string } | { variable: TemplateVariable; optional: boolean };

/** One line of a template, with its line number in the file. */
interface TemplateLine {
  number: number;
  segments: Segment[];
}

/** A parsed template. */
export interface Template {
  /** The file it came from (or a name for an inline one). */
  file: string;
  subject: TemplateLine | null;
  body: TemplateLine[];
  /** Every variable it uses, required or not. */
  variables: TemplateVariable[];
}

const KNOWN = new Set<string>(Object.keys(TEMPLATE_VARIABLES));

function parseLine(text: string, number: number, file: string): TemplateLine {
  const segments: Segment[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      segments.push({ text: text.slice(at) });
      break;
    }
    if (open > at) segments.push({ text: text.slice(at, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`"{{" is never closed with "}}"`, file, number);
    const inner = text.slice(open + 2, close).trim();
    const optional = inner.endsWith('?');
    const name = optional ? inner.slice(0, -1).trim() : inner;
    if (!KNOWN.has(name)) {
      throw new TemplateError(`unknown variable {{${name}}} (known: ${[...KNOWN].join(', ')})`, file, number, name);
    }
    segments.push({ variable: name as TemplateVariable, optional });
    at = close + 2;
  }
  return { number, segments };
}

/**
 * Parses a template's text: an optional front matter (`---`, `subject: …`, `---`) then the Markdown body.
 * @throws TemplateError naming the file, the line and the variable for an unknown variable, an unclosed `{{`, an
 * unknown front-matter key or an empty body.
 */
export function parseTemplate(text: string, file: string): Template {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let subject: TemplateLine | null = null;
  let first = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
    if (end < 0) throw new TemplateError('the front matter opened on line 1 is never closed with "---"', file, 1);
    for (let i = 1; i < end; i++) {
      const line = lines[i]!;
      if (!line.trim()) continue;
      const match = /^(\w+):\s*(.*)$/.exec(line.trim());
      if (!match || match[1] !== 'subject') throw new TemplateError(`the front matter takes only "subject: …", not ${JSON.stringify(line.trim())}`, file, i + 1);
      subject = parseLine(match[2]!, i + 1, file);
    }
    first = end + 1;
  }
  const body = lines.slice(first).map((line, i) => parseLine(line, first + i + 1, file));
  if (!body.some((line) => line.segments.some((s) => 'variable' in s || s.text.trim()))) throw new TemplateError('the template has no body', file);
  const variables = [...new Set([subject, ...body].flatMap((line) => line?.segments.flatMap((s) => ('variable' in s ? [s.variable] : [])) ?? []))];
  return { file, subject, body, variables };
}

const cache = new Map<string, { mtimeMs: number; size: number; template: Template }>();

/**
 * Reads and parses a template file, again only when it changed since the last read.
 * @throws TemplateError naming the file when it is missing or unreadable, or anything {@link parseTemplate} throws.
 */
export function readTemplate(file: string): Template {
  let stat;
  try {
    stat = statSync(file);
  } catch (err) {
    throw new TemplateError('template file not found', file, undefined, undefined, { cause: err });
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.template;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TemplateError(`template file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, file, undefined, undefined, { cause: err });
  }
  const template = parseTemplate(text, file);
  cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, template });
  return template;
}

/** A rendered template: its subject when it has one, and its body. */
export interface RenderedTemplate {
  subject: string | null;
  body: string;
}

function renderLine(line: TemplateLine, values: TemplateValues, file: string): string | null {
  let out = '';
  for (const segment of line.segments) {
    if ('text' in segment) {
      out += segment.text;
      continue;
    }
    const value = values[segment.variable]?.trim();
    if (!value) {
      if (segment.optional) return null;
      throw new TemplateValueMissingError(segment.variable, file, line.number);
    }
    out += value;
  }
  return out;
}

/**
 * Fills a template. A line whose optional variable has no value is left out (and the blank lines around it fold
 * into one).
 * @throws TemplateValueMissingError naming the variable, the file and the line when a required one has no value.
 */
export function renderTemplate(template: Template, values: TemplateValues): RenderedTemplate {
  const subject = template.subject ? renderLine(template.subject, values, template.file) : null;
  const lines = template.body.flatMap((line) => {
    const text = renderLine(line, values, template.file);
    return text === null ? [] : [text];
  });
  const body = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject: subject?.trim() || null, body };
}
