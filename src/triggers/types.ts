/**
 * The vocabulary of reply classification: the intents of `shared/intents.md`, the four escalation triggers,
 * and the shape of a classification. Types only, plus the default trigger order.
 */

/** Every label a prospect reply can carry (see `shared/intents.md`). `none` stands alone. */
export type Intent =
  | 'buying_intent'
  | 'pricing'
  | 'technical'
  | 'human_request'
  | 'opt_out'
  | 'out_of_office'
  | 'not_now'
  | 'referral'
  | 'none';

/** The labels that end automation's turn and hand the conversation to a human rep. */
export type Trigger = 'human_request' | 'buying_intent' | 'pricing' | 'technical';

/** All intents, in the order they are reported. */
export const INTENTS: readonly Intent[] = [
  'human_request',
  'buying_intent',
  'pricing',
  'technical',
  'opt_out',
  'out_of_office',
  'not_now',
  'referral',
  'none',
];

/**
 * The default urgency order of the triggers, most urgent first: the `trigger` of a classification is the first
 * of these among its labels. A rules file may reorder them (`settings.triggerPriority`).
 */
export const TRIGGER_PRIORITY: readonly Trigger[] = ['human_request', 'buying_intent', 'pricing', 'technical'];

/** Languages a rule may be written for. */
export type Language = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'nl';

/** All supported rule languages. */
export const LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es', 'pt', 'nl'];

/** True when `label` is one of the four escalation triggers. */
export function isTrigger(label: string): label is Trigger {
  return (TRIGGER_PRIORITY as readonly string[]).includes(label);
}

/**
 * Why a label was given: the rule that fired and the span it matched. `start`/`end` are UTF-16 offsets into the
 * ORIGINAL reply text (quoted text and signatures are masked, never rewritten), and `text` is that slice.
 */
export interface Evidence {
  label: Intent;
  rule: string;
  start: number;
  end: number;
  text: string;
}

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
