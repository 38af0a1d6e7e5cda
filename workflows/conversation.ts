/**
 * One prospect conversation: runs the automated cadence, classifies every reply, and on a trigger pauses
 * automation, hands off to a human and climbs the escalation ladder until somebody claims it.
 *
 * The loop is event driven: replies and manual triggers queue in an inbox that the loop drains before anything
 * else, so no step fires while a reply is handled. All state is plain JSON and travels through continue-as-new.
 */
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { HandoffActivities } from '../activities';
import type { ProspectResearch } from '../activities/outreach';
import type { RouteDecision } from '../activities/routing';
import type { LedgerEvent } from '../src/ledger/events';
import { addLaterTrigger, boundPacket, boundState, boundThread, joinNotes, ledgerBatchSize, truncateMessage, withinHorizon } from './bounds';
import { nextSendTime, startOfLocalDay } from './cadence';
import { buildPacket, claimRefusal, claimWindowMs, currentRung, reasonLabel, URGENCY } from './ladder';
import {
  ActorSchema,
  ClaimInputSchema,
  CloseInputSchema,
  ConversationErrors,
  FeedbackInputSchema,
  HandBackInputSchema,
  ReassignInputSchema,
  ReplyInputSchema,
  TriggerInputSchema,
  claimUpdate,
  closeUpdate,
  countsQuery,
  feedbackUpdate,
  handBackUpdate,
  reassignUpdate,
  replySignal,
  stateQuery,
  triggerSignal,
  type ClassificationFallback,
  type CloseOutcome,
  type ConversationCounts,
  type ConversationInput,
  type ConversationState,
  type EscalationReason,
  type EscalationRecord,
  type EscalationRung,
  type Evidence,
  type ReassignInput,
  type Reassignment,
  type HandoffPacket,
  type ReplyInput,
  type Stage,
  type ThreadMessage,
  type Trigger,
  type TriggerInput,
} from './messages';
import {
  actorMismatch,
  claimLinkRefusal,
  feedbackRefusal,
  ownerActionRefusal,
  reassignRefusal,
  type Refusal,
} from './permissions';
import {
  HandoffAssignee,
  HandoffCompany,
  HandoffNextActionTime,
  HandoffStage,
  HandoffTier,
  HandoffTrigger,
} from './searchAttributes';
import { FORMER_REPLY_ID_LIMIT, MANUAL_ESCALATION_LIMIT, MANUAL_NOTE_BYTES, REPLY_INLINE_BYTES } from './limits';
import { isSuppressedSend } from './suppression';

const outreach = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});
const judge = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 6 },
});
// The ledger must not lose events: retries never give up, and nothing waits on them but continue-as-new.
const bookkeeping = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Routing is what alerts a human: it keeps trying for minutes rather than leave a rung without assignees.
const routing = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 1.5, maximumInterval: '5 seconds', maximumAttempts: 40 },
});
const alerting = proxyActivities<HandoffActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

type CrmTouchKind = Parameters<HandoffActivities['logTouch']>[0]['kind'];
type SendReceipt = Awaited<ReturnType<HandoffActivities['sendMessage']>>;

// Updates accepted before they carried an actor (or the new owner's channels) replay without them. Validators
// never run on replay, so they require both; the handlers read the recorded input with these.
const recorded = { actor: ActorSchema.optional() };
const RecordedHandBackInput = HandBackInputSchema.extend(recorded);
const RecordedCloseInput = CloseInputSchema.extend(recorded);
const RecordedReassignInput = ReassignInputSchema.extend({ ...recorded, newOwner: ReassignInputSchema.shape.newOwner.optional() });
const RecordedFeedbackInput = FeedbackInputSchema.extend(recorded);

/** Something waiting in the inbox: a prospect reply or a manual trigger. */
type InboxItem = { kind: 'reply'; reply: ReplyInput } | { kind: 'trigger'; trigger: TriggerInput; at: string };

/** Everything the conversation remembers; carried whole through continue-as-new. */
export interface ConversationMemory {
  startedAt: string;
  stage: Stage;
  thread: ThreadMessage[];
  inbox: InboxItem[];
  /** The next cadence step to run. */
  stepIndex: number;
  /** Step `anchor.step` is due at `anchor.at`; later steps keep their spacing from it. */
  anchor: { step: number; at: string };
  /** Counts cadence resumptions, so a re-run step gets a fresh idempotency key. */
  round: number;
  research: ProspectResearch | null;
  sent: { step: number; name: string; at: string; messageId: string }[];
  escalations: EscalationRecord[];
  owner: string | null;
  outcome: CloseOutcome | null;
  optedOut: boolean;
  /** The last classified reply and whether the rules escalated it (for manual-trigger bookkeeping). */
  lastVerdict: { messageId: string; escalate: boolean } | null;
  /** When the last step was sent; the reply window runs from here. */
  cadenceDoneAt: string | null;
  /** CRM touches waiting to be logged by the loop (update handlers cannot run activities themselves). */
  touches: { kind: CrmTouchKind; summary: string; key: string }[];
  /** Ledger events not yet appended. */
  ledger: LedgerEvent[];
  /** What arrived against the limits (`./limits`); absent in memory carried from before them. */
  counts?: Omit<ConversationCounts, 'repliesInThread'>;
  /** Message ids of replies that left the thread (the newest, up to a limit), so a redelivery is still ignored. */
  formerReplyIds?: string[];
}

/** How a conversation ended. */
export interface ConversationResult {
  stage: Stage;
  outcome: CloseOutcome | null;
  escalations: number;
}

const TERMINAL: readonly Stage[] = ['closed', 'opted_out'];

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function failure(type: keyof typeof ConversationErrors, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: ConversationErrors[type], message, nonRetryable: true, details: details ? [details] : [] });
}

/** Rejects an update for the rule that refused it, if one did. */
function reject(refusal: Refusal | null): void {
  if (refusal) throw failure(refusal.type, refusal.message, refusal.details);
}

function parseOrReject<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'input';
    throw failure('InvalidInput', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return result.data;
}

function initialMemory(): ConversationMemory {
  const now = iso(Date.now());
  return {
    startedAt: now,
    stage: 'automating',
    thread: [],
    inbox: [],
    stepIndex: 0,
    anchor: { step: 0, at: now },
    round: 0,
    research: null,
    sent: [],
    escalations: [],
    owner: null,
    outcome: null,
    optedOut: false,
    lastVerdict: null,
    cadenceDoneAt: null,
    touches: [],
    ledger: [],
    counts: { replies: 0, repliesOutsideThread: 0, manualEscalations: 0, manualEscalationsRefused: 0 },
    formerReplyIds: [],
  };
}

