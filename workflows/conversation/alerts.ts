/**
 * Alerts to reps, in the background: the claim alerts of a rung, the alert telling a new owner a reassigned
 * conversation is theirs, and replies forwarded to the owner. The dispatcher owns their cancellation scopes, so
 * a claim, a reassignment or the end of the conversation stops exactly the alerts it makes pointless, and it
 * counts what is in flight so continue-as-new waits for them.
 */
import { CancellationScope, isCancellation, log } from '@temporalio/workflow';
import type { RouteDecision } from '../../activities/routing';
import type { AlertDeliveryRecord, EscalationRecord, ReassignInput, Reassignment } from '../messages';
import { deliverAlert } from './activities';
import type { Conversation } from './conversation';
import { currentRung, markUndeliverable, type Silence } from './escalation';
import { eventIds } from './eventIds';
import { describeBatch } from './ledger';

function errorText(err: unknown): string {
  return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
}

/** Runs a conversation's alert deliveries in cancellation scopes, per escalation. */
export class AlertDispatcher {
  /** Claim alerts of each escalation's rungs, per escalation number. */
  private readonly claimScopes: Record<number, CancellationScope> = {};
  /** The alert telling a new owner a reassigned conversation is theirs, per escalation number. */
  private readonly handoverScopes: Record<number, CancellationScope> = {};
  /** Replies forwarded to the owner of a claimed escalation, per escalation number. */
  private readonly forwardScopes: Record<number, CancellationScope> = {};
  private inFlight = 0;

  constructor(private readonly c: Conversation) {}

  /** True when no delivery is in flight (runtime only: deliveries finish before continue-as-new). */
  idle(): boolean {
    return this.inFlight === 0;
  }

  /** Stops an escalation's claim alerts, or all of its alerts. */
  silence({ escalation, alerts }: Silence): void {
    this.claimScopes[escalation]?.cancel();
    if (alerts === 'all') this.handoverScopes[escalation]?.cancel();
  }

  /** Stops every alert still in flight: the conversation is over. */
  stopAll(): void {
    for (const scope of [...Object.values(this.claimScopes), ...Object.values(this.handoverScopes), ...Object.values(this.forwardScopes)]) scope.cancel();
  }

  /** Alerts a rung's assignees, each on their channels in order, beside the claim wait: a slow channel never holds the ladder up. */
  alertRung(record: EscalationRecord, rungIndex: number, assignees: RouteDecision['assignees']): void {
    const scope = (this.claimScopes[record.number] ??= new CancellationScope());
    // Runs with `alert-carries-bookkeeping`: the first assignee's alert carries what the conversation holds (the
    // reply's and the escalation's events, and the CRM touches, which the CRM hears of after the rep) and records it
    // with its own `alerted` event once delivered: two bookkeeping activities fewer a rung.
    const carries = this.c.ledger.batched && this.c.patches.has('alert-carries-bookkeeping');
    if (carries) void this.c.drainTouches();
    assignees.forEach((assignee, i) => this.inBackground(scope, () => this.alertAssignee(record, rungIndex, assignee, carries && i === 0)));
  }

  /**
   * Tells the managers an escalation ended unclaimed at the re-alert cap, each on their channels in order. Runs
   * with the claim alerts, so a claim stops what is still in flight.
   */
  tellManagers(record: EscalationRecord, managers: RouteDecision['assignees']): void {
    const c = this.c;
    const scope = (this.claimScopes[record.number] ??= new CancellationScope());
    const rung = currentRung(record);
    const unclaimed = record.unclaimed!;
    for (const manager of managers) {
      this.inBackground(scope, () =>
        this.tellInOrder(manager.repId, manager.channels, unclaimed.deliveries, record, 'unclaimed notice undeliverable on every channel', (channel) =>
          deliverAlert.executeWithOptions({ summary: `Tell ${manager.name} escalation ${record.number} is unclaimed, via ${channel}` }, [
            {
              idempotencyKey: `${c.id}/esc-${record.number}/unclaimed/${manager.repId}/${channel}`,
              channel,
              repId: manager.repId,
              packet: c.packetFor(record),
              tier: rung?.tier ?? 0,
              deadline: rung?.deadline ?? unclaimed.at,
              workflowId: c.id,
              purpose: 'unclaimed',
            },
          ]),
        ),
      );
    }
  }

