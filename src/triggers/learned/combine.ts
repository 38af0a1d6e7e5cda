/**
 * Two readers, one verdict. The rules read first and stay the auditable floor: nothing the learned reader says
 * removes a rules label, but for the veto below. The learned reader adds the labels the rules missed, at or above its per-label
 * thresholds, with these limits:
 * - a learned label never makes an auto-reply escalate (a reply an auto-reply rule matched, one the rules read as
 *   away while neither reader heard a trigger, or one the learned reader itself reads as out-of-office while the
 *   rules found no trigger); a reply the rules read as away only for want of a trigger, in which the learned reader
 *   hears a trigger and no absence, is a person writing, and loses the rules' out-of-office label;
 * - a learned out-of-office label is not added beside a rules trigger (a person mentioning their absence while
 *   asking a real question is not an auto-reply);
 * - an opt-out from either reader counts: automation stops, and when a trigger stands beside it a human reads it;
 *   but the learned reader gives none to a bare thank-you or acknowledgement ("Gracias.", "Merci, bien reçu"; see
 *   `isBareAcknowledgement`), which refusals resemble in their words ("No, gracias.") and which asks for nothing,
 *   and the escalation floor does not lift one either;
 *   beside a trigger that stands whatever the opt-out decides (see `triggerStandsBeside`), and no rules opt-out, a
 *   learned opt-out needs the model's higher `optOutBesideTrigger`;
 * - a reply that asks to stop (either reader's opt-out) and asks nothing gets none of the rules' `declineDrops`
 *   labels from the learned reader ("Great, another demo. Remove me." declines the demo), as the rules drop them
 *   themselves when they read the opt-out;
 * - a rules trigger the learned reader gives almost no chance (below the model's `vetoCeiling`) while it is sure the
 *   reply needs no person (its escalation head under the model's `vetoHead`, or a reading of an away message with no
 *   learned trigger in a reply that asks nothing, which then reads as an auto-reply; in a model without a `vetoHead`,
 *   a reading of an opt-out, an away message, a timing objection or a referral) is set aside (and recorded as such):
 *   the learned reader is sure, not unsure, so no human is needed to read it; the veto is chosen out of fold so that
 *   escalation as a whole loses at most one in a thousand of its catches, and the floor is chosen after it to hold
 *   the product's recall;
 * - a reply left with no trigger and no opt-out escalates on the learned reader's likeliest trigger when the
 *   model's escalation head (its probability that the reply holds any trigger, which also reads what the rules made
 *   of the reply when the model was trained so, see `LearnedReader.headReadsRules`), or the floor's reading of the
 *   head beside the likeliest trigger and the question (see `floorReadingOf`), reaches the model's escalation
 *   floor (see `floorTrigger`), so the per-label thresholds can balance each trigger while escalation stays recall
 *   first; an opt-out only the learned reader reads does not close the floor on a reply that asks something (a
 *   question is seldom a request to stop: "Does Emma exist?"), a rules opt-out always does;
 * - when the rules found a trigger, it stays the escalation's reason (its claim deadline and routing): a learned
 *   trigger beside it is added to the labels, but does not take its place ("walk me through how your SSO handles
 *   SCIM" stays technical when the learned reader also hears interest).
 * Pure.
 */
import { asksSomething, escalation, finalLabels, isBareAcknowledgement } from '../classify';
import type { RuleSet } from '../rules';
import { type Classification, type Evidence, type Intent, isTrigger } from '../types';
import { type FeatureVector, readFeatureColumns } from './features';
import { type LearnedReader, type LearnedVerdict, explain, floorTrigger, readReply, vetoedTriggers } from './reader';

/** Which reader gave a label (the model endpoint, when configured, adds `endpoint` after these two). */
export type Reader = 'rules' | 'model' | 'both' | 'endpoint';

/** A verdict of both readers: the rules' classification with the learned reader's additions and provenance. */
export interface CombinedClassification extends Classification {
  /** For each label, which reader gave it. */
  decidedBy: Partial<Record<Intent, Reader>>;
  /** The learned reader's version, or null when it did not read this reply. */
  modelVersion: string | null;
  /** The learned reader's probability per label (rounded), for review and back-testing. */
  modelScores: Partial<Record<Intent, number>>;
  /** Rules triggers the learned reader set aside (see `LearnedReader.vetoCeiling`); empty when none. */
  setAside: Intent[];
}

