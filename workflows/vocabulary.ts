/**
 * The words Handoff speaks in, defined once: the intents a reply can carry (see `shared/intents.md`), the four
 * triggers in urgency order, why a conversation escalated, the evidence behind a label, and what a reply's
 * classification records. The workflow, the rules engine, the learned reader, the ledger, the review and the API
 * all import them from here. Plain values and types only, so the workflow sandbox can load it.
 */

/** The four escalation triggers, most urgent first: a classification's `trigger` is the first among its labels. */
export const TRIGGERS = ['human_request', 'buying_intent', 'pricing', 'technical'] as const;
/** A label that ends automation's turn and hands the conversation to a human rep. */
export type Trigger = (typeof TRIGGERS)[number];

/** Every label a prospect reply can carry, in the order they are reported. `none` stands alone. */
export const INTENTS = [...TRIGGERS, 'opt_out', 'out_of_office', 'not_now', 'referral', 'none'] as const;
/** A label a prospect reply can carry. */
export type Intent = (typeof INTENTS)[number];

/** Why a conversation escalated, most urgent first: a trigger, or `manual` (a tool or a person asked directly). */
export const ESCALATION_REASONS = [...TRIGGERS, 'manual'] as const;
/** A trigger, or `manual` for an escalation a tool or a person asked for directly. */
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** True when `label` is one of the four escalation triggers. */
export function isTrigger(label: string): label is Trigger {
  return (TRIGGERS as readonly string[]).includes(label);
}

/** True when `reason` is more urgent than `than` (earlier in {@link ESCALATION_REASONS}). */
export function moreUrgent(reason: EscalationReason, than: EscalationReason): boolean {
  return ESCALATION_REASONS.indexOf(reason) < ESCALATION_REASONS.indexOf(than);
}

/**
 * Why a label was given: the rule (or learned feature) that fired and the span it matched. `start`/`end` are
 * UTF-16 offsets into the original reply text (quoted text and signatures are masked, never rewritten), and
 * `text` is that slice.
 */
export interface Evidence {
  label: Intent;
  rule: string;
  start: number;
  end: number;
  text: string;
}

/** Which reader gave a label: the rules, the learned reader, both, or the model endpoint. */
export type ReaderName = 'rules' | 'model' | 'both' | 'endpoint';

/** What the optional model endpoint did for one reply. Never carries the reply's text. */
export interface EndpointOutcome {
  name: string;
  /** True when it answered in time and its answer was merged. */
  used: boolean;
  /** Labels it added to the readers' verdict. */
  added: Intent[];
  /** Why it was not used (timeout, HTTP status, bad answer). */
  error?: string;
}

/**
 * Why a reply was not classified: classifying it took longer than the time limit (its thread was stopped), or the
 * thread classifying it failed.
 */
export type ClassificationFallback = 'time_limit' | 'thread_failed';

/** The rules engine's verdict on one reply. */
export interface Classification {
  /** The labels, in {@link INTENTS} order; exactly `['none']` when nothing fired. */
  labels: Intent[];
  /** True exactly when a label is one of the four triggers. */
  escalate: boolean;
  /** The most urgent trigger among the labels, or null. */
  trigger: Trigger | null;
  /** Every span that supports a label, in text order. */
  evidence: Evidence[];
  /** For each label, the ids of the rules that fired for it. */
  rulesFired: Partial<Record<Intent, string[]>>;
  /** For an out-of-office reply, the date the sender is back (`YYYY-MM-DD`), when the reply gives one. */
  returnDate: string | null;
  /** For a `not_now` reply, the date the prospect asked to be contacted again (`YYYY-MM-DD`), when given. */
  snoozeUntil: string | null;
  /** True when the reply was written by a machine (out-of-office, unmonitored mailbox, bounce): never escalates. */
  autoReply: boolean;
  /** Ids of the rules that marked the reply as an auto-reply. */
  autoReplyRules: string[];
  /** The content hash of the rule set that produced this verdict, e.g. `sha256:0123456789ab`. */
  rulesVersion: string;
}

/** The classification the workflow records for a reply: the readers' verdict, who gave it, and any fallback. */
export interface ReplyClassification
  extends Pick<Classification, 'labels' | 'escalate' | 'trigger' | 'evidence' | 'returnDate' | 'snoozeUntil' | 'autoReply' | 'rulesVersion'> {
  /** The learned reader's version, or null when it did not read the reply (absent in runs recorded before it). */
  modelVersion?: string | null;
  /** Which reader gave each label. */
  decidedBy?: Partial<Record<Intent, ReaderName>>;
  /** The model endpoint's part, when one is configured. */
  endpoint?: EndpointOutcome;
  /**
   * Set when the reply could not be classified: then it has no labels, escalates with no trigger, and is handed
   * to a human to read (as a manual escalation, without the buyer's acknowledgement a request for a person gets).
   */
  fallback?: ClassificationFallback;
  /**
   * For a `referral` reply: the email addresses written in the prospect's own words (quoted text and signatures
   * left out), lower-cased, in the order they appear. Absent when none, and in runs recorded before it.
   */
  namedAddresses?: string[];
}
