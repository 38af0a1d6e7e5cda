/** Escalation records and rungs for tests of the pure ladder and permission rules. */
import type { EscalationRecord, EscalationRung } from '../../workflows/messages';

/** A rung at `tier` on which `eligibleRepIds` may claim; the first of them is its assignee. */
export function rung(tier: number, eligibleRepIds: string[], outcome: EscalationRung['outcome'] = 'pending'): EscalationRung {
  return {
    tier,
    eligibleRepIds,
    audience: 'rep',
    assignees: eligibleRepIds.slice(0, 1).map((repId) => ({ repId, name: repId })),
    alertedAt: '2025-06-05T14:00:00.000Z',
    deadline: '2025-06-05T14:30:00.000Z',
    outcome,
  };
}

/** A pricing escalation numbered `number`, in `status`, with its rungs and (when claimed) its holder. */
export function escalation(number: number, status: EscalationRecord['status'], rungs: EscalationRung[], claimedBy: string | null = null): EscalationRecord {
  return {
    number,
    reason: 'pricing',
    trigger: 'pricing',
    status,
    escalatedAt: '2025-06-05T14:00:00.000Z',
    triggeringMessageId: 'm-1',
    evidence: [],
    rulesFired: [],
    rulesVersion: null,
    laterTriggers: [],
    rungs,
    claimedBy,
    claimedAt: claimedBy ? '2025-06-05T14:05:00.000Z' : null,
    feedback: null,
  };
}
