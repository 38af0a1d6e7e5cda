/**
 * Prospect research: what can be learned from the prospect record itself (email domain, seniority and
 * department from the title, company size and industry from the profile), and, when a model is configured, a short
 * summary of the prospect it writes from the same record. What the campaign says is the campaign's (its talking
 * points and value proposition), never research's.
 */
import type { Prospect } from '../../workflows/messages';
import type { ChatCompletionsClient } from '../model/chatCompletions';
import { summarizeWithModel, type DraftRecord } from './drafting';

/** What research adds to a prospect. */
export interface ProspectResearch {
  domain: string;
  firstName: string;
  seniority: 'executive' | 'vp' | 'director' | 'manager' | 'individual' | 'unknown';
  department: 'sales' | 'revenue_operations' | 'marketing' | 'engineering' | 'it_security' | 'finance' | 'operations' | 'other';
  companySize: 'startup' | 'smb' | 'mid_market' | 'enterprise' | 'unknown';
  industry: string | null;
  /** The model's summary of the prospect (only when a model is configured and answered). */
  summary?: string;
  /** How the summary was (or was not) written. */
  drafting?: DraftRecord;
}

const SENIORITY: [ProspectResearch['seniority'], RegExp][] = [
  ['executive', /\b(chief|ceo|cto|cfo|cro|coo|cmo|ciso|founder|owner|president)\b/i],
  ['vp', /\b(vp|vice president|svp|evp)\b/i],
  ['director', /\b(director|head of)\b/i],
  ['manager', /\b(manager|lead|supervisor)\b/i],
];

const DEPARTMENT: [ProspectResearch['department'], RegExp][] = [
  ['revenue_operations', /\b(rev ?ops|revenue operations|sales operations|sales ops|gtm operations)\b/i],
  ['it_security', /\b(security|infosec|ciso|it\b|information technology)/i],
  ['engineering', /\b(engineer|engineering|cto|developer|architect|devops|platform)\b/i],
  ['sales', /\b(sales|account executive|business development|bdr|sdr|cro)\b/i],
  ['marketing', /\b(marketing|demand gen|growth|cmo|brand)\b/i],
  ['finance', /\b(finance|cfo|procurement|controller|accounting)\b/i],
  ['operations', /\b(operations|coo|ops)\b/i],
];

function sizeFrom(profile: Record<string, unknown>): ProspectResearch['companySize'] {
  const raw = profile.employees ?? profile.companySize ?? profile.headcount;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseInt(raw.replace(/[^\d]/g, ''), 10) : NaN;
  if (!Number.isFinite(n)) return 'unknown';
  if (n < 50) return 'startup';
  if (n < 500) return 'smb';
  if (n < 5000) return 'mid_market';
  return 'enterprise';
}

/** Researches a prospect from its own record. */
export function researchProspect(prospect: Prospect): ProspectResearch {
  const title = prospect.title ?? '';
  const profile = prospect.profile;
  const industry = typeof profile.industry === 'string' ? profile.industry : null;
  const department = DEPARTMENT.find(([, re]) => re.test(title))?.[0] ?? 'other';
  const research: ProspectResearch = {
    domain: prospect.email.split('@')[1]!.toLowerCase(),
    firstName: prospect.name.trim().split(/\s+/)[0] ?? prospect.name,
    seniority: title ? (SENIORITY.find(([, re]) => re.test(title))?.[0] ?? 'individual') : 'unknown',
    department,
    companySize: sizeFrom(profile),
    industry,
  };
  return research;
}

/**
 * Researches a prospect from its own record and, with a model, adds the model's summary; without one, or when it
 * fails, the record's research stands and `drafting` says why.
 */
export async function researchWithModel(prospect: Prospect, model: ChatCompletionsClient | null, campaign: string | null = null): Promise<ProspectResearch> {
  const research = researchProspect(prospect);
  if (!model) return { ...research, drafting: { outcome: 'template', reason: 'no model configured', campaign, inputs: { prospectId: prospect.id, fields: [] } } };
  const answer = await summarizeWithModel(model, prospect);
  const inputs = { prospectId: prospect.id, fields: answer.fields };
  if (!answer.ok) return { ...research, drafting: { outcome: 'template', reason: answer.reason, model: model.name, campaign, inputs } };
  return { ...research, summary: answer.summary, drafting: { outcome: 'model', model: model.name, campaign, inputs } };
}
