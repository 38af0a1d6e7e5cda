/**
 * `handoff train`: trains the learned reader (see `src/triggers/learned/trainCommand.ts`), optionally on reps'
 * judgements from the ledger too, writes the model and prints the out-of-fold figures of the rules, the model and
 * both.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig } from '../config';
import { openLedger, sqliteLedgerFile } from '../ledger/open';
import { parseSince } from '../review/cli';
import { lessonsFromLedger } from '../review/lessons';
import { loadRuleSet } from '../triggers';
import { DEFAULT_MODEL_FILE } from '../triggers/learned/reader';
import { formatOutOfFold, trainReader, writeModelFile } from '../triggers/learned/trainCommand';
import type { Intent } from '../triggers/types';

const USAGE = `usage: handoff train [--from-ledger [--since AGE]] [--out FILE]

Trains the learned reader on the labelled corpus (data/corpus, train and dev splits; the test split is never read),
chooses its per-label thresholds on cross-validated readings of the train split, writes the model file and prints
the out-of-fold figures of the rules, the model and both together. The same corpus and seed give the same bytes.

options:
  --from-ledger  also learn from reps' judgements in the ledger (false escalations lose their triggers, missed
                 escalations gain the trigger named) and write a candidate, by default <dataDir>/reader-candidate.json;
                 back-test it with \`handoff review --model FILE\` before deploying it (HANDOFF_READER_MODEL)
  --since AGE    with --from-ledger: only judgements from the last AGE (24h, 7d, 2w; default all)
  --out FILE     where to write the model (default: the shipped model, src/triggers/learned/model.json)
  --corpus DIR   train on this folder of labelled JSON Lines instead of data/corpus
  -h, --help     show this help`;

/** Streams and environment of `handoff train`; tests pass their own. */
export interface TrainIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  workDir?: string;
}

/** Runs `handoff train`. Returns 0 on success, 1 when the ledger or corpus cannot be used, 2 on a usage error. */
export async function trainCommand(argv: string[], io: TrainIo = process): Promise<number> {
  let fromLedger = false;
  let since = 'all';
  let out: string | undefined;
  let corpusDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('-')) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '-h' || arg === '--help') {
        io.stdout.write(`${USAGE}\n`);
        return 0;
      } else if (arg === '--from-ledger') fromLedger = true;
      else if (arg === '--since') since = value();
      else if (arg === '--out') out = value();
      else if (arg === '--corpus') corpusDir = value();
      else throw new Error(`unknown argument ${arg}`);
    } catch (err) {
      io.stderr.write(`handoff train: ${(err as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
  }
  const workDir = io.workDir ?? process.cwd();
  const log = (line: string) => io.stderr.write(`${line}\n`);
  let extra: Array<{ text: string; labels: Intent[] }> = [];
  let file = out ? path.resolve(workDir, out) : DEFAULT_MODEL_FILE;
  if (fromLedger) {
    const config = loadConfig(io.env, workDir);
    if (!out) file = path.join(config.dataDir, 'reader-candidate.json');
    if (!config.ledger.databaseUrl && !existsSync(sqliteLedgerFile(config.dataDir))) {
      io.stderr.write(`handoff train: no ledger at ${sqliteLedgerFile(config.dataDir)} (or set DATABASE_URL / HANDOFF_DATA_DIR)\n`);
      return 1;
    }
    let start: string | null;
    try {
      start = parseSince(since, new Date());
    } catch (err) {
      io.stderr.write(`handoff train: ${(err as Error).message}\n`);
      return 2;
    }
    const ledger = await openLedger({ dataDir: config.dataDir, databaseUrl: config.ledger.databaseUrl });
    try {
      const lessons = lessonsFromLedger(await ledger.query(start === null ? {} : { since: start }));
      const count = (why: string) => lessons.filter((l) => l.why === why).length;
      log(`ledger: ${lessons.length} judged replies (${count('false_escalation')} false escalations, ${count('missed_escalation')} missed, ${count('confirmed_escalation')} confirmed)`);
      extra = lessons.map((l) => ({ text: l.text, labels: l.labels }));
    } finally {
      await ledger.close();
    }
  }
  const rules = loadRuleSet();
  if (corpusDir) corpusDir = path.resolve(workDir, corpusDir);
  const trained = trainReader({ extra, rules, log, ...(corpusDir ? { corpusDir } : {}) });
  writeModelFile(file, trained.model);
  io.stdout.write(
    `${formatOutOfFold(trained)}\n\nwrote ${file} (${trained.model.version})${fromLedger ? `; back-test it: handoff review --model ${file}` : ''}\n`,
  );
  return 0;
}

