/**
 * An append-only JSON Lines file that records each entry once per idempotency key: the embedded default for
 * sends and CRM touches, so a retried activity never writes twice. One writer process per file; a multi-worker
 * deployment uses the real channels (SMTP, webhooks), which carry the same keys.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';

/** A keyed JSON Lines journal. */
export class IdempotentJournal<T extends { idempotencyKey: string }> {
  private keys: Promise<Set<string>> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  private loadKeys(): Promise<Set<string>> {
    this.keys ??= readJournal<T>(this.file).then((entries) => new Set(entries.map((e) => e.idempotencyKey)));
    return this.keys;
  }

  /** Appends the entry unless its key is already there. Resolves `true` when it wrote. */
  append(entry: T): Promise<boolean> {
    // Appends are serialised so the key check and the write are one step for this process.
    const run = this.queue.then(async () => {
      const keys = await this.loadKeys();
      if (keys.has(entry.idempotencyKey)) return false;
      await mkdir(path.dirname(this.file), { recursive: true, mode: DATA_DIR_MODE });
      const handle = await open(this.file, 'a', DATA_FILE_MODE);
      try {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      keys.add(entry.idempotencyKey);
      return true;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Every entry of a journal file; a missing file has none, a torn last line (a crash mid-write) is skipped. */
export async function readJournal<T>(file: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}
