/**
 * The conversation's ledger queue: events wait in memory (so they travel through continue-as-new) and are
 * appended in the background, one batch at a time, in order. Nothing waits on an append but continue-as-new and
 * the end of the conversation.
 */
import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { LedgerEvent } from '../../src/ledger/events';
import type { Prospect } from '../messages';
import { ledgerBatchSize } from '../bounds';
import { recordLedgerEvents } from './activities';
import type { EventDraft } from './escalation';

/** Appends a conversation's ledger events in order, in the background. */
export class LedgerQueue {
  private inFlight = false;

  /**
   * @param queue the memory's queue of events not yet appended (shared, so it is carried through continue-as-new)
   * @param bySize batches are cut by size as well as count (runs started with the conversation limits)
   */
  constructor(
    private readonly conversationId: string,
    private readonly prospect: Pick<Prospect, 'id' | 'company'>,
    private readonly queue: LedgerEvent[],
    private readonly bySize: boolean,
  ) {}

  /** Queues one event for this conversation, at `at` (default: now), and starts appending. */
  record(event: EventDraft): void {
    this.queue.push({ conversationId: this.conversationId, prospectId: this.prospect.id, company: this.prospect.company, at: new Date(Date.now()).toISOString(), ...event });
    this.pump();
  }

  /** True when every queued event is appended. */
  settled(): boolean {
    return !this.inFlight && this.queue.length === 0;
  }

  /** Appends the next batch, unless one is in flight or nothing waits. */
  pump(): void {
    if (this.inFlight || this.queue.length === 0) return;
    this.inFlight = true;
    const batch = this.queue.slice(0, this.bySize ? ledgerBatchSize(this.queue, 100) : 100);
    // Events are often queued from inside an alert delivery's scope; claiming cancels that scope, and the
    // ledger append must outlive it.
    void CancellationScope.nonCancellable(() =>
      recordLedgerEvents.executeWithOptions({ summary: `Ledger: ${batch.map((e) => e.kind).join(', ')}` }, [batch]),
    )
      .then(
        () => {
          this.queue.splice(0, batch.length);
        },
        (err: unknown) => {
          if (isCancellation(err)) return;
          // Only a non-retryable failure (an invalid event) gets here; keeping it would block the queue.
          this.queue.splice(0, batch.length);
          log.error('ledger events dropped as invalid', { conversationId: this.conversationId, eventIds: batch.map((e) => e.eventId) });
        },
      )
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }
}
