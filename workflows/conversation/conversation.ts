/**
 * The conversation every move works on: its input, its memory (the only state that travels through
 * continue-as-new), the ledger queue and the alert dispatcher, and the few things every move does (move to a
 * stage, apply a transition's effects, tell the CRM). Built once per run by the workflow.
 */
import { ApplicationFailure, condition, workflowInfo, type TimerOptions } from '@temporalio/workflow';
import { boundPacket } from '../bounds';
import { ConversationErrors, type ConversationInput, type EscalationRecord, type HandoffPacket, type Stage } from '../messages';
import type { ReadAndRouteResult } from '../../activities/readAndRoute';
import { classifyReply, classifyReplyLocally, logTouch, readAndRoute, routeWithoutWaiting } from './activities';
import { AlertDispatcher } from './alerts';
import type { Effects, Moment } from './escalation';
import { LedgerQueue } from './ledger';
import { countsFromMemory, initialMemory, isOver, type ConversationMemory, type CrmTouchKind } from './memory';
import { buildPacket } from './packet';
import { Patches } from './patches';
import { stepDueAt } from './schedule';
import { publish, SearchAttributeWriter } from './visibility';

/** An ISO instant from epoch milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A non-retryable failure of one of the conversation's error types, for an update to reject with. */
export function failure(type: keyof typeof ConversationErrors, message: string, details?: Record<string, unknown>): ApplicationFailure {
  return ApplicationFailure.create({ type: ConversationErrors[type], message, nonRetryable: true, details: details ? [details] : [] });
}

/** One prospect conversation, as the workflow's moves see it. */
export class Conversation {
  /** The workflow id. */
  readonly id: string;
  readonly m: ConversationMemory;
  /** What arrived against the limits. */
  readonly tally: NonNullable<ConversationMemory['counts']>;
  /** Ids of replies that left the thread. */
  readonly formerReplyIds: string[];
  /**
   * The reply's CRM touch waits until the rep is alerted. Runs started before that change logged it first, and
   * replay the way they were recorded.
   */
  readonly alertBeforeCrmTouch: boolean;
  /**
   * Limits that change commands (ledger batches by size, manual escalations refused past the limit, waits capped
   * at a year) apply to runs started with them; earlier runs replay as they were recorded.
   */
  readonly limited: boolean;
  /** The changes to the workflow's commands this run is under (see `patches.ts`). */
  readonly patches: Patches;
  /**
   * Reads a reply: inside the workflow task in runs started with local classification (counting its marker toward
   * the history's length), through the task queue in earlier runs, which replay as they were recorded.
   */
  readonly classify: Pick<typeof classifyReply, 'executeWithOptions'>;
  /** Runs started with `routing-in-the-task` route a rung inside the workflow task where it need not wait (see `routeWithoutWaiting`). */
  readonly routesInTask: boolean;
  /**
   * Runs started with `routing-with-the-reading` route the first rung of the escalation a reply opens together with
   * reading the reply (see `readAndRoute`); earlier runs route it by a local activity of its own.
   */
  readonly routesWithReading: boolean;
  /**
   * The first rung routed with the reading of a reply, for escalation number `escalation`, until the ladder opens
   * that rung (see {@link Conversation.takeFirstRungRouting}); the loop opens it once the inbox is read. An
   * escalation that ends first (an opt-out in the same burst of replies) leaves its round-robin turn unused.
   */
  private firstRungRouting: (NonNullable<ReadAndRouteResult['routed']> & { escalation: number }) | null = null;
  /** Ledger batches and search-attribute upserts wait for the loop to wait (see {@link Conversation.wait}). */
  private readonly holdsAtWaits: boolean;
  /** A rep move's CRM touches go in the batch with its ledger events (see {@link Conversation.apply}). */
  private readonly touchesWithEvents: boolean;
  /** The task's `historyLength` last seen, and the local activities' markers added since (see `historyLength`). */
  private lengthSeen = -1;
  private markersThisTask = 0;
  /** Bumped whenever the open rung's deadline moves, so the claim wait re-arms its timer. */
  deadlineVersion = 0;
  readonly ledger: LedgerQueue;
  readonly alerts: AlertDispatcher;
  /**
   * Runs started with fewer history events upsert only the search attributes that changed, once per burst of
   * changes (and their ledger queue batches events and CRM touches); earlier runs upsert them all on every publish.
   */
  readonly searchAttributes: SearchAttributeWriter | null;

