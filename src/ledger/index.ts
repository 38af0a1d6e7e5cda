/**
 * The escalation ledger: events, the store interface, both stores, and opening the configured one.
 */
export type { LedgerEvent, LedgerEventKind } from './events';
export { type AppendResult, type LedgerErrorCode, type LedgerQuery, type LedgerStore, LedgerError } from './store';
export { type Dialect, type Migration, MIGRATIONS } from './migrations';
export { type ReplyBodyStore, type ReplyText, type StoredReplyBody, replyBodyRef, withWholeReplies } from './replyBodies';
export { LEDGER_EVENT_KINDS } from './row';
export { type SqliteLedgerOptions, createSqliteLedger } from './sqlite';
export { type PostgresLedgerOptions, createPostgresLedger, redactUrl } from './postgres';
export { type LedgerLocation, databaseUrlFromEnv, openLedger, openSharedLedger, sqliteLedgerFile } from './open';
export { type InboundDisposition, type MailThreads, type ReceivedMail, type SentMail } from './mailThreads';
export { type ReplayCache } from './replay';
export {
  type Suppression,
  type SuppressionKind,
  type SuppressionList,
  type SuppressionRequest,
  type SuppressionSource,
  domainsOf,
  hashEmail,
  normaliseDomain,
  normaliseEmail,
} from './suppression';
export { type LedgerErasure, redactEvent } from './erasure';
