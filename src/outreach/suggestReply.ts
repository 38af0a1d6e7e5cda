/**
 * The reply a rep could send next: in the campaign's voice, answering the prospect's latest message and referring
 * to what the automation already said. Written from the campaign's `reply.md` template, rewritten by the model
 * when one is configured (the template is the fallback).
 */
import { VoiceSchema, type Prospect, type ThreadMessage, type Voice } from '../../workflows/messages';
import type { ChatCompletionsClient } from '../model/chatCompletions';
import { campaignTemplate } from './campaignTemplates';
import { templateValues, type CampaignWords } from './composer';
import { draftWithModel, prospectFacts, voiceFacts, type DraftRecord, type ThreadExcerpt } from './drafting';
import { renderTemplate } from './templates';

/** A suggested reply for the rep, and how it was written. */
export interface SuggestedReply {
  subject: string;
  body: string;
  drafting: DraftRecord;
}

/** How many of the latest messages the model reads, and how much of each. */
const THREAD_MESSAGES = 12;
const EXCERPT_CHARS = 2000;

/** The first line of a message that is the writer's own (not blank, not quoted), cut short. */
function openingLine(text: string): string | undefined {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('>'));
  return line && line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Which of the campaign's talking points the reply picks up: the latest one the automation already made, else
 * the one after those already sent.
 */
function pointToPickUp(thread: readonly ThreadMessage[], points: readonly string[]): number {
  const sent = thread.filter((m) => m.author === 'automation');
  for (let i = sent.length - 1; i >= 0; i--) {
    const found = points.findIndex((p) => sent[i]!.text.includes(p));
    if (found >= 0) return found;
  }
  return sent.length;
}

/**
 * Suggests the rep's next reply in a conversation.
 * @throws UnknownCampaignError, TemplateError or TemplateValueMissingError as the composer does.
 */
export async function suggestReply(
  thread: readonly ThreadMessage[],
  campaign: CampaignWords,
  prospect: Prospect,
  options: { voice?: Voice; model?: ChatCompletionsClient | null } = {},
): Promise<SuggestedReply> {
  const voice = options.voice ?? campaign.campaign?.voice ?? VoiceSchema.parse({});
  const template = campaignTemplate(campaign.campaign?.templates, 'reply', campaign.name ?? undefined);
  const firstSubject = thread.find((m) => m.subject)?.subject?.replace(/^(re:\s*)+/i, '');
  const lastReply = [...thread].reverse().find((m) => m.author === 'prospect');
  const values = {
    ...templateValues(prospect, voice, campaign, pointToPickUp(thread, campaign.campaign?.talkingPoints ?? [])),
    'thread.subject': firstSubject ?? voice.product,
    'thread.lastReply': lastReply ? openingLine(lastReply.text) : undefined,
    firstSubject,
  };
  const rendered = renderTemplate(template, values);
  const subject = rendered.subject ?? `Re: ${values['thread.subject']}`;
  const latest = thread.slice(-THREAD_MESSAGES);
  const record = (outcome: DraftRecord['outcome'], fields: string[], reason?: string): DraftRecord => ({
    outcome,
    ...(reason ? { reason } : {}),
    ...(options.model ? { model: options.model.name } : {}),
    template: template.file,
    campaign: campaign.name,
    inputs: { prospectId: prospect.id, messageIds: latest.map((m) => m.messageId), fields },
  });
  if (!options.model) return { subject, body: rendered.body, drafting: record('template', [], 'no model configured') };
  const excerpts: ThreadExcerpt[] = latest.map((m) => ({ author: m.author, at: m.at, ...(m.subject ? { subject: m.subject } : {}), text: m.text.slice(0, EXCERPT_CHARS) }));
  const facts = {
    ...prospectFacts(prospect, values['prospect.firstName']!),
    ...voiceFacts(voice),
    'campaign.valueProposition': values.valueProposition,
    'campaign.talkingPoints': campaign.campaign?.talkingPoints,
  };
  const draft = await draftWithModel(options.model, 'reply', { subject, body: rendered.body }, facts, excerpts);
  if (!draft.ok) return { subject, body: rendered.body, drafting: record('template', draft.fields, draft.reason) };
  return { subject: draft.subject, body: draft.body, drafting: record('model', draft.fields) };
}
