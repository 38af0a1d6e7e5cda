/**
 * The trigger-detection activity: labels a reply with the rules engine (and the optional model, whose labels
 * can add an escalation but never remove one) and records the rules version with the result.
 *
 * In the worker the engine runs in a pool of threads under a time limit; a reply it cannot classify (too slow,
 * or its thread failed) is escalated for a human to read, never dropped.
 */
import { log } from '@temporalio/activity';
import { ClassificationFailedError, type Classification, classifyReply, type RuleSet } from '../src/triggers';
import type { ReplyClassifier } from '../src/triggers/pool';
import type { ClassificationFallback, ReplyClassification } from '../workflows/messages';

/** What classification needs from the worker. */
export interface ClassifyDeps {
  /** The rule set in force; read on every call so a reloaded file takes effect. */
  rules: () => RuleSet;
  /** Classifies in worker threads under a time limit; when absent, the engine runs in this thread. */
  classifier?: ReplyClassifier;
}

/** The verdict on a reply that could not be classified: no labels, escalated for a human to read. */
export function unclassified(reason: ClassificationFallback, rulesVersion: string): ReplyClassification {
  return {
    labels: [],
    escalate: true,
    trigger: null,
    evidence: [],
    returnDate: null,
    snoozeUntil: null,
    autoReply: false,
    rulesVersion,
    fallback: reason,
  };
}

/** Builds the classify activity. */
export function createClassifyActivities(deps: ClassifyDeps) {
  return {
    /** Classifies one reply's text as of its received time. */
    async classifyReply(input: { text: string; receivedAt: string }): Promise<ReplyClassification> {
      const rules = deps.rules();
      const options = { receivedAt: input.receivedAt };
      let result: Classification;
      try {
        result = deps.classifier ? await deps.classifier.classify(input.text, rules, options) : classifyReply(input.text, rules, options);
      } catch (err) {
        if (!(err instanceof ClassificationFailedError)) throw err;
        log.warn('reply not classified; escalating it for a human to read', { reason: err.reason, error: err.message, chars: input.text.length });
        return unclassified(err.reason, rules.version);
      }
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
