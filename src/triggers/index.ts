/**
 * Trigger detection: the public face of the rules engine that decides when a prospect's reply hands the
 * conversation to a human rep. `classifyReply` is pure; `loadRuleSet` reads rules files; the optional model
 * hook lives in `./model` (async, does I/O) and is not re-exported here so the pure path stays light.
 */
export {
  type Classification,
  type Evidence,
  type Intent,
  type Language,
  type Trigger,
  INTENTS,
  LANGUAGES,
  TRIGGER_PRIORITY,
  isTrigger,
} from './types';
export {
  type RulesFileErrorContext,
  type UnsafePatternErrorContext,
  ClassificationFailedError,
  RulesFileError,
  UnsafePatternError,
} from './errors';
export { type CompiledRule, type RuleLabel, type RuleSet, type RulesFile, parseRuleSet, rulesVersion } from './rules';
export { DEFAULT_RULES_FILE, loadRuleSet, loadUserRuleSet } from './load';
export { type ClassifyOptions, classifyReply } from './classify';
export { type ReplyBody, findReplyBody } from './strip';
export { type CalendarDate, parseReturnDate, parseSnoozeDate, referenceDay } from './dates';
