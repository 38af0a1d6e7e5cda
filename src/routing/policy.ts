/**
 * The routing policy: given the roster, an escalation request, the routing instant, open-claim counts and a
 * round-robin turn function, decide who is asked at this tier. No I/O of its own, so every edge case (time
 * zones, shift ends, capacity, everyone away) is a unit test.
 */
import type { BookingCalendar } from '../../workflows/meetings';
import type { Assignee, EscalationReason, OffHoursPolicy, Trigger } from '../../workflows/messages';
import type { ShiftCalendar } from '../../workflows/workingTime';
import { unavailability } from './availability';
import {
  ALERT_CHANNEL_NAMES,
  DEFAULT_LADDER,
  type LadderStep,
  type Rep,
  type Roster,
  type RosterSnapshot,
  type Team,
  teamMembers,
  teamOfRep,
} from './roster';

/** What the workflow asks routing at each rung of its ladder. */
export interface RouteRequest {
  conversationId: string;
  reason: EscalationReason;
  /** For `manual` escalations, the trigger it stands for (routes like it); else the reason's trigger. */
  trigger: Trigger | null;
  /** The tier the workflow wants next, from 1. */
  tier: number;
  prospect: { email: string; company: string; owner?: string; timeZone?: string };
  /** Rep ids alerted at earlier tiers of this escalation. */
  alreadyAsked: string[];
  /** The routing instant (ISO), from the workflow so a retried activity decides the same way. */
  at: string;
  /** The conversation's own off-hours policy for this escalation, over the roster's. */
  offHours?: OffHoursPolicy;
  /** `managers`: no tier is asked; the managers are told the escalation ended unclaimed (see `decideRoute`). */
  notify?: 'managers';
  /**
   * Round-robin turns this rung's routing already took, by rotation key: a routing deferred from the workflow task
   * hands them on, and they are used again rather than new ones taken.
   */
  turnsTaken?: Record<string, number>;
}

/** An assignee together with their alert channels in fallback order. */
export interface RoutedAssignee extends Assignee {
  /** E.g. `['slack', 'email', 'outbox']`: the workflow tries each in turn. */
  channels: string[];
}

/** Who is asked at a tier, who may claim, and the policy snapshot the conversation keeps. */
export interface RouteDecision {
  /** The tier actually used (after skipping tiers where nobody was available). */
  tier: number;
  audience: 'rep' | 'lead' | 'team';
  assignees: RoutedAssignee[];
  /** Who may claim at this tier: the assignees, reps asked earlier in this escalation, and managers. */
  eligibleRepIds: string[];
  /** Tiers passed over at once because nobody there could take it, with why. */
  skipped: { tier: number; reason: string }[];
  /** True when no tier follows: further requests alert the whole team again. */
  isLastTier: boolean;
  /** Content hash of the roster this decision was made under. */
  policyVersion: string;
  /** How the assignees were chosen, for the ladder's rung note (ids only). */
  note: string;
  /** Set when nobody the tier reaches was working and the trigger's off-hours policy routed it instead. */
  offHours?: { policy: Exclude<OffHoursPolicy, 'page'>; note: string };
  /** Reps the tier would have asked but passed over (away, outside working hours, at capacity), with why. */
  passedOver?: { repId: string; reason: string }[];
  /** Under `hold`: whose shifts the claim deadline counts in (the one assignee's). */
  hold?: { repId: string; timeZone: string; workingHours: ShiftCalendar };
  /** The first assignee's hours, booking link and busy times, for the meeting times the rung offers (set by routing). */
  booking?: BookingCalendar;
}

/** Returns the next round-robin index in `[0, n)` for a rotation key, advancing the rotation. */
export type PickTurn = (rotationKey: string, n: number) => Promise<number>;

/** Inputs to {@link decideRoute} other than the roster and the request. */
export interface RoutingContext {
  /** The routing instant; availability is judged at it. */
  now: Date;
  /** Open claims per rep id; a rep missing here has none. */
  openClaims: Readonly<Record<string, number>>;
  pickTurn: PickTurn;
  /** Alert channels the deployment can deliver on; a rep's list is filtered to them. All when unset. */
  enabledChannels?: readonly string[];
}

