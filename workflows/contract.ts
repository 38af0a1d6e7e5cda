/**
 * The conversation's contract less the SDK: its input and its state, the handoff packet, the inputs of its signals
 * and updates with their zod schemas, and the vocabulary (`./vocabulary`) they speak. Import it through
 * `./messages`, which adds the signal, update and query definitions.
 *
 * It imports nothing but zod and plain modules beside it, so the worker loads it once and shares it between every
 * conversation it runs (`./sharedModules`): evaluated per workflow, its schemas were 360 KB of each cached
 * conversation and 3 ms of each one's start or replay. It holds no state but the schemas, built once.
 */
import { z } from 'zod';
import { MAX_DURATION_DAYS, MAX_DURATION_MS } from './limits';
import type { BookedMeeting, MeetingOffer } from './meetings';
import type { ShiftCalendar, WorkingDeadline } from './workingTime';

import { ESCALATION_REASONS, TRIGGERS, type ClassificationFallback, type EscalationReason, type Evidence, type Intent, type ReaderName, type Trigger } from './vocabulary';

/** Builds the contract's schemas; {@link contractSchemas} builds them once per process. */
function buildSchemas() {
  const isoInstant = z.iso.datetime({ offset: true });
  /** A duration in milliseconds, at most a year (see `./limits`). */
  const durationMs = () => z.number().int().max(MAX_DURATION_MS, `at most ${MAX_DURATION_DAYS} days`);
  /** An IANA time zone name, such as `Europe/Berlin`. */
  const TimeZoneSchema = z.string().refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'unknown IANA time zone' },
  );
  /** The prospect a conversation is with. `id` is the outreach tool's id; the workflow id is `prospect-<id>`. */
  const ProspectSchema = z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'letters, digits and . _ : @ - only, at most 128'),
    name: z.string().min(1).max(200),
    email: z.email(),
    company: z.string().min(1).max(200),
    title: z.string().max(200).optional(),
    timeZone: TimeZoneSchema.optional(),
    /** Rep id of the account owner, when the outreach tool knows it. */
    owner: z.string().min(1).max(128).optional(),
    /** Free-form profile from the outreach tool (industry, size, notes). */
    profile: z.record(z.string(), z.unknown()).default({}),
  });
  /** The campaign's voice: who the automated messages are from and how they sound. */
  const VoiceSchema = z.strictObject({
    senderName: z.string().min(1).max(120).default('The team'),
    senderEmail: z.email().optional(),
    tone: z.enum(['friendly', 'formal', 'direct']).default('friendly'),
    product: z.string().min(1).max(120).default('our platform'),
    /** What the product does for the buyer; a campaign's own `valueProposition` wins over it. */
    valueProposition: z.string().max(500).optional(),
  });
  /** One step of a cadence, with its offset from the conversation's start already in milliseconds. */
  const CadenceStepInputSchema = z.strictObject({
    name: z.string().min(1).max(120),
    kind: z.enum(['first_touch', 'follow_up', 'break_up']),
    offsetMs: durationMs().min(0),
    channel: z.enum(['email', 'linkedin', 'sms']),
  });
  /** Working hours for sends, in the prospect's time zone. */
  const SendWindowSchema = z.strictObject({
    start: z.number().int().min(0).max(23),
    end: z.number().int().min(1).max(24),
    days: z.array(z.number().int().min(1).max(7)).min(1),
  });
  /** Timing policy the conversation runs under, taken from config when it starts (kept across continue-as-new). */
  const ConversationPolicySchema = z.strictObject({
    sendWindow: SendWindowSchema,
    outOfOfficeDefaultMs: durationMs().positive(),
    notNowDefaultMs: durationMs().positive(),
    /** Claim deadline per escalation reason, in ms. */
    claimDeadlineMs: z.record(z.enum(ESCALATION_REASONS), durationMs().positive()),
    /** After the last tier, how often the whole team is alerted again until someone claims. */
    lastTierRealertMs: durationMs().positive(),
    /** After the last step, how long the conversation waits for a reply before closing as `no_response`. */
    replyWindowMs: durationMs().positive(),
    maxHistoryEvents: z.number().int().min(100),
    /** Send the buyer an immediate acknowledgement when they ask for a person. */
    acknowledgeHumanRequest: z.boolean(),
    /**
     * Re-alerts past the last tier before the escalation ends unclaimed (the managers are told). Absent: no cap
     * (conversations started before the cap).
     */
    maxRealerts: z.number().int().min(0).max(1000).optional(),
    /** Per-campaign off-hours policies, overriding the roster's per trigger (`manual` for manual escalations). */
    offHours: z.partialRecord(z.enum(ESCALATION_REASONS), z.enum(OFF_HOURS_POLICIES)).optional(),
    /** What a reply that needs a person's answer does (see {@link HUMAN_REPLY_MODES}). Absent: `task`. */
    humanReply: z.enum(HUMAN_REPLY_MODES).optional(),
  });
  /** The conversation whose prospect referred us to this one's, carried into its first touch. */
  const ReferrerSchema = z.strictObject({
    conversationId: z.string().min(1).max(256),
    prospectId: z.string().min(1).max(128),
    name: z.string().min(1).max(200),
    company: z.string().min(1).max(200),
    /** The reply that named this prospect. */
    messageId: z.string().min(1).max(256),
  });
  /** A campaign's name (`campaigns` in the config), as a start request or a Temporal-native start names it. */
  const CampaignNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits and . _ - only, at most 64');
  /**
   * The workflow's short input, for outreach tools that start conversations through a Temporal client or the
   * `temporal` CLI: the prospect and, optionally, the campaign. The workflow resolves the campaign's cadence, voice
   * and policy through an activity when it starts (recorded in its history and kept across continue-as-new).
   */
  const ConversationStartSchema = z.strictObject({
    prospect: ProspectSchema,
    campaign: CampaignNameSchema.optional(),
  });
  /** The workflow's whole input: the prospect and everything the conversation runs with, resolved. */
  const ConversationInputSchema = z.strictObject({
    prospect: ProspectSchema,
    cadence: z.array(CadenceStepInputSchema).min(1).max(50),
    voice: VoiceSchema.prefault({}),
    policy: ConversationPolicySchema,
    /** Set when another conversation's prospect referred us to this one's: its first touch says so. */
    referredBy: ReferrerSchema.optional(),
    /** The campaign it runs for, whose templates and talking points its messages are written from; absent: the defaults. */
    campaign: CampaignNameSchema.optional(),
  });
  const ReplyInputSchema = z.strictObject({
    messageId: z.string().min(1).max(256),
    channel: z.enum(['email', 'linkedin', 'sms', 'chat', 'phone']),
    /** The reply, or its first bytes when `bodyRef` is set (the API keeps at most `REPLY_INLINE_BYTES` inline). */
    text: z.string().max(100_000),
    receivedAt: isoInstant,
    /** Where the whole body is stored (the ledger database's `reply_bodies`), when `text` is only its start. */
    bodyRef: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits').optional(),
    /** The whole body's length in UTF-8 bytes, with `bodyRef`. */
    bodyBytes: z.number().int().positive().optional(),
    /** The message says it was written by a machine (`Auto-Submitted`, `X-Autoreply`, `Precedence: auto_reply`): it never escalates. */
    autoSubmitted: z.literal(true).optional(),
  });
  const TriggerInputSchema = z.strictObject({
    reason: z.string().min(1).max(500),
    note: z.string().max(5000).optional(),
    /** The trigger this manual escalation stands for, if the sender knows it. */
    trigger: z.enum(TRIGGERS).optional(),
    by: z.string().max(128).optional(),
  });
  const RepIdSchema = z.string().min(1).max(128);
  /**
   * Who did something to a conversation, as the API established it: the credential (an API key, or a claim link
   * sent to the rep alone), the rep it acted as, whether an admin key acted for that rep, and whether the roster
   * made that rep a manager at the time. Every rep-side update carries one, so the history says who did what.
   */
  const ActorSchema = z
    .strictObject({
      via: z.enum(['api_key', 'claim_link']),
      /** The API key's id (`api.keys[].id`); null for a claim link. */
      keyId: z.string().min(1).max(64).nullable(),
      /** The rep the action is taken as. */
      repId: RepIdSchema,
      /** An admin key acted for `repId`: the rep did not sign in themself. */
      onBehalfOf: z.boolean(),
      /** `repId` is a manager in the roster (managers may close, hand back and reassign any conversation). */
      manager: z.boolean(),
    })
    .refine((actor) => (actor.via === 'api_key') === (actor.keyId !== null), {
      message: 'keyId is required for an API key and must be null for a claim link',
      path: ['keyId'],
    });
  /** The alert a claim link came from: the escalation (1-based) and its rung (1-based, across skipped tiers). */
  const ClaimLinkRefSchema = z.strictObject({
    escalation: z.number().int().min(1),
    rung: z.number().int().min(1),
  });
  const ClaimInputSchema = z.strictObject({
    /** The claiming rep; must be `actor.repId`. */
    repId: RepIdSchema,
    actor: ActorSchema,
    /** Set when the claim comes through a claim link: it must be the escalation's current rung. */
    link: ClaimLinkRefSchema.optional(),
  });
  const HandBackInputSchema = z.strictObject({
    /** The rep handing back; must be `actor.repId` when given. */
    repId: RepIdSchema.optional(),
    /** Resume from this cadence step index (default: the next unsent one). */
    fromStep: z.number().int().min(0).optional(),
    /** Wait this long before the next step (ms, at most a year). */
    delayMs: durationMs().min(0).optional(),
    actor: ActorSchema,
  });
  const CloseInputSchema = z.strictObject({
    outcome: z.enum(CLOSE_OUTCOMES),
    /** The rep closing; must be `actor.repId` when given. */
    repId: RepIdSchema.optional(),
    note: z.string().max(5000).optional(),
    actor: ActorSchema,
  });
  const ReassignInputSchema = z.strictObject({
    /** The new owner. */
    repId: RepIdSchema,
    /** The rep reassigning; must be `actor.repId` when given. */
    by: RepIdSchema.optional(),
    actor: ActorSchema,
    /**
     * The new owner as the roster has them (the API looks them up): their name, and the alert channels that
     * reach them alone, in their order of preference.
     */
    newOwner: z.strictObject({
      name: z.string().min(1).max(200),
      channels: z.array(z.string().min(1).max(32)).min(1).max(8),
    }),
  });
  const FeedbackInputSchema = z.strictObject({
    verdict: z.enum(['needed', 'not_needed']),
    note: z.string().max(5000).optional(),
    /** The rep giving feedback; must be `actor.repId` when given. */
    repId: RepIdSchema.optional(),
    /** Which escalation (1-based); the latest when omitted. */
    escalation: z.number().int().min(1).optional(),
    actor: ActorSchema,
  });
  const BookMeetingInputSchema = z.strictObject({
    startsAt: isoInstant,
    durationMinutes: z.number().int().min(5).max(MAX_MEETING_MINUTES).default(30),
    /** The rep booking; must be `actor.repId` when given. */
    repId: RepIdSchema.optional(),
    note: z.string().max(2000).optional(),
    actor: ActorSchema,
  });
  const RepMessageInputSchema = z.strictObject({
    messageId: z.string().min(1).max(256),
    /** The rep who wrote it; must be `actor.repId` when an actor is given. */
    repId: RepIdSchema,
    channel: z.enum(['email', 'linkedin', 'sms', 'chat', 'phone']),
    /** The message; the thread keeps its first `REPLY_INLINE_BYTES`, the ledger the whole. */
    text: z.string().min(1).max(100_000),
    /** When the rep sent it. */
    sentAt: isoInstant,
    source: z.enum(REP_MESSAGE_SOURCES),
    /** Who posted it through the API (absent for mail captured by BCC, where the roster matched the sender). */
    actor: ActorSchema.optional(),
  });
  // Updates accepted before they carried an actor (or the new owner's channels) replay without them. Validators
  // never run on replay, so they require both; the workflow's handlers read the recorded input with these.
  const recorded = { actor: ActorSchema.optional() };
  const RecordedHandBackInputSchema = HandBackInputSchema.extend(recorded);
  const RecordedCloseInputSchema = CloseInputSchema.extend(recorded);
  const RecordedReassignInputSchema = ReassignInputSchema.extend({ ...recorded, newOwner: ReassignInputSchema.shape.newOwner.optional() });
  const RecordedFeedbackInputSchema = FeedbackInputSchema.extend(recorded);
  return {
    TimeZoneSchema, ProspectSchema, VoiceSchema, CadenceStepInputSchema, SendWindowSchema, ConversationPolicySchema, ReferrerSchema, CampaignNameSchema, ConversationStartSchema, ConversationInputSchema, ReplyInputSchema, TriggerInputSchema, ActorSchema, ClaimLinkRefSchema, ClaimInputSchema, HandBackInputSchema, CloseInputSchema, ReassignInputSchema, FeedbackInputSchema, BookMeetingInputSchema, RepMessageInputSchema,
    RecordedHandBackInputSchema, RecordedCloseInputSchema, RecordedReassignInputSchema, RecordedFeedbackInputSchema,
  };
}

