/**
 * The conversation's state and handoff packet as zod schemas, for the API's contract (`openapi.ts`): the
 * workflow declares them as TypeScript interfaces (`workflows/messages.ts`), and the type checks at the end of
 * this file fail to compile when either side gains, loses or changes a field the other does not.
 */
import { z } from 'zod';
import {
  ActorSchema,
  CLOSE_OUTCOMES,
  INTENTS,
  ProspectSchema,
  ESCALATION_REASONS,
  TRIGGERS,
  type ConversationState,
  type HandoffPacket,
} from '../../workflows/messages';

const instant = z.string().describe('an ISO 8601 instant');
const IntentSchema = z.enum(INTENTS);
const TriggerSchema = z.enum(TRIGGERS);
const ReasonSchema = z.enum(ESCALATION_REASONS);
const DecidedBySchema = z.partialRecord(IntentSchema, z.enum(['rules', 'model', 'both', 'endpoint']));

const ThreadMessageSchema = z.object({
  messageId: z.string(),
  author: z.enum(['automation', 'prospect', 'rep']),
  channel: z.string(),
  text: z.string(),
  at: instant,
  labels: z.array(IntentSchema).optional(),
  step: z.number().int().optional(),
  trigger: TriggerSchema.nullable().optional(),
  rulesVersion: z.string().optional(),
  modelVersion: z.string().nullable().optional(),
  decidedBy: DecidedBySchema.optional(),
  subject: z.string().optional(),
  truncated: z.boolean().optional(),
  bodyRef: z.string().optional().describe('fetch the whole text at GET /v1/conversations/{prospectId}/replies/{messageId}'),
  bodyBytes: z.number().int().optional(),
  repId: z.string().optional().describe('the rep who wrote a message of author `rep`'),
});

const EvidenceSchema = z.object({ label: IntentSchema, rule: z.string(), start: z.number().int(), end: z.number().int(), text: z.string() });

const AlertDeliverySchema = z.object({
  repId: z.string(),
  channel: z.string(),
  status: z.enum(['delivered', 'failed']),
  at: instant,
  error: z.string().optional(),
});

const RungSchema = z.object({
  tier: z.number().int(),
  eligibleRepIds: z.array(z.string()),
  audience: z.enum(['rep', 'lead', 'team']),
  assignees: z.array(z.object({ repId: z.string(), name: z.string() })),
  alertedAt: instant,
  deadline: instant,
  outcome: z.enum(['pending', 'claimed', 'expired', 'skipped', 'cancelled']),
  lastTier: z.boolean().optional(),
  note: z.string().optional(),
  deliveries: z.array(AlertDeliverySchema).optional(),
});

/** The meeting times a rung offers the buyer. */
export const MeetingOfferSchema = z
  .object({
    repId: z.string(),
    repName: z.string(),
    timeZone: z.string().describe('the zone the labels are in: the buyer\'s, else the rep\'s'),
    slots: z.array(z.object({ startsAt: instant, endsAt: instant, label: z.string().describe('the start on the buyer\'s clock: "Mon 16 Jun 09:30 CEST"') })),
    bookingUrl: z.string().optional().describe('the rep\'s booking link'),
  })
  .meta({ id: 'MeetingOffer' });

/** A meeting booked with the buyer. */
export const BookedMeetingSchema = z
  .object({
    number: z.number().int().describe('1-based, in booking order; the invite is at GET /v1/conversations/{prospectId}/meetings/{number}/invite.ics'),
    startsAt: instant,
    durationMinutes: z.number().int(),
    repId: z.string(),
    escalation: z.number().int(),
    bookedAt: instant,
    bookedBy: z.string(),
    note: z.string().optional(),
  })
  .meta({ id: 'BookedMeeting' });

const SentStepSchema = z.object({ step: z.number().int(), name: z.string(), at: instant });

const HumanReplyTaskSchema = z
  .object({
    kind: z.enum(['reply', 'referral']).describe('`reply`: a reply that needs a human answer; `referral`: a referral with no address we could contact (none named, only our own or the prospect\'s, or past the referral limit)'),
    priority: z.literal('low'),
    named: z.string().optional().describe("for a referral: the prospect's words that pointed elsewhere"),
    supersededBy: z.number().int().optional().describe('the escalation a later trigger opened, ending this task'),
  })
  .describe('a low-priority task (one notice, no claim deadline, no re-alerts), not an escalation');

const ReferrerSchema = z.object({ conversationId: z.string(), prospectId: z.string(), name: z.string(), company: z.string(), messageId: z.string() });

