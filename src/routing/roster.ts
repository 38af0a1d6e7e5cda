/**
 * The sales roster: reps, teams, managers, account ownership and the routing policy, read from one YAML file
 * and validated with zod. Every error names the field path (`reps[2].timeZone: unknown IANA time zone`), and
 * references between sections (team leads, members, account owners, managers) are checked after the shape.
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { z } from 'zod';
import { OFF_HOURS_POLICIES, TRIGGERS, TimeZoneSchema } from '../../workflows/messages';

/** Skills a rep may hold: one per escalation trigger. */
export const SKILLS = TRIGGERS;
/** Alert channel names a rep may list, in the order they should be tried. */
export const ALERT_CHANNEL_NAMES = ['slack', 'email', 'webhook', 'outbox'] as const;
/** One alert channel name. */
export type AlertChannelName = (typeof ALERT_CHANNEL_NAMES)[number];

/**
 * Rungs a ladder tier can address.
 * - `owner`: the account owner only.
 * - `owner_then_skill`: the account owner when available, else the next rep with the trigger's skill.
 * - `skill`: the next available rep with the trigger's skill by round robin, excluding reps already asked.
 * - `any`: the next available rep by round robin, whatever their skills, excluding reps already asked.
 * - `lead`: the routing team's lead.
 * - `team`: every available member of the routing team.
 * - `managers`: every available manager.
 */
export const LADDER_STEPS = ['owner', 'owner_then_skill', 'skill', 'any', 'lead', 'team', 'managers'] as const;
/** One rung kind of an escalation ladder. */
export type LadderStep = (typeof LADDER_STEPS)[number];

/** The ladder used when the policy names none: owner (else skill), next skilled rep, team lead, whole team. */
export const DEFAULT_LADDER: readonly LadderStep[] = ['owner_then_skill', 'skill', 'lead', 'team'];

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and - only, at most 63');

const timeZoneSchema = TimeZoneSchema;

/** A time of day as `"HH:MM"` (or a whole hour number), kept as `"HH:MM"` so validating twice changes nothing. */
const timeOfDaySchema = z
  .union([
    z
      .number()
      .int()
      .min(0)
      .max(24)
      .transform((hour) => `${String(hour).padStart(2, '0')}:00`),
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time of day such as "09:00"'),
  ]);

/** Minutes after midnight of an `"HH:MM"` time of day. */
export function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * A rep's working hours in their own time zone; `end` is exclusive (a 09:00–17:00 rep is off at 17:00).
 * When `end` is not after `start` the shift runs past midnight and belongs to the day it starts.
 */
export const WorkingHoursSchema = z.strictObject({
  start: timeOfDaySchema.default('09:00'),
  end: timeOfDaySchema.default('17:00'),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
});
/** Working hours with `start` and `end` as `"HH:MM"` local times. */
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/** One sales rep who can receive escalations. */
export const RepSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200),
  email: z.email(),
  slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD').optional(),
  /** The rep's own HTTPS endpoint for the generic webhook channel. */
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeZone: timeZoneSchema,
  workingHours: WorkingHoursSchema.prefault({}),
  skills: z.array(z.enum(SKILLS)).default([]),
  /** The most open claims the rep may hold; at this number they are not offered more. */
  capacity: z.number().int().min(0).default(10),
  team: idSchema.optional(),
  away: z.boolean().default(false),
  /** Alert channels in fallback order. */
  channels: z.array(z.enum(ALERT_CHANNEL_NAMES)).min(1).default(['slack', 'email']),
});
/** A validated rep. */
export type Rep = z.infer<typeof RepSchema>;

/** A team: its lead, its members and where its alerts go. */
export const TeamSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200).optional(),
  lead: idSchema,
  /** Members besides reps whose own `team` names this team (the two are merged). */
  members: z.array(idSchema).default([]),
  /** Slack channel the team's incoming webhook posts to, for people reading the roster. */
  slackChannel: z.string().max(80).optional(),
  /** The team's Slack incoming webhook; when unset the default from `HANDOFF_SLACK_WEBHOOK_URL` is used. */
  slackWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The team's generic webhook endpoint; a rep's own `webhookUrl` wins. */
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
});
/** A validated team. */
export type Team = z.infer<typeof TeamSchema>;

const ladderSchema = z.array(z.enum(LADDER_STEPS)).min(1).max(10);
const offHoursSchema = z.enum(OFF_HOURS_POLICIES);

/** Which ladder each escalation reason climbs, and the team that takes escalations with no owner. */
export const RoutingPolicySchema = z.strictObject({
  /** Team for prospects with no known account owner; the first team when unset. */
  defaultTeam: idSchema.optional(),
  /** Append the outbox as the last alert channel of every rep, so an alert always lands somewhere. */
  outboxFallback: z.boolean().default(true),
  ladders: z
    .strictObject({
      default: ladderSchema.default([...DEFAULT_LADDER]),
      human_request: ladderSchema.optional(),
      buying_intent: ladderSchema.optional(),
      pricing: ladderSchema.optional(),
      technical: ladderSchema.optional(),
      manual: ladderSchema.optional(),
    })
    .prefault({}),
  /**
   * What each trigger does when nobody its ladder reaches is working now (`follow_the_sun`, `hold` or `page`;
   * see `OFF_HOURS_POLICIES`). `default` covers triggers not listed; unset, everything pages as before.
   */
  offHours: z
    .strictObject({
      default: offHoursSchema.default('page'),
      human_request: offHoursSchema.optional(),
      buying_intent: offHoursSchema.optional(),
      pricing: offHoursSchema.optional(),
      technical: offHoursSchema.optional(),
      manual: offHoursSchema.optional(),
    })
    .prefault({}),
});
/** A validated routing policy. */
export type RoutingPolicy = z.infer<typeof RoutingPolicySchema>;