/** The contract's zod schemas, by name. */
export type Schemas = ReturnType<typeof buildSchemas>;

// The worker shares one set of schemas between every conversation it runs (see `./sharedModules`), and must keep
// them out of the sandbox's freeze: zod stores a schema's methods and parsers on it the first time they are used,
// and a frozen schema throws on that write. The set lives in this closure, which the freeze does not reach, and is
// written once, before any conversation runs.
let built: Schemas | undefined;

/** The contract's zod schemas, built on the first call and the same objects on every later one. */
export function contractSchemas(): Schemas {
  built ??= buildSchemas();
  return built;
}
export type { BookedMeeting, MeetingOffer, MeetingSlot } from './meetings';

export {
  ESCALATION_REASONS,
  INTENTS,
  TRIGGERS,
  isTrigger,
  moreUrgent,
  type ClassificationFallback,
  type EndpointOutcome,
  type EscalationReason,
  type Evidence,
  type Intent,
  type ReaderName,
  type ReplyClassification,
  type Trigger,
} from './vocabulary';


export type Prospect = z.infer<Schemas['ProspectSchema']>;

export type Voice = z.infer<Schemas['VoiceSchema']>;

export type CadenceStepInput = z.infer<Schemas['CadenceStepInputSchema']>;

export type SendWindow = z.infer<Schemas['SendWindowSchema']>;