  /** `carried` is the memory of the run this one continues, if any. */
  constructor(
    readonly input: ConversationInput,
    carried?: ConversationMemory,
  ) {
    this.id = workflowInfo().workflowId;
    this.m = carried ?? initialMemory(iso(Date.now()));
    this.patches = Patches.forRun();
    this.alertBeforeCrmTouch = this.patches.has('crm-touch-after-alert');
    this.limited = this.patches.has('conversation-limits');
    const batched = this.patches.has('fewer-history-events');
    this.classify = this.patches.has('local-classification')
      ? { executeWithOptions: (options, args) => (this.countMarker(), classifyReplyLocally.executeWithOptions(options, args)) }
      : classifyReply;
    this.routesInTask = this.patches.has('routing-in-the-task');
    this.routesWithReading = this.routesInTask && this.patches.has('routing-with-the-reading');
    this.searchAttributes = batched ? new SearchAttributeWriter() : null;
    this.tally = this.m.counts ??= countsFromMemory(this.m);
    this.formerReplyIds = this.m.formerReplyIds ??= [];
    this.ledger = new LedgerQueue(this.id, input.prospect, this.m.ledger, this.limited, batched);
    this.alerts = new AlertDispatcher(this);
    this.holdsAtWaits = batched && this.patches.has('bookkeeping-at-waits');
    this.touchesWithEvents = batched && this.patches.has('touches-with-their-events');
    this.hold(true);
  }

  get prospect(): ConversationInput['prospect'] {
    return this.input.prospect;
  }

  get cadence(): ConversationInput['cadence'] {
    return this.input.cadence;
  }

  get policy(): ConversationInput['policy'] {
    return this.input.policy;
  }

  /** This conversation, now (workflow time): what a transition runs at. */
  moment(): Moment {
    return { conversationId: this.id, now: Date.now() };
  }

  /** True once the conversation is closed or opted out. */
  isOver(): boolean {
    return isOver(this.m);
  }

  /** Moves to `stage` and publishes it (search attributes and the UI's details). */
  setStage(stage: Stage): void {
    this.m.stage = stage;
    publish(this);
  }

  /** Carries out a transition's effects: CRM touches queued, ledger events recorded, alerts stopped, the stage moved. */
  apply(effects: Effects): void {
    // A rep's move (a claim, a close) carries CRM touches; in runs with `touches-with-their-events` they go to the
    // ledger queue at once when no touch waits before them, so the move's events and touches make one batch
    // rather than two, the second once the loop wakes to drain them.
    if (this.touchesWithEvents && this.m.touches.length === 0) for (const { kind, summary, key } of effects.touches) void this.touchCrm(kind, summary, key);
    else this.m.touches.push(...effects.touches);
    for (const event of effects.events) this.ledger.record(event);
    for (const silence of effects.silence) this.alerts.silence(silence);
    if (effects.stage) this.setStage(effects.stage);
  }

  /** The packet for `record`: the whole story, within its size budget. */
  packetFor(record: EscalationRecord): HandoffPacket {
    return boundPacket(
      buildPacket({
        conversationId: this.id,
        prospect: this.prospect,
        research: this.m.research as Record<string, unknown> | null,
        record,
        thread: this.m.thread,
        sent: this.m.sent,
        ...(this.input.campaign === undefined ? {} : { campaign: this.input.campaign }),
      }),
    );
  }

  /** When cadence step `index` is due. */
  stepDueAt(index: number): number {
    return stepDueAt(this.cadence, this.m.anchor, index, this.prospect.timeZone, this.policy.sendWindow);
  }

  /**
   * Tells the CRM of a touch now; `key` makes the idempotency key. Runs with bookkeeping batches hand it to the
   * ledger queue, which logs it with the next batch; earlier runs wait for it here.
   */
  async touchCrm(kind: CrmTouchKind, summary: string, key: string): Promise<void> {
    const touch = { ...this.crmTouch(kind, summary, key), at: iso(Date.now()) };
    if (this.ledger.batched) this.ledger.touch(touch);
    else await logTouch.executeWithOptions({ summary: `CRM: ${summary}` }, [touch]);
  }

  /** A CRM touch of this conversation, but for its moment; `key` makes the idempotency key. */
  crmTouch(kind: CrmTouchKind, summary: string, key: string): { idempotencyKey: string; conversationId: string; prospectId: string; kind: CrmTouchKind; summary: string } {
    return { idempotencyKey: `${this.id}/${key}`, conversationId: this.id, prospectId: this.prospect.id, kind, summary };
  }

