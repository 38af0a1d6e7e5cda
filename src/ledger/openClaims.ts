/**
 * Open claims per rep, read from the ledger: a conversation counts for the rep who claimed it (or was handed it by
 * a reassignment) until it is handed back, closed or opted out. Routing passes over a rep at their `capacity`.
 */
import type { LedgerEvent, LedgerEventKind } from './events';
import type { LedgerStore } from './store';

/** The ledger event kinds that change who holds a conversation. */
export const OWNERSHIP_KINDS = ['claimed', 'reassigned', 'handed_back', 'closed', 'opted_out'] as const satisfies readonly LedgerEventKind[];

/** Open claims per rep id from ownership events (any order: they are sorted by time, ties by event id). */
export function countOpenClaims(events: readonly LedgerEvent[]): Record<string, number> {
  const holder = new Map<string, string | null>();
  const sorted = [...events].sort((a, b) => (a.at === b.at ? (a.eventId < b.eventId ? -1 : 1) : a.at < b.at ? -1 : 1));
  for (const e of sorted) {
    if ((e.kind === 'claimed' || e.kind === 'reassigned') && e.repId) holder.set(e.conversationId, e.repId);
    else if (e.kind === 'handed_back' || e.kind === 'closed' || e.kind === 'opted_out') holder.set(e.conversationId, null);
  }
  const counts: Record<string, number> = {};
  for (const repId of holder.values()) if (repId) counts[repId] = (counts[repId] ?? 0) + 1;
  return counts;
}

/** How far back claims are read (a claim older than this no longer counts against capacity), and how long a count is reused. */
export interface OpenClaimsOptions {
  lookBackMs?: number;
  reuseMs?: number;
  now?: () => number;
}

/**
 * Routing's `openClaims` lookup over a ledger. One routing call asks for every rep at once, so the
 * counts are read with one query and reused for `reuseMs` (a burst of escalations reads the ledger once).
 */
export function openClaimsFromLedger(ledger: Pick<LedgerStore, 'query'>, options: OpenClaimsOptions = {}): (repId: string) => Promise<number> {
  const lookBackMs = options.lookBackMs ?? 90 * 86_400_000;
  const reuseMs = options.reuseMs ?? 2000;
  const now = options.now ?? Date.now;
  let cached: { at: number; counts: Promise<Record<string, number>> } | null = null;
  return async (repId) => {
    const t = now();
    if (!cached || t - cached.at > reuseMs) {
      const counts = ledger.query({ kinds: OWNERSHIP_KINDS, since: new Date(t - lookBackMs).toISOString() }).then(countOpenClaims);
      cached = { at: t, counts };
      // A failed read is not reused: the next routing call (or its retry) reads again.
      counts.catch(() => {
        if (cached?.counts === counts) cached = null;
      });
    }
    return (await cached.counts)[repId] ?? 0;
  };
}