/**
 * What an escalation does when nobody its ladder reaches is working now:
 * - `follow_the_sun`: route to a team or rep with the skill who is working now (else it holds);
 * - `hold`: assign the owner (or the next rep) now, alert them on their own channels, and count the claim deadline
 *   in their working time from their next shift start;
 * - `page`: skip the tiers, page the whole team and the managers, and re-alert them (the behaviour before policies).
 */
export const OFF_HOURS_POLICIES = ['follow_the_sun', 'hold', 'page'] as const;
/** One off-hours policy. */
export type OffHoursPolicy = (typeof OFF_HOURS_POLICIES)[number];

/**
 * What a reply that needs a person's answer (no trigger, no opt-out, out-of-office or not-now) does:
 * - `task`: automation pauses and the owner (or the routed rep) gets a low-priority task: one notice, no ladder;
 * - `acknowledge`: automation sends a step acknowledging the reply, then the cadence goes on.
 */
export const HUMAN_REPLY_MODES = ['task', 'acknowledge'] as const;
/** One way of answering a reply that needs a person. */
export type HumanReplyMode = (typeof HUMAN_REPLY_MODES)[number];

export type ConversationPolicy = z.infer<Schemas['ConversationPolicySchema']>;

/** Who or what wrote a message in the thread. */
export type ThreadAuthor = 'automation' | 'prospect' | 'rep';

