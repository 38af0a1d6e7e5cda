/**
 * Composing outreach messages in the campaign's words: each cadence step is written from the campaign's template
 * for it (see `./campaignTemplates`), filled with the prospect and the campaign's talking points and value
 * proposition. With a model configured, the model rewrites the filled template in the campaign's voice, and the
 * template is the fallback.
 */
import type { CadenceStepInput, Prospect, Voice } from '../../workflows/messages';
import { UnknownCampaignError } from '../campaignErrors';
import type { Campaign, Config } from '../config';
import type { ChatCompletionsClient } from '../model/chatCompletions';
import { campaignTemplate } from './campaignTemplates';
import { draftWithModel, prospectFacts, voiceFacts, type DraftRecord } from './drafting';
import type { ProspectResearch } from './research';
import { renderTemplate, type TemplateValues } from './templates';

/** What a composer gets for one cadence step. */
export interface ComposeInput {
  prospect: Prospect;
  research: ProspectResearch;
  voice: Voice;
  step: CadenceStepInput;
  stepIndex: number;
  /** Subjects already sent, so follow-ups can thread under the first. */
  previousSubjects: string[];
  /** The campaign the conversation runs for; absent for the defaults (and conversations started before campaigns were carried). */
  campaign?: string;
}

/** A composed message, and how it was written. */
export interface ComposedMessage {
  subject: string;
  body: string;
  /** Model or template, the template file, and the prompt's field names (absent on the acknowledgement). */
  drafting?: DraftRecord;
}

/** Anything that turns a step into a message. */
export interface MessageComposer {
  compose(input: ComposeInput): Promise<ComposedMessage>;
}

/** A conversation's campaign as the composer sees it: its name (null for the defaults) and its settings. */
export interface CampaignWords {
  name: string | null;
  campaign: Campaign | undefined;
}

/**
 * The campaign a conversation runs for, from the config as it is now.
 * @throws UnknownCampaignError when the config no longer has it.
 */
export function campaignWords(campaigns: Config['campaigns'], name: string | undefined): CampaignWords {
  if (name === undefined) return { name: null, campaign: undefined };
  const campaign = campaigns[name];
  if (!campaign) throw new UnknownCampaignError(name, Object.keys(campaigns));
  return { name, campaign };
}

const GREETINGS: Record<Voice['tone'], (firstName: string) => string> = {
  friendly: (name) => `Hi ${name},`,
  formal: (name) => `Dear ${name},`,
  direct: (name) => `${name},`,
};

/** The first word of a name. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/**
 * The template values every message shares: the greeting in the campaign's tone, the prospect, the sender, and the
 * campaign's value proposition and talking point (`pointIndex` picks one, in turn).
 */
export function templateValues(prospect: Prospect, voice: Voice, words: CampaignWords, pointIndex: number, research?: Pick<ProspectResearch, 'firstName' | 'summary'>): TemplateValues {
  const firstName = research?.firstName ?? firstNameOf(prospect.name);
  const points = words.campaign?.talkingPoints ?? [];
  const industry = prospect.profile.industry;
  return {
    greeting: GREETINGS[voice.tone](firstName),
    'prospect.firstName': firstName,
    'prospect.name': prospect.name,
    'prospect.title': prospect.title,
    company: prospect.company,
    industry: typeof industry === 'string' ? industry : undefined,
    talkingPoint: points.length ? points[pointIndex % points.length] : undefined,
    valueProposition: words.campaign?.valueProposition ?? voice.valueProposition,
    product: voice.product,
    'sender.name': voice.senderName,
    'sender.email': voice.senderEmail,
    'research.summary': research?.summary,
  };
}

/** What the campaign composer needs: the campaigns as configured now, and the model when one is configured. */
export interface CampaignComposerDeps {
  campaigns: () => Config['campaigns'];
  model?: ChatCompletionsClient | null;
}

/** `Re: <subject>` without stacking `Re:`. */
function withoutRe(subject: string): string {
  return subject.replace(/^(re:\s*)+/i, '');
}

/** The default composer: the campaign's template for the step, rewritten by the model when one is configured. */
export class CampaignComposer implements MessageComposer {
  constructor(private readonly deps: CampaignComposerDeps) {}

  /**
   * Composes one step.
   * @throws UnknownCampaignError when the conversation's campaign is no longer configured; TemplateError when its
   * template is missing or malformed; TemplateValueMissingError naming a required variable without a value.
   */
  async compose(input: ComposeInput): Promise<ComposedMessage> {
    const { prospect, research, voice, step } = input;
    const words = campaignWords(this.deps.campaigns(), input.campaign);
    const template = campaignTemplate(words.campaign?.templates, step, words.name ?? undefined);
    const firstSubject = input.previousSubjects[0] ? withoutRe(input.previousSubjects[0]) : undefined;
    const values: TemplateValues = { ...templateValues(prospect, voice, words, input.stepIndex, research), 'step.name': step.name, firstSubject };
    const rendered = renderTemplate(template, values);
    const subject = rendered.subject ?? (firstSubject ? `Re: ${firstSubject}` : step.name);
    const record = (outcome: DraftRecord['outcome'], fields: string[], reason?: string): DraftRecord => ({
      outcome,
      ...(reason ? { reason } : {}),
      ...(this.deps.model ? { model: this.deps.model.name } : {}),
      template: template.file,
      campaign: words.name,
      inputs: { prospectId: prospect.id, step: step.name, fields },
    });
    if (!this.deps.model) return { subject, body: rendered.body, drafting: record('template', [], 'no model configured') };
    const facts = {
      ...prospectFacts(prospect, values['prospect.firstName']!),
      ...voiceFacts(voice),
      'campaign.valueProposition': values.valueProposition,
      'campaign.talkingPoints': words.campaign?.talkingPoints,
      'step.kind': step.kind,
      'step.number': input.stepIndex + 1,
      previousSubjects: input.previousSubjects,
      'research.summary': research.summary,
    };
    const draft = await draftWithModel(this.deps.model, 'step', { subject, body: rendered.body }, facts);
    if (!draft.ok) return { subject, body: rendered.body, drafting: record('template', draft.fields, draft.reason) };
    return { subject: draft.subject, body: draft.body, drafting: record('model', draft.fields) };
  }
}
