/**
 * The words of a handoff: why a conversation escalated, what the rep should do next, and the packet that gives
 * the rep the whole story so the buyer never repeats themselves. No Temporal calls here.
 */
import type { EscalationReason, EscalationRecord, HandoffPacket, HumanReplyTask, TASK_LABELS, MeetingOffer, Prospect, ThreadMessage, Trigger } from '../messages';

const REASON_WORDS: Record<EscalationReason, string> = {
  human_request: 'asked for a person',
  buying_intent: 'showed buying intent',
  pricing: 'asked about pricing or commercial terms',
  technical: 'raised a technical question or objection',
  manual: 'was escalated by hand',
};

/** A short label for a reason, for summaries and search attributes. */
export function reasonLabel(reason: EscalationReason): string {
  return reason.replace('_', ' ');
}

/** One sentence on why the conversation escalated. */
export function escalationSummary(prospect: Prospect, record: EscalationRecord): string {
  const who = `${prospect.name} (${prospect.title ? `${prospect.title}, ` : ''}${prospect.company})`;
  const rules = record.rulesFired.length ? ` Rules: ${record.rulesFired.join(', ')}.` : '';
  const note = record.manualNote ? ` Note: ${record.manualNote}` : '';
  const words = record.task ? TASK_WORDS[record.task.kind] : REASON_WORDS[record.reason];
  return `${who} ${words}.${rules}${note}`;
}

const TASK_WORDS: Record<HumanReplyTask['kind'], string> = {
  reply: 'wrote a reply that needs a human answer (a low-priority task: no deadline, no re-alerts)',
  referral: 'pointed us to someone else without an address we could contact (a low-priority task: no deadline, no re-alerts)',
};

const TASK_NEXT_STEPS: Record<HumanReplyTask['kind'], string> = {
  reply: 'Claim it, read the reply and answer it personally; hand it back to resume the cadence, or close it.',
  referral: 'Claim it, find the person or department they named and reach out (or ask the prospect for an introduction).',
};

/** A short label for what an escalation is: its reason, or for a low-priority task `human_reply` or `referral`. */
export function escalationLabel(record: Pick<EscalationRecord, 'reason' | 'task'>): EscalationReason | (typeof TASK_LABELS)[number] {
  return record.task ? (record.task.kind === 'reply' ? 'human_reply' : 'referral') : record.reason;
}

const NEXT_STEPS: Record<EscalationReason, string> = {
  human_request: 'Reply personally within minutes: introduce yourself and offer a time to talk.',
  buying_intent: 'Offer two meeting times and confirm who else should join.',
  pricing: 'Answer the commercial question or offer a short call to scope seats and terms; do not quote before scoping.',
  technical: 'Bring in a solutions engineer, or answer with documentation that matches their stack.',
  manual: 'Read the note and the thread, then reply personally.',
};

/** The suggested next step for the rep who claims. */
export function suggestedNextStep(reason: EscalationReason, trigger: Trigger | null): string {
  return NEXT_STEPS[reason === 'manual' && trigger ? trigger : reason];
}

/** The meeting times an escalation offered: those of the rung asking its owner, else of the latest rung that had some. */
export function offeredMeeting(record: EscalationRecord): MeetingOffer | undefined {
  const offers = record.rungs.flatMap((r) => (r.meetingOffer ? [r.meetingOffer] : []));
  return offers.findLast((o) => o.repId === record.claimedBy) ?? offers[offers.length - 1];
}

/** Builds the packet a rep receives: the whole story, so the buyer never repeats themselves. */
export function buildPacket(input: {
  conversationId: string;
  prospect: Prospect;
  research: Record<string, unknown> | null;
  record: EscalationRecord;
  thread: ThreadMessage[];
  sent: { step: number; name: string; at: string }[];
  campaign?: string;
}): HandoffPacket {
  const { record } = input;
  return {
    conversationId: input.conversationId,
    prospect: input.prospect,
    ...(input.campaign === undefined ? {} : { campaign: input.campaign }),
    research: input.research,
    reason: record.reason,
    summary: escalationSummary(input.prospect, record),
    triggeringMessageId: record.triggeringMessageId,
    evidence: record.evidence,
    rulesFired: record.rulesFired,
    ...(record.modelVersion !== undefined || record.decidedBy
      ? { readers: { rulesVersion: record.rulesVersion, modelVersion: record.modelVersion ?? null, decidedBy: record.decidedBy ?? {} } }
      : {}),
    ...(record.manualNote ? { manualNote: record.manualNote } : {}),
    thread: input.thread,
    automationSent: input.sent.map(({ step, name, at }) => ({ step, name, at })),
    suggestedNextStep: record.task ? TASK_NEXT_STEPS[record.task.kind] : suggestedNextStep(record.reason, record.trigger),
    escalatedAt: record.escalatedAt,
    ...(offeredMeeting(record) ? { meeting: offeredMeeting(record) } : {}),
    ...(record.task ? { task: record.task } : {}),
  };
}
