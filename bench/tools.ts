/** Small tools the benchmarks share: percentiles, a bounded pool, process memory, progress lines, sizes. */
import { readFileSync } from 'node:fs';

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** A process's resident memory in MB; NaN when it is gone. */
export function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Counts finished items and calls `report(done, total, perSecond)` every `everyMs` until stopped. */
export function startProgress(total: number, report: (done: number, total: number, perSecond: number) => void, everyMs = 5000): { tick(): void; stop(): void } {
  const t0 = performance.now();
  let done = 0;
  const timer = setInterval(() => report(done, total, done / ((performance.now() - t0) / 1000)), everyMs);
  return {
    tick: () => void done++,
    stop: () => {
      clearInterval(timer);
      report(done, total, done / ((performance.now() - t0) / 1000));
    },
  };
}

/**
 * Conversation counts as `--conversations` takes them: comma-separated positive integers, `_` allowed as a
 * thousands separator (`1000,10_000`).
 * @throws Error naming the value that is not a count.
 */
export function parseCounts(value: string): number[] {
  return value.split(',').map((part) => {
    const n = Number(part.trim().replaceAll('_', ''));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--conversations takes comma-separated counts (not ${JSON.stringify(part)} in ${JSON.stringify(value)})`);
    return n;
  });
}
