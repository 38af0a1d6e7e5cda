/**
 * Composing outreach messages. `MessageComposer` is the seam a model could fill; the default is a template
 * engine with one template per step kind and tone, in the campaign's voice.
 */
import type { CadenceStepInput, Prospect, Voice } from '../../workflows/messages';
import type { ProspectResearch } from './research';

/** What a composer gets for one cadence step. */
export interface ComposeInput {
  prospect: Prospect;
  research: ProspectResearch;
  voice: Voice;
  step: CadenceStepInput;
  stepIndex: number;
  /** Subjects already sent, so follow-ups can thread under the first. */
  previousSubjects: string[];
}

/** A composed message. */
export interface ComposedMessage {
  subject: string;
  body: string;
}

/** Anything that turns a step into a message: templates by default, a model if one is configured. */
export interface MessageComposer {
  compose(input: ComposeInput): Promise<ComposedMessage>;
}

/** Thrown when a template names a variable that does not exist. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(readonly variable: string, readonly template: string) {
    super(`template "${template}" uses unknown variable {{${variable}}}`);
  }
}

/** Replaces `{{name}}` placeholders; an unknown name is an error, never an empty gap in a message to a buyer. */
export function renderTemplate(template: string, vars: Record<string, string>, templateName = 'inline'): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(name, templateName);
    return value;
  });
}

type Kind = CadenceStepInput['kind'];

const OPENERS: Record<Voice['tone'], string> = {
  friendly: 'Hi {{first_name}},',
  formal: 'Dear {{first_name}},',
  direct: '{{first_name}},',
};

const TEMPLATES: Record<Kind, { subject: string; body: string }> = {
  first_touch: {
    subject: '{{company}} and {{product}}',
    body:
      '{{opener}}\n\nI noticed you lead {{department}} work at {{company}}. {{product}} {{value_proposition}}: ' +
      '{{talking_point}}.\n\nWould it be worth a short conversation?\n\n{{sender_name}}',
  },
  follow_up: {
    subject: 'Re: {{first_subject}}',
    body:
      '{{opener}}\n\nFollowing up on my note about {{product}}. Teams like {{company}} use it because ' +
      '{{talking_point}}.\n\nIs this on your radar this quarter?\n\n{{sender_name}}',
  },
  break_up: {
    subject: 'Re: {{first_subject}}',
    body:
      '{{opener}}\n\nI have not heard back, so I will stop here. If {{product}} becomes relevant for ' +
      '{{company}}, just reply to this email.\n\n{{sender_name}}',
  },
};

const DEPARTMENT_WORDS: Record<ProspectResearch['department'], string> = {
  sales: 'sales',
  revenue_operations: 'revenue operations',
  marketing: 'marketing',
  engineering: 'engineering',
  it_security: 'IT and security',
  finance: 'finance',
  operations: 'operations',
  other: 'go-to-market',
};

/** The default composer: fixed templates filled from the prospect, its research and the campaign's voice. */
export class TemplateComposer implements MessageComposer {
  async compose(input: ComposeInput): Promise<ComposedMessage> {
    const { prospect, research, voice, step } = input;
    const vars: Record<string, string> = {
      first_name: research.firstName,
      company: prospect.company,
      product: voice.product,
      value_proposition: voice.valueProposition,
      talking_point: research.talkingPoints[0] ?? 'hot replies never sit in a queue',
      department: DEPARTMENT_WORDS[research.department],
      sender_name: voice.senderName,
    };
    vars.opener = renderTemplate(OPENERS[voice.tone], vars, `opener.${voice.tone}`);
    const template = TEMPLATES[step.kind];
    vars.first_subject = input.previousSubjects[0]?.replace(/^Re:\s*/i, '') ?? renderTemplate(TEMPLATES.first_touch.subject, vars);
    return {
      subject: renderTemplate(template.subject, vars, `${step.kind}.subject`),
      body: renderTemplate(template.body, vars, `${step.kind}.body`),
    };
  }
}
