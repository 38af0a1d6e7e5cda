/**
 * Ledger events: everything a review of escalations needs, appended by the conversation workflow through the
 * ledger activity. Event ids are deterministic (conversation + what happened), so a retried append never
 * double counts.
 */
import type { Actor, ClassificationFallback, CloseOutcome, EndpointOutcome, EscalationReason, Evidence, Intent, ReaderName, Trigger } from '../../workflows/messages';

/** What happened. */
export type LedgerEventKind =
  | 'reply_classified'
  | 'escalated'
  | 'alerted'
  | 'alert_failed'
  | 're_escalated'
  | 'unclaimed'
  | 'claimed'
  | 'reassigned'
  | 'handed_back'
  | 'meeting_booked'
  | 'closed'
  | 'feedback'
  | 'manual_trigger'
  | 'opted_out'
  | 'reply_task'
  | 'referred'
  | 'rep_message';

/** One ledger event. Optional fields are present where the kind gives them meaning. */
export interface LedgerEvent {
  /** Unique and deterministic, e.g. `prospect-42/esc-1/rung-2/alerted/dana` (built by `workflows/conversation/eventIds.ts`). */
  eventId: string;
  kind: LedgerEventKind;
  conversationId: string;
  prospectId: string;
  company: string;
  /** When it happened (workflow time). */
  at: string;
  /** The escalation (1-based) the event belongs to (rep_message: the latest escalation when the rep wrote, if any). */
  escalation?: number;
  /** The escalation's reason (`manual` for manual ones). */
  reason?: EscalationReason;
  trigger?: Trigger | null;
  tier?: number;
  repId?: string;
  /** reassigned: the owner before (null when nobody had claimed it yet). */
  fromRepId?: string | null;
  /** claimed, reassigned, handed_back, closed, feedback: who did it (key, rep, on whose behalf). */
  actor?: Actor;
  channel?: string;
  /** rep_message: where the rep's message came from (posted through the API, or captured from their mail). */
  source?: 'api' | 'mail';
  /** reply_classified: the reply, its labels and the rules' verdict. The text is kept for back-testing. rep_message: the rep's words. */
  messageId?: string;
  text?: string;
  /** reply_classified: `text` is the start of a body stored in `reply_bodies` under this ref, `bodyBytes` long. */
  bodyRef?: string;
  bodyBytes?: number;
  receivedAt?: string;
  labels?: Intent[];
  escalate?: boolean;
  rulesVersion?: string;
  /** reply_classified: the learned reader's version, or null when it did not read the reply. */
  modelVersion?: string | null;
  /** reply_classified: which reader gave each label (`rules`, `model` or `both`). */
  decidedBy?: Partial<Record<Intent, ReaderName>>;
  /** reply_classified: what the model endpoint did, when one is configured. */
  endpoint?: EndpointOutcome;
  /** reply_classified: set when the reply could not be classified (and was escalated for a human to read). */
  fallback?: ClassificationFallback;
  rulesFired?: string[];
  evidence?: Evidence[];
  /** alerted: from the triggering reply's receipt to this alert's delivery. */
  replyToAlertMs?: number;
  /** unclaimed: re-alerts past the last tier before the ladder ended (the cap). */
  realerts?: number;
  /** unclaimed: the managers told. */
  managers?: string[];
  /** claimed: from the escalation to the claim. */
  timeToClaimMs?: number;
  /** claimed, for an escalation held off hours: from the escalation to the claim in the held rep's working time. */
  workingTimeToClaimMs?: number;
  /** alerted, claimed, unclaimed: the escalation was routed off hours, by this policy. */
  offHours?: 'follow_the_sun' | 'hold';
  /** meeting_booked: the meeting (1-based within the conversation), when it starts and how long it runs. */
  meeting?: number;
  startsAt?: string;
  durationMinutes?: number;
  outcome?: CloseOutcome | 'opted_out';
  verdict?: 'needed' | 'not_needed';
  note?: string;
  /** manual_trigger: the rules had looked at the last reply and said no (a missed escalation). */
  rulesSaidNo?: boolean;
  error?: string;
  /**
   * opted_out: the conversation ended because a send was refused for a suppressed address; referred: the
   * colleague's address is suppressed, and no conversation was started.
   */
  suppressed?: boolean;
  /** reply_task: a reply that needs a person's answer (`reply`) or a referral that named no address (`referral`). */
  task?: 'reply' | 'referral';
  /** referred: the conversation started (or found) with the colleague; in it, the referrer's conversation. */
  linkedConversationId?: string;
  /** The prospect was erased: texts (reply, note, evidence spans) were removed, ids and figures kept. */
  redacted?: boolean;
}
