/**
 * The API's way to the ledger (suppression list, replay cache, erasure): the one given to `buildApi`, else the
 * process's shared ledger (`openSharedLedger`, the same one the worker of an embedded stack uses), opened on
 * first use and released when the API closes. Ledger failures become API errors: an unreachable database is a
 * 503, so nothing that needs the suppression list goes ahead unchecked.
 */
import type { LedgerLocation } from '../ledger/open';
import { openSharedLedger } from '../ledger/open';
import { type LedgerStore, LedgerError } from '../ledger/store';
import { ApiError } from './errors';

/** Lazily opened ledger access for one API instance. */
export interface ApiLedger {
  /** Runs work against the ledger; ledger errors are thrown as {@link ApiError}s. */
  use<T>(work: (ledger: LedgerStore) => Promise<T>): Promise<T>;
  /** Releases the shared ledger if this API opened it. */
  close(): Promise<void>;
}

function asApiError(err: unknown): unknown {
  if (!(err instanceof LedgerError)) return err;
  if (err.code === 'invalid_suppression') return new ApiError(400, 'invalid_request', err.message);
  return new ApiError(503, 'ledger_unavailable', `the ledger is unavailable: ${err.message}`);
}

/** Ledger access: `given` when set, else the shared ledger at `location`. */
export function apiLedger(given: LedgerStore | undefined, location: LedgerLocation): ApiLedger {
  let opened: Promise<LedgerStore> | null = given ? Promise.resolve(given) : null;
  const open = (): Promise<LedgerStore> => {
    opened ??= openSharedLedger(location).catch((err: unknown) => {
      opened = null;
      throw err;
    });
    return opened;
  };
  return {
    async use(work) {
      try {
        return await work(await open());
      } catch (err) {
        throw asApiError(err);
      }
    },
    async close() {
      if (given || !opened) return;
      const store = await opened.catch(() => null);
      opened = null;
      await store?.close();
    },
  };
}
