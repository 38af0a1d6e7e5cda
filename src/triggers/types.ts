/**
 * The vocabulary of reply classification, as the rules engine uses it: the intents, the triggers and their
 * default order, and the shape of a classification come from the one vocabulary module
 * (`workflows/vocabulary.ts`); the languages rules are written for are the engine's own.
 */
import { TRIGGERS, type Trigger } from '../../workflows/vocabulary';

export { INTENTS, isTrigger, type Classification, type Evidence, type Intent, type Trigger } from '../../workflows/vocabulary';

/**
 * The default urgency order of the triggers, most urgent first: the `trigger` of a classification is the first
 * of these among its labels. A rules file may reorder them (`settings.triggerPriority`).
 */
export const TRIGGER_PRIORITY: readonly Trigger[] = TRIGGERS;

/** Languages a rule may be written for. */
export type Language = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'nl';

/** All supported rule languages. */
export const LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es', 'pt', 'nl'];
