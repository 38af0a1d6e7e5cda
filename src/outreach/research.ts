/**
 * Prospect research: what can be learned from the prospect record itself (email domain, seniority and
 * department from the title, company size and industry from the profile) and the talking points that follow.
 * Pure; an enrichment provider can sit behind the same shape.
 */
import type { Prospect } from '../../workflows/messages';

/** What research adds to a prospect. */
export interface ProspectResearch {
  domain: string;
  firstName: string;
  seniority: 'executive' | 'vp' | 'director' | 'manager' | 'individual' | 'unknown';
  department: 'sales' | 'revenue_operations' | 'marketing' | 'engineering' | 'it_security' | 'finance' | 'operations' | 'other';
  companySize: 'startup' | 'smb' | 'mid_market' | 'enterprise' | 'unknown';
  industry: string | null;
  talkingPoints: string[];
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

const POINTS: Record<ProspectResearch['department'], string> = {
  sales: 'reps spend their time on buyers who are ready, not on inbox triage',
  revenue_operations: 'every escalation is recorded, so routing rules can be reviewed and tuned',
  marketing: 'campaign replies that show intent reach a person within minutes',
  engineering: 'it runs on durable workflows, so nothing is lost when a process restarts',
  it_security: 'secrets stay in your environment and logs carry ids, never message bodies',
  finance: 'reps focus on the conversations most likely to close',
  operations: 'handoffs follow explicit rules instead of a shared inbox',
  other: 'hot replies never sit in a queue',
};

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
    talkingPoints: [POINTS[department]],
  };
  if (industry) research.talkingPoints.push(`teams in ${industry} answer buyers faster`);
  return research;
}
