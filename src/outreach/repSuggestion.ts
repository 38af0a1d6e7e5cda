/**
 * The suggested reply a rep sees with a conversation (in its alerts, and on `GET …/suggested-reply`): written from
 * the conversation's thread by {@link suggestReply}, by the model when one is configured and answers in time, else
 * from the reply template, in the words and voice of the conversation's campaign (the packet's `campaign`, else the
 * one a re-enrolment's conversation id names; the defaults when neither is configured).
 */
import type { Config } from '../config';
import type { ChatCompletionsClient } from '../model/chatCompletions';
import { parseConversationRef, type Prospect, type ThreadMessage } from '../../workflows/messages';
import { campaignWords, type CampaignWords } from './composer';
import { suggestReply } from './suggestReply';

/** A suggested reply as the rep sees it: its text and who wrote it. */
export interface RepSuggestion {
  text: string;
  source: 'model' | 'template';
}

/** Where suggestions come from: the campaigns as configured now, and the model (none: templates only). */
export interface RepSuggestionDeps {
  campaigns: () => Config['campaigns'];
  model: ChatCompletionsClient | null;
  /** The longest the model is waited for before the template is used; the model client's own timeout still applies. */
  modelBudgetMs?: number;
}

/** What a suggestion is written from: a handoff packet or a conversation's state both carry it. */
export interface SuggestionSource {
  conversationId: string;
  prospect: Prospect;
  thread: readonly ThreadMessage[];
  /** The campaign the conversation runs for, when the source carries it. */
  campaign?: string;
}

/** Leaves room in the alert activity's 20 s for the delivery itself, whatever the model's timeout. */
const DEFAULT_MODEL_BUDGET_MS = 8000;

/** The conversation's campaign (named by the source, else by a re-enrolment's id), when the config still has it; else the defaults. */
function wordsFor(source: SuggestionSource, campaigns: Config['campaigns']): CampaignWords {
  const named = source.campaign ?? parseConversationRef(source.conversationId).enrolment;
  return named !== null && campaigns[named] ? campaignWords(campaigns, named) : campaignWords(campaigns, undefined);
}

/**
 * Suggests the rep's next reply in a conversation. A model that fails, answers nonsense or takes longer than the
 * budget leaves the template's reply.
 * @throws TemplateError or TemplateValueMissingError when even the template cannot be written.
 */
export async function suggestRepReply(source: SuggestionSource, deps: RepSuggestionDeps): Promise<RepSuggestion> {
  const words = wordsFor(source, deps.campaigns());
  const fromTemplate = async (): Promise<RepSuggestion> => ({ text: (await suggestReply(source.thread, words, source.prospect)).body, source: 'template' });
  if (!deps.model) return fromTemplate();
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), deps.modelBudgetMs ?? DEFAULT_MODEL_BUDGET_MS);
  });
  try {
    const drafted = await Promise.race([suggestReply(source.thread, words, source.prospect, { model: deps.model }), outOfTime]);
    if (drafted) return { text: drafted.body, source: drafted.drafting.outcome === 'model' ? 'model' : 'template' };
  } catch {
    // The template below says what it can; a template problem throws from there, naming its file.
  } finally {
    clearTimeout(timer);
  }
  return fromTemplate();
}
