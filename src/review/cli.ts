/**
 * `handoff review`: the escalation review from the ledger, as tables, JSON or a self-contained HTML report, and
 * (`--rules FILE`) a back-test of a changed rules file on the recorded replies.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { LedgerError } from '../ledger/store';
import { openLedger, sqliteLedgerFile } from '../ledger/open';
import { withWholeReplies } from '../ledger/replyBodies';
import type { LedgerStore } from '../ledger/store';
import { RulesFileError, loadRuleSet, loadUserRuleSet } from '../triggers';
import { ModelFileError, loadLearnedReader } from '../triggers/learned/reader';
import type { Readers } from '../triggers/readers';
import { backtest } from './backtest';
import { computeReview } from './compute';
import { formatBacktest, formatReview } from './format';
import { renderReviewHtml } from './html';

const USAGE = `usage: handoff review [options]

Reviews escalations from the ledger (<dataDir>/ledger.sqlite, or DATABASE_URL): per trigger, the count,
reply-to-alert and time-to-claim p50/p90, re-escalation rate, unclaimed now, false and missed escalations and
outcomes; then rule quality per rule id, the rules behind most false escalations first.

options:
  --since AGE    only escalations from the last AGE: 24h, 7d, 30d, 2w (default 7d), or "all"
  --json         print the review (and back-test) as one JSON object
  --html FILE    also write a self-contained HTML report with charts to FILE
  --rules FILE   back-test this rules file on the recorded replies of the window: which replies would start or
                 stop escalating, and precision/recall against reps' feedback and manual triggers
  --model FILE   back-test this learned-reader model (e.g. from \`handoff train --from-ledger\`) the same way,
                 with the shipped rules or --rules; "off" back-tests the rules alone
  -h, --help     show this help`;

/** Streams, environment and clock; tests pass their own. */
export interface ReviewIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** The review's "now". Default: the clock. */
  now?: () => Date;
  /** Where relative paths and handoff.yaml are looked up. Default: the working directory. */
  workDir?: string;
}

interface Options {
  since: string;
  json: boolean;
  html?: string;
  rules?: string;
  model?: string;
  help: boolean;
}

class UsageError extends Error {}

const AGE_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The start of a `--since` window: `now` less an age (`24h`, `7d`, `2w`), or null for `all`.
 * @throws Error naming the value when it is not an age.
 */
export function parseSince(value: string, now: Date): string | null {
  if (value === 'all') return null;
  const match = /^(\d+)\s*([hdw])$/i.exec(value.trim());
  if (!match || Number(match[1]) === 0) {
    throw new UsageError(`--since must be an age such as 24h, 7d, 30d or 2w (or "all"), got "${value}"`);
  }
  return new Date(now.getTime() - Number(match[1]) * (AGE_UNITS[match[2]!.toLowerCase()] ?? 0)).toISOString();
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { since: '7d', json: false, help: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(i++, flag);
    if (flag === '-h' || flag === '--help') options.help = true;
    else if (flag === '--json') options.json = true;
    else if (flag === '--since') options.since = take();
    else if (flag === '--html') options.html = take();
    else if (flag === '--rules') options.rules = take();
    else if (flag === '--model') options.model = take();
    else throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`);
  }
  return options;
}

/**
 * Runs `handoff review`. Returns the exit code: 0 on success, 1 when the ledger, the rules file or the HTML file
 * cannot be used, 2 on a usage error.
 */
export async function reviewCommand(argv: string[], io: ReviewIo = process): Promise<number> {
  const fail = (message: string, code = 1) => {
    io.stderr.write(`handoff review: ${message}\n`);
    return code;
  };
  const now = io.now?.() ?? new Date();
  let options: Options;
  let since: string | null;
  try {
    options = parseArgs(argv);
    since = parseSince(options.since, now);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return fail(`${err.message}\n\n${USAGE}`, 2);
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let candidate: Readers | undefined;
  if (options.rules !== undefined || options.model !== undefined) {
    const resolve = (file: string) => path.resolve(io.workDir ?? process.cwd(), file);
    try {
      candidate = {
        rules: options.rules === undefined ? loadRuleSet() : await loadUserRuleSet(resolve(options.rules)),
        learned: options.model === 'off' ? null : loadLearnedReader(options.model === undefined ? undefined : resolve(options.model)),
      };
    } catch (err) {
      if (!(err instanceof RulesFileError) && !(err instanceof ModelFileError)) throw err;
      return fail(err.message);
    }
  }
  const config = loadConfig(io.env, io.workDir ?? process.cwd());
  const databaseUrl = config.ledger.databaseUrl;
  if (!databaseUrl && !existsSync(sqliteLedgerFile(config.dataDir))) {
    return fail(`no ledger at ${sqliteLedgerFile(config.dataDir)}: nothing has been recorded yet (or set DATABASE_URL / HANDOFF_DATA_DIR)`);
  }
  let ledger: LedgerStore;
  try {
    ledger = await openLedger({ dataDir: config.dataDir, databaseUrl });
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    return fail(err.message);
  }
  try {
    // Replies too long to travel inline are reviewed (and back-tested) whole.
    const events = await withWholeReplies(await ledger.query(since === null ? {} : { since }), ledger.replyBodies);
    const review = computeReview(events, { now: now.toISOString(), ...(since === null ? {} : { since }) });
    const tested = candidate ? backtest(events, candidate) : undefined;
    if (options.html !== undefined) {
      const file = path.resolve(io.workDir ?? process.cwd(), options.html);
      try {
        await writeFile(file, renderReviewHtml(review, tested ? { backtest: tested } : {}));
      } catch (err) {
        return fail(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      if (!options.json) io.stdout.write(`wrote ${file}\n`);
    }
    if (options.json) io.stdout.write(`${JSON.stringify(tested ? { review, backtest: tested } : { review })}\n`);
    else io.stdout.write(`${formatReview(review)}\n${tested ? `\n${formatBacktest(tested)}\n` : ''}`);
    return 0;
  } finally {
    await ledger.close();
  }
}