/** Merges the learned reader's verdict into the rules' classification (see the module comment). */
export function combineReaders(
  text: string,
  scan: string | FeatureVector,
  rules: Classification,
  learned: LearnedVerdict | null,
  reader: LearnedReader | null,
  ruleSet: RuleSet,
  asks: boolean = typeof scan === 'string' ? asksSomething(scan) : true,
): CombinedClassification {
  const decidedBy: Partial<Record<Intent, Reader>> = {};
  if (!learned || !reader) {
    for (const label of rules.labels) if (label !== 'none') decidedBy[label] = 'rules';
    return combined(rules, rules, { decidedBy, modelVersion: null, modelScores: {}, setAside: [] });
  }
  // A bare thank-you asks nothing and refuses nothing; an opt-out would suppress the address for good.
  const acknowledges = typeof scan === 'string' && isBareAcknowledgement(scan, ruleSet);
  const learnedOptOut = !acknowledges && learnedOptOutStands(rules, learned, reader, ruleSet, asks);
  // The rules drop these labels themselves when they read the opt-out. A learned opt-out keeps the learned reader
  // from adding them, but removes none of the rules' ("Tenho interesse." must not lose its interest to a misread).
  const declining = !asks && (rules.labels.includes('opt_out') || learnedOptOut);
  const declined = (label: Intent): boolean => declining && ruleSet.declineDrops.has(label);
  const vetoed = vetoedTriggers(reader, learned, rules.labels, asks);
  const rulesTrigger = rules.labels.some((l) => isTrigger(l) && !(vetoed as Intent[]).includes(l));
  const { absenceHeardAlone, readsAsAutoReply } = autoReplyReading(
    rules,
    learned,
    rulesTrigger,
    learned.labels.some((l) => isTrigger(l) && !declined(l)),
  );
  const fromRules = new Set(
    rules.labels.filter(
      (l) => l !== 'none' && !(vetoed as Intent[]).includes(l) && !(absenceHeardAlone && l === 'out_of_office'),
    ),
  );
  for (const label of fromRules) decidedBy[label] = 'rules';

  const added: Intent[] = [];
  for (const label of learned.labels) {
    if (label === 'none' || (label === 'opt_out' && !learnedOptOut)) continue;
    if (fromRules.has(label)) {
      decidedBy[label] = 'both';
      continue;
    }
    if (readsAsAutoReply && (isTrigger(label) || ruleSet.autoReplyDrops.has(label))) continue;
    if (label === 'out_of_office' && rulesTrigger) continue;
    if (declined(label)) continue;
    added.push(label);
    decidedBy[label] = 'model';
  }
  // A question is seldom a request to stop: a learned opt-out on a reply that asks something leaves the floor open.
  const floorSees = asks ? [...fromRules, ...added.filter((l) => l !== 'opt_out')] : [...fromRules, ...added];
  const floor = readsAsAutoReply || acknowledges ? null : floorTrigger(reader, learned, floorSees, asks);
  if (floor) {
    added.push(floor);
    decidedBy[floor] = 'model';
  }

  const labels = finalLabels([...fromRules, ...added]);
  const evidence: Evidence[] = rules.evidence.filter((e) => fromRules.has(e.label));
  // Columns over a shared buffer: no feature is walked again before the last label is explained.
  const features = added.length === 0 ? null : typeof scan === 'string' ? readFeatureColumns(scan, reader.spec) : scan;
  for (const label of added) {
    for (const span of explain(reader, features!, label)) {
      evidence.push({ label, rule: `model:${learned.modelVersion}`, start: span.start, end: span.end, text: text.slice(span.start, span.end) });
    }
  }
  evidence.sort((a, b) => a.start - b.start || a.end - b.end);
  const modelScores: Partial<Record<Intent, number>> = {};
  for (const model of reader.labels) {
    const p = learned.scores[model.label];
    if (p !== undefined) modelScores[model.label] = Math.round(p * 1000) / 1000;
  }
  // The escalation's reason (which sets its claim deadline and routing) is the rules' own trigger when they found
  // one: a learned label adds to a rules escalation, never re-labels it.
  const rulesReason = escalation([...fromRules], ruleSet.triggerPriority).trigger;
  const verdict = escalation(labels, ruleSet.triggerPriority);
  const verdictOfBoth = {
    labels,
    escalate: verdict.escalate,
    trigger: rulesReason ?? verdict.trigger,
    evidence,
    autoReply: readsAsAutoReply && (rules.autoReply || added.includes('out_of_office')),
  };
  return combined(rules, verdictOfBoth, { decidedBy, modelVersion: learned.modelVersion, modelScores, setAside: [...vetoed] });
}

