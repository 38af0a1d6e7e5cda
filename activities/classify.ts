/**
 * The trigger-detection activity: labels a reply with both readers (the rules, then the learned reader's
 * additions), then asks the model endpoint when one is configured (its labels can add an escalation, never remove
 * one), and records which reader gave each label with the rules and model versions.
 *
 * In the worker the readers run in a pool of threads under a time limit; a reply they cannot classify (too slow,
 * or its thread failed) is escalated for a human to read, never dropped. The endpoint is asked with its own
 * timeout; when it fails, the readers' verdict stands and the failure is recorded.
 */
import { log } from '@temporalio/activity';
import { ClassificationFailedError } from '../src/triggers';
import { addressesInOwnWords } from '../src/triggers/addresses';
import { finalLabels } from '../src/triggers/classify';
import type { CombinedClassification } from '../src/triggers/learned/combine';
import { type IntentModel, askModel } from '../src/triggers/model';
import type { ReplyClassifier } from '../src/triggers/pool';
import { type Readers, classifyWithReaders } from '../src/triggers/readers';
import type { ClassificationFallback, EndpointOutcome, ReplyClassification } from '../workflows/messages';
import type { Intent } from '../workflows/vocabulary';

/** What classification needs from the worker. */
export interface ClassifyDeps {
  /** The readers in force; asked on every call so a replaced rules or model file takes effect. */
  readers: () => Promise<Readers>;
  /** Classifies in worker threads under a time limit; when absent, the readers run in this thread. */
  classifier?: ReplyClassifier;
  /** The model endpoint, when one is configured. */
  endpoint?: IntentModel | null;
}

/** The verdict on a reply that could not be classified: no labels, escalated for a human to read. */
export function unclassified(reason: ClassificationFallback, rulesVersion: string, modelVersion: string | null): ReplyClassification {
  return {
    labels: [],
    escalate: true,
    trigger: null,
    evidence: [],
    returnDate: null,
    snoozeUntil: null,
    autoReply: false,
    rulesVersion,
    modelVersion,
    decidedBy: {},
    fallback: reason,
  };
}

/** Asks the endpoint and merges its labels into the readers' verdict; a failure leaves the verdict as it was. */
async function withEndpoint(
  text: string,
  verdict: CombinedClassification,
  endpoint: IntentModel,
  readers: Readers,
): Promise<{ verdict: CombinedClassification; outcome: EndpointOutcome }> {
  const { classification, use } = await askModel(text, verdict, readers.rules, endpoint);
  if (!use.used) {
    log.warn('model endpoint not used; the readers decide alone', { endpoint: endpoint.name, error: use.error });
    return { verdict, outcome: { name: use.name, used: false, added: [], ...(use.error ? { error: use.error } : {}) } };
  }
  const decidedBy = { ...verdict.decidedBy };
  for (const label of use.added) decidedBy[label] = 'endpoint';
  return { verdict: { ...classification, decidedBy }, outcome: { name: use.name, used: true, added: use.added } };
}

/** Builds the classify activity. */
export function createClassifyActivities(deps: ClassifyDeps) {
  return {
    /**
     * Classifies one reply's text as of its received time. A reply whose headers say a machine wrote it
     * (`autoSubmitted`) is an auto-reply whatever its words: its trigger labels are dropped, and one the readers
     * cannot classify is not escalated either.
     */
    async classifyReply(input: { text: string; receivedAt: string; autoSubmitted?: true }): Promise<ReplyClassification> {
      const verdict = await classifyText(input);
      return input.autoSubmitted ? asAutoReply(verdict, (await deps.readers()).rules.autoReplyDrops) : verdict;
    },
  };

  async function classifyText(input: { text: string; receivedAt: string }): Promise<ReplyClassification> {
    const readers = await deps.readers();
    const options = { receivedAt: input.receivedAt };
    let verdict: CombinedClassification;
    try {
      verdict = deps.classifier ? await deps.classifier.classify(input.text, readers, options) : classifyWithReaders(input.text, readers, options);
    } catch (err) {
      if (!(err instanceof ClassificationFailedError)) throw err;
      log.warn('reply not classified; escalating it for a human to read', { reason: err.reason, error: err.message, chars: input.text.length });
      return unclassified(err.reason, readers.rules.version, readers.learned?.version ?? null);
    }
    let endpoint: EndpointOutcome | undefined;
    if (deps.endpoint) ({ verdict, outcome: endpoint } = await withEndpoint(input.text, verdict, deps.endpoint, readers));
    const namedAddresses = verdict.labels.includes('referral') ? addressesInOwnWords(input.text) : [];
    return {
      labels: verdict.labels,
      escalate: verdict.escalate,
      trigger: verdict.trigger,
      evidence: verdict.evidence,
      returnDate: verdict.returnDate,
      snoozeUntil: verdict.snoozeUntil,
      autoReply: verdict.autoReply,
      rulesVersion: verdict.rulesVersion,
      modelVersion: verdict.modelVersion,
      decidedBy: verdict.decidedBy,
      ...(endpoint ? { endpoint } : {}),
      ...(namedAddresses.length > 0 ? { namedAddresses } : {}),
    };
  }
}

/** A verdict on a machine-written reply: no label it drops for auto-replies, nothing escalated, no fallback. */
export function asAutoReply(verdict: ReplyClassification, drops: ReadonlySet<Intent>): ReplyClassification {
  const labels = finalLabels(verdict.labels.filter((l) => !drops.has(l)));
  const { fallback: _fallback, ...rest } = verdict;
  return {
    ...rest,
    labels,
    escalate: false,
    trigger: null,
    evidence: verdict.evidence.filter((e) => labels.includes(e.label)),
    snoozeUntil: labels.includes('not_now') ? verdict.snoozeUntil : null,
    autoReply: true,
  };
}