/** One message of the conversation's thread, inbound or outbound. Plain JSON. */
export interface ThreadMessage {
  messageId: string;
  author: ThreadAuthor;
  channel: string;
  text: string;
  at: string;
  /** Set on prospect replies once classified. */
  labels?: Intent[];
  /** The cadence step that produced an automated message. */
  step?: number;
  /** Set on prospect replies once classified: the primary trigger and the rules version that judged it. */
  trigger?: Trigger | null;
  rulesVersion?: string;
  /** The learned reader's version (null: it did not read the reply) and which reader gave each label. */
  modelVersion?: string | null;
  decidedBy?: Partial<Record<Intent, ReaderName>>;
  /** Subject line of an automated email. */
  subject?: string;
  /** The text is a prefix: the whole is `bodyBytes` long (stored by `bodyRef`, or in the ledger's record of the reply). */
  truncated?: boolean;
  /** The stored body of a reply longer than the inline limit (`GET /v1/conversations/{id}/replies/{messageId}`). */
  bodyRef?: string;
  /** The whole text's length in UTF-8 bytes, when `text` is a prefix. */
  bodyBytes?: number;
  /** The rep who wrote a message of author `rep`. */
  repId?: string;
}

/** A person who can receive an escalation. */
export interface Assignee {
  repId: string;
  name: string;
}