/** Thrown by {@link decideRoute} when the request itself is unusable (a tier below 1). */
export class RoutingRequestError extends Error {
  override readonly name = 'RoutingRequestError';
  constructor(
    message: string,
    readonly conversationId: string,
  ) {
    super(message);
  }
}

/** The round-robin rotation key for a team and skill: also the id of its round-robin workflow. */
export function rotationKey(teamId: string, skill: Trigger | null): string {
  return `round-robin-${teamId}-${skill ?? 'any'}`;
}

/** The ladder an escalation reason climbs under a roster's policy. */
export function ladderFor(roster: Roster, reason: EscalationReason, trigger: Trigger | null): readonly LadderStep[] {
  const ladders = roster.policy.ladders;
  if (reason === 'manual') {
    return (trigger ? ladders[trigger] : undefined) ?? ladders.manual ?? ladders.default ?? DEFAULT_LADDER;
  }
  return ladders[reason] ?? ladders.default ?? DEFAULT_LADDER;
}

/** The off-hours policy an escalation follows under a roster's policy (`manual` ones: their trigger's, else `manual`). */
export function offHoursFor(roster: Roster, reason: EscalationReason, trigger: Trigger | null): OffHoursPolicy {
  const policies = roster.policy.offHours;
  if (reason === 'manual') return (trigger ? policies[trigger] : undefined) ?? policies.manual ?? policies.default;
  return policies[reason] ?? policies.default;
}

/** The skill an escalation needs: the trigger's, or none for a manual escalation without one (any rep). */
export function skillFor(reason: EscalationReason, trigger: Trigger | null): Trigger | null {
  return reason === 'manual' ? trigger : reason;
}