/**
 * Whether the learned reader's opt-out counts: always where no trigger stands beside it, or the rules heard the
 * opt-out too; beside a trigger (see {@link triggerStandsBeside}), only at or above the model's `optOutBesideTrigger`.
 * That reply escalates either way, so a person reads it; a learned opt-out below the bar there would only suppress,
 * for good, an address that was most often a buyer's ("Je veux une démo.").
 */
function learnedOptOutStands(rules: Classification, learned: LearnedVerdict, reader: LearnedReader, ruleSet: RuleSet, asks: boolean): boolean {
  if (!learned.labels.includes('opt_out')) return false;
  const bar = reader.optOutBesideTrigger;
  if (bar === null || rules.labels.includes('opt_out') || !triggerStandsBeside(rules, learned, ruleSet, asks)) return true;
  return (learned.scores.opt_out ?? 0) >= bar;
}

/**
 * Whether a trigger stands in the combined verdict whatever the learned reader's opt-out decides: one the rules
 * heard, or one the learned reader heard that neither an auto-reply reading nor the rules' own opt-out takes away
 * (the conditions {@link combineReaders} adds it under, with the learned opt-out left out of them). Training chooses
 * the opt-out's bar on the replies where this holds.
 */
export function triggerStandsBeside(rules: Classification, learned: LearnedVerdict, ruleSet: RuleSet, asks: boolean): boolean {
  if (rules.labels.some(isTrigger)) return true;
  const declinedByRules = (label: Intent): boolean => !asks && rules.labels.includes('opt_out') && ruleSet.declineDrops.has(label);
  if (!learned.labels.some((l) => isTrigger(l) && !declinedByRules(l))) return false;
  return !autoReplyReading(rules, learned, false, true).readsAsAutoReply;
}

/**
 * How the combined verdict reads an away message. The rules call a reply an auto-reply outright (an auto-reply rule
 * matched), or only because it mentions an absence and they heard no trigger. The second is no auto-reply when the
 * learned reader hears a trigger in it (`learnedTrigger`) and no absence ("I'm at the fair all week, come by the stand
 * and we'll talk it over"): the absence is heard alone. A reply the learned reader reads as away, with no rules
 * trigger, is an auto-reply too.
 */
function autoReplyReading(
  rules: Classification,
  learned: LearnedVerdict,
  rulesTrigger: boolean,
  learnedTrigger: boolean,
): { absenceHeardAlone: boolean; readsAsAutoReply: boolean } {
  const heardAway = learned.labels.includes('out_of_office');
  const absenceHeardAlone = rules.autoReply && rules.autoReplyRules.length === 0 && !heardAway && learnedTrigger;
  return { absenceHeardAlone, readsAsAutoReply: (rules.autoReply && !absenceHeardAlone) || (heardAway && !rulesTrigger) };
}

/**
 * The combined verdict: the rules' verdict with `decided` (labels and what follows from them) in place and the
 * provenance added. Every field is named rather than spread and overridden, which V8 builds several times slower,
 * on the path of every reply.
 */
function combined(
  rules: Classification,
  decided: Pick<Classification, 'labels' | 'escalate' | 'trigger' | 'evidence' | 'autoReply'>,
  provenance: Pick<CombinedClassification, 'decidedBy' | 'modelVersion' | 'modelScores' | 'setAside'>,
): CombinedClassification {
  return {
    labels: decided.labels,
    escalate: decided.escalate,
    trigger: decided.trigger,
    evidence: decided.evidence,
    rulesFired: rules.rulesFired,
    // A return date belongs to an away message: none once the rules' out-of-office reading is dropped.
    returnDate: decided.labels.includes('out_of_office') ? rules.returnDate : null,
    snoozeUntil: rules.snoozeUntil,
    autoReply: decided.autoReply,
    autoReplyRules: rules.autoReplyRules,
    rulesVersion: rules.rulesVersion,
    decidedBy: provenance.decidedBy,
    modelVersion: provenance.modelVersion,
    modelScores: provenance.modelScores,
    setAside: provenance.setAside,
  };
}

/** Reads a reply with the learned reader and combines its verdict with the rules'. */
export function readWithBoth(
  text: string,
  scan: string,
  rules: Classification,
  reader: LearnedReader | null,
  ruleSet: RuleSet,
): CombinedClassification {
  if (!reader) return combineReaders(text, scan, rules, null, null, ruleSet);
  // Scoring needs the buckets alone; the spans are extracted only when the learned reader adds a label to explain.
  return combineReaders(text, scan, rules, readReply(reader, scan, rules), reader, ruleSet);
}