/** A rep's new ownership of a conversation that another rep held or was asked to take. */
export interface Reassignment {
  from: string | null;
  to: string;
  at: string;
  actor: Actor | null;
  /** The new owner's alert, one entry per channel tried. */
  deliveries: AlertDeliveryRecord[];
}

/** One rung of the escalation ladder: who was asked, when, until when, and how it ended. */
export interface EscalationRung {
  tier: number;
  /** Who may claim while this rung is current (its assignees, or the whole team, plus managers). */
  eligibleRepIds: string[];
  /** `rep`, `lead` or `team`: who the tier addresses. */
  audience: 'rep' | 'lead' | 'team';
  assignees: Assignee[];
  alertedAt: string;
  deadline: string;
  outcome: 'pending' | 'claimed' | 'expired' | 'skipped' | 'cancelled';
  /** Routing said this is the last tier: past it, the same audience is alerted again at an interval. */
  lastTier?: boolean;
  /** Why a tier was skipped, or how alert delivery went, in words for people (the fields below are the facts). */
  note?: string;
  /** Routing skipped this tier: nobody was available, for this reason. */
  skipReason?: string;
  /** Routing failed for this rung (it has no assignees), with this error. */
  routingError?: string;
  /** Reps whose alert failed on every one of their channels. */
  undeliverableTo?: string[];
  deliveries?: AlertDeliveryRecord[];
  /** Reps routing passed over for this rung (away, outside working hours, at capacity), with why. */
  passedOver?: { repId: string; reason: string }[];
  /** Opened past the last tier: a re-alert of the same audience. */
  realert?: boolean;
  /** How an off-hours escalation was routed (`follow_the_sun` or `hold`), and why, in words for people. */
  offHours?: { policy: Exclude<OffHoursPolicy, 'page'>; note: string };
  /**
   * Under `hold`: the deadline counts working time only. `windowMs` of the assignee's working time (their `hours`
   * in `timeZone`), counted from `countsFrom` (their shift start); `deadline` is the instant it ends.
   */
  workingTime?: WorkingDeadline & { repId: string; hours: ShiftCalendar };
  /** The meeting times offered with this rung: its first assignee's next free slots and booking link. */
  meetingOffer?: MeetingOffer;
}