/** The account owner: the prospect's own `owner` when it names a rep, else the owner of the email domain. */
export function accountOwner(roster: Roster, prospect: RouteRequest['prospect']): Rep | undefined {
  if (prospect.owner) {
    const named = roster.reps.find((rep) => rep.id === prospect.owner);
    if (named) return named;
  }
  let domain = prospect.email.slice(prospect.email.lastIndexOf('@') + 1).toLowerCase();
  // eu.acme.com is owned like acme.com when only the parent domain is listed.
  while (domain.includes('.')) {
    const owner = roster.accounts[domain];
    if (owner) return roster.reps.find((rep) => rep.id === owner);
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return undefined;
}

/** The team that routes an escalation: the account owner's team, else the policy's default team, else the first. */
export function routingTeam(roster: Roster, prospect: RouteRequest['prospect']): Team {
  const owner = accountOwner(roster, prospect);
  const ownerTeam = owner ? teamOfRep(roster, owner.id) : undefined;
  const defaultTeam = roster.teams.find((t) => t.id === roster.policy.defaultTeam) ?? roster.teams[0];
  // The schema requires at least one team, so one of the two is always there.
  return (ownerTeam ?? defaultTeam)!;
}

interface StepResult {
  audience: RouteDecision['audience'];
  reps: Rep[];
  /** Who may claim besides the assignees (team members at a team tier). */
  alsoEligible: string[];
  note: string;
  /** Alerted only on channels that reach them alone (a rep held off hours). */
  personal?: boolean;
  /** Reps passed over on the way to this result, with why. */
  passedOver?: { repId: string; reason: string }[];
}

type StepOutcome = { ok: true; result: StepResult } | { ok: false; reason: string; passedOver?: { repId: string; reason: string }[] };

class Router {
  private readonly repsById: Map<string, Rep>;
  private readonly skill: Trigger | null;
  readonly team: Team;
  readonly owner: Rep | undefined;

  /**
   * @param options.team routes within this team instead of the prospect's (following the sun)
   * @param options.ignoreHours judges reps without their working hours (holding for the next shift)
   */
  constructor(
    private readonly roster: Roster,
    private readonly request: RouteRequest,
    private readonly ctx: RoutingContext,
    private readonly options: { team?: Team; ignoreHours?: boolean } = {},
  ) {
    this.repsById = new Map(roster.reps.map((rep) => [rep.id, rep]));
    this.skill = skillFor(request.reason, request.trigger);
    this.owner = accountOwner(roster, request.prospect);
    this.team = options.team ?? routingTeam(roster, request.prospect);
  }

  private why(rep: Rep): string | null {
    return unavailability(rep, this.ctx.now, this.ctx.openClaims[rep.id] ?? 0, { ignoreHours: this.options.ignoreHours });
  }

  /** The skill this escalation needs (null: any rep). */
  get neededSkill(): Trigger | null {
    return this.skill;
  }

  private members(): Rep[] {
    return teamMembers(this.roster, this.team.id).flatMap((id) => this.repsById.get(id) ?? []);
  }

  private ownerStep(): StepOutcome {
    const owner = this.owner;
    if (!owner) return { ok: false, reason: 'no account owner' };
    if (this.request.alreadyAsked.includes(owner.id)) return { ok: false, reason: `account owner ${owner.id} already asked` };
    const why = this.why(owner);
    if (why) return { ok: false, reason: `account owner ${owner.id} ${why}`, passedOver: [{ repId: owner.id, reason: why }] };
    return { ok: true, result: { audience: 'rep', reps: [owner], alsoEligible: [], note: `account owner ${owner.id}` } };
  }

  private async rotationStep(skill: Trigger | null): Promise<StepOutcome> {
    const label = skill ? `with skill ${skill}` : 'at all';
    const unavailable: { repId: string; reason: string }[] = [];
    const candidates: Rep[] = [];
    for (const rep of this.members()) {
      if (skill && !rep.skills.includes(skill)) continue;
      if (this.request.alreadyAsked.includes(rep.id)) continue;
      const why = this.why(rep);
      if (why) unavailable.push({ repId: rep.id, reason: why });
      else candidates.push(rep);
    }
    if (candidates.length === 0) {
      const detail = unavailable.length > 0 ? `: ${unavailable.map((u) => `${u.repId} ${u.reason}`).join('; ')}` : '';
      return { ok: false, reason: `no available rep ${label} in team ${this.team.id}${detail}` };
    }
    candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const key = rotationKey(this.team.id, skill);
    const turn = await this.ctx.pickTurn(key, candidates.length);
    const chosen = candidates[((turn % candidates.length) + candidates.length) % candidates.length]!;
    return {
      ok: true,
      result: { audience: 'rep', reps: [chosen], alsoEligible: [], note: `round robin ${key}: ${chosen.id}`, ...(unavailable.length > 0 ? { passedOver: unavailable } : {}) },
    };
  }

  private leadStep(): StepOutcome {
    const lead = this.repsById.get(this.team.lead);
    if (!lead) return { ok: false, reason: `team ${this.team.id} has no lead` };
    const why = this.why(lead);
    if (why) return { ok: false, reason: `team lead ${lead.id} ${why}` };
    return { ok: true, result: { audience: 'lead', reps: [lead], alsoEligible: [], note: `team lead ${lead.id}` } };
  }

  private teamStep(): StepOutcome {
    const members = this.members();
    const available = members.filter((rep) => this.why(rep) === null);
    if (available.length === 0) return { ok: false, reason: `nobody in team ${this.team.id} available` };
    return {
      ok: true,
      result: {
        audience: 'team',
        reps: available,
        alsoEligible: members.map((rep) => rep.id),
        note: `team ${this.team.id}`,
      },
    };
  }

  private managersStep(): StepOutcome {
    const managers = this.roster.managers.flatMap((id) => this.repsById.get(id) ?? []);
    const available = managers.filter((rep) => this.why(rep) === null);
    if (available.length === 0) return { ok: false, reason: 'no manager available' };
    return { ok: true, result: { audience: 'team', reps: available, alsoEligible: [], note: 'managers' } };
  }

  async step(step: LadderStep): Promise<StepOutcome> {
    switch (step) {
      case 'owner':
        return this.ownerStep();
      case 'owner_then_skill': {
        const owner = this.ownerStep();
        if (owner.ok) return owner;
        const rotation = await this.rotationStep(this.skill);
        if (rotation.ok) {
          rotation.result.note = `${owner.reason}; ${rotation.result.note}`;
          const passed = [...(owner.passedOver ?? [])];
          for (const p of rotation.result.passedOver ?? []) if (!passed.some((q) => q.repId === p.repId)) passed.push(p);
          if (passed.length > 0) rotation.result.passedOver = passed;
        } else rotation.reason = `${owner.reason}; ${rotation.reason}`;
        return rotation;
      }
      case 'skill':
        return this.rotationStep(this.skill);
      case 'any':
        return this.rotationStep(null);
      case 'lead':
        return this.leadStep();
      case 'team':
        return this.teamStep();
      case 'managers':
        return this.managersStep();
    }
  }

  /**
   * After the last tier the whole team is alerted again. When nobody there is available the alert still has
   * to reach someone: the team members who are not away plus managers, and if everyone is away, everyone.
   */
  lastResort(): StepResult {
    const available = this.teamStep();
    if (available.ok) return available.result;
    const members = this.members();
    const managers = this.roster.managers.flatMap((id) => this.repsById.get(id) ?? []);
    const everyone = [...members, ...managers.filter((m) => !members.includes(m))];
    const present = everyone.filter((rep) => !rep.away);
    const reps = present.length > 0 ? present : everyone;
    const note =
      present.length > 0
        ? `nobody in team ${this.team.id} available; alerting every member not away, and managers`
        : `everyone in team ${this.team.id} is away; alerting all of them, and managers`;
    return { audience: 'team', reps, alsoEligible: members.map((rep) => rep.id), note };
  }

  channelsOf(rep: Rep): string[] {
    const enabled = this.ctx.enabledChannels;
    const channels = rep.channels.filter((channel) => {
      if (enabled && !enabled.includes(channel)) return false;
      // Slack alerts mention the rep; without a Slack user id there is nobody to mention.
      if (channel === 'slack' && rep.slackUserId === undefined) return false;
      return true;
    });
    const outboxEnabled = !enabled || enabled.includes('outbox');
    if (this.roster.policy.outboxFallback && outboxEnabled && !channels.includes('outbox')) channels.push('outbox');
    return channels;
  }
}

function unique(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort();
}

/**
 * Decides who is asked at the requested tier. Tiers where nobody is available are skipped at once (each
 * recorded in `skipped` with why); past the last tier the whole team is asked again, so a decision always
 * names at least one assignee.
 *
 * The round-robin turn is taken only when a tier needs one; a decision therefore advances at most one rotation.
 * @throws RoutingRequestError when the tier is below 1.
 */
export async function decideRoute(
  snapshot: RosterSnapshot,
  request: RouteRequest,
  ctx: RoutingContext,
): Promise<RouteDecision> {
  if (!Number.isInteger(request.tier) || request.tier < 1) {
    throw new RoutingRequestError(`tier must be a whole number from 1, got ${request.tier}`, request.conversationId);
  }
  const { roster, policyVersion } = snapshot;
  if (request.notify === 'managers') return managersNotice(snapshot, request, ctx);
  const ladder = ladderFor(roster, request.reason, request.trigger);
  const router = new Router(roster, request, ctx);
  const offHours = request.offHours ?? offHoursFor(roster, request.reason, request.trigger);
  const skipped: RouteDecision['skipped'] = [];
  let chosen: Chosen | undefined;
  for (let tier = request.tier; tier <= ladder.length && !chosen; tier++) {
    const step = ladder[tier - 1]!;
    const outcome = await router.step(step);
    if (outcome.ok) {
      chosen = { tier, result: outcome.result };
      continue;
    }
    if (offHours !== 'page') {
      const routed = await routeOffHours(roster, request, ctx, router, step, offHours, outcome.reason);
      if (routed) {
        chosen = { tier, ...routed };
        continue;
      }
    }
    skipped.push({ tier, reason: outcome.reason });
  }
  chosen ??= { tier: Math.max(request.tier, ladder.length + 1), result: router.lastResort() };

  const { tier, result } = chosen;
  const enabled = ctx.enabledChannels ?? ALERT_CHANNEL_NAMES;
  const assignees = result.reps.map((rep) => ({
    repId: rep.id,
    name: rep.name,
    channels: result.personal ? personalAlertChannels(roster, rep, enabled) : router.channelsOf(rep),
  }));
  const known = request.alreadyAsked.filter((id) => roster.reps.some((rep) => rep.id === id));
  return {
    tier,
    audience: result.audience,
    assignees,
    eligibleRepIds: unique([...assignees.map((a) => a.repId), ...result.alsoEligible, ...known, ...roster.managers]),
    skipped,
    isLastTier: tier >= ladder.length,
    policyVersion,
    note: result.note,
    ...(result.passedOver ? { passedOver: result.passedOver } : {}),
    ...(chosen.offHours ? { offHours: chosen.offHours } : {}),
    ...(chosen.hold ? { hold: chosen.hold } : {}),
  };
}

interface Chosen {
  tier: number;
  result: StepResult;
  offHours?: RouteDecision['offHours'];
  hold?: RouteDecision['hold'];
}

/** Following the sun, a tier that names the account owner asks the next skilled rep of the team working now. */
function sunStep(step: LadderStep): LadderStep {
  return step === 'owner' || step === 'owner_then_skill' ? 'skill' : step;
}

/** A turn for a check that must not advance any rotation. */
const noTurn: PickTurn = async () => 0;

/**
 * A tier nobody could take: when the reason is working hours alone (the tier would be taken with hours ignored),
 * the off-hours policy routes it. `follow_the_sun` asks the same step of every other team, then any rep with the
 * skill who is working now; when nobody anywhere is working, it holds. `hold` asks the step with hours ignored and
 * assigns its first rep, on the channels that reach them alone, with their shifts for the deadline.
 * Returns null when the tier fails for another reason (away, at capacity, nobody with the skill).
 */
async function routeOffHours(
  roster: Roster,
  request: RouteRequest,
  ctx: RoutingContext,
  router: Router,
  step: LadderStep,
  policy: Exclude<OffHoursPolicy, 'page'>,
  why: string,
): Promise<Omit<Chosen, 'tier'> | null> {
  const offHoursOnly = await new Router(roster, request, { ...ctx, pickTurn: noTurn }, { ignoreHours: true }).step(step);
  if (!offHoursOnly.ok) return null;
  let held = why;
  if (policy === 'follow_the_sun') {
    for (const team of roster.teams) {
      if (team.id === router.team.id) continue;
      const outcome = await new Router(roster, request, ctx, { team }).step(sunStep(step));
      if (outcome.ok) {
        const note = `${why}; follows the sun to team ${team.id}: ${outcome.result.note}`;
        return { result: { ...outcome.result, note }, offHours: { policy, note } };
      }
    }
    const rep = await workingElsewhere(roster, request, ctx, router.neededSkill);
    if (rep) {
      const note = `${why}; follows the sun to ${rep.id}, working now`;
      return { result: { audience: 'rep', reps: [rep], alsoEligible: [], note }, offHours: { policy, note } };
    }
    held = `${why}; nobody ${router.neededSkill ? `with skill ${router.neededSkill} ` : ''}is working now in any team`;
  }
  const outcome = await new Router(roster, request, ctx, { ignoreHours: true }).step(step);
  if (!outcome.ok) return null;
  const rep = outcome.result.reps[0]!;
  const note = `${held}; held for ${rep.id} until their shift starts (${rep.timeZone})`;
  return {
    result: { audience: 'rep', reps: [rep], alsoEligible: outcome.result.alsoEligible, note, personal: true },
    offHours: { policy: 'hold', note },
    hold: { repId: rep.id, timeZone: rep.timeZone, workingHours: rep.workingHours },
  };
}

/** The next rep (by round robin) with the skill who is working now and not yet asked, wherever they sit in the roster. */
async function workingElsewhere(roster: Roster, request: RouteRequest, ctx: RoutingContext, skill: Trigger | null): Promise<Rep | undefined> {
  const candidates = roster.reps
    .filter((rep) => (!skill || rep.skills.includes(skill)) && !request.alreadyAsked.includes(rep.id))
    .filter((rep) => unavailability(rep, ctx.now, ctx.openClaims[rep.id] ?? 0) === null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (candidates.length === 0) return undefined;
  const turn = await ctx.pickTurn(`round-robin-sun-${skill ?? 'any'}`, candidates.length);
  return candidates[((turn % candidates.length) + candidates.length) % candidates.length];
}

/**
 * The managers to tell that an escalation ended unclaimed: every manager not away (all of them when all are), at
 * any hour, on their usual channels. Asks no tier; `tier` is the request's.
 */
function managersNotice(snapshot: RosterSnapshot, request: RouteRequest, ctx: RoutingContext): RouteDecision {
  const { roster, policyVersion } = snapshot;
  const router = new Router(roster, request, ctx);
  const managers = roster.managers.flatMap((id) => roster.reps.find((rep) => rep.id === id) ?? []);
  const present = managers.filter((rep) => !rep.away);
  const told = present.length > 0 ? present : managers;
  return {
    tier: request.tier,
    audience: 'team',
    assignees: told.map((rep) => ({ repId: rep.id, name: rep.name, channels: router.channelsOf(rep) })),
    eligibleRepIds: unique(roster.managers),
    skipped: [],
    isLastTier: true,
    policyVersion,
    note: told.length > 0 ? `managers told: ${told.map((rep) => rep.id).join(', ')}` : 'no managers in the roster to tell',
  };
}

/** An escalation someone is to take over by reassignment: what it is about, the tier it reached, whose account. */
export interface TakeoverRequest {
  reason: EscalationReason;
  trigger: Trigger | null;
  /** The tier of its current rung. */
  tier: number;
  prospect: RouteRequest['prospect'];
}

/**
 * Why `repId` may not take over an escalation, or null when they may. A rep may when they are in the roster, not
 * away, and a manager or someone the escalation's ladder reaches at its tier or an earlier one: the account
 * owner, a rep with the trigger's skill in the routing team, any member, the lead, the whole team, as the
 * ladder's steps say (past the last tier, the whole team). Working hours and capacity are not asked: a rep
 * handing over to a colleague knows whether they are there.
 */
export function takeoverRefusal(roster: Roster, request: TakeoverRequest, repId: string): string | null {
  const rep = roster.reps.find((r) => r.id === repId);
  if (!rep) return `${repId} is not in the roster`;
  if (rep.away) return `${repId} is away`;
  if (roster.managers.includes(repId)) return null;
  const ladder = ladderFor(roster, request.reason, request.trigger);
  const skill = skillFor(request.reason, request.trigger);
  const team = routingTeam(roster, request.prospect);
  const members = teamMembers(roster, team.id);
  const owner = accountOwner(roster, request.prospect);
  const skilled = members.filter((id) => !skill || roster.reps.find((r) => r.id === id)?.skills.includes(skill));
  const withSkill = skill ? `a rep with the ${skill} skill in team ${team.id}` : `a rep in team ${team.id}`;
  const reach: Record<LadderStep, { reps: string[]; who: string }> = {
    owner: { reps: owner ? [owner.id] : [], who: `the account owner (${owner?.id ?? 'none'})` },
    owner_then_skill: { reps: [...(owner ? [owner.id] : []), ...skilled], who: `the account owner (${owner?.id ?? 'none'}) or ${withSkill}` },
    skill: { reps: skilled, who: withSkill },
    any: { reps: members, who: `a rep in team ${team.id}` },
    lead: { reps: [team.lead], who: `the lead of team ${team.id} (${team.lead})` },
    team: { reps: members, who: `a member of team ${team.id}` },
    managers: { reps: roster.managers, who: 'a manager' },
  };
  const steps = ladder.slice(0, Math.min(request.tier, ladder.length));
  if (request.tier > ladder.length) steps.push('team');
  if (steps.some((step) => reach[step].reps.includes(repId))) return null;
  const who = [...new Set(steps.map((step) => reach[step].who))];
  return `${repId} may not take this ${request.reason.replace('_', ' ')} escalation at tier ${request.tier}: up to that tier it goes to ${who.join('; ')}, or a manager`;
}

/**
 * The alert channels that reach `rep` alone, in their order: e-mail, and the webhook when the rep has their own
 * endpoint (Slack posts to a team channel). The outbox follows when the policy appends it, as the alert of
 * last resort; it is a shared file, so whatever goes there carries no link that claims as the rep.
 */
export function personalAlertChannels(roster: Roster, rep: Rep, enabledChannels: readonly string[]): string[] {
  const channels: string[] = rep.channels.filter((channel) => {
    if (!enabledChannels.includes(channel)) return false;
    if (channel === 'email') return true;
    if (channel === 'webhook') return rep.webhookUrl !== undefined;
    return channel === 'outbox';
  });
  if (roster.policy.outboxFallback && enabledChannels.includes('outbox') && !channels.includes('outbox')) channels.push('outbox');
  return channels;
}