const domainSchema = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,63}$/i, 'expected a company email domain such as acme.com')
  .transform((domain) => domain.toLowerCase());

/** The whole roster file. */
export const RosterSchema = z.strictObject({
  reps: z.array(RepSchema).min(1),
  teams: z.array(TeamSchema).min(1),
  /** Rep ids who may claim any escalation. */
  managers: z.array(idSchema).default([]),
  /** Company email domain → the rep id who owns the account. */
  accounts: z.record(domainSchema, idSchema).default({}),
  policy: RoutingPolicySchema.prefault({}),
});
/** A validated, cross-checked roster. */
export type Roster = z.infer<typeof RosterSchema>;

/** One problem with a roster file: the field path (`reps[2].timeZone`) and what is wrong with it. */
export interface RosterIssue {
  path: string;
  message: string;
}

/** Thrown by {@link parseRoster} when the file is not YAML, does not match the schema, or refers to unknown ids. */
export class RosterError extends Error {
  override readonly name = 'RosterError';
  constructor(
    readonly source: string,
    readonly issues: readonly RosterIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid roster (${source}):\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`, options);
  }
}

/** A roster together with the content hash that identifies it in routing decisions. */
export interface RosterSnapshot {
  roster: Roster;
  /** Content hash of the validated roster; a conversation records it with every routing decision. */
  policyVersion: string;
}

/** Formats a zod issue path as `reps[2].timeZone`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The members of a team: its listed members and every rep whose `team` names it, in roster order. */
export function teamMembers(roster: Roster, teamId: string): string[] {
  const team = roster.teams.find((t) => t.id === teamId);
  if (!team) return [];
  const ids = new Set(team.members);
  for (const rep of roster.reps) if (rep.team === teamId) ids.add(rep.id);
  return roster.reps.filter((rep) => ids.has(rep.id)).map((rep) => rep.id);
}

/** The team a rep belongs to: their own `team`, else the first team that lists them. */
export function teamOfRep(roster: Roster, repId: string): Team | undefined {
  const rep = roster.reps.find((r) => r.id === repId);
  if (rep?.team) return roster.teams.find((t) => t.id === rep.team);
  return roster.teams.find((t) => t.members.includes(repId));
}

function crossReferenceIssues(roster: Roster): RosterIssue[] {
  const issues: RosterIssue[] = [];
  const repIds = new Set<string>();
  roster.reps.forEach((rep, i) => {
    if (repIds.has(rep.id)) issues.push({ path: `reps[${i}].id`, message: `duplicate rep id "${rep.id}"` });
    repIds.add(rep.id);
  });
  const teamIds = new Set<string>();
  roster.teams.forEach((team, i) => {
    if (teamIds.has(team.id)) issues.push({ path: `teams[${i}].id`, message: `duplicate team id "${team.id}"` });
    teamIds.add(team.id);
    if (!repIds.has(team.lead)) issues.push({ path: `teams[${i}].lead`, message: `unknown rep "${team.lead}"` });
    team.members.forEach((member, j) => {
      if (!repIds.has(member)) issues.push({ path: `teams[${i}].members[${j}]`, message: `unknown rep "${member}"` });
    });
  });
  roster.reps.forEach((rep, i) => {
    if (rep.team !== undefined && !teamIds.has(rep.team)) {
      issues.push({ path: `reps[${i}].team`, message: `unknown team "${rep.team}"` });
    }
  });
  roster.managers.forEach((manager, i) => {
    if (!repIds.has(manager)) issues.push({ path: `managers[${i}]`, message: `unknown rep "${manager}"` });
  });
  for (const [domain, owner] of Object.entries(roster.accounts)) {
    if (!repIds.has(owner)) issues.push({ path: `accounts.${domain}`, message: `unknown rep "${owner}"` });
  }
  const defaultTeam = roster.policy.defaultTeam;
  if (defaultTeam !== undefined && !teamIds.has(defaultTeam)) {
    issues.push({ path: 'policy.defaultTeam', message: `unknown team "${defaultTeam}"` });
  }
  return issues;
}

/** The content hash of a validated roster: stable across formatting and comment changes in the file. */
export function rosterVersion(roster: Roster): string {
  return `roster-${createHash('sha256').update(JSON.stringify(roster)).digest('hex').slice(0, 16)}`;
}

/**
 * Validates an already-parsed roster object (e.g. from a test or an embedded default).
 * @throws RosterError listing every field that is wrong.
 */
export function validateRoster(raw: unknown, source = 'roster'): RosterSnapshot {
  const result = RosterSchema.safeParse(raw);
  if (!result.success) {
    throw new RosterError(
      source,
      result.error.issues.map((issue) => ({ path: formatFieldPath(issue.path), message: issue.message })),
      { cause: result.error },
    );
  }
  const issues = crossReferenceIssues(result.data);
  if (issues.length > 0) throw new RosterError(source, issues);
  return { roster: result.data, policyVersion: rosterVersion(result.data) };
}

/**
 * Parses and validates roster YAML.
 * @throws RosterError naming the source and each field that is wrong (YAML syntax errors name `(root)`).
 */
export function parseRoster(text: string, source = 'roster'): RosterSnapshot {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new RosterError(source, [{ path: '(root)', message: (err as Error).message }], { cause: err });
  }
  return validateRoster(raw, source);
}
