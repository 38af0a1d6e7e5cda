/**
 * The conversation's ledger queue: events wait in memory (so they travel through continue-as-new) and are
 * appended in the background, one batch at a time, in order. Nothing waits on an append but continue-as-new and
 * the end of the conversation.
 *
 * Runs started with bookkeeping batches send the CRM touches the loop releases through the same queue, in the same
 * activity as the events, and start a batch only once the code running now has queued what it queues: the events
 * of one transition (a reply classified and escalated, say) go in one activity. Earlier runs replay as recorded:
 * an append per batch started at once, and each touch its own activity, awaited by the loop.
 */
import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { LedgerEvent } from '../../src/ledger/events';
import type { CrmTouch } from '../../src/outreach/crm';
import type { BookkeepingBatch } from '../../activities/bookkeeping';
import type { Prospect } from '../messages';
import { ledgerBatchSize } from '../bounds';
import { recordBookkeeping, recordLedgerEvents } from './activities';
import type { EventDraft } from './escalation';

/** A batch as the Temporal UI lists it in an activity's summary: event kinds, then `CRM <kind>` for each touch. */
export function describeBatch({ events, touches }: BookkeepingBatch): string {
  return [...events.map((e) => e.kind), ...touches.map((t) => `CRM ${t.kind}`)].join(', ');
}

/** Touches per bookkeeping activity, at most. */
const TOUCH_BATCH = 20;

/** Appends a conversation's ledger events in order, in the background (and, batched, logs its CRM touches). */
export class LedgerQueue {
  private inFlight = false;
  private pumpQueued = false;
  /** While the loop makes its moves (runs with bookkeeping at waits), batches wait for it to wait. */
  private held = false;
  /** CRM touches released by the loop and not yet logged (batched runs only; the end of a run waits for them). */
  private readonly touches: CrmTouch[] = [];
  /** How many of the oldest events and touches an activity has borrowed (see {@link lend}). */
  private lent: { events: number; touches: number } | null = null;

  /**
   * @param queue the memory's queue of events not yet appended (shared, so it is carried through continue-as-new)
   * @param bySize batches are cut by size as well as count (runs started with the conversation limits)
   * @param batched events and touches go together, a batch starting once the current code has queued its share
   */
  constructor(
    private readonly conversationId: string,
    private readonly prospect: Pick<Prospect, 'id' | 'company'>,
    private readonly queue: LedgerEvent[],
    private readonly bySize: boolean,
    readonly batched: boolean,
  ) {}

  /** Queues one event for this conversation, at `at` (default: now), and starts appending. */
  record(event: EventDraft): void {
    this.queue.push({ ...this.ofConversation(), at: new Date(Date.now()).toISOString(), ...event });
    if (this.batched) this.pumpSoon();
    else this.pump();
  }

  /** What every event of this conversation carries. */
  ofConversation(): Pick<LedgerEvent, 'conversationId' | 'prospectId' | 'company'> {
    return { conversationId: this.conversationId, prospectId: this.prospect.id, company: this.prospect.company };
  }

  /**
   * Lends the next batch to an activity that records it once its own work is done (a rung's first claim alert):
   * no batch starts meanwhile, so the ledger and the CRM still hear of everything in order. Null when a batch is
   * in flight or nothing waits. Every loan is answered once, by {@link repaid}.
   */
  lend(): BookkeepingBatch | null {
    if (this.inFlight || (this.queue.length === 0 && this.touches.length === 0)) return null;
    const batch = this.nextBatch();
    this.inFlight = true;
    this.lent = { events: batch.events.length, touches: batch.touches.length };
    return batch;
  }

  /** The activity that borrowed the batch answered: it recorded the batch (which leaves the queue), or not (the queue records it). */
  repaid(recorded: boolean): void {
    if (!this.lent) return;
    if (recorded) {
      this.queue.splice(0, this.lent.events);
      this.touches.splice(0, this.lent.touches);
    }
    this.lent = null;
    this.inFlight = false;
    this.pump();
  }

  /**
   * Holds batches while the loop makes its moves (`true`) and lets them go when it waits (`false`): a reply's
   * events, its escalation's and its rung's go out in one batch when the loop starts waiting for a claim.
   */
  hold(held: boolean): void {
    this.held = held;
    if (!held) this.pumpSoon();
  }

  /** Queues one CRM touch (batched runs only), to be logged with the next batch. */
  touch(touch: CrmTouch): void {
    this.touches.push(touch);
    this.pumpSoon();
  }

  /** True while a CRM touch released by the loop waits to be logged (or is being logged). */
  hasTouches(): boolean {
    return this.touches.length > 0;
  }

  /** True when every queued event is appended (and every released touch logged). */
  settled(): boolean {
    return !this.inFlight && this.queue.length === 0 && this.touches.length === 0;
  }

  /** Appends the next batch, unless one is in flight, the loop holds batches, or nothing waits. */
  pump(): void {
    if (this.inFlight || this.held || (this.queue.length === 0 && this.touches.length === 0)) return;
    this.inFlight = true;
    const { events: batch, touches } = this.nextBatch();
    const summary = describeBatch({ events: batch, touches });
    // Events are often queued from inside an alert delivery's scope; claiming cancels that scope, and the
    // ledger append must outlive it.
    void CancellationScope.nonCancellable(() =>
      this.batched
        ? recordBookkeeping.executeWithOptions({ summary: `Ledger: ${summary}` }, [{ events: batch, touches }])
        : recordLedgerEvents.executeWithOptions({ summary: `Ledger: ${summary}` }, [batch]),
    )
      .then(
        () => {
          this.queue.splice(0, batch.length);
          this.touches.splice(0, touches.length);
        },
        (err: unknown) => {
          if (isCancellation(err)) return;
          // Only a non-retryable failure (an invalid event) gets here; keeping it would block the queue. The
          // activity logged the batch's touches before failing.
          this.queue.splice(0, batch.length);
          this.touches.splice(0, touches.length);
          log.error('ledger events dropped as invalid', { conversationId: this.conversationId, eventIds: batch.map((e) => e.eventId) });
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  /** The events and touches the next batch takes, oldest first. */
  private nextBatch(): BookkeepingBatch {
    return { events: this.queue.slice(0, this.bySize ? ledgerBatchSize(this.queue, 100) : 100), touches: this.touches.slice(0, TOUCH_BATCH) };
  }

  /** Starts a batch once the code running now has queued the rest of its events and touches. */
  private pumpSoon(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    void Promise.resolve().then(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }
}