/** Counts for memory carried from a run that did not keep them: what its thread, inbox and escalations show. */
function countsFromMemory(m: ConversationMemory): NonNullable<ConversationMemory['counts']> {
  const manualLater = m.escalations.reduce((n, e) => n + e.laterTriggers.filter((t) => t.reason === 'manual').length, 0);
  return {
    replies: m.thread.filter((t) => t.author === 'prospect').length + m.inbox.filter((i) => i.kind === 'reply').length,
    repliesOutsideThread: 0,
    manualEscalations: m.escalations.filter((e) => e.reason === 'manual').length + manualLater + m.inbox.filter((i) => i.kind === 'trigger').length,
    manualEscalationsRefused: 0,
  };
}

/** The conversation workflow. `carried` is set only when it continues as new. */
export async function conversationWorkflow(input: ConversationInput, carried?: ConversationMemory): Promise<ConversationResult> {
  const { prospect, cadence, voice, policy } = input;
  const conversationId = workflowInfo().workflowId;
  const m: ConversationMemory = carried ?? initialMemory();
  // The reply's CRM touch waits until the rep is alerted. Runs started before that change logged it first, and
  // replay the way they were recorded.
  const alertBeforeCrmTouch = patched('crm-touch-after-alert');
  // Limits that change commands (ledger batches by size, manual escalations refused past the limit, waits capped
  // at a year) apply to runs started with them; earlier runs replay as they were recorded.
  const limited = patched('conversation-limits');
  const tally = (m.counts ??= countsFromMemory(m));
  const formerReplyIds = (m.formerReplyIds ??= []);
  /** Bumped whenever the open rung's deadline moves, so the wait re-arms its timer. */
  let deadlineVersion = 0;
  /** Alert deliveries in flight, per escalation number (runtime only: they finish before continue-as-new). */
  const deliveryScopes: Record<number, CancellationScope> = {};
  /** The alert telling a new owner a reassigned conversation is theirs, per escalation number. */
  const handoverScopes: Record<number, CancellationScope> = {};
  /** Replies forwarded to the owner of a claimed escalation, per escalation number. */
  const forwardScopes: Record<number, CancellationScope> = {};
  const cancelAlerts = (escalation: number): void => {
    deliveryScopes[escalation]?.cancel();
    handoverScopes[escalation]?.cancel();
  };
  let deliveriesInFlight = 0;
  let ledgerInFlight = false;

  /** Appends queued ledger events in the background, one batch at a time, in order. */
  const pumpLedger = (): void => {
    if (ledgerInFlight || m.ledger.length === 0) return;
    ledgerInFlight = true;
    const batch = m.ledger.slice(0, limited ? ledgerBatchSize(m.ledger, 100) : 100);
    // Events are often queued from inside an alert delivery's scope; claiming cancels that scope, and the
    // ledger append must outlive it.
    void CancellationScope.nonCancellable(() =>
      bookkeeping.recordLedgerEvents.executeWithOptions({ summary: `Ledger: ${batch.map((e) => e.kind).join(', ')}` }, [batch]),
    )
      .then(
        () => {
          m.ledger.splice(0, batch.length);
        },
        (err: unknown) => {
          if (isCancellation(err)) return;
          // Only a non-retryable failure (an invalid event) gets here; keeping it would block the queue.
          m.ledger.splice(0, batch.length);
          log.error('ledger events dropped as invalid', { conversationId, eventIds: batch.map((e) => e.eventId) });
        },
      )
      .finally(() => {
        ledgerInFlight = false;
        pumpLedger();
      });
  };
  /** Queues one ledger event for this conversation. */
  const recordEvent = (event: Omit<LedgerEvent, 'conversationId' | 'prospectId' | 'company' | 'at'> & { at?: string }): void => {
    m.ledger.push({ conversationId, prospectId: prospect.id, company: prospect.company, at: iso(Date.now()), ...event });
    pumpLedger();
  };
  const ledgerSettled = () => !ledgerInFlight && m.ledger.length === 0;

  // ---- derived views ----------------------------------------------------------------------------------

  const openEscalation = (): EscalationRecord | undefined => m.escalations.find((e) => e.status === 'open');
  const latestEscalation = (): EscalationRecord | undefined => m.escalations[m.escalations.length - 1];
  const stepDueAt = (index: number): number => {
    const step = cadence[index];
    const anchorStep = cadence[m.anchor.step];
    if (!step || !anchorStep) return Number.POSITIVE_INFINITY;
    const due = Date.parse(m.anchor.at) + step.offsetMs - anchorStep.offsetMs;
    return nextSendTime(Math.max(due, Date.parse(m.anchor.at)), prospect.timeZone, policy.sendWindow);
  };
  const nextStep = (): ConversationState['nextStep'] => {
    if (m.stage !== 'automating' && m.stage !== 'paused') return null;
    const step = cadence[m.stepIndex];
    return step ? { index: m.stepIndex, name: step.name, at: iso(stepDueAt(m.stepIndex)) } : null;
  };
  const packetFor = (record: EscalationRecord): HandoffPacket =>
    boundPacket(
      buildPacket({
        conversationId,
        prospect,
        research: m.research as Record<string, unknown> | null,
        record,
        thread: m.thread,
        sent: m.sent,
      }),
    );

  const counts = (): ConversationCounts => ({ ...tally, repliesInThread: m.thread.filter((t) => t.author === 'prospect').length });

  const state = (): ConversationState => {
    const latest = latestEscalation();
    return boundState({
      conversationId,
      stage: m.stage,
      prospect,
      thread: m.thread,
      ladder: latest?.rungs ?? [],
      packet: latest ? packetFor(latest) : null,
      escalations: m.escalations,
      owner: m.owner,
      nextStep: nextStep(),
      outcome: m.outcome,
      optedOut: m.optedOut,
      sent: m.sent,
      counts: counts(),
    });
  };

  /** Keeps the search attributes and the UI's current details in step with the state. */
  const publish = (): void => {
    const latest = latestEscalation();
    const rung = latest ? currentRung(latest) : undefined;
    const next = nextStep();
    const assignees = m.stage === 'claimed' && m.owner ? [m.owner] : m.stage === 'escalated' && rung ? rung.assignees.map((a) => a.repId) : [];
    const nextAction = m.stage === 'escalated' && rung?.outcome === 'pending' ? rung.deadline : next?.at;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: HandoffStage, value: m.stage },
      { key: HandoffCompany, value: prospect.company },
      { key: HandoffAssignee, value: assignees },
      { key: HandoffTier, value: m.stage === 'escalated' && rung ? rung.tier : 0 },
    ];
    if (latest) pairs.push({ key: HandoffTrigger, value: latest.reason });
    if (nextAction) pairs.push({ key: HandoffNextActionTime, value: new Date(nextAction) });
    else pairs.push({ key: HandoffNextActionTime, value: null });
    upsertSearchAttributes(pairs);

    const replies = m.thread.filter((t) => t.author === 'prospect').length;
    const counts = `sent ${m.sent.length} of ${cadence.length} steps, ${plural(replies, 'reply', 'replies')}, ${plural(m.escalations.length, 'escalation', 'escalations')}`;
    // The UI shows these in a short fixed-height panel: the stage and the counts share the first line.
    const lines = [`**${prospect.name}** (${prospect.company}): **${m.stage.replace('_', ' ')}** · ${counts}`];
    if (m.stage === 'escalated' && latest && rung) {
      lines.push(
        `Escalated (${reasonLabel(latest.reason)}) to ${rung.assignees.map((a) => a.name).join(', ') || 'nobody available'} ` +
          `(tier ${rung.tier}), claim deadline ${rung.deadline}`,
      );
    }
    if (m.stage === 'claimed' && m.owner) lines.push(`Owned by ${m.owner}`);
    if (next) lines.push(`Next: ${next.name} at ${next.at}`);
    setCurrentDetails(lines.join('\n\n'));
  };

  const setStage = (stage: Stage): void => {
    m.stage = stage;
    publish();
  };

  // ---- handlers ---------------------------------------------------------------------------------------

  setHandler(replySignal, (raw) => {
    const parsed = ReplyInputSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('reply signal rejected: invalid input', { conversationId });
      return;
    }
    const reply = parsed.data;
    const seen =
      m.thread.some((t) => t.author === 'prospect' && t.messageId === reply.messageId) ||
      m.inbox.some((i) => i.kind === 'reply' && i.reply.messageId === reply.messageId) ||
      formerReplyIds.includes(reply.messageId);
    if (seen || TERMINAL.includes(m.stage)) return;
    m.inbox.push({ kind: 'reply', reply });
    tally.replies++;
  });

  setHandler(triggerSignal, (raw) => {
    const parsed = TriggerInputSchema.safeParse(raw);
    if (!parsed.success || TERMINAL.includes(m.stage)) return;
    if (limited && tally.manualEscalations >= MANUAL_ESCALATION_LIMIT) {
      tally.manualEscalationsRefused++;
      log.warn('manual escalation refused: the conversation has reached its limit', { conversationId, limit: MANUAL_ESCALATION_LIMIT });
      return;
    }
    tally.manualEscalations++;
    m.inbox.push({ kind: 'trigger', trigger: parsed.data, at: iso(Date.now()) });
  });

  setHandler(stateQuery, state);
  setHandler(countsQuery, counts);

  setHandler(
    claimUpdate,
    ({ repId, actor }) => {
      const record = openEscalation() ?? latestEscalation();
      const refusal = claimRefusal(record, repId);
      if (refusal || !record) throw failure(refusal?.type ?? 'NotEscalated', refusal?.message ?? 'no escalation');
      const rung = currentRung(record);
      record.status = 'claimed';
      record.claimedBy = repId;
      record.claimedAt = iso(Date.now());
      if (rung) rung.outcome = 'claimed';
      m.owner = repId;
      m.touches.push({ kind: 'claimed', summary: `Claimed by ${repId}`, key: `claim-${record.number}` });
      recordEvent({
        eventId: `${conversationId}/esc-${record.number}/claimed`,
        kind: 'claimed',
        escalation: record.number,
        reason: record.reason,
        trigger: record.trigger,
        tier: rung?.tier ?? 0,
        repId,
        timeToClaimMs: Date.now() - Date.parse(record.escalatedAt),
        ...(actor ? { actor } : {}),
      });
      deliveryScopes[record.number]?.cancel();
      setStage('claimed');
      return packetFor(record);
    },
    {
      validator: (raw) => {
        const { repId, actor, link } = parseOrReject(ClaimInputSchema, raw);
        reject(actorMismatch(actor, repId, 'repId'));
        if (link) reject(claimLinkRefusal(m.escalations, link));
        const refusal = claimRefusal(openEscalation() ?? latestEscalation(), repId);
        if (refusal) {
          const holder = refusal.type === 'AlreadyClaimed' ? (openEscalation() ?? latestEscalation())?.claimedBy : undefined;
          throw failure(refusal.type, refusal.message, holder ? { holder } : undefined);
        }
      },
    },
  );

  setHandler(
    handBackUpdate,
    (raw) => {
      const input = RecordedHandBackInput.parse(raw);
      const record = m.escalations.find((e) => e.status === 'claimed');
      if (record) {
        record.status = 'handed_back';
        recordEvent({
          eventId: `${conversationId}/esc-${record.number}/handed-back`,
          kind: 'handed_back',
          escalation: record.number,
          reason: record.reason,
          ...(m.owner ? { repId: m.owner } : {}),
          ...(input.actor ? { actor: input.actor } : {}),
        });
      }
      const from = Math.min(input.fromStep ?? m.stepIndex, cadence.length);
      m.stepIndex = from;
      m.round += 1;
      m.anchor = { step: Math.min(from, cadence.length - 1), at: iso(Date.now() + (input.delayMs ?? 0)) };
      m.cadenceDoneAt = from >= cadence.length ? iso(Date.now()) : null;
      m.owner = null;
      setStage('automating');
      return state();
    },
    {
      validator: (raw) => {
        const input = parseOrReject(HandBackInputSchema, raw);
        reject(actorMismatch(input.actor, input.repId, 'repId'));
        if (m.stage !== 'claimed') throw failure('NotClaimed', `only a claimed conversation can be handed back (stage: ${m.stage})`);
        reject(ownerActionRefusal('hand back', m.owner, input.actor));
        if (input.fromStep !== undefined && input.fromStep > cadence.length) throw failure('InvalidInput', `fromStep: the cadence has ${cadence.length} steps`, { field: 'fromStep' });
      },
    },
  );

  setHandler(
    closeUpdate,
    (raw) => {
      const input = RecordedCloseInput.parse(raw);
      for (const record of m.escalations) {
        if (record.status === 'open' || record.status === 'claimed') {
          const rung = currentRung(record);
          if (rung?.outcome === 'pending') rung.outcome = 'cancelled';
          record.status = 'closed';
          cancelAlerts(record.number);
        }
      }
      m.outcome = input.outcome;
      m.touches.push({ kind: 'closed', summary: `Closed as ${input.outcome}`, key: 'closed' });
      const repId = input.repId ?? input.actor?.repId;
      recordEvent({
        eventId: `${conversationId}/closed`,
        kind: 'closed',
        outcome: input.outcome,
        ...(latestEscalation() ? { escalation: latestEscalation()!.number } : {}),
        ...(repId ? { repId } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      });
      setStage('closed');
      return state();
    },
    {
      validator: (raw) => {
        const input = parseOrReject(CloseInputSchema, raw);
        reject(actorMismatch(input.actor, input.repId, 'repId'));
        if (TERMINAL.includes(m.stage)) throw failure('ConversationOver', `the conversation is already ${m.stage}`);
        reject(ownerActionRefusal('close', m.owner, input.actor));
      },
    },
  );

  setHandler(
    reassignUpdate,
    (raw) => {
      const input = RecordedReassignInput.parse(raw);
      const { repId } = input;
      const record = m.escalations.find((e) => e.status === 'claimed') ?? openEscalation();
      const from = m.owner;
      if (record) {
        if (record.status === 'open') {
          const rung = currentRung(record);
          if (rung) rung.outcome = 'claimed';
          record.status = 'claimed';
          record.claimedAt = iso(Date.now());
          deliveryScopes[record.number]?.cancel();
        }
        record.claimedBy = repId;
      }
      m.owner = repId;
      setStage('claimed');
      // Reassigning used to move ownership silently; it now tells the new owner, the ledger and the CRM.
      if (patched('reassign-tells-new-owner') && record && input.actor && input.newOwner) {
        handOver(record, from, { ...input, actor: input.actor, newOwner: input.newOwner });
      }
      return state();
    },
    {
      validator: (raw) => {
        const input = parseOrReject(ReassignInputSchema, raw);
        reject(actorMismatch(input.actor, input.by, 'by'));
        const record = m.escalations.find((e) => e.status === 'claimed') ?? openEscalation();
        reject(reassignRefusal(m.stage, record, m.owner, input.actor, input.repId));
      },
    },
  );

  setHandler(
    feedbackUpdate,
    (raw) => {
      const input = RecordedFeedbackInput.parse(raw);
      const record = m.escalations[(input.escalation ?? m.escalations.length) - 1]!;
      const repId = input.repId ?? input.actor?.repId;
      record.feedback = {
        verdict: input.verdict,
        ...(input.note ? { note: input.note } : {}),
        ...(repId ? { repId } : {}),
        at: iso(Date.now()),
      };
      recordEvent({
        eventId: `${conversationId}/esc-${record.number}/feedback/${record.feedback.at}`,
        kind: 'feedback',
        escalation: record.number,
        reason: record.reason,
        verdict: input.verdict,
        ...(input.note ? { note: input.note } : {}),
        ...(repId ? { repId } : {}),
        ...(input.actor ? { actor: input.actor } : {}),
      });
      return state();
    },
    {
      validator: (raw) => {
        const input = parseOrReject(FeedbackInputSchema, raw);
        reject(actorMismatch(input.actor, input.repId, 'repId'));
        const n = input.escalation ?? m.escalations.length;
        if (n < 1 || n > m.escalations.length) {
          throw failure('NotEscalated', m.escalations.length ? `escalation ${n} does not exist (there are ${m.escalations.length})` : 'the conversation has never escalated');
        }
        reject(feedbackRefusal(m.escalations[n - 1]!, input.actor));
      },
    },
  );

  // ---- effects ----------------------------------------------------------------------------------------

  const logTouch = async (kind: CrmTouchKind, summary: string, key: string): Promise<void> => {
    await outreach.logTouch.executeWithOptions({ summary: `CRM: ${summary}` }, [
      { idempotencyKey: `${conversationId}/${key}`, conversationId, prospectId: prospect.id, kind, at: iso(Date.now()), summary },
    ]);
  };

  const addToThread = (message: ThreadMessage): ThreadMessage => {
    // Replies can be delivered out of order: the thread stays in received-time order.
    let i = m.thread.length;
    while (i > 0 && m.thread[i - 1]!.at > message.at) i--;
    m.thread.splice(i, 0, message);
    return message;
  };

  const runStep = async (): Promise<void> => {
    const index = m.stepIndex;
    const step = cadence[index]!;
    if (!m.research) {
      m.research = await outreach.researchProspect.executeWithOptions({ summary: `Research ${prospect.name} at ${prospect.company}` }, [prospect]);
    }
    const message = await outreach.composeMessage.executeWithOptions({ summary: `Compose ${step.name}` }, [
      { prospect, research: m.research, voice, step, stepIndex: index, previousSubjects: m.thread.filter((t) => t.subject).map((t) => t.subject!) },
    ]);
    // A reply that arrived while composing is handled first; the step runs after, if the cadence goes on.
    if (m.inbox.length > 0) return;
    const key = `${conversationId}/round-${m.round}/step-${index}`;
    let receipt: SendReceipt;
    try {
      receipt = await outreach.sendMessage.executeWithOptions({ summary: `${step.name} sent to ${prospect.name}` }, [
        {
          idempotencyKey: key,
          conversationId,
          channel: step.channel,
          to: { name: prospect.name, email: prospect.email },
          from: { name: voice.senderName, ...(voice.senderEmail ? { email: voice.senderEmail } : {}) },
          subject: message.subject,
          body: message.body,
        },
      ]);
    } catch (err) {
      // The address was suppressed after the conversation started: automation ends here, as an opt-out would.
      if (isSuppressedSend(err) && patched('suppressed-address')) {
        endSuppressed();
        return;
      }
      throw err;
    }
    const at = iso(Date.now());
    m.sent.push({ step: index, name: step.name, at, messageId: receipt.providerId });
    addToThread({ messageId: receipt.providerId, author: 'automation', channel: step.channel, text: message.body, subject: message.subject, at, step: index });
    m.stepIndex = index + 1;
    if (m.stepIndex >= cadence.length) m.cadenceDoneAt = at;
    publish();
    await logTouch('email_sent', `${step.name} sent`, `round-${m.round}/step-${index}`);
  };

  const startEscalation = (params: {
    reason: EscalationReason;
    trigger: Trigger | null;
    messageId: string | null;
    evidence: Evidence[];
    rulesFired: string[];
    rulesVersion: string | null;
    modelVersion?: string | null;
    decidedBy?: EscalationRecord['decidedBy'];
    note?: string;
    rulesSaidNo?: boolean;
    unclassified?: ClassificationFallback;
  }): void => {
    const open = openEscalation();
    if (open) {
      // Already escalated: the packet learns of the new trigger, and a more urgent one brings the deadline in.
      addLaterTrigger(open, { reason: params.reason, messageId: params.messageId, at: iso(Date.now()) }, params.evidence);
      for (const rule of params.rulesFired) if (!open.rulesFired.includes(rule)) open.rulesFired.push(rule);
      if (params.note) open.manualNote = joinNotes(open.manualNote, params.note, MANUAL_NOTE_BYTES);
      if (URGENCY.indexOf(params.reason) < URGENCY.indexOf(open.reason)) {
        open.reason = params.reason;
        open.trigger = params.trigger ?? open.trigger;
      }
      const rung = currentRung(open);
      const sooner = Date.now() + claimWindowMs(policy, params.reason, false);
      if (rung && rung.outcome === 'pending' && sooner < Date.parse(rung.deadline)) {
        rung.deadline = iso(sooner);
        deadlineVersion++;
      }
      publish();
      return;
    }
    m.escalations.push({
      number: m.escalations.length + 1,
      reason: params.reason,
      trigger: params.trigger,
      status: 'open',
      escalatedAt: iso(Date.now()),
      triggeringMessageId: params.messageId,
      evidence: params.evidence,
      rulesFired: params.rulesFired,
      rulesVersion: params.rulesVersion,
      ...(params.modelVersion !== undefined ? { modelVersion: params.modelVersion } : {}),
      ...(params.decidedBy ? { decidedBy: params.decidedBy } : {}),
      ...(params.note ? { manualNote: params.note } : {}),
      ...(params.rulesSaidNo !== undefined ? { rulesSaidNo: params.rulesSaidNo } : {}),
      ...(params.unclassified ? { unclassified: params.unclassified } : {}),
      laterTriggers: [],
      rungs: [],
      claimedBy: null,
      claimedAt: null,
      feedback: null,
    });
    const number = m.escalations.length;
    recordEvent({
      eventId: `${conversationId}/esc-${number}/escalated`,
      kind: 'escalated',
      escalation: number,
      reason: params.reason,
      trigger: params.trigger,
      rulesFired: params.rulesFired,
      evidence: params.evidence,
      ...(params.messageId ? { messageId: params.messageId } : {}),
      ...(params.rulesVersion ? { rulesVersion: params.rulesVersion } : {}),
      ...(params.modelVersion !== undefined ? { modelVersion: params.modelVersion } : {}),
      ...(params.decidedBy ? { decidedBy: params.decidedBy } : {}),
    });
    setStage('escalated');
  };

  const optOut = (suppressed = false): void => {
    m.optedOut = true;
    recordEvent({
      eventId: `${conversationId}/opted-out`,
      kind: 'opted_out',
      outcome: 'opted_out',
      ...(suppressed ? { suppressed: true } : {}),
      ...(latestEscalation() ? { escalation: latestEscalation()!.number } : {}),
    });
    for (const record of m.escalations) {
      if (record.status === 'open') {
        const rung = currentRung(record);
        if (rung?.outcome === 'pending') rung.outcome = 'cancelled';
        record.status = 'cancelled';
      }
      cancelAlerts(record.number);
    }
    setStage('opted_out');
  };

  /** Ends the conversation as opted out because a send found the address on the suppression list. */
  const endSuppressed = (): void => {
    log.info('conversation ended: the address is suppressed', { conversationId });
    optOut(true);
    m.touches.push({ kind: 'opted_out', summary: 'Suppressed address: automation ended', key: 'opted-out' });
  };

  /** Puts the opted-out address on the suppression list; a failure is logged, never the end of the conversation. */
  const suppressOptedOut = async (): Promise<void> => {
    try {
      await bookkeeping.suppressOptedOut.executeWithOptions({ summary: 'Suppress the opted-out address' }, [
        { prospectId: prospect.id, email: prospect.email, conversationId },
      ]);
    } catch (err) {
      if (isCancellation(err)) throw err;
      log.error('the opted-out address could not be suppressed', { conversationId });
    }
  };

  /** Alerts one assignee on their channels in order; a channel that keeps failing falls back to the next. */
  const alertAssignee = async (record: EscalationRecord, rungIndex: number, assignee: RouteDecision['assignees'][number]): Promise<void> => {
    const rung = record.rungs[rungIndex]!;
    for (const channel of assignee.channels) {
      try {
        const result = await alerting.deliverAlert.executeWithOptions(
          { summary: `Alert ${assignee.name} (tier ${rung.tier}) via ${channel}` },
          [
            {
              idempotencyKey: `${conversationId}/esc-${record.number}/rung-${rungIndex + 1}/${assignee.repId}/${channel}`,
              channel,
              repId: assignee.repId,
              packet: packetFor(record),
              tier: rung.tier,
              deadline: rung.deadline,
              workflowId: conversationId,
              purpose: 'claim',
              escalation: record.number,
              rung: rungIndex + 1,
            },
          ],
        );
        (rung.deliveries ??= []).push({ repId: assignee.repId, channel, status: 'delivered', at: result.deliveredAt });
        const trigger = m.thread.find((t) => t.messageId === record.triggeringMessageId);
        recordEvent({
          eventId: `${conversationId}/esc-${record.number}/rung-${rungIndex + 1}/alerted/${assignee.repId}`,
          kind: 'alerted',
          escalation: record.number,
          reason: record.reason,
          trigger: record.trigger,
          tier: rung.tier,
          repId: assignee.repId,
          channel,
          replyToAlertMs: Math.max(0, Date.parse(result.deliveredAt) - Date.parse(trigger?.at ?? record.escalatedAt)),
        });
        return;
      } catch (err) {
        if (isCancellation(err)) throw err;
        (rung.deliveries ??= []).push({
          repId: assignee.repId,
          channel,
          status: 'failed',
          at: iso(Date.now()),
          error: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
        });
      }
    }
    rung.note = `${rung.note ? `${rung.note}; ` : ''}alert undeliverable to ${assignee.repId} on every channel`;
    recordEvent({
      eventId: `${conversationId}/esc-${record.number}/rung-${rungIndex + 1}/alert-failed/${assignee.repId}`,
      kind: 'alert_failed',
      escalation: record.number,
      reason: record.reason,
      tier: rung.tier,
      repId: assignee.repId,
      error: rung.deliveries?.filter((d) => d.repId === assignee.repId).map((d) => `${d.channel}: ${d.error ?? d.status}`).join('; ') ?? 'no channel',
    });
    log.warn('alert undeliverable on every channel', { conversationId, repId: assignee.repId, escalation: record.number });
  };

  /**
   * Records a reassignment (ledger event, CRM touch) and alerts the new owner on their own channels in order,
   * in the background: a later reassignment or the end of the conversation cancels an alert still in flight.
   */
  const handOver = (record: EscalationRecord, from: string | null, input: ReassignInput): void => {
    const at = iso(Date.now());
    const entry: Reassignment = { from, to: input.repId, at, actor: input.actor, deliveries: [] };
    const number = (record.reassignments ??= []).push(entry);
    const rung = currentRung(record);
    recordEvent({
      eventId: `${conversationId}/esc-${record.number}/reassigned-${number}`,
      kind: 'reassigned',
      escalation: record.number,
      reason: record.reason,
      trigger: record.trigger,
      tier: rung?.tier ?? 0,
      repId: input.repId,
      fromRepId: from,
      actor: input.actor,
    });
    m.touches.push({ kind: 'reassigned', summary: `Reassigned from ${from ?? 'the open escalation'} to ${input.repId}`, key: `esc-${record.number}/reassigned-${number}` });
    handoverScopes[record.number]?.cancel();
    const scope = (handoverScopes[record.number] = new CancellationScope());
    deliveriesInFlight++;
    void scope
      .run(async () => {
        for (const channel of input.newOwner.channels) {
          try {
            const result = await alerting.deliverAlert.executeWithOptions({ summary: `Tell ${input.newOwner.name} the conversation is theirs, via ${channel}` }, [
              {
                idempotencyKey: `${conversationId}/esc-${record.number}/reassigned-${number}/${input.repId}/${channel}`,
                channel,
                repId: input.repId,
                packet: packetFor(record),
                tier: rung?.tier ?? 0,
                deadline: rung?.deadline ?? at,
                workflowId: conversationId,
                purpose: 'reassigned',
              },
            ]);
            entry.deliveries.push({ repId: input.repId, channel, status: 'delivered', at: result.deliveredAt });
            return;
          } catch (err) {
            if (isCancellation(err)) throw err;
            const error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
            entry.deliveries.push({ repId: input.repId, channel, status: 'failed', at: iso(Date.now()), error });
          }
        }
        log.warn('reassignment alert undeliverable on every channel', { conversationId, repId: input.repId, escalation: record.number });
      })
      .catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      })
      .finally(() => {
        deliveriesInFlight--;
      });
  };

  const dispatchAlerts = (record: EscalationRecord, rungIndex: number, assignees: RouteDecision['assignees']): void => {
    const scope = (deliveryScopes[record.number] ??= new CancellationScope());
    for (const assignee of assignees) {
      deliveriesInFlight++;
      // Deliveries run beside the claim wait: a slow or failing channel never holds the ladder up.
      void scope
        .run(() => alertAssignee(record, rungIndex, assignee))
        .catch((err: unknown) => {
          if (!isCancellation(err)) throw err;
        })
        .finally(() => {
          deliveriesInFlight--;
        });
    }
  };

  const acknowledgeBuyer = async (record: EscalationRecord, assigneeName: string | undefined): Promise<void> => {
    const ack = await outreach.composeAcknowledgement.executeWithOptions({ summary: 'Compose the courtesy acknowledgement' }, [
      { prospect, voice, ...(assigneeName ? { assigneeFirstName: assigneeName.split(/\s+/)[0] } : {}) },
    ]);
    if (m.optedOut) return;
    let receipt: SendReceipt;
    try {
      receipt = await outreach.sendMessage.executeWithOptions({ summary: `Courtesy acknowledgement sent to ${prospect.name}` }, [
        {
          idempotencyKey: `${conversationId}/esc-${record.number}/acknowledgement`,
          conversationId,
          channel: 'email',
          to: { name: prospect.name, email: prospect.email },
          from: { name: voice.senderName, ...(voice.senderEmail ? { email: voice.senderEmail } : {}) },
          subject: ack.subject,
          body: ack.body,
        },
      ]);
    } catch (err) {
      // A suppressed address gets no automated mail, not even the courtesy; the rep is still alerted.
      if (isSuppressedSend(err) && patched('suppressed-address')) {
        log.warn('courtesy acknowledgement not sent: the address is suppressed', { conversationId, escalation: record.number });
        return;
      }
      throw err;
    }
    record.acknowledgedAt = iso(Date.now());
    addToThread({ messageId: receipt.providerId, author: 'automation', channel: 'email', text: ack.body, subject: ack.subject, at: record.acknowledgedAt });
  };

  /** Opens the next rung: asks routing who takes it, records the rung, and sends the alerts. */
  const raiseRung = async (record: EscalationRecord, tier: number): Promise<void> => {
    const asked = [...new Set(record.rungs.flatMap((r) => r.assignees.map((a) => a.repId)))];
    const previous = currentRung(record);
    let decision: RouteDecision | null = null;
    let routingError: string | null = null;
    try {
      decision = await routing.routeEscalation.executeWithOptions({ summary: `Route ${reasonLabel(record.reason)} escalation, tier ${tier}` }, [
        {
          conversationId,
          reason: record.reason,
          trigger: record.trigger,
          tier,
          prospect: {
            email: prospect.email,
            company: prospect.company,
            ...(prospect.owner ? { owner: prospect.owner } : {}),
            ...(prospect.timeZone ? { timeZone: prospect.timeZone } : {}),
          },
          alreadyAsked: asked,
          at: iso(Date.now()),
        },
      ]);
    } catch (err) {
      if (isCancellation(err)) throw err;
      routingError = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    }
    if (record.status !== 'open') return; // claimed, closed or opted out while routing
    const now = Date.now();
    for (const skip of decision?.skipped ?? []) {
      record.rungs.push({
        tier: skip.tier,
        eligibleRepIds: [],
        audience: 'rep',
        assignees: [],
        alertedAt: iso(now),
        deadline: iso(now),
        outcome: 'skipped',
        note: skip.reason,
      });
    }
    const pastLastTier = Boolean(previous?.lastTier && decision?.isLastTier);
    const windowMs = claimWindowMs(policy, record.reason, pastLastTier);
    const rung: EscalationRung = decision
      ? {
          tier: decision.tier,
          eligibleRepIds: decision.eligibleRepIds,
          audience: decision.audience,
          assignees: decision.assignees.map(({ repId, name }) => ({ repId, name })),
          alertedAt: iso(now),
          deadline: iso(now + windowMs),
          outcome: 'pending',
          lastTier: decision.isLastTier,
          deliveries: [],
        }
      : {
          tier,
          eligibleRepIds: [],
          audience: 'rep',
          assignees: [],
          alertedAt: iso(now),
          deadline: iso(now + windowMs),
          outcome: 'pending',
          note: `routing failed: ${routingError}`,
          deliveries: [],
        };
    record.rungs.push(rung);
    if (previous) {
      recordEvent({
        eventId: `${conversationId}/esc-${record.number}/rung-${record.rungs.length}/re-escalated`,
        kind: 're_escalated',
        escalation: record.number,
        reason: record.reason,
        trigger: record.trigger,
        tier: rung.tier,
      });
    }
    publish();
    log.info('escalation rung opened', { conversationId, escalation: record.number, tier: rung.tier, assignees: rung.assignees.map((a) => a.repId) });
    if (decision) dispatchAlerts(record, record.rungs.length - 1, decision.assignees);
    if (record.reason === 'human_request' && policy.acknowledgeHumanRequest && !record.acknowledgedAt && record.rungs.length === 1 + (decision?.skipped.length ?? 0)) {
      await acknowledgeBuyer(record, rung.assignees[0]?.name);
    }
  };

  /** One step of an open escalation: open a rung, or wait for a claim until the deadline, or climb. */
  const ladderTick = async (record: EscalationRecord): Promise<void> => {
    const rung = currentRung(record);
    if (!rung || rung.outcome !== 'pending') {
      await raiseRung(record, 1);
      return;
    }
    const remaining = Date.parse(rung.deadline) - Date.now();
    if (remaining <= 0) {
      rung.outcome = 'expired';
      // Past the last tier the same audience is alerted again; otherwise the ladder climbs.
      await raiseRung(record, rung.lastTier ? rung.tier : rung.tier + 1);
      return;
    }
    const version = deadlineVersion;
    await condition(
      () => m.inbox.length > 0 || record.status !== 'open' || version !== deadlineVersion || TERMINAL.includes(m.stage),
      remaining,
      { summary: `Claim deadline, tier ${rung.tier}` },
    );
  };

  /**
   * Keeps the thread within its limits after a reply: the oldest replies past the limit leave it (remembered by
   * id), older texts are cut to previews. The reply just handled and the escalations' triggering replies stay whole.
   */
  const keepThreadBounded = (messageId: string): void => {
    const keepWhole = [messageId, openEscalation()?.triggeringMessageId, latestEscalation()?.triggeringMessageId].filter((id): id is string => Boolean(id));
    const { thread, dropped } = boundThread(m.thread, keepWhole);
    m.thread = thread;
    if (dropped.length === 0) return;
    tally.repliesOutsideThread += dropped.length;
    formerReplyIds.push(...dropped);
    formerReplyIds.splice(0, Math.max(0, formerReplyIds.length - FORMER_REPLY_ID_LIMIT));
  };

  const handleReply = async (reply: ReplyInput): Promise<void> => {
    const stored = reply.bodyRef ? { truncated: true, bodyRef: reply.bodyRef, ...(reply.bodyBytes ? { bodyBytes: reply.bodyBytes } : {}) } : {};
    const message = addToThread(
      truncateMessage({ messageId: reply.messageId, author: 'prospect', channel: reply.channel, text: reply.text, at: reply.receivedAt, ...stored }, REPLY_INLINE_BYTES),
    );
    const wasAutomating = m.stage === 'automating';
    if (wasAutomating) setStage('paused');
    const verdict = await judge.classifyReply.executeWithOptions({ summary: `Classify reply ${reply.messageId}` }, [{ text: reply.text, receivedAt: reply.receivedAt }]);
    message.labels = verdict.labels;
    message.trigger = verdict.trigger;
    message.rulesVersion = verdict.rulesVersion;
    if (verdict.modelVersion !== undefined) message.modelVersion = verdict.modelVersion;
    if (verdict.decidedBy) message.decidedBy = verdict.decidedBy;
    m.lastVerdict = { messageId: reply.messageId, escalate: verdict.escalate };
    recordEvent({
      eventId: `${conversationId}/reply/${reply.messageId}/classified`,
      kind: 'reply_classified',
      messageId: reply.messageId,
      text: reply.text,
      receivedAt: reply.receivedAt,
      ...(reply.bodyRef ? { bodyRef: reply.bodyRef, ...(reply.bodyBytes ? { bodyBytes: reply.bodyBytes } : {}) } : {}),
      labels: verdict.labels,
      escalate: verdict.escalate,
      trigger: verdict.trigger,
      rulesVersion: verdict.rulesVersion,
      ...(verdict.modelVersion !== undefined ? { modelVersion: verdict.modelVersion } : {}),
      ...(verdict.decidedBy ? { decidedBy: verdict.decidedBy } : {}),
      ...(verdict.endpoint ? { endpoint: verdict.endpoint } : {}),
      rulesFired: [...new Set(verdict.evidence.map((e) => e.rule))],
      evidence: verdict.evidence,
      ...(verdict.fallback ? { fallback: verdict.fallback } : {}),
    });
    keepThreadBounded(reply.messageId);
    const heard = verdict.fallback ? 'not classified' : verdict.labels.join(', ');
    const touch = { kind: 'reply_received', summary: `Reply received (${heard})`, key: `reply-${reply.messageId}` } as const;
    // The CRM hears of the reply after the rep does: the loop drains queued touches once the first rung is open.
    if (alertBeforeCrmTouch) m.touches.push(touch);
    else await logTouch(touch.kind, touch.summary, touch.key);

    // An opt-out that also asks for a person or carries another trigger: when unsure, a human reads it, and the
    // suppression list keeps automation from ever mailing again. Runs recorded before it opted out at once.
    const optOutWithTrigger = verdict.labels.includes('opt_out') && verdict.escalate && verdict.trigger !== null;
    if (optOutWithTrigger && patched('opt-out-with-trigger-escalates')) await suppressOptedOut();
    else if (verdict.labels.includes('opt_out')) {
      optOut();
      // The opt-out outlives this workflow on the suppression list. Runs recorded before it replay without it.
      if (patched('suppress-on-opt-out')) await suppressOptedOut();
      if (alertBeforeCrmTouch) m.touches.push({ kind: 'opted_out', summary: 'Opted out', key: 'opted-out' });
      else await logTouch('opted_out', 'Opted out', 'opted-out');
      return;
    }
    if (m.stage === 'claimed') {
      // The human owns the conversation: the reply is recorded and goes to the owner, never answered here.
      const owner = m.owner;
      const record = m.escalations.find((e) => e.status === 'claimed');
      if (owner && record) forwardToOwner(record, owner, reply.messageId);
      return;
    }
    // A reply the rules could not read (too slow, or its thread failed) goes to a human as a manual escalation: no
    // trigger is claimed and no acknowledgement is sent. Runs whose activity answered before this existed ignore it.
    if (verdict.fallback && patched('unclassified-reply-escalates')) {
      startEscalation({
        reason: 'manual',
        trigger: null,
        messageId: reply.messageId,
        evidence: [],
        rulesFired: [],
        rulesVersion: verdict.rulesVersion,
        note: `reply ${reply.messageId} could not be classified (${verdict.fallback === 'time_limit' ? 'over the time limit' : 'its thread failed'}); read it yourself`,
        unclassified: verdict.fallback,
      });
      return;
    }
    if (verdict.escalate && verdict.trigger) {
      startEscalation({
        reason: verdict.trigger,
        trigger: verdict.trigger,
        messageId: reply.messageId,
        evidence: verdict.evidence,
        rulesFired: [...new Set(verdict.evidence.map((e) => e.rule))],
        rulesVersion: verdict.rulesVersion,
        ...(verdict.modelVersion !== undefined ? { modelVersion: verdict.modelVersion } : {}),
        ...(verdict.decidedBy ? { decidedBy: verdict.decidedBy } : {}),
      });
      return;
    }
    if (m.stage === 'escalated') return;
    const now = Date.now();
    if (verdict.labels.includes('out_of_office')) {
      const back = verdict.returnDate ? startOfLocalDay(verdict.returnDate, prospect.timeZone) : now + policy.outOfOfficeDefaultMs;
      moveNextStepTo(limited ? withinHorizon(back, now) : back);
    } else if (verdict.labels.includes('not_now')) {
      const until = verdict.snoozeUntil ? startOfLocalDay(verdict.snoozeUntil, prospect.timeZone) : now + policy.notNowDefaultMs;
      moveNextStepTo(limited ? withinHorizon(until, now) : until);
    }
    if (wasAutomating) setStage('automating');
  };

  const moveNextStepTo = (atMs: number): void => {
    if (m.stepIndex >= cadence.length) {
      m.cadenceDoneAt = iso(Math.max(atMs, Date.parse(m.cadenceDoneAt ?? m.startedAt)));
      return;
    }
    if (atMs > stepDueAt(m.stepIndex)) m.anchor = { step: m.stepIndex, at: iso(atMs) };
  };

  const forwardToOwner = (record: EscalationRecord, owner: string, messageId: string): void => {
    const rung = currentRung(record);
    // The channel that last reached the owner; the outbox when none is known.
    const reached = record.rungs.flatMap((r) => r.deliveries ?? []).filter((d) => d.repId === owner && d.status === 'delivered');
    const channel = reached[reached.length - 1]?.channel ?? 'outbox';
    // The claim cancelled the escalation's alert deliveries, so a forward in that scope was never sent (though it
    // still took an activity id). Runs recorded before forwards had a scope of their own replay that way.
    const ownScope = patched('forward-replies-to-owner');
    deliveriesInFlight++;
    const scope = ownScope ? (forwardScopes[record.number] ??= new CancellationScope()) : (deliveryScopes[record.number] ??= new CancellationScope());
    void scope
      .run(() =>
        alerting.deliverAlert.executeWithOptions({ summary: `Forward reply ${messageId} to ${owner}` }, [
          {
            idempotencyKey: `${conversationId}/esc-${record.number}/forward-${messageId}`,
            channel,
            repId: owner,
            packet: packetFor(record),
            tier: rung?.tier ?? 0,
            deadline: rung?.deadline ?? iso(Date.now()),
            workflowId: conversationId,
            purpose: 'forward',
          },
        ]),
      )
      .catch((err: unknown) => {
        if (!isCancellation(err)) log.warn('forwarding a reply to the owner failed', { conversationId, owner, messageId });
      })
      .finally(() => {
        deliveriesInFlight--;
      });
  };

  const handleTrigger = (trigger: TriggerInput, at: string): void => {
    if (m.stage === 'claimed') {
      const record = m.escalations.find((e) => e.status === 'claimed');
      if (record) addLaterTrigger(record, { reason: 'manual', messageId: null, at }, []);
      return;
    }
    const rulesSaidNo = m.lastVerdict ? !m.lastVerdict.escalate : undefined;
    recordEvent({
      eventId: `${conversationId}/manual/${at}`,
      kind: 'manual_trigger',
      trigger: trigger.trigger ?? null,
      note: trigger.note ? `${trigger.reason}: ${trigger.note}` : trigger.reason,
      ...(rulesSaidNo !== undefined ? { rulesSaidNo } : {}),
      ...(m.lastVerdict ? { messageId: m.lastVerdict.messageId } : {}),
      ...(openEscalation() ? { escalation: openEscalation()!.number } : { escalation: m.escalations.length + 1 }),
    });
    startEscalation({
      reason: 'manual',
      trigger: trigger.trigger ?? null,
      messageId: m.lastVerdict?.messageId ?? null,
      evidence: [],
      rulesFired: [],
      rulesVersion: null,
      note: trigger.note ? `${trigger.reason}: ${trigger.note}` : trigger.reason,
      ...(m.lastVerdict ? { rulesSaidNo: !m.lastVerdict.escalate } : {}),
    });
  };

  const drainTouches = async (): Promise<void> => {
    while (m.touches.length > 0) {
      const touch = m.touches[0]!;
      await logTouch(touch.kind, touch.summary, touch.key);
      m.touches.shift();
    }
  };

  const shouldContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > policy.maxHistoryEvents;

  // ---- the loop ---------------------------------------------------------------------------------------

  publish();
  pumpLedger();
  while (!TERMINAL.includes(m.stage)) {
    if (shouldContinueAsNew()) {
      // Handlers and alert deliveries finish first; the inbox and everything else travel in `m`.
      await condition(() => deliveriesInFlight === 0 && ledgerSettled() && allHandlersFinished());
      if (!TERMINAL.includes(m.stage)) return continueAsNew<typeof conversationWorkflow>(input, m);
      break;
    }
    const item = m.inbox.shift();
    if (item) {
      if (item.kind === 'reply') await handleReply(item.reply);
      else handleTrigger(item.trigger, item.at);
      continue;
    }
    const firstRungDue = alertBeforeCrmTouch && m.stage === 'escalated' && openEscalation()?.rungs.length === 0;
    if (m.touches.length > 0 && !firstRungDue) {
      await drainTouches();
      continue;
    }
    const wake = () => m.inbox.length > 0 || m.touches.length > 0;
    if (m.stage === 'escalated') {
      const record = openEscalation();
      if (record) await ladderTick(record);
      else setStage('automating');
    } else if (m.stage === 'claimed') {
      const stage = m.stage;
      await condition(() => wake() || m.stage !== stage);
    } else if (m.stepIndex < cadence.length) {
      const dueAt = stepDueAt(m.stepIndex);
      const step = cadence[m.stepIndex]!;
      const waitMs = dueAt - Date.now();
      const stepBefore = m.stepIndex;
      const anchorBefore = m.anchor.at;
      if (waitMs > 0) {
        const woke = await condition(
          () => wake() || m.stage !== 'automating' || m.stepIndex !== stepBefore || m.anchor.at !== anchorBefore,
          waitMs,
          { summary: `Wait for ${step.name}` },
        );
        if (woke) continue;
      }
      await runStep();
    } else {
      // Cadence done: wait for a reply until the reply window closes, then close as no response.
      const closesAt = Date.parse(m.cadenceDoneAt ?? m.startedAt) + policy.replyWindowMs;
      const doneBefore = m.cadenceDoneAt;
      const woke = await condition(
        () => wake() || m.stage !== 'automating' || m.stepIndex < cadence.length || m.cadenceDoneAt !== doneBefore,
        Math.max(closesAt - Date.now(), 1),
        { summary: 'Wait for a reply after the last step' },
      );
      if (!woke && m.stage === 'automating') {
        m.outcome = 'no_response';
        setStage('closed');
        await logTouch('closed', 'Closed as no_response', 'closed');
      }
    }
  }

  await drainTouches();
  for (const scope of [...Object.values(deliveryScopes), ...Object.values(handoverScopes), ...Object.values(forwardScopes)]) scope.cancel();
  await condition(() => ledgerSettled() && allHandlersFinished());
  return { stage: m.stage, outcome: m.outcome, escalations: m.escalations.length };
}
