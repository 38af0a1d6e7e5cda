/**
 * A campaign's templates: which file each cadence step and the rep's suggested reply are written from, and the
 * check that runs when the worker loads the config and when a conversation starts for a campaign, so a missing
 * file or an unknown variable is found before anything is sent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Campaign, CampaignTemplates, Config } from '../config';
import { readTemplate, TemplateError, type Template, type TemplateVariable } from './templates';

/** The shipped neutral templates, used by conversations without a campaign and campaigns without `templates`. */
export const DEFAULT_TEMPLATES = path.resolve(__dirname, 'templates', 'default');

/** What a template is for: one cadence step (by name and kind), or the rep's suggested reply. */
export type TemplatePurpose = { name: string; kind: 'first_touch' | 'follow_up' | 'break_up' } | 'reply';

/** A step name as a file name: `Follow-up 2` → `follow-up-2`. */
export function stepFileName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The template file for a purpose under a campaign's `templates` setting (the shipped set when unset): in a folder,
 * `<step name>.md` when there is one, else `<step kind>.md`, and `reply.md`; in a map, the step's name, else its
 * kind, else `reply`.
 * @throws TemplateError when a map names no file for the purpose.
 */
export function templateFile(setting: CampaignTemplates | undefined, purpose: TemplatePurpose, campaignName = '(defaults)'): string {
  const folder = setting === undefined ? DEFAULT_TEMPLATES : typeof setting === 'string' ? setting : null;
  if (folder !== null) {
    if (purpose === 'reply') return path.join(folder, 'reply.md');
    const own = path.join(folder, `${stepFileName(purpose.name)}.md`);
    return existsSync(own) ? own : path.join(folder, `${purpose.kind}.md`);
  }
  const map = setting as Record<string, string>;
  const file = purpose === 'reply' ? map.reply : (map[purpose.name] ?? map[purpose.kind]);
  if (!file) {
    const wanted = purpose === 'reply' ? '"reply"' : `"${purpose.name}" or "${purpose.kind}"`;
    throw new TemplateError(`campaign ${campaignName}: templates names no file for ${wanted}`, `campaigns.${campaignName}.templates`);
  }
  return file;
}

/**
 * The template for a purpose, read and parsed (a first touch must have a `subject:`).
 * @throws TemplateError naming the file (and the line and variable) when it is missing or malformed.
 */
export function campaignTemplate(setting: CampaignTemplates | undefined, purpose: TemplatePurpose, campaignName?: string): Template {
  const template = readTemplate(templateFile(setting, purpose, campaignName));
  if (purpose !== 'reply' && purpose.kind === 'first_touch' && !template.subject) {
    throw new TemplateError(`the first touch ("${purpose.name}") needs a "subject:" line in its front matter`, template.file, 1);
  }
  return template;
}

/** The first line a variable is required on (not marked `?`), or null. */
export function requiredLine(template: Template, variable: TemplateVariable): number | null {
  for (const line of [template.subject, ...template.body]) {
    if (line?.segments.some((s) => 'variable' in s && s.variable === variable && !s.optional)) return line.number;
  }
  return null;
}

/**
 * Checks every template a campaign's conversation may use: each cadence step's and the reply's, that the files
 * exist and parse, that the campaign gives the values they require of it (`talkingPoint`, `valueProposition`), and
 * that the model's research summary, which a model failure leaves out, is optional.
 * @throws TemplateError naming the file, the line and the variable.
 */
export function checkCampaignTemplates(campaign: Campaign | undefined, cadence: readonly Exclude<TemplatePurpose, 'reply'>[], campaignName?: string): void {
  const purposes: TemplatePurpose[] = [...cadence, 'reply'];
  for (const purpose of purposes) {
    const template = campaignTemplate(campaign?.templates, purpose, campaignName);
    const missing: [TemplateVariable, boolean, string][] = [
      ['talkingPoint', Boolean(campaign?.talkingPoints?.length), 'talkingPoints'],
      ['valueProposition', Boolean(campaign?.valueProposition ?? campaign?.voice?.valueProposition), 'valueProposition'],
    ];
    const summaryLine = requiredLine(template, 'research.summary');
    if (summaryLine !== null) {
      throw new TemplateError('{{research.summary}} is there only when the model answers: write {{research.summary?}} so the line is left out otherwise', template.file, summaryLine, 'research.summary');
    }
    for (const [variable, given, field] of missing) {
      const line = given ? null : requiredLine(template, variable);
      if (line !== null) {
        throw new TemplateError(`{{${variable}}} is required but campaign ${campaignName ?? '(defaults)'} sets no ${field}`, template.file, line, variable);
      }
    }
  }
}

/**
 * Checks the templates of every configured campaign and of conversations without one, as the worker does when
 * it loads the config.
 * @throws TemplateError naming the file, the line and the variable.
 */
export function checkConfiguredTemplates(config: Config): void {
  checkCampaignTemplates(undefined, config.conversation.cadence);
  for (const [name, campaign] of Object.entries(config.campaigns)) {
    checkCampaignTemplates(campaign, campaign.cadence ?? config.conversation.cadence, name);
  }
}
