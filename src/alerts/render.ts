/**
 * Turns a handoff packet into the alert every channel sends: the title, the evidence quote, the link to the
 * conversation in the Temporal UI and the claim link.
 */
import type { EscalationReason, HandoffPacket } from '../../workflows/messages';
import type { RepSuggestion } from '../outreach/repSuggestion';
import type { Team } from '../routing/roster';
import type { AlertPurpose, RenderedAlert } from './channel';
import { workingDeadlineLabel, type WorkingDeadline } from '../../workflows/workingTime';

const REASON_LABELS: Record<EscalationReason, string> = {
  human_request: 'Asked for a person',
  buying_intent: 'Buying intent',
  pricing: 'Pricing question',
  technical: 'Technical question',
  manual: 'Manual escalation',
};

/** A reason as people read it (`pricing` → `Pricing question`). */
export function reasonLabel(reason: EscalationReason): string {
  return REASON_LABELS[reason];
}

/** The conversation's page in the Temporal UI. */
export function conversationUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The claim link for a token: `<base>/<token>` (the API route accepts the token as its last path segment). */
export function claimUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${token}`;
}

/** The prospect's words that triggered the escalation: the evidence spans joined, or the manual note. */
export function evidenceQuote(packet: HandoffPacket): string | null {
  const spans = [...new Set(packet.evidence.map((e) => e.text.trim()).filter((t) => t !== ''))];
  if (spans.length > 0) return spans.join(' … ');
  return packet.manualNote?.trim() || null;
}

/** Everything needed to render one alert. */
export interface AlertRenderInput {
  idempotencyKey: string;
  workflowId: string;
  tier: number;
  deadline: string;
  /** Set when the deadline counts working time only. */
  workingTime?: WorkingDeadline;
  packet: HandoffPacket;
  team: Team | null;
  uiUrl: string;
  namespace: string;
  /** Absent: `claim`. */
  purpose?: AlertPurpose;
  claimUrl: string | null;
  /** The reply the rep could send; absent: none. */
  suggestedReply?: RepSuggestion | null;
}

const TITLE_PREFIX: Record<AlertPurpose, string> = { claim: '', forward: 'New reply · ', reassigned: 'Now yours · ', unclaimed: 'Unclaimed · ' };

const TASK_TITLES: Record<NonNullable<HandoffPacket['task']>['kind'], string> = { reply: 'Reply needs a human answer', referral: 'Referral to follow up' };

/** Renders the alert shared by all channels. */
export function renderAlert(input: AlertRenderInput): RenderedAlert {
  const { packet } = input;
  const purpose = input.purpose ?? 'claim';
  return {
    idempotencyKey: input.idempotencyKey,
    workflowId: input.workflowId,
    tier: input.tier,
    deadline: input.deadline,
    ...(input.workingTime ? { deadlineInWorkingTime: workingDeadlineLabel(input.workingTime) } : {}),
    title: packet.task
      ? `${TITLE_PREFIX[purpose]}${TASK_TITLES[packet.task.kind]} (low priority): ${packet.prospect.name} (${packet.prospect.company})`
      : `${TITLE_PREFIX[purpose]}${reasonLabel(packet.reason)}: ${packet.prospect.name} (${packet.prospect.company}), tier ${input.tier}`,
    evidenceQuote: evidenceQuote(packet),
    conversationUrl: conversationUrl(input.uiUrl, input.namespace, input.workflowId),
    purpose,
    claimUrl: input.claimUrl,
    packet,
    suggestedReply: input.suggestedReply ?? null,
    team: input.team
      ? { id: input.team.id, slackWebhookUrl: input.team.slackWebhookUrl, webhookUrl: input.team.webhookUrl }
      : null,
  };
}