/** What happened to one alert on one channel. */
export interface AlertDeliveryRecord {
  repId: string;
  channel: string;
  status: 'delivered' | 'failed';
  at: string;
  error?: string;
}

/** Everything a rep needs to take over without asking the buyer to repeat themselves. */
export interface HandoffPacket {
  conversationId: string;
  prospect: Prospect;
  /** The campaign the conversation runs for (its words and voice); absent: the defaults. */
  campaign?: string;
  research: Record<string, unknown> | null;
  reason: EscalationReason;
  /** Why it escalated, in a sentence. */
  summary: string;
  /** The reply (or manual note) that escalated, with the rules and evidence behind it. */
  triggeringMessageId: string | null;
  evidence: Evidence[];
  rulesFired: string[];
  /** Which readers judged the triggering reply: their versions, and which of them gave each label. */
  readers?: { rulesVersion: string | null; modelVersion: string | null; decidedBy: Partial<Record<Intent, ReaderName>> };
  manualNote?: string;
  /** The newest messages (and the triggering reply); older texts as previews marked `truncated`. */
  thread: ThreadMessage[];
  /** Messages before `thread`'s, left out of the packet (they are in the ledger). */
  earlierMessages?: number;
  automationSent: { step: number; name: string; at: string }[];
  suggestedNextStep: string;
  escalatedAt: string;
  /** The meeting times the buyer was (or can be) offered: the rung's assignee's next free slots and booking link. */
  meeting?: MeetingOffer;
  /** Set when the packet is a low-priority task (a reply that needs a person, or a referral), not an escalation. */
  task?: HumanReplyTask;
}

/**
 * A low-priority task for the owner: a reply that needs a person's answer (`reply`), or a referral with no address
 * we could contact (`referral`: none named, only the prospect's or ours, or past the referral limits). It has one notice and no ladder: no claim deadline, no re-alerts, no tiers.
 */
export interface HumanReplyTask {
  kind: 'reply' | 'referral';
  priority: 'low';
  /** For a referral: the prospect's words that pointed elsewhere (who or what department they named). */
  named?: string;
  /** A trigger (or a manual escalation) came while the task was open: the task ended and this escalation took over. */
  supersededBy?: number;
}

/** What `HandoffTrigger` reads while a low-priority task is the latest: a reply that needs a person, or a referral. */
export const TASK_LABELS = ['human_reply', 'referral'] as const;

/** A conversation this one started with a colleague the prospect referred us to. */
export interface Referral {
  /** The colleague's address, lower-cased. */
  email: string;
  /** The colleague's conversation (workflow id). */
  conversationId: string;
  /** The reply that named them. */
  messageId: string;
  at: string;
  /**
   * `started`; `already_started` when that conversation already existed (it is linked, not restarted);
   * `suppressed` when the address is on the suppression list (no conversation was started under `conversationId`).
   */
  outcome: 'started' | 'already_started' | 'suppressed';
}

/** Who referred us to a conversation's prospect. */
export type Referrer = z.infer<Schemas['ReferrerSchema']>;

