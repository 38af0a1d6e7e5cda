/**
 * The labelled reply corpus (`data/corpus/*.jsonl`) and its fixed split into train, dev and test. A reply's split
 * follows from a hash of its id and the seed alone, so adding replies never moves existing ones between splits,
 * and the test split is never seen by training or by the choice of thresholds.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS, LANGUAGES, type Language } from '../types';

/** Where the corpus lives. */
export const CORPUS_DIR = path.resolve(__dirname, '..', '..', '..', 'data', 'corpus');

/** The seed of the split (changing it reshuffles every reply: never done to improve a figure). */
export const SPLIT_SEED = 20261202;

/** Parts of the corpus. */
export type Split = 'train' | 'dev' | 'test';

/** Shares of the split, in percent. */
const SPLIT_SHARES: ReadonlyArray<[Split, number]> = [
  ['train', 70],
  ['dev', 15],
  ['test', 15],
];

const INTENT_ENUM = z.enum(INTENTS);

/** One labelled reply of the corpus. */
export const CorpusReplySchema = z.strictObject({
  id: z.string().min(1).max(64),
  lang: z.enum(LANGUAGES as [Language, ...Language[]]),
  labels: z
    .array(INTENT_ENUM)
    .min(1)
    .refine((labels) => !labels.includes('none') || labels.length === 1, '`none` stands alone')
    .refine((labels) => new Set(labels).size === labels.length, 'each label once'),
  tags: z.array(z.string().min(1).max(40)),
  text: z.string().min(1).max(20_000),
  /** Where the reply came from when not written for the corpus (e.g. reps' feedback from the ledger). */
  source: z.string().optional(),
  /**
   * A split placed by hand rather than by the hash of the id, for replies that were read to revise the rules before
   * they joined the corpus (a fresh evaluation set, once its misses are read): `dev`, like the other replies the
   * rules were revised on. Never `test`, which holds only replies nobody chose anything on.
   */
  split: z.enum(['train', 'dev']).optional(),
});
export type CorpusReply = z.infer<typeof CorpusReplySchema>;

/** The split a reply belongs to. */
export function splitOf(id: string, seed: number = SPLIT_SEED): Split {
  const bucket = createHash('sha256').update(`${seed}:${id}`).digest().readUInt32BE(0) % 100;
  let edge = 0;
  for (const [split, share] of SPLIT_SHARES) {
    edge += share;
    if (bucket < edge) return split;
  }
  return 'test';
}

/** The split of one corpus reply: the one placed by hand, else the one its id hashes to. */
export function splitOfReply(reply: { id: string; split?: 'train' | 'dev' | undefined }, seed: number = SPLIT_SEED): Split {
  return reply.split ?? splitOf(reply.id, seed);
}

/** Reads every `*.jsonl` file of a corpus folder, in name order. @throws Error naming the file, line and field. */
export function readCorpus(dir: string = CORPUS_DIR): CorpusReply[] {
  const replies: CorpusReply[] = [];
  const seen = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    const file = path.join(dir, name);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.trim() === '') return;
        const where = `${name}:${index + 1}`;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          throw new Error(`${where}: not JSON`);
        }
        const parsed = CorpusReplySchema.safeParse(json);
        if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
        if (seen.has(parsed.data.id)) throw new Error(`${where}: id ${parsed.data.id} appears twice`);
        seen.add(parsed.data.id);
        replies.push(parsed.data);
      });
  }
  return replies;
}

/** The corpus divided into its splits. */
export function splitCorpus(replies: readonly CorpusReply[], seed: number = SPLIT_SEED): Record<Split, CorpusReply[]> {
  const out: Record<Split, CorpusReply[]> = { train: [], dev: [], test: [] };
  for (const reply of replies) out[splitOfReply(reply, seed)].push(reply);
  return out;
}