  /** Tells the new owner of a reassigned escalation on their own channels in order; replaces an alert still in flight. */
  tellNewOwner(record: EscalationRecord, entry: Reassignment, number: number, input: ReassignInput): void {
    const rung = currentRung(record);
    const c = this.c;
    this.handoverScopes[record.number]?.cancel();
    const scope = (this.handoverScopes[record.number] = new CancellationScope());
    this.inBackground(scope, () =>
      this.tellInOrder(input.repId, input.newOwner.channels, entry.deliveries, record, 'reassignment alert undeliverable on every channel', (channel) =>
        deliverAlert.executeWithOptions({ summary: `Tell ${input.newOwner.name} the conversation is theirs, via ${channel}` }, [
          {
            idempotencyKey: `${c.id}/esc-${record.number}/reassigned-${number}/${input.repId}/${channel}`,
            channel,
            repId: input.repId,
            packet: c.packetFor(record),
            tier: rung?.tier ?? 0,
            deadline: rung?.deadline ?? entry.at,
            workflowId: c.id,
            purpose: 'reassigned',
          },
        ]),
      ),
    );
  }

  /** Forwards a reply to the owner of a claimed escalation, on the channel that last reached them (the outbox when none did). */
  forward(record: EscalationRecord, owner: string, messageId: string): void {
    const c = this.c;
    const rung = currentRung(record);
    const reached = record.rungs.flatMap((r) => r.deliveries ?? []).filter((d) => d.repId === owner && d.status === 'delivered');
    const channel = reached[reached.length - 1]?.channel ?? 'outbox';
    // The claim cancelled the escalation's claim alerts, so a forward in that scope was never sent (though it
    // still took an activity id). Runs recorded before forwards had a scope of their own replay that way.
    const ownScope = c.patches.has('forward-replies-to-owner');
    this.inFlight++;
    const scope = ownScope ? (this.forwardScopes[record.number] ??= new CancellationScope()) : (this.claimScopes[record.number] ??= new CancellationScope());
    void scope
      .run(() =>
        deliverAlert.executeWithOptions({ summary: `Forward reply ${messageId} to ${owner}` }, [
          {
            idempotencyKey: `${c.id}/esc-${record.number}/forward-${messageId}`,
            channel,
            repId: owner,
            packet: c.packetFor(record),
            tier: rung?.tier ?? 0,
            deadline: rung?.deadline ?? new Date(Date.now()).toISOString(),
            workflowId: c.id,
            purpose: 'forward',
          },
        ]),
      )
      .catch((err: unknown) => {
        if (!isCancellation(err)) log.warn('forwarding a reply to the owner failed', { conversationId: c.id, owner, messageId });
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  /**
   * Tells one rep on their channels in order until one delivers, recording each attempt in `deliveries`; logs
   * `undeliverable` when none does. `send` returns the activity's own promise, so each send is awaited here directly.
   */
  private async tellInOrder(
    repId: string,
    channels: readonly string[],
    deliveries: AlertDeliveryRecord[],
    record: EscalationRecord,
    undeliverable: string,
    send: (channel: string) => Promise<{ deliveredAt: string }>,
  ): Promise<void> {
    for (const channel of channels) {
      try {
        const result = await send(channel);
        deliveries.push({ repId, channel, status: 'delivered', at: result.deliveredAt });
        return;
      } catch (err) {
        if (isCancellation(err)) throw err;
        deliveries.push({ repId, channel, status: 'failed', at: new Date(Date.now()).toISOString(), error: errorText(err) });
      }
    }
    log.warn(undeliverable, { conversationId: this.c.id, repId, escalation: record.number });
  }

  /** Runs `work` in `scope` without waiting for it; a cancellation ends it quietly. */
  private inBackground(scope: CancellationScope, work: () => Promise<void>): void {
    this.inFlight++;
    void scope
      .run(work)
      .catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  /**
   * Alerts one assignee on their channels in order; a channel that keeps failing falls back to the next. With
   * `carries`, the first attempt borrows the conversation's held bookkeeping (see `LedgerQueue.lend`).
   */
  private async alertAssignee(record: EscalationRecord, rungIndex: number, assignee: RouteDecision['assignees'][number], carries: boolean): Promise<void> {
    const c = this.c;
    const rung = record.rungs[rungIndex]!;
    const trigger = c.m.thread.find((t) => t.messageId === record.triggeringMessageId);
    const replyAt = trigger?.at ?? record.escalatedAt;
    const alerted = (channel: string) => ({
      eventId: eventIds.alerted(c.id, record.number, rungIndex + 1, assignee.repId),
      kind: 'alerted' as const,
      escalation: record.number,
      reason: record.reason,
      trigger: record.trigger,
      tier: rung.tier,
      repId: assignee.repId,
      channel,
      ...(rung.offHours ? { offHours: rung.offHours.policy } : {}),
    });
    for (const [attempt, channel] of assignee.channels.entries()) {
      const carried = carries && attempt === 0 ? c.ledger.lend() : null;
      try {
        const carrying = carried ? `, then the ledger: ${describeBatch(carried)}, alerted` : '';
        const result = await deliverAlert.executeWithOptions({ summary: `Alert ${assignee.name} (tier ${rung.tier}) via ${channel}${carrying}` }, [
          {
            ...(carried ? { bookkeeping: { ...carried, alerted: { ...c.ledger.ofConversation(), ...alerted(channel) }, replyAt, notBefore: new Date(Date.now()).toISOString() } } : {}),
            idempotencyKey: `${c.id}/esc-${record.number}/rung-${rungIndex + 1}/${assignee.repId}/${channel}`,
            channel,
            repId: assignee.repId,
            packet: c.packetFor(record),
            tier: rung.tier,
            deadline: rung.deadline,
            ...(rung.workingTime ? { workingTime: { windowMs: rung.workingTime.windowMs, countsFrom: rung.workingTime.countsFrom, timeZone: rung.workingTime.timeZone } } : {}),
            workflowId: c.id,
            purpose: 'claim',
            escalation: record.number,
            rung: rungIndex + 1,
          },
        ]);
        (rung.deliveries ??= []).push({ repId: assignee.repId, channel, status: 'delivered', at: result.deliveredAt });
        const bookkept = carried !== null && result.bookkept === true;
        // Queued before the loan is answered, so what the alert could not record goes out with it in one batch.
        if (!bookkept) c.ledger.record({ ...alerted(channel), replyToAlertMs: Math.max(0, Date.parse(result.deliveredAt) - Date.parse(replyAt)) });
        if (carried) c.ledger.repaid(bookkept);
        return;
      } catch (err) {
        // A cancelled alert may still have recorded what it carried: the queue records it again, and ids dedupe.
        if (carried) c.ledger.repaid(false);
        if (isCancellation(err)) throw err;
        (rung.deliveries ??= []).push({ repId: assignee.repId, channel, status: 'failed', at: new Date(Date.now()).toISOString(), error: errorText(err) });
      }
    }
    markUndeliverable(rung, assignee.repId);
    c.ledger.record({
      eventId: eventIds.alertFailed(c.id, record.number, rungIndex + 1, assignee.repId),
      kind: 'alert_failed',
      escalation: record.number,
      reason: record.reason,
      tier: rung.tier,
      repId: assignee.repId,
      error: rung.deliveries?.filter((d) => d.repId === assignee.repId).map((d) => `${d.channel}: ${d.error ?? d.status}`).join('; ') ?? 'no channel',
    });
    log.warn('alert undeliverable on every channel', { conversationId: c.id, repId: assignee.repId, escalation: record.number });
  }
}