const ReferralSchema = z.object({
  email: z.string(),
  conversationId: z.string(),
  messageId: z.string(),
  at: instant,
  outcome: z.enum(['started', 'already_started', 'suppressed']).describe('`suppressed`: the address is on the suppression list, and no conversation was started'),
});

/** The handoff packet a claim returns: everything a rep needs to take over. */
export const HandoffPacketSchema = z
  .object({
    conversationId: z.string(),
    prospect: ProspectSchema,
    campaign: z.string().optional().describe('the campaign the conversation runs for; absent: the defaults'),
    research: z.record(z.string(), z.unknown()).nullable(),
    reason: ReasonSchema,
    summary: z.string(),
    triggeringMessageId: z.string().nullable(),
    evidence: z.array(EvidenceSchema),
    rulesFired: z.array(z.string()),
    readers: z.object({ rulesVersion: z.string().nullable(), modelVersion: z.string().nullable(), decidedBy: DecidedBySchema }).optional(),
    manualNote: z.string().optional(),
    thread: z.array(ThreadMessageSchema),
    earlierMessages: z.number().int().optional(),
    automationSent: z.array(SentStepSchema),
    suggestedNextStep: z.string(),
    escalatedAt: instant,
    meeting: MeetingOfferSchema.optional(),
    task: HumanReplyTaskSchema.optional(),
  })
  .meta({ id: 'HandoffPacket' });

const EscalationRecordSchema = z.object({
  number: z.number().int(),
  reason: ReasonSchema,
  trigger: TriggerSchema.nullable(),
  status: z.enum(['open', 'claimed', 'handed_back', 'closed', 'cancelled']),
  escalatedAt: instant,
  triggeringMessageId: z.string().nullable(),
  evidence: z.array(EvidenceSchema),
  rulesFired: z.array(z.string()),
  rulesVersion: z.string().nullable(),
  modelVersion: z.string().nullable().optional(),
  decidedBy: DecidedBySchema.optional(),
  manualNote: z.string().optional(),
  rulesSaidNo: z.boolean().optional(),
  unclassified: z.enum(['time_limit', 'thread_failed']).optional(),
  laterTriggers: z.array(z.object({ reason: ReasonSchema, messageId: z.string().nullable(), at: instant })),
  laterTriggersDropped: z.number().int().optional(),
  rungs: z.array(RungSchema),
  claimedBy: z.string().nullable(),
  claimedAt: instant.nullable(),
  feedback: z
    .object({ verdict: z.enum(['needed', 'not_needed']), note: z.string().optional(), repId: z.string().optional(), at: instant })
    .nullable(),
  acknowledgedAt: instant.optional(),
  reassignments: z
    .array(z.object({ from: z.string().nullable(), to: z.string(), at: instant, actor: ActorSchema.nullable(), deliveries: z.array(AlertDeliverySchema) }))
    .optional(),
  task: HumanReplyTaskSchema.optional(),
});

/** The conversation as the `state` query answers it. */
export const ConversationStateSchema = z
  .object({
    conversationId: z.string(),
    stage: z.enum(['automating', 'paused', 'escalated', 'claimed', 'meeting_booked', 'closed', 'opted_out']),
    prospect: ProspectSchema,
    thread: z.array(ThreadMessageSchema),
    earlierMessages: z.number().int().optional(),
    ladder: z.array(RungSchema),
    packet: HandoffPacketSchema.nullable(),
    escalations: z.array(EscalationRecordSchema),
    owner: z.string().nullable(),
    nextStep: z.object({ index: z.number().int(), name: z.string(), at: instant }).nullable(),
    outcome: z.enum(CLOSE_OUTCOMES).nullable(),
    optedOut: z.boolean(),
    sent: z.array(SentStepSchema.extend({ messageId: z.string() })),
    counts: z.object({
      replies: z.number().int(),
      repliesInThread: z.number().int(),
      repliesOutsideThread: z.number().int(),
      manualEscalations: z.number().int(),
      manualEscalationsRefused: z.number().int(),
    }),
    meetings: z.array(BookedMeetingSchema).optional(),
    referrals: z.array(ReferralSchema).optional().describe('conversations started with colleagues the prospect referred us to'),
    referredBy: ReferrerSchema.optional().describe("the conversation whose prospect referred us to this one's"),
  })
  .meta({ id: 'ConversationState' });

/** True only when A and B are the same type (both ways assignable, optional fields included). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameState: Same<z.infer<typeof ConversationStateSchema>, ConversationState> = true;
const samePacket: Same<z.infer<typeof HandoffPacketSchema>, HandoffPacket> = true;
void sameState;
void samePacket;
