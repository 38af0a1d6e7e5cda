/**
 * The documented limits of a conversation: how much text and how many messages it keeps, how far ahead it may
 * wait. One place for the numbers the API, the workflow and the README share. Imports nothing, so the message
 * definitions, the API and the sandbox can all use it.
 *
 * Why: everything a conversation keeps travels in Temporal payloads (signals, activity inputs, query answers,
 * continue-as-new), each refused above 2 MB (warned about above 512 KB). These limits keep every payload under
 * 512 KB whatever a prospect or a tool sends.
 */

const KIB = 1024;
const DAY_MS = 86_400_000;

/** The largest request body the API reads (413 `payload_too_large` beyond): a reply's text can be this long. */
export const REQUEST_BODY_LIMIT_BYTES = 256 * KIB;

/** The longest duration any setting or request may ask for: cadence offsets, deadlines, snoozes, delays. */
export const MAX_DURATION_DAYS = 365;
/** {@link MAX_DURATION_DAYS} in milliseconds. */
export const MAX_DURATION_MS = MAX_DURATION_DAYS * DAY_MS;

/**
 * A reply's text travels inline up to this many UTF-8 bytes; a longer body is stored in the ledger database
 * (`reply_bodies`) and the reply carries its first bytes, `bodyRef` and `bodyBytes`.
 */
export const REPLY_INLINE_BYTES = 32 * KIB;

/** Prospect replies kept in a conversation's thread; older ones leave it (they stay in the ledger). */
export const THREAD_REPLY_LIMIT = 500;

/** Reps' own messages kept in a conversation's thread; older ones leave it (they stay in the ledger). */
export const THREAD_REP_MESSAGE_LIMIT = 500;

/** Message ids of reps' messages that left the thread, remembered so a redelivery is still recognised. */
export const FORMER_REP_MESSAGE_ID_LIMIT = 5000;

/**
 * Text the thread keeps whole, newest first; older messages keep a {@link PREVIEW_BYTES} preview (marked
 * `truncated`). Triggering replies of the latest escalation are always kept whole.
 */
export const THREAD_TEXT_BUDGET_BYTES = 128 * KIB;

/** What a trimmed message keeps of its text. */
export const PREVIEW_BYTES = 280;

/**
 * Messages the state query and a handoff packet list: the newest ones (and the triggering reply); how many
 * earlier ones are left out is in `earlierMessages`.
 */
export const VIEW_MESSAGE_LIMIT = 200;

/** Each message's text in the state query's answer is cut to this many bytes (marked `truncated`). */
export const STATE_MESSAGE_BYTES = 4 * KIB;

/**
 * Text the handoff packet carries whole: the triggering reply first, then the newest messages; the rest as
 * previews.
 */
export const PACKET_TEXT_BUDGET_BYTES = 128 * KIB;

/** Manual escalations (notes) a conversation accepts; the API answers 409 `manual_escalation_limit` beyond. */
export const MANUAL_ESCALATION_LIMIT = 200;

/** The joined manual notes an escalation keeps (each note stays whole in the ledger). */
export const MANUAL_NOTE_BYTES = 16 * KIB;

/** Evidence spans and later triggers an escalation keeps; later ones are counted, not kept. */
export const ESCALATION_EVIDENCE_LIMIT = 100;
/** Later triggers an escalation keeps. */
export const LATER_TRIGGER_LIMIT = 200;

/** Message ids of replies that left the thread, remembered so a redelivery is still recognised. */
export const FORMER_REPLY_ID_LIMIT = 5000;

/** A batch of ledger events sent to the ledger activity stays under this many bytes of JSON. */
export const LEDGER_BATCH_BYTES = 256 * KIB;

/** Colleagues one referral reply can start conversations with; further addresses in it are left to the owner. */
export const REFERRALS_PER_REPLY = 3;
/** Conversations one conversation may start with referred colleagues, over its whole life. */
export const REFERRAL_LIMIT = 10;
/** How long routing may take inside a workflow task (`routeWithoutWaiting`, or with the reading) before the rung is left to the routing activity. */
export const ROUTE_IN_TASK_MS = 5_000;
