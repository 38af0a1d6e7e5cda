/**
 * The ledger's one adapter interface: an append-only, idempotent store of {@link LedgerEvent}s. SQLite
 * (`./sqlite`) and PostgreSQL (`./postgres`) implement it and pass the same test suite.
 */
import type { LedgerErasure } from './erasure';
import type { LedgerEvent, LedgerEventKind } from './events';
import type { MailThreads } from './mailThreads';
import type { ReplayCache } from './replay';
import type { ReplyBodyStore } from './replyBodies';
import type { RepAvailabilityStore } from './repAvailability';
import type { SuppressionList } from './suppression';

/** Which events to read. All fields narrow the result; none given reads everything. */
export interface LedgerQuery {
  /** Events at or after this instant (ISO 8601). */
  since?: string;
  /** Only these kinds. */
  kinds?: readonly LedgerEventKind[];
  conversationId?: string;
  /** Only the events of this prospect's conversations. */
  prospectId?: string;
}

/** What one append did: events stored now, and events whose id was already stored (retries, replays). */
export interface AppendResult {
  written: number;
  duplicates: number;
}

/** An escalation ledger. Appends are idempotent on `eventId`; the first stored version of an id wins. */
export interface LedgerStore {
  /** Where the ledger lives, for messages (a file path, or a database URL without its password). */
  readonly location: string;
  /** Applies the migrations not yet applied, in order, in one transaction. Safe to call concurrently. */
  migrate(): Promise<void>;
  /**
   * Stores the events in one transaction; events whose id is already stored are counted, not written again.
   * @throws LedgerError (`invalid_event`) when an event lacks its id, kind, conversation or a valid `at`.
   */
  append(events: readonly LedgerEvent[]): Promise<AppendResult>;
  /** Reads events in time order (ties broken by event id). */
  query(filter?: LedgerQuery): Promise<LedgerEvent[]>;
  /** Addresses and domains automation never contacts again. */
  readonly suppressions: SuppressionList;
  /** Signatures of signed requests already accepted, shared by every API process on this ledger. */
  readonly replays: ReplayCache;
  /**
   * Removes a prospect's texts from their events and keeps their addresses (those given and those the list
   * holds for them) as hashes only, in one transaction. Safe to repeat.
   */
  eraseProspect(prospectId: string, emails: readonly string[]): Promise<LedgerErasure>;
  /** Reply bodies kept outside the conversation, in the same database. */
  readonly replyBodies: ReplyBodyStore;
  /** Reps' availability set through the API or the CLI, over the roster's. */
  readonly availability: RepAvailabilityStore;
  /** Email threads: the Message-IDs of automated sends, and every inbound message once. */
  readonly mail: MailThreads;
  close(): Promise<void>;
}

/** Why a {@link LedgerError} was thrown. */
export type LedgerErrorCode = 'invalid_event' | 'invalid_suppression' | 'schema_too_new' | 'unavailable' | 'bad_location';

/**
 * Thrown by ledger stores: `invalid_event` for an event that cannot be stored (retrying will not help),
 * `invalid_suppression` for a malformed address or domain given to the suppression list,
 * `schema_too_new` when the database was migrated by a newer Handoff, `unavailable` when the database cannot be
 * reached or opened, `bad_location` for a malformed `DATABASE_URL`.
 */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    message: string,
    readonly code: LedgerErrorCode,
    readonly eventId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
