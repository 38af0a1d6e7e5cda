/**
 * Who a rep-side request acts as. A rep's key acts as its own rep and no other; an admin key acts for the rep the
 * request names, and the history records that it did (`onBehalfOf`). The roster decides whether that rep exists
 * and is a manager, and, for a reassignment, whether the new owner may take the escalation: those rules need the
 * roster, which the conversation never reads, so the API checks them before it sends the update. The workflow's
 * validators check the rest (owner, stage, rung) against its own state.
 */
import { personalAlertChannels, takeoverRefusal } from '../routing/policy';
import type { Roster } from '../routing/roster';
import type { Actor, ConversationState, ReassignInput } from '../../workflows/messages';
import type { Caller } from './auth';
import { ApiError } from './errors';

/**
 * The actor for a request by `caller` that names `named` as the acting rep (or names nobody).
 * @throws ApiError 403 `key_not_bound` (a rep key bound to no rep), `not_your_rep` (a rep key naming another
 *   rep), `rep_required` (an admin key bound to no rep that names nobody), `unknown_rep` (not in the roster).
 */
export function actingAs(caller: Caller, named: string | undefined, roster: Roster, field = 'repId'): Actor {
  const admin = caller.scopes.includes('admin');
  if (!admin && caller.repId === null) {
    throw new ApiError(
      403,
      'key_not_bound',
      `this key (${caller.keyId}) is bound to no rep, so it cannot act on claims: give it a repId in api.keys (handoff api-key new --rep ID)`,
    );
  }
  if (!admin && named !== undefined && named !== caller.repId) {
    throw new ApiError(403, 'not_your_rep', `this key (${caller.keyId}) acts as ${caller.repId}; it cannot act as ${named}`, { field });
  }
  const repId = named ?? caller.repId;
  if (repId === null) {
    throw new ApiError(403, 'rep_required', `this admin key (${caller.keyId}) is bound to no rep: name the rep it acts for in ${field}`, { field });
  }
  if (!roster.reps.some((rep) => rep.id === repId)) {
    throw new ApiError(403, 'unknown_rep', `${repId} is not in the roster`, { repId });
  }
  return {
    via: 'api_key',
    keyId: caller.keyId,
    repId,
    onBehalfOf: repId !== caller.repId,
    manager: roster.managers.includes(repId),
  };
}

/** The actor for a claim link sent to `repId` alone: the link is the credential. */
export function linkActor(repId: string, roster: Roster): Actor {
  if (!roster.reps.some((rep) => rep.id === repId)) {
    throw new ApiError(403, 'unknown_rep', `this claim link is for ${repId}, who is no longer in the roster`, { repId });
  }
  return { via: 'claim_link', keyId: null, repId, onBehalfOf: false, manager: roster.managers.includes(repId) };
}

/**
 * The new owner of a reassignment as the conversation needs them: their name and the channels that reach them
 * alone. `state` is the conversation as the API last saw it; the escalation being reassigned is the claimed one,
 * else the open one (without either, the workflow refuses the update, which names the stage).
 * @throws ApiError 403 `not_eligible` naming why the roster's rules refuse the rep; 409 `unreachable` when no
 *   enabled channel reaches them alone.
 */
export function newOwnerFor(state: ConversationState, repId: string, roster: Roster, enabledChannels: readonly string[]): ReassignInput['newOwner'] {
  const rep = roster.reps.find((r) => r.id === repId);
  if (!rep) throw new ApiError(403, 'not_eligible', `${repId} is not in the roster`, { repId });
  const record = state.escalations.find((e) => e.status === 'claimed') ?? state.escalations.find((e) => e.status === 'open');
  const rung = record?.rungs[record.rungs.length - 1];
  if (record) {
    const refusal = takeoverRefusal(
      roster,
      {
        reason: record.reason,
        trigger: record.trigger,
        tier: rung?.tier ?? 1,
        prospect: {
          email: state.prospect.email,
          company: state.prospect.company,
          ...(state.prospect.owner ? { owner: state.prospect.owner } : {}),
        },
      },
      repId,
    );
    if (refusal) throw new ApiError(403, 'not_eligible', refusal, { repId });
  }
  const channels = personalAlertChannels(roster, rep, enabledChannels);
  if (channels.length === 0) {
    throw new ApiError(409, 'unreachable', `no enabled alert channel reaches ${repId} alone (e-mail, or their own webhook)`, { repId });
  }
  return { name: rep.name, channels };
}
