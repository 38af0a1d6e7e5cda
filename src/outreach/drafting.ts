/**
 * Drafting through the model (`HANDOFF_MODEL_URL`): a research summary from the prospect's profile, and a message
 * in the campaign's voice from the campaign's template. The template is always the fallback: a timeout, an error,
 * or an empty or invalid answer leaves the template's words standing, and the record says why. Records carry the
 * prompt's field names and ids, never its text or the answer.
 */
import { z } from 'zod';
import type { Prospect, Voice } from '../../workflows/messages';
import { type ChatCompletionsClient, type ChatMessage, ModelError } from '../model/chatCompletions';

/** How a piece of outreach was written: by the model, or from the template (and why, when a model was asked). */
export interface DraftRecord {
  outcome: 'model' | 'template';
  /** Why the template stands: `no model configured`, or the model's failure (`timed out after 5000 ms`). */
  reason?: string;
  /** The model's name, when one was asked. */
  model?: string;
  /** The template file the words came from or the model started from (absent for research). */
  template?: string;
  /** The campaign, null for the defaults. */
  campaign: string | null;
  /** What the prompt was built from: ids and field names, never values. */
  inputs: { prospectId: string; step?: string; messageIds?: string[]; fields: string[] };
}

/** A prompt's facts, by field name; absent and empty values are left out (and out of the record). */
export type PromptFacts = Record<string, string | number | readonly string[] | null | undefined>;

/** The facts that have a value, and their names. */
function presentFacts(facts: PromptFacts): { facts: Record<string, unknown>; fields: string[] } {
  const kept = Object.entries(facts).filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
  return { facts: Object.fromEntries(kept), fields: kept.map(([k]) => k) };
}

/** The facts of a prospect a prompt may use. */
export function prospectFacts(prospect: Prospect, firstName: string): PromptFacts {
  const industry = typeof prospect.profile.industry === 'string' ? prospect.profile.industry : undefined;
  return { 'prospect.firstName': firstName, 'prospect.title': prospect.title, 'prospect.company': prospect.company, 'prospect.industry': industry };
}

/** The facts of a campaign's voice a prompt may use. */
export function voiceFacts(voice: Voice): PromptFacts {
  return { 'voice.tone': voice.tone, 'voice.senderName': voice.senderName, 'voice.product': voice.product };
}

const MessageAnswerSchema = z.object({
  subject: z.string().trim().max(200),
  body: z.string().trim().min(1, 'the body is empty').max(5000),
});

const SummaryAnswerSchema = z.object({ summary: z.string().trim().min(1, 'the summary is empty').max(1000) });

const DRAFT_PROMPT = `You write one sales email for a campaign, in the campaign's voice and tone.
Use only the facts given: never invent claims, numbers, customers or features. At most 150 words.
The draft is the campaign's own template for this message: keep its intent, its ask and its sign-off.
Answer with JSON only: {"subject": "...", "body": "..."} (plain text body, no placeholders).`;

const REPLY_PROMPT = `You suggest the reply a sales rep could send next in a conversation with a prospect, in the campaign's voice.
Answer what the prospect said last and refer to what was already said; use only the facts given, never invent
prices, dates or commitments. At most 120 words. The draft is the campaign's template: keep its sign-off.
Answer with JSON only: {"subject": "...", "body": "..."} (plain text body, no placeholders).`;

const SUMMARY_PROMPT = `You research a B2B sales prospect for the rep writing to them, from their record only.
In two sentences: their likely role and priorities, and what matters to their company. Never invent facts.
Answer with JSON only: {"summary": "..."}.`;

/** Why a model's message is unusable, or null. */
function unusable(message: { subject: string; body: string }, needsSubject: boolean): string | null {
  if (needsSubject && !message.subject) return 'answer is invalid: the subject is empty';
  if (/\{\{|\}\}/.test(message.subject + message.body)) return 'answer is invalid: it leaves a {{placeholder}}';
  return null;
}

function failure(err: unknown): string {
  return err instanceof ModelError ? err.message : 'model failed';
}

/** One message of a thread as a prompt shows it: who wrote it and what it said (cut to a few thousand characters). */
export interface ThreadExcerpt {
  author: 'automation' | 'prospect' | 'rep';
  at: string;
  subject?: string;
  text: string;
}

/** What a model draft answers: the message, or the reason to keep the template. */
export type ModelDraft = { ok: true; subject: string; body: string; fields: string[] } | { ok: false; reason: string; fields: string[] };

/**
 * Asks the model for a message from the template's draft and the facts. Never rejects: a failure or an unusable
 * answer comes back as `{ ok: false, reason }`.
 */
export async function draftWithModel(
  client: ChatCompletionsClient,
  kind: 'step' | 'reply',
  draft: { subject: string | null; body: string },
  facts: PromptFacts,
  conversation?: readonly ThreadExcerpt[],
): Promise<ModelDraft> {
  const { facts: given, fields } = presentFacts(facts);
  const allFields = [...fields, 'draft', ...(conversation?.length ? ['thread'] : [])];
  try {
    const messages: ChatMessage[] = [
      { role: 'system', content: kind === 'reply' ? REPLY_PROMPT : DRAFT_PROMPT },
      { role: 'user', content: JSON.stringify({ facts: given, draft, ...(conversation?.length ? { thread: conversation } : {}) }) },
    ];
    const answer = await client.json(messages, MessageAnswerSchema, { temperature: 0.3 });
    const reason = unusable(answer, draft.subject !== null);
    if (reason) return { ok: false, reason, fields: allFields };
    return { ok: true, subject: answer.subject || (draft.subject ?? ''), body: answer.body, fields: allFields };
  } catch (err) {
    return { ok: false, reason: failure(err), fields: allFields };
  }
}

/**
 * Asks the model for a research summary of the prospect from its record (name, title, company, email domain and
 * profile). Never rejects.
 */
export async function summarizeWithModel(client: ChatCompletionsClient, prospect: Prospect): Promise<{ ok: true; summary: string; fields: string[] } | { ok: false; reason: string; fields: string[] }> {
  const facts: Record<string, unknown> = {
    'prospect.name': prospect.name,
    'prospect.company': prospect.company,
    'prospect.emailDomain': prospect.email.split('@')[1],
    ...(prospect.title ? { 'prospect.title': prospect.title } : {}),
    ...Object.fromEntries(Object.entries(prospect.profile).map(([k, v]) => [`prospect.profile.${k}`, v])),
  };
  const fields = Object.keys(facts);
  try {
    const answer = await client.json(
      [
        { role: 'system', content: SUMMARY_PROMPT },
        { role: 'user', content: JSON.stringify(facts).slice(0, 8000) },
      ],
      SummaryAnswerSchema,
    );
    if (/\{\{|\}\}/.test(answer.summary)) return { ok: false, reason: 'answer is invalid: it leaves a {{placeholder}}', fields };
    return { ok: true, summary: answer.summary, fields };
  } catch (err) {
    return { ok: false, reason: failure(err), fields };
  }
}
