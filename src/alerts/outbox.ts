/**
 * The outbox channel, the embedded default: each alert becomes one JSON line in `<dataDir>/outbox.jsonl`, and
 * one log line with ids goes to the console. It dedupes by idempotency key, so a retried activity never writes
 * the same alert twice.
 */
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { type AlertChannel, AlertDeliveryError } from './channel';

/** Settings of the outbox channel. */
export interface OutboxChannelOptions {
  dataDir: string;
  /** One line per alert, ids only. Defaults to `console.log`. */
  log?: (line: string) => void;
  now?: () => Date;
}

/** One line of the outbox file. */
export interface OutboxEntry {
  idempotencyKey: string;
  writtenAt: string;
  repId: string;
  repEmail: string;
  workflowId: string;
  tier: number;
  deadline: string;
  /** Set when the deadline counts working time only. */
  deadlineInWorkingTime?: string;
  title: string;
  purpose: string;
  /** The team link (the outbox is a shared file), or null when there is nothing to claim. */
  claimUrl: string | null;
  conversationUrl: string;
  packet: unknown;
  /** The reply the rep could send, and whether the model or the template wrote it. */
  suggestedReply?: { text: string; source: string };
}

/** The outbox file under a data directory. */
export function outboxFile(dataDir: string): string {
  return path.join(dataDir, 'outbox.jsonl');
}

/**
 * Reads every entry of an outbox file (a missing file has none). Lines that are not JSON (a torn write after a
 * crash) are skipped.
 */
export async function readOutbox(dataDir: string): Promise<OutboxEntry[]> {
  let text: string;
  try {
    text = await readFile(outboxFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as OutboxEntry];
    } catch {
      return [];
    }
  });
}

/**
 * The outbox channel. Keys already in the file are found by reading only what was appended since the last
 * delivery, so other processes' lines count too; within a process deliveries are serialised. Two processes
 * appending the same key in the same instant could still both write: the file is for one embedded worker.
 */
export function createOutboxChannel(options: OutboxChannelOptions): AlertChannel {
  const file = outboxFile(options.dataDir);
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  const seenKeys = new Set<string>();
  let readUpTo = 0;
  let partialLine = '';
  let queue: Promise<unknown> = Promise.resolve();

  async function catchUp(): Promise<void> {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (size < readUpTo) {
      // The file was truncated or replaced: start over.
      seenKeys.clear();
      readUpTo = 0;
      partialLine = '';
    }
    if (size === readUpTo) return;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - readUpTo);
      await handle.read(buffer, 0, buffer.length, readUpTo);
      readUpTo = size;
      const lines = (partialLine + buffer.toString('utf8')).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const key = (JSON.parse(line) as { idempotencyKey?: unknown }).idempotencyKey;
          if (typeof key === 'string') seenKeys.add(key);
        } catch {
          // A torn line from a crashed writer carries no usable key.
        }
      }
    } finally {
      await handle.close();
    }
  }

  return {
    name: 'outbox',
    deliver(alert, recipient) {
      const attempt = queue.then(async () => {
        try {
          await mkdir(options.dataDir, { recursive: true, mode: DATA_DIR_MODE });
          await catchUp();
          if (seenKeys.has(alert.idempotencyKey)) {
            log(`outbox duplicate key=${alert.idempotencyKey} workflow=${alert.workflowId} rep=${recipient.id}`);
            return { providerId: alert.idempotencyKey, duplicate: true };
          }
          const entry: OutboxEntry = {
            idempotencyKey: alert.idempotencyKey,
            writtenAt: now().toISOString(),
            repId: recipient.id,
            repEmail: recipient.email,
            workflowId: alert.workflowId,
            tier: alert.tier,
            deadline: alert.deadline,
            ...(alert.deadlineInWorkingTime ? { deadlineInWorkingTime: alert.deadlineInWorkingTime } : {}),
            title: alert.title,
            purpose: alert.purpose,
            claimUrl: alert.claimUrl,
            conversationUrl: alert.conversationUrl,
            packet: alert.packet,
            ...(alert.suggestedReply ? { suggestedReply: alert.suggestedReply } : {}),
          };
          const handle = await open(file, 'a', DATA_FILE_MODE);
          try {
            await handle.appendFile(`${JSON.stringify(entry)}\n`, 'utf8');
          } finally {
            await handle.close();
          }
          seenKeys.add(alert.idempotencyKey);
          log(`outbox alert key=${alert.idempotencyKey} workflow=${alert.workflowId} rep=${recipient.id} tier=${alert.tier}`);
          return { providerId: alert.idempotencyKey };
        } catch (err) {
          throw new AlertDeliveryError(
            `outbox alert for ${recipient.id} failed: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
            'outbox',
            recipient.id,
            false,
            {},
            { cause: err },
          );
        }
      });
      queue = attempt.catch(() => undefined);
      return attempt;
    },
  };
}