/** One escalation of a conversation, from trigger to claim (or cancellation), with its whole ladder. */
export interface EscalationRecord {
  /** 1-based, in the order they happened. */
  number: number;
  reason: EscalationReason;
  trigger: Trigger | null;
  status: 'open' | 'claimed' | 'handed_back' | 'closed' | 'cancelled';
  escalatedAt: string;
  triggeringMessageId: string | null;
  evidence: Evidence[];
  rulesFired: string[];
  rulesVersion: string | null;
  /** The learned reader's version and which reader gave each label of the triggering reply. */
  modelVersion?: string | null;
  decidedBy?: Partial<Record<Intent, ReaderName>>;
  manualNote?: string;
  /** For a manual escalation: the rules had looked at the last reply and said no (a missed escalation). */
  rulesSaidNo?: boolean;
  /** Set when the escalation stands for a reply the rules could not classify, and why. */
  unclassified?: ClassificationFallback;
  /** Triggers that arrived while this escalation was open (the first ones, up to the limit). */
  laterTriggers: { reason: EscalationReason; messageId: string | null; at: string }[];
  /** Later triggers past the limit: counted, not kept. */
  laterTriggersDropped?: number;
  rungs: EscalationRung[];
  claimedBy: string | null;
  claimedAt: string | null;
  feedback: { verdict: 'needed' | 'not_needed'; note?: string; repId?: string; at: string } | null;
  /** Set when the buyer was sent the courtesy acknowledgement. */
  acknowledgedAt?: string;
  /** Ownership moves, in order (absent on escalations from before they were recorded). */
  reassignments?: Reassignment[];
  /**
   * The ladder ended unclaimed at the re-alert cap: when, after how many re-alerts, and the managers told (one
   * delivery per channel tried). It stays open: an eligible rep or a manager may still claim it.
   */
  unclaimed?: { at: string; realerts: number; managers: string[]; deliveries: AlertDeliveryRecord[] };
  /** Set when this is a low-priority task for a reply that needs a person, not a trigger's escalation. */
  task?: HumanReplyTask;
}

/** Stages of a conversation. */
export type Stage = 'automating' | 'paused' | 'escalated' | 'claimed' | 'meeting_booked' | 'closed' | 'opted_out';

/** Stages in which a rep owns the conversation: claimed, and claimed with a meeting booked. */
export const OWNED_STAGES: readonly Stage[] = ['claimed', 'meeting_booked'];

/** True while a rep owns the conversation (replies go to them, they may hand it back, close or reassign it). */
export function isOwnedStage(stage: Stage): boolean {
  return OWNED_STAGES.includes(stage);
}

/** What a conversation has received and kept, against its limits (see `./limits`). */
export interface ConversationCounts {
  /** Prospect replies received, including those no longer in the thread. */
  replies: number;
  /** Prospect replies in the thread now. */
  repliesInThread: number;
  /** Replies that left the thread past its limit (still in the ledger). */
  repliesOutsideThread: number;
  /** Manual escalations accepted. */
  manualEscalations: number;
  /** Manual escalations refused past the limit. */
  manualEscalationsRefused: number;
}

/** The state query's answer. Thread texts are cut to a few KB each (`truncated`); the whole is fetched by reply. */
export interface ConversationState {
  conversationId: string;
  stage: Stage;
  prospect: Prospect;
  /** The newest messages, each text cut to a few KB (`truncated`). */
  thread: ThreadMessage[];
  /** Messages before `thread`'s, left out of this answer. */
  earlierMessages?: number;
  /** The current (or last) escalation's ladder. */
  ladder: EscalationRung[];
  /** The handoff packet of the current (or last) escalation. */
  packet: HandoffPacket | null;
  escalations: EscalationRecord[];
  owner: string | null;
  nextStep: { index: number; name: string; at: string } | null;
  outcome: CloseOutcome | null;
  optedOut: boolean;
  /** Automated messages sent, in order. */
  sent: { step: number; name: string; at: string; messageId: string }[];
  counts: ConversationCounts;
  /** Meetings booked with the buyer, in order (absent from answers of servers that predate meetings). */
  meetings?: BookedMeeting[];
  /** Conversations started with colleagues the prospect referred us to. */
  referrals?: Referral[];
  /** The conversation whose prospect referred us to this one's. */
  referredBy?: Referrer;
}

// ---- input, signals, updates, queries --------------------------------------------------------------


/** The workflow's short input: who, and which campaign. */
export type ConversationStart = z.infer<Schemas['ConversationStartSchema']>;
/** The short input as a client writes it (`prospect.profile` may be left out). */
export type ConversationStartInput = z.input<Schemas['ConversationStartSchema']>;

