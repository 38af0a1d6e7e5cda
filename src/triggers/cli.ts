/**
 * `handoff classify`: labels replies read as JSON Lines, or (`--eval FILE`) scores the rules on labelled ones.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { classifyReply } from './classify';
import { RulesFileError } from './errors';
import { evaluate, formatReport, type ScoredReply } from './evaluate';
import { loadRuleSet, loadUserRuleSet } from './load';
import { type IntentModel, classifyWithModel, modelFromEnv } from './model';
import type { RuleSet } from './rules';
import { type Classification, type Intent, INTENTS } from './types';

const USAGE = `usage: handoff classify [options] [FILE]

Reads JSON Lines {"id": "...", "text": "...", "receivedAt"?: ISO time} from FILE (or stdin, or "-") and writes
one JSON line per input, in input order:
  {"id","labels","escalate","trigger","evidence","returnDate","rulesVersion"}

options:
  --rules FILE   use this rules file (YAML or JSON) instead of the shipped default
  --eval FILE    score the rules on labelled lines ({"id","text","labels":[...]}) and print a report
  --json         with --eval: print the report as one JSON object
  -h, --help     show this help

A bad input line is reported on stderr with its line number; the rest are still classified and the exit code
is 1. With HANDOFF_MODEL_URL and HANDOFF_MODEL_NAME set, a model may add labels to the rules' verdict.`;

/** One input line of `handoff classify`. */
const ReplyLineSchema = z.strictObject({
  id: z.string().min(1),
  text: z.string(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});

/** One input line of `handoff classify --eval`. */
const LabelledLineSchema = ReplyLineSchema.extend({
  labels: z.array(z.enum(INTENTS as [Intent, ...Intent[]])).min(1),
});

interface Options {
  rules?: string;
  eval?: string;
  json: boolean;
  input?: string;
  help: boolean;
}

/** Streams to use; tests pass their own. */
export interface ClassifyIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${flag} needs a file`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--rules') options.rules = value(i++, arg);
    else if (arg === '--eval') options.eval = value(i++, arg);
    else if (arg.startsWith('--rules=')) options.rules = arg.slice('--rules='.length);
    else if (arg.startsWith('--eval=')) options.eval = arg.slice('--eval='.length);
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (options.input === undefined) options.input = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (options.eval && options.input) throw new UsageError('--eval takes its own FILE; give no other input');
  return options;
}

/**
 * Runs `handoff classify`. Returns the exit code: 0 on success, 1 when an input line or the rules file was bad,
 * 2 on a usage error.
 */
export async function classifyCommand(argv: string[], io: ClassifyIo = process): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`handoff classify: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let rules: RuleSet;
  try {
    rules = options.rules === undefined ? loadRuleSet() : await loadUserRuleSet(options.rules);
  } catch (err) {
    if (!(err instanceof RulesFileError)) throw err;
    io.stderr.write(`handoff classify: ${err.message}\n`);
    return 1;
  }
  const model = modelFromEnv(io.env);
  const file = options.eval ?? options.input;
  let input: Readable;
  if (file === undefined || file === '-') {
    input = io.stdin;
  } else {
    input = createReadStream(file, { encoding: 'utf8' });
    try {
      await once(input, 'readable');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(`handoff classify: cannot read ${file}${code === 'ENOENT' ? ': no such file' : ''}\n`);
      return 1;
    }
  }
  return options.eval ? runEval(input, rules, model, options.json, io) : runClassify(input, rules, model, io);
}

async function verdict(
  text: string,
  rules: RuleSet,
  receivedAt: string | undefined,
  model: IntentModel | null,
  lineNumber: number,
  io: ClassifyIo,
): Promise<Classification> {
  if (!model) return classifyReply(text, rules, { receivedAt });
  const result = await classifyWithModel(text, rules, model, { receivedAt });
  if (result.model.error) io.stderr.write(`line ${lineNumber}: model not used (${result.model.error}); rules only\n`);
  return result;
}

/** Reads lines, validating each; bad ones are reported (without their content) and skipped. */
async function* validLines<T>(
  input: Readable,
  schema: z.ZodType<T>,
  io: ClassifyIo,
  onBad: () => void,
): AsyncGenerator<{ line: T; lineNumber: number }> {
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      io.stderr.write(`line ${lineNumber}: not valid JSON\n`);
      onBad();
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      io.stderr.write(`line ${lineNumber}: ${describeIssues(parsed.error, json)}\n`);
      onBad();
      continue;
    }
    yield { line: parsed.data, lineNumber };
  }
}

/** Names what is wrong with a line, never echoing its values (they may hold message bodies). */
function describeIssues(error: z.ZodError, json: unknown): string {
  const present = (key: PropertyKey | undefined): boolean =>
    json !== null && typeof json === 'object' && key !== undefined && Object.hasOwn(json, key);
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.path.length === 0 && issue.code === 'invalid_type') return 'expected a JSON object';
      if (issue.path.length === 1 && !present(issue.path[0])) return `missing "${field}"`;
      if (issue.code === 'unrecognized_keys') return `unexpected field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return field ? `"${field}": ${issue.message}` : issue.message;
    })
    .join('; ');
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function runClassify(input: Readable, rules: RuleSet, model: IntentModel | null, io: ClassifyIo): Promise<number> {
  let bad = false;
  for await (const { line, lineNumber } of validLines(input, ReplyLineSchema, io, () => (bad = true))) {
    const c = await verdict(line.text, rules, line.receivedAt, model, lineNumber, io);
    const out = {
      id: line.id,
      labels: c.labels,
      escalate: c.escalate,
      trigger: c.trigger,
      evidence: c.evidence.map((e) => ({ label: e.label, rule: e.rule, start: e.start, end: e.end, text: e.text })),
      returnDate: c.returnDate,
      rulesVersion: c.rulesVersion,
    };
    await write(io.stdout, `${JSON.stringify(out)}\n`);
  }
  return bad ? 1 : 0;
}

async function runEval(
  input: Readable,
  rules: RuleSet,
  model: IntentModel | null,
  json: boolean,
  io: ClassifyIo,
): Promise<number> {
  const scored: ScoredReply[] = [];
  for await (const { line, lineNumber } of validLines(input, LabelledLineSchema, io, () => undefined)) {
    const predicted = await verdict(line.text, rules, line.receivedAt, model, lineNumber, io);
    scored.push({ id: line.id, text: line.text, expected: line.labels, predicted });
  }
  const report = evaluate(scored);
  await write(io.stdout, `${json ? JSON.stringify(report) : formatReport(report)}\n`);
  // A report, not a gate: low scores and skipped lines do not fail the command.
  return 0;
}
