/**
 * What the outside sees of a conversation: the search attributes the API and the Temporal UI filter by, the UI's
 * current details, and the answers to the state and counts queries.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { boundState } from '../bounds';
import { isOwnedStage, type ConversationCounts, type ConversationState } from '../messages';
import { HandoffAssignee, HandoffCompany, HandoffNextActionTime, HandoffStage, HandoffTier, HandoffTrigger } from '../searchAttributes';
import type { Conversation } from './conversation';
import { currentRung } from './escalation';
import { latestRecord, prospectReplies } from './memory';
import { escalationLabel, reasonLabel } from './packet';
import { referralLines, taskLine } from './tasks';
import { workingDeadlineLabel } from '../workingTime';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The next cadence step and when it is due, while automation runs (or is paused for a reply). */
export function nextStep(c: Conversation): ConversationState['nextStep'] {
  const { m } = c;
  if (m.stage !== 'automating' && m.stage !== 'paused') return null;
  const step = c.cadence[m.stepIndex];
  return step ? { index: m.stepIndex, name: step.name, at: new Date(c.stepDueAt(m.stepIndex)).toISOString() } : null;
}

/** The counts query's answer: what arrived against the limits. */
export function counts(c: Conversation): ConversationCounts {
  return { ...c.tally, repliesInThread: prospectReplies(c.m) };
}

/** The state query's answer, within its size budget. */
export function state(c: Conversation): ConversationState {
  const { m } = c;
  const latest = latestRecord(m);
  return boundState({
    conversationId: c.id,
    stage: m.stage,
    prospect: c.prospect,
    thread: m.thread,
    ladder: latest?.rungs ?? [],
    packet: latest ? c.packetFor(latest) : null,
    escalations: m.escalations,
    owner: m.owner,
    nextStep: nextStep(c),
    outcome: m.outcome,
    optedOut: m.optedOut,
    sent: m.sent,
    counts: counts(c),
    meetings: m.meetings ?? [],
    ...(m.referrals ? { referrals: m.referrals } : {}),
    ...(c.input.referredBy ? { referredBy: c.input.referredBy } : {}),
  });
}

/**
 * The search attributes of runs started with fewer history events: one upsert for all the changes the code running
 * now makes, carrying only the attributes whose values changed since the last.
 */
export class SearchAttributeWriter {
  /** Each attribute's value as last upserted, as JSON. */
  private readonly upserted = new Map<string, string>();
  private latest: SearchAttributeUpdatePair[] | null = null;
  private scheduled = false;
  /** While the loop makes its moves (runs with bookkeeping at waits), upserts wait for it to wait. */
  private held = false;

  /** Upserts `pairs` (the whole set, as now) once the code running now is done publishing (and the loop waits). */
  write(pairs: SearchAttributeUpdatePair[]): void {
    this.latest = pairs;
    if (!this.held) this.flushSoon();
  }

  /** Holds upserts while the loop makes its moves (`true`) and lets the latest go when it waits (`false`). */
  hold(held: boolean): void {
    this.held = held;
    if (!held && this.latest !== null) this.flushSoon();
  }

  private flushSoon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    void Promise.resolve().then(() => {
      this.scheduled = false;
      if (!this.held) this.flush();
    });
  }

  private flush(): void {
    const changed = (this.latest ?? []).filter(({ key, value }) => {
      const json = JSON.stringify(value);
      if (this.upserted.get(key.name) === json) return false;
      this.upserted.set(key.name, json);
      return true;
    });
    this.latest = null;
    if (changed.length > 0) upsertSearchAttributes(changed);
  }
}

/** Keeps the search attributes and the UI's current details in step with the state. */
export function publish(c: Conversation): void {
  const { m, prospect } = c;
  const latest = latestRecord(m);
  const rung = latest ? currentRung(latest) : undefined;
  const next = nextStep(c);
  const assignees = isOwnedStage(m.stage) && m.owner ? [m.owner] : m.stage === 'escalated' && rung ? rung.assignees.map((a) => a.repId) : [];
  // A low-priority task has no claim deadline: nothing is due until someone acts.
  const nextAction = m.stage === 'escalated' && rung?.outcome === 'pending' ? (latest?.task ? null : rung.deadline) : next?.at;
  const pairs: SearchAttributeUpdatePair[] = [
    { key: HandoffStage, value: m.stage },
    { key: HandoffCompany, value: prospect.company },
    { key: HandoffAssignee, value: assignees },
    { key: HandoffTier, value: m.stage === 'escalated' && rung ? rung.tier : 0 },
  ];
  if (latest) pairs.push({ key: HandoffTrigger, value: escalationLabel(latest) });
  pairs.push({ key: HandoffNextActionTime, value: nextAction ? new Date(nextAction) : null });
  if (c.searchAttributes) c.searchAttributes.write(pairs);
  else upsertSearchAttributes(pairs);

  const summary = `sent ${m.sent.length} of ${c.cadence.length} steps, ${plural(prospectReplies(m), 'reply', 'replies')}, ${plural(m.escalations.length, 'escalation', 'escalations')}`;
  // The UI shows these in a short fixed-height panel: the stage and the counts share the first line.
  const lines = [`**${prospect.name}** (${prospect.company}): **${m.stage.replace('_', ' ')}** · ${summary}`];
  if (m.stage === 'escalated' && latest?.task) lines.push(taskLine(latest.task, rung));
  else if (m.stage === 'escalated' && latest && rung) {
    const working = rung.workingTime ? ` (${workingDeadlineLabel(rung.workingTime)})` : '';
    lines.push(
      `Escalated (${reasonLabel(latest.reason)}) to ${rung.assignees.map((a) => a.name).join(', ') || 'nobody available'} ` +
        `(tier ${rung.tier}), claim deadline ${rung.deadline}${working}`,
    );
    if (latest.unclaimed) {
      lines.push(`Unclaimed after ${plural(latest.unclaimed.realerts, 're-alert', 're-alerts')}; managers told: ${latest.unclaimed.managers.join(', ') || 'none in the roster'}`);
    }
  }
  if (isOwnedStage(m.stage) && m.owner) lines.push(`Owned by ${m.owner}`);
  const meeting = m.meetings?.[m.meetings.length - 1];
  if (m.stage === 'meeting_booked' && meeting) lines.push(`Meeting ${meeting.number} at ${meeting.startsAt} (${meeting.durationMinutes} min) with ${meeting.repId}`);
  if (next) lines.push(`Next: ${next.name} at ${next.at}`);
  lines.push(...referralLines(c.input.referredBy, m.referrals));
  setCurrentDetails(lines.join('\n\n'));
}