/** The workflow's whole input. */
export type ConversationInput = z.infer<Schemas['ConversationInputSchema']>;

/** A prospect's reply, as sent into the conversation. */
export type ReplyInput = z.infer<Schemas['ReplyInputSchema']>;

/** A direct escalation by a tool or a person. */
export type TriggerInput = z.infer<Schemas['TriggerInputSchema']>;


/** Who did something to a conversation. */
export type Actor = z.infer<Schemas['ActorSchema']>;

export type ClaimLinkRef = z.infer<Schemas['ClaimLinkRefSchema']>;

export type ClaimInput = z.infer<Schemas['ClaimInputSchema']>;

export type HandBackInput = z.infer<Schemas['HandBackInputSchema']>;

export const CLOSE_OUTCOMES = ['won', 'lost', 'disqualified', 'no_response'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];
export type CloseInput = z.infer<Schemas['CloseInputSchema']>;

export type ReassignInput = z.infer<Schemas['ReassignInputSchema']>;

export type FeedbackInput = z.infer<Schemas['FeedbackInputSchema']>;

/** The longest meeting a rep may book, in minutes. */
export const MAX_MEETING_MINUTES = 480;

/** A meeting a rep booked with the buyer. */
export type BookMeetingInput = z.infer<Schemas['BookMeetingInputSchema']>;

/** Where a rep's own message to the prospect came from: posted through the API, or captured from their mail (BCC). */
export const REP_MESSAGE_SOURCES = ['api', 'mail'] as const;

/** A rep's own message to the prospect, joining the conversation's thread. */
export type RepMessageInput = z.infer<Schemas['RepMessageInputSchema']>;

/** What a rep message update answers: the message id, and whether it was already in the thread (a redelivery). */
export interface RepMessageResult {
  messageId: string;
  duplicate: boolean;
}


/** Stable `ApplicationFailure` types the updates reject with. */
export const ConversationErrors = {
  AlreadyClaimed: 'AlreadyClaimed',
  NotEligible: 'NotEligible',
  NotEscalated: 'NotEscalated',
  NotOwner: 'NotOwner',
  ConversationOver: 'ConversationOver',
  InvalidInput: 'InvalidInput',
  /** The conversation is not claimed, so there is nothing to hand back. */
  NotClaimed: 'NotClaimed',
  /** Feedback from a rep who was never asked to take the escalation, nor claimed it, nor manages. */
  NotInvolved: 'NotInvolved',
  /** A claim link from an earlier rung or escalation, or from one that was handed back. */
  StaleClaimLink: 'StaleClaimLink',
} as const;

/**
 * Separates a prospect's id from the campaign of a later enrolment: `prospect-42` is the prospect's first
 * conversation, `prospect-42~spring-launch` the one a re-enrolment into `spring-launch` started. Neither a
 * prospect id nor a campaign name can hold it.
 */
export const ENROLMENT_SEPARATOR = '~';

/**
 * The workflow id of a prospect's conversation: the first (`prospect-<id>`), or a re-enrolment's
 * (`prospect-<id>~<campaign>`). `prospectId` may itself be a conversation reference `<id>~<campaign>`.
 */
export function conversationWorkflowId(prospectId: string, enrolment?: string): string {
  return enrolment === undefined ? `prospect-${prospectId}` : `prospect-${prospectId}${ENROLMENT_SEPARATOR}${enrolment}`;
}

/** The prospect id and the enrolment's campaign (null: the first conversation) of a conversation reference or workflow id. */
export function parseConversationRef(ref: string): { prospectId: string; enrolment: string | null } {
  const bare = ref.replace(/^prospect-/, '');
  const at = bare.indexOf(ENROLMENT_SEPARATOR);
  return at < 0 ? { prospectId: bare, enrolment: null } : { prospectId: bare.slice(0, at), enrolment: bare.slice(at + 1) };
}
