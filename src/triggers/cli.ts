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
import { splitOfReply, type Split } from './learned/corpus';
import { type LearnedReader, ModelFileError, loadLearnedReader } from './learned/reader';
import { modelOnly } from './learned/scoreReaders';
import { type IntentModel, askModel, modelFromEnv } from './model';
import type { CombinedClassification } from './learned/combine';
import { classifyWithReaders } from './readers';
import type { RuleSet } from './rules';
import { type Classification, INTENTS } from './types';

const USAGE = `usage: handoff classify [options] [FILE]

Reads JSON Lines {"id": "...", "text": "...", "receivedAt"?: ISO time} from FILE (or stdin, or "-") and writes
one JSON line per input, in input order:
  {"id","labels","escalate","trigger","evidence","returnDate","rulesVersion","modelVersion","decidedBy"}
(modelVersion and decidedBy, which reader gave each label, unless --reader rules; setAside, the rules triggers
the learned reader set aside, when there are any)

options:
  --rules FILE     use this rules file (YAML or JSON) instead of the shipped default
  --model FILE     use this learned-reader model file instead of the shipped one
  --reader WHICH   rules, model (the learned reader alone) or both (default: both, as the worker runs them)
  --eval FILE      score labelled lines ({"id","text","labels":[...]}) and print a report
  --split SPLIT    with --eval: only the lines of the corpus split train, dev or test (by id, see data/corpus)
  --json           with --eval: print the report as one JSON object
  -h, --help       show this help

A bad input line is reported on stderr with its line number; the rest are still classified and the exit code
is 1. With HANDOFF_MODEL_URL and HANDOFF_MODEL_NAME set, a model endpoint may add labels to the verdict.`;

/** One input line of `handoff classify`. */
const ReplyLineSchema = z.strictObject({
  id: z.string().min(1),
  text: z.string(),
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});

/** One input line of `handoff classify --eval`. */
const LabelledLineSchema = ReplyLineSchema.extend({
  labels: z.array(z.enum(INTENTS)).min(1),
  // Corpus lines carry these too (see data/corpus/CARD.md); they do not change the verdict.
  lang: z.string().optional(),
  tags: z.array(z.string()).optional(),
  source: z.string().optional(),
  split: z.enum(['train', 'dev']).optional(),
});

const READER_CHOICES = ['rules', 'model', 'both'] as const;
const SPLITS: readonly Split[] = ['train', 'dev', 'test'];

interface Options {
  rules?: string;
  model?: string;
  reader: (typeof READER_CHOICES)[number];
  split?: Split;
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
  const options: Options = { json: false, help: false, reader: 'both' };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const choice = <T extends string>(v: string, flag: string, allowed: readonly T[]): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} takes ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
    return v as T;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--rules') options.rules = value(i++, arg);
    else if (arg === '--eval') options.eval = value(i++, arg);
    else if (arg === '--model') options.model = value(i++, arg);
    else if (arg === '--reader') options.reader = choice(value(i++, arg), arg, READER_CHOICES);
    else if (arg === '--split') options.split = choice(value(i++, arg), arg, SPLITS);
    else if (arg.startsWith('--rules=')) options.rules = arg.slice('--rules='.length);
    else if (arg.startsWith('--eval=')) options.eval = arg.slice('--eval='.length);
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (options.input === undefined) options.input = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (options.eval && options.input) throw new UsageError('--eval takes its own FILE; give no other input');
  if (options.split && !options.eval) throw new UsageError('--split goes with --eval');
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
  let learned: LearnedReader | null = null;
  if (options.reader !== 'rules') {
    try {
      learned = loadLearnedReader(options.model);
    } catch (err) {
      if (!(err instanceof ModelFileError)) throw err;
      io.stderr.write(`handoff classify: ${err.message}\n`);
      return 1;
    }
  }
  const readers: ReadersInUse = { rules, learned, reader: options.reader, model: modelFromEnv(io.env) };
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
  return options.eval ? runEval(input, readers, options.split, options.json, io) : runClassify(input, readers, io);
}

/** The readers a run uses: the rules, the learned reader (unless `--reader rules`), the model endpoint if set. */
interface ReadersInUse {
  rules: RuleSet;
  learned: LearnedReader | null;
  reader: (typeof READER_CHOICES)[number];
  model: IntentModel | null;
}

/** The readers an evaluation uses, as its report names them. */
function readerNames({ rules, learned, reader, model }: ReadersInUse): string {
  const names = [
    ...(reader === 'model' ? [] : [`rules ${rules.version}`]),
    ...(reader !== 'rules' && learned ? [`the learned reader ${learned.version}`] : []),
    ...(reader !== 'model' && model ? [`the model endpoint ${model.name}`] : []),
  ];
  return names.join(' and ');
}

async function verdict(
  text: string,
  readers: ReadersInUse,
  receivedAt: string | undefined,
  lineNumber: number,
  io: ClassifyIo,
): Promise<Classification & Partial<Pick<CombinedClassification, 'modelVersion' | 'decidedBy' | 'setAside'>>> {
  if (readers.reader === 'model' && readers.learned) return modelOnly(text, readers.learned, readers.rules);
  const base =
    readers.reader === 'rules' ? classifyReply(text, readers.rules, { receivedAt }) : classifyWithReaders(text, readers, { receivedAt });
  if (!readers.model) return base;
  const { classification, use } = await askModel(text, base, readers.rules, readers.model);
  if (!use.used) io.stderr.write(`line ${lineNumber}: model endpoint not used (${use.error ?? 'failed'})\n`);
  return classification;
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
      if (issue.code === 'unrecognized_keys') {
        const fields = `unexpected field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
        return issue.keys.includes('labels') ? `${fields} (labelled lines are scored with --eval)` : fields;
      }
      return field ? `"${field}": ${issue.message}` : issue.message;
    })
    .join('; ');
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function runClassify(input: Readable, readers: ReadersInUse, io: ClassifyIo): Promise<number> {
  let bad = false;
  for await (const { line, lineNumber } of validLines(input, ReplyLineSchema, io, () => (bad = true))) {
    const c = await verdict(line.text, readers, line.receivedAt, lineNumber, io);
    const out = {
      id: line.id,
      labels: c.labels,
      escalate: c.escalate,
      trigger: c.trigger,
      evidence: c.evidence.map((e) => ({ label: e.label, rule: e.rule, start: e.start, end: e.end, text: e.text })),
      returnDate: c.returnDate,
      rulesVersion: c.rulesVersion,
      ...(c.modelVersion !== undefined ? { modelVersion: c.modelVersion, decidedBy: c.decidedBy } : {}),
      ...(c.setAside !== undefined && c.setAside.length > 0 ? { setAside: c.setAside } : {}),
    };
    await write(io.stdout, `${JSON.stringify(out)}\n`);
  }
  return bad ? 1 : 0;
}

async function runEval(
  input: Readable,
  readers: ReadersInUse,
  split: Split | undefined,
  json: boolean,
  io: ClassifyIo,
): Promise<number> {
  const scored: ScoredReply[] = [];
  for await (const { line, lineNumber } of validLines(input, LabelledLineSchema, io, () => undefined)) {
    if (split && splitOfReply(line) !== split) continue;
    const predicted = await verdict(line.text, readers, line.receivedAt, lineNumber, io);
    scored.push({ id: line.id, text: line.text, expected: line.labels, predicted });
  }
  const report = evaluate(scored, readerNames(readers));
  await write(io.stdout, `${json ? JSON.stringify(report) : formatReport(report)}\n`);
  // A report, not a gate: low scores and skipped lines do not fail the command.
  return 0;
}
