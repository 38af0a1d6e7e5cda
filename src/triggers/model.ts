/**
 * The optional model hook: a second classifier (an OpenAI-compatible chat-completions endpoint) whose labels are
 * merged with the rules'. The rules are the floor: a model can add labels, never remove one the rules found, so
 * it can never suppress a human_request; an auto-reply still never escalates. Any model failure falls back to the
 * rules' verdict and says so. Async and does network I/O, unlike the pure engine.
 */
import { z } from 'zod';
import { ChatCompletionsClient, ModelError, type ModelSettings } from '../model/chatCompletions';
import { classifyReply, escalation, finalLabels, type ClassifyOptions } from './classify';
import type { RuleSet } from './rules';
import { findReplyBody, scanText } from './strip';
import { type Classification, type Intent, INTENTS } from './types';

/** A second opinion on a reply's labels. */
export interface IntentModel {
  /** A name for logs and results. */
  readonly name: string;
  /** Labels a reply's text; rejects on any failure. */
  classify(text: string): Promise<{ labels: Intent[]; reasons?: string[] }>;
}

/** What the model contributed to a {@link ModelClassification}. */
export interface ModelUse {
  /** True when the model answered and its answer was merged. */
  used: boolean;
  name: string;
  /** Labels the model added to the rules' verdict. */
  added: Intent[];
  reasons?: string[];
  /** Why the model was not used (timeout, HTTP status, bad answer). Never contains the reply text. */
  error?: string;
}

/** A rules verdict with the model's contribution merged in. */
export type ModelClassification = Classification & { model: ModelUse };

export { ModelError, withoutFence, type ModelSettings } from '../model/chatCompletions';

/** How long a model gets before the rules' verdict stands alone. */
export const DEFAULT_MODEL_TIMEOUT_MS = 5000;

const ModelEnvSchema = z.object({
  HANDOFF_MODEL_URL: z.url(),
  HANDOFF_MODEL_NAME: z.string().min(1),
  HANDOFF_MODEL_API_KEY: z.string().min(1).optional(),
  HANDOFF_MODEL_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
});

/**
 * The model configured by `HANDOFF_MODEL_URL`, `HANDOFF_MODEL_NAME` and optionally `HANDOFF_MODEL_API_KEY` and
 * `HANDOFF_MODEL_TIMEOUT_MS`; null (off) when the URL is unset.
 * @throws Error naming the variable when the URL is set but the settings are invalid.
 */
export function modelFromEnv(env: NodeJS.ProcessEnv = process.env): IntentModel | null {
  if (!env.HANDOFF_MODEL_URL) return null;
  const parsed = ModelEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`model settings: ${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return new ChatCompletionsModel({
    url: e.HANDOFF_MODEL_URL,
    model: e.HANDOFF_MODEL_NAME,
    apiKey: e.HANDOFF_MODEL_API_KEY,
    timeoutMs: e.HANDOFF_MODEL_TIMEOUT_MS ?? DEFAULT_MODEL_TIMEOUT_MS,
  });
}

const INTENT_ENUM = z.enum(INTENTS);

/** The JSON the model must answer with. */
const ModelAnswerSchema = z.object({
  labels: z.array(INTENT_ENUM),
  reasons: z.array(z.string()).optional(),
});

const SYSTEM_PROMPT = `You label a sales prospect's email reply with intents. Answer with JSON only:
{"labels": [...], "reasons": ["one short reason per label"]}.
Labels:
- buying_intent: shows interest or moves toward a decision (learn more, evaluating, meeting/demo/trial, proposal, next steps).
- pricing: asks or negotiates about price, cost, quote, budget, discounts, plans, seats, licences, contract or payment terms.
- technical: security/compliance, integrations/APIs, data migration, scale, IT/infosec blockers, how it works with their systems.
- human_request: asks for a person or asks whether they are talking to a bot. Not "no need to call me".
- opt_out: unsubscribe, remove me, stop emailing, do not contact, a firm "not interested".
- out_of_office: an automatic away/vacation/leave reply.
- not_now: a timing objection ("circle back next quarter", "no budget until January").
- referral: points to someone else.
- none: nothing above; never together with another label.
Negation matters. Ignore quoted earlier messages and signatures.`;

/** An OpenAI-compatible chat-completions endpoint as an {@link IntentModel}. */
export class ChatCompletionsModel implements IntentModel {
  readonly name: string;
  private readonly client: ChatCompletionsClient;

  constructor(settings: ModelSettings) {
    this.client = new ChatCompletionsClient(settings);
    this.name = this.client.name;
  }

  async classify(text: string): Promise<{ labels: Intent[]; reasons?: string[] }> {
    return this.client.json(
      [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: text },
      ],
      ModelAnswerSchema,
    );
  }
}

/**
 * Merges a model's labels into a rules verdict. Pure. The union of both, except that an auto-reply keeps its
 * dropped labels dropped; `none` is recomputed so it still stands alone.
 */
export function mergeModelLabels(
  rules: Classification,
  modelLabels: readonly Intent[],
  ruleSet: RuleSet,
): { classification: Classification; added: Intent[] } {
  const have = new Set(rules.labels.filter((l) => l !== 'none'));
  const added = finalLabels(modelLabels).filter(
    (l) => l !== 'none' && !have.has(l) && !(rules.autoReply && ruleSet.autoReplyDrops.has(l)),
  );
  const labels = finalLabels([...have, ...added]);
  return {
    classification: { ...rules, labels, ...escalation(labels, ruleSet.triggerPriority) },
    added,
  };
}

/**
 * Classifies with the rules, then asks the model for a second opinion on the prospect's own words (quotes and
 * signatures stripped) and merges its labels. Never rejects: a model failure yields the rules' verdict with
 * `model.used = false` and `model.error`.
 */
export async function classifyWithModel(
  text: string,
  ruleSet: RuleSet,
  model: IntentModel,
  options: ClassifyOptions = {},
): Promise<ModelClassification> {
  const { classification, use } = await askModel(text, classifyReply(text, ruleSet, options), ruleSet, model);
  return { ...classification, model: use };
}

/**
 * Asks the model about a reply's own words (quotes and signatures stripped) and merges its labels into a verdict
 * already reached. Never rejects: a failure leaves the verdict as it was, with `use.used = false` and `use.error`.
 */
export async function askModel<C extends Classification>(
  text: string,
  verdict: C,
  ruleSet: RuleSet,
  model: IntentModel,
): Promise<{ classification: C; use: ModelUse }> {
  try {
    const answer = await model.classify(scanText(text, findReplyBody(text)).trim());
    const { classification, added } = mergeModelLabels(verdict, answer.labels, ruleSet);
    return { classification: { ...verdict, ...classification }, use: { used: true, name: model.name, added, reasons: answer.reasons } };
  } catch (err) {
    const error = err instanceof ModelError ? err.message : 'model failed';
    return { classification: verdict, use: { used: false, name: model.name, added: [], error } };
  }
}
