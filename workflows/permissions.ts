/**
 * Who may do what to a conversation, judged from what the conversation itself knows: its owner, its stage, the
 * rungs of its escalations and the actor an update carries. Pure functions, so the update validators stay
 * synchronous and every rule is a unit test. Rules that need the roster (is the new owner eligible, is this rep a
 * manager) are the API's: it looks them up before sending the update, and the actor carries the manager role.
 */
import { currentRung } from './conversation/escalation';
import { isOwnedStage, type Actor, type ClaimLinkRef, type ConversationErrors, type EscalationRecord, type Stage } from './contract';

/** Why an update is refused: the `ApplicationFailure` type, the message, and details for the caller. */
export interface Refusal {
  type: keyof typeof ConversationErrors;
  message: string;
  details?: Record<string, unknown>;
}

/** A rep named in the input who is not the actor: the input and the credential disagree. */
export function actorMismatch(actor: Actor, named: string | undefined, field: string): Refusal | null {
  if (named === undefined || named === actor.repId) return null;
  return { type: 'InvalidInput', message: `${field}: ${named} is not the acting rep (${actor.repId})`, details: { field } };
}

/**
 * Why a claim link no longer claims: it came from an earlier escalation, an escalation that was handed back, or
 * an earlier rung of the open one (a newer alert went out since). A claimed escalation is left to the claim rule,
 * which names the holder.
 */
export function claimLinkRefusal(escalations: readonly EscalationRecord[], link: ClaimLinkRef): Refusal | null {
  const latest = escalations[escalations.length - 1];
  if (!latest || link.escalation > latest.number) {
    return { type: 'StaleClaimLink', message: `this claim link names escalation ${link.escalation}, which this conversation never had` };
  }
  const linked = escalations[link.escalation - 1]!;
  const details = { escalation: link.escalation, rung: link.rung, currentEscalation: latest.number, currentRung: latest.rungs.length };
  if (link.escalation < latest.number) {
    return {
      type: 'StaleClaimLink',
      message: `this claim link is for escalation ${link.escalation}, which is over (${linked.status.replace('_', ' ')}); the conversation has escalated again since: use the newest alert`,
      details,
    };
  }
  if (linked.status === 'handed_back') {
    return { type: 'StaleClaimLink', message: `escalation ${link.escalation} was handed back to automation: this claim link no longer claims it`, details };
  }
  if (linked.status === 'open' && link.rung !== linked.rungs.length) {
    const now = currentRung(linked);
    const then = linked.rungs[link.rung - 1];
    return {
      type: 'StaleClaimLink',
      message:
        `this claim link is for rung ${link.rung}${then ? ` (tier ${then.tier})` : ''}; the escalation has moved on to rung ${linked.rungs.length}` +
        `${now ? ` (tier ${now.tier})` : ''}: use the newest alert, or claim with your own key`,
      details,
    };
  }
  return null;
}

/** Closing and handing back: only the owner or a manager. */
export function ownerActionRefusal(action: 'close' | 'hand back' | 'reassign' | 'book a meeting for', owner: string | null, actor: Actor): Refusal | null {
  if (actor.manager || (owner !== null && actor.repId === owner)) return null;
  return {
    type: 'NotOwner',
    message: owner ? `only the owner (${owner}) or a manager may ${action} this conversation` : `only a manager may ${action} this conversation: nobody owns it`,
    details: { owner, repId: actor.repId },
  };
}

/**
 * Reassigning: a claimed conversation by its owner or a manager; an open escalation by a rep who could claim it
 * at the current rung, or a manager. Never to the rep who already owns it. Whether the new owner may take it is
 * the roster's question, asked by the API.
 */
export function reassignRefusal(stage: Stage, record: EscalationRecord | undefined, owner: string | null, actor: Actor, newOwner: string): Refusal | null {
  if ((!isOwnedStage(stage) && stage !== 'escalated') || !record) {
    return { type: 'NotEscalated', message: `only an escalated or claimed conversation can be reassigned (stage: ${stage})` };
  }
  if (newOwner === owner) return { type: 'InvalidInput', message: `repId: ${newOwner} already owns this conversation`, details: { field: 'repId' } };
  if (record.status === 'claimed') return ownerActionRefusal('reassign', owner, actor);
  const rung = currentRung(record);
  if (actor.manager || rung?.eligibleRepIds.includes(actor.repId)) return null;
  return {
    type: 'NotEligible',
    message: `${actor.repId} may not reassign this escalation: only a rep eligible at tier ${rung?.tier ?? 1} or a manager may`,
    details: { repId: actor.repId },
  };
}

/**
 * Booking a meeting: on a conversation a rep owns (claimed, or with a meeting already booked), by its owner or a
 * manager. An open escalation is claimed first, so the meeting has an owner.
 */
export function meetingRefusal(stage: Stage, owner: string | null, actor: Actor): Refusal | null {
  if (!isOwnedStage(stage)) {
    const hint = stage === 'escalated' ? ': claim the escalation first' : '';
    return { type: 'NotClaimed', message: `a meeting can be booked only on a claimed conversation (stage: ${stage})${hint}`, details: { stage } };
  }
  return ownerActionRefusal('book a meeting for', owner, actor);
}

/** Feedback on an escalation: from a rep who was asked to take it, claimed or owned it, or a manager. */
export function feedbackRefusal(record: EscalationRecord, actor: Actor): Refusal | null {
  const involved =
    actor.manager ||
    record.claimedBy === actor.repId ||
    record.rungs.some((r) => r.eligibleRepIds.includes(actor.repId) || r.assignees.some((a) => a.repId === actor.repId)) ||
    (record.reassignments ?? []).some((r) => r.from === actor.repId || r.to === actor.repId);
  if (involved) return null;
  return {
    type: 'NotInvolved',
    message: `only a rep who was asked to take escalation ${record.number}, its owner, or a manager may give feedback on it`,
    details: { repId: actor.repId, escalation: record.number },
  };
}