  /**
   * True when a touch can be logged out of the queue's order: none is queued by the handlers or waiting in the
   * ledger queue, so one logged now is still logged after every touch before it.
   */
  noTouchesWaiting(): boolean {
    return this.m.touches.length === 0 && !this.ledger.hasTouches();
  }

  /** Logs the CRM touches the handlers queued, oldest first (batched: hands them all to the ledger queue at once). */
  async drainTouches(): Promise<void> {
    if (this.ledger.batched) {
      for (const { kind, summary, key } of this.m.touches.splice(0)) void this.touchCrm(kind, summary, key);
      return;
    }
    while (this.m.touches.length > 0) {
      const touch = this.m.touches[0]!;
      await this.touchCrm(touch.kind, touch.summary, touch.key);
      this.m.touches.shift();
    }
  }

  /**
   * Waits, as the loop does for a person, a timer or the inbox, until `until` holds (or `timeoutMs` passes: false).
   * Runs with bookkeeping at waits hold ledger batches and search-attribute upserts while the loop makes its moves
   * and let them go here, so one burst of moves (a reply read, escalated, routed and alerted) costs one batch and
   * one upsert; what handlers record while the loop waits goes out at once.
   */
  async wait(until: () => boolean): Promise<void>;
  async wait(until: () => boolean, timeoutMs: number, options?: TimerOptions): Promise<boolean>;
  async wait(until: () => boolean, timeoutMs?: number, options?: TimerOptions): Promise<boolean | void> {
    this.hold(false);
    try {
      if (timeoutMs === undefined) return await condition(until);
      return await (options ? condition(until, timeoutMs, options) : condition(until, timeoutMs));
    } finally {
      this.hold(true);
    }
  }

  private hold(held: boolean): void {
    if (!this.holdsAtWaits) return;
    this.ledger.hold(held);
    this.searchAttributes?.hold(held);
  }

  /** Temporal suggests a new run, or the history passed the policy's limit. */
  shouldContinueAsNew(): boolean {
    return workflowInfo().continueAsNewSuggested || this.historyLength() > this.policy.maxHistoryEvents;
  }

  /** The escalation whose first rung was routed with its reply's reading, while it is open and that rung not yet opened. */
  escalationRoutedWithReading(): EscalationRecord | undefined {
    const record = this.firstRungRouting ? this.m.escalations[this.firstRungRouting.escalation - 1] : undefined;
    return record && record.status === 'open' && record.rungs.length === 0 ? record : undefined;
  }

  /**
   * The history's length with the local activities' markers this workflow task adds. `historyLength` moves only from
   * one task to the next, and one task can read a whole burst of replies, a marker each.
   */
  private historyLength(): number {
    const length = workflowInfo().historyLength;
    if (length !== this.lengthSeen) {
      this.lengthSeen = length;
      this.markersThisTask = 0;
    }
    return length + this.markersThisTask;
  }

  /**
   * Reads a reply and routes the first rung of the escalation it would open (escalation `escalation`), in the
   * workflow task, counting its marker toward the history's length; keeps the routing for the ladder.
   */
  async readAndRoute(
    options: Parameters<typeof readAndRoute.executeWithOptions>[0],
    args: Parameters<typeof readAndRoute.executeWithOptions>[1],
    escalation: number,
  ): Promise<ReadAndRouteResult['verdict']> {
    this.countMarker();
    const { verdict, routed } = await readAndRoute.executeWithOptions(options, args);
    this.firstRungRouting = routed ? { ...routed, escalation } : null;
    return verdict;
  }

  /**
   * The routing of `record`'s first rung done with the reading of its reply, if that is the rung being opened and
   * the escalation is still the one it was routed for; taken once.
   */
  takeFirstRungRouting(record: EscalationRecord, tier: number): NonNullable<ReadAndRouteResult['routed']> | null {
    const routed = this.firstRungRouting;
    this.firstRungRouting = null;
    if (!routed || tier !== 1 || record.rungs.length > 0 || record.number !== routed.escalation) return null;
    if (record.reason !== routed.request.reason || record.trigger !== routed.request.trigger) return null;
    return routed;
  }

  /** Routes a rung inside the workflow task, counting its marker toward the history's length. */
  routeInTask(...args: Parameters<typeof routeWithoutWaiting.executeWithOptions>): ReturnType<typeof routeWithoutWaiting.executeWithOptions> {
    this.countMarker();
    return routeWithoutWaiting.executeWithOptions(...args);
  }

  private countMarker(): void {
    this.historyLength();
    this.markersThisTask++;
  }
}
