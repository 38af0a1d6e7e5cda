/**
 * The trigger-detection activity: labels a reply with the rules engine (and the optional model, whose labels
 * can add an escalation but never remove one) and records the rules version with the result.
 */
import { classifyReply, type RuleSet } from '../src/triggers';
import type { ReplyClassification } from '../workflows/messages';

/** What classification needs from the worker. */
export interface ClassifyDeps {
  /** The rule set in force; read on every call so a reloaded file takes effect. */
  rules: () => RuleSet;
}

/** Builds the classify activity. */
export function createClassifyActivities(deps: ClassifyDeps) {
  return {
    /** Classifies one reply's text as of its received time. */
    async classifyReply(input: { text: string; receivedAt: string }): Promise<ReplyClassification> {
      const result = classifyReply(input.text, deps.rules(), { receivedAt: input.receivedAt });
      return {
        labels: result.labels,
        escalate: result.escalate,
        trigger: result.trigger,
        evidence: result.evidence,
        returnDate: result.returnDate,
        snoozeUntil: result.snoozeUntil,
        autoReply: result.autoReply,
        rulesVersion: result.rulesVersion,
      };
    },
  };
}
