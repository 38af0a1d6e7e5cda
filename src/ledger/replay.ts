/**
 * The replay cache of signed requests, in the ledger database: every API process on the same ledger sees the
 * signatures the others accepted, and a restarted process still knows them. Only a hash of each signature is
 * kept, with the instant after which its timestamp is refused anyway; expired rows are pruned as new ones come.
 */
import { createHash } from 'node:crypto';
import type { SqlExecutor } from './sql';

/** Remembers signatures until they expire. */
export interface ReplayCache {
  /**
   * Records a signature until `expiresAtMs`; false when it is already recorded and not yet expired (a replay).
   * Two processes recording the same signature at once: exactly one gets true.
   */
  remember(signature: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}

/** The replay cache on a ledger database (the `reply_signatures` table of migration 2). */
export function createReplayCache(sql: SqlExecutor): ReplayCache {
  return {
    async remember(signature, expiresAtMs, nowMs) {
      const hash = createHash('sha256').update(signature).digest('hex');
      const [, inserted] = await sql.batch([
        { sql: 'DELETE FROM reply_signatures WHERE expires_at <= ?', values: [Math.trunc(nowMs)] },
        {
          sql: 'INSERT INTO reply_signatures (signature_hash, expires_at) VALUES (?, ?) ON CONFLICT (signature_hash) DO NOTHING',
          values: [hash, Math.trunc(expiresAtMs)],
        },
      ]);
      return inserted === 1;
    },
  };
}
