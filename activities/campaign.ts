/**
 * Resolving a campaign when a conversation is started with only `{ prospect, campaign? }` (from any Temporal SDK
 * or the `temporal` CLI): the cadence, voice and policy the API would have sent, from the worker's config.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../src/config';
import { UnknownCampaignError, conversationInput } from '../src/conversations';
import { TemplateError } from '../src/outreach/templates';
import { ChannelNotConfiguredError } from '../src/outreach/channels';
import { ConversationStartSchema, type ConversationInput } from '../workflows/messages';

/** What campaign resolution needs: the config as it is now. */
export interface CampaignActivityDeps {
  config: () => Config;
}

/** `ApplicationFailure` types campaign resolution throws (non-retryable: the start itself is wrong). */
export const CampaignErrors = {
  InvalidStart: 'InvalidStart',
  UnknownCampaign: 'UnknownCampaign',
  InvalidTemplates: 'InvalidTemplates',
  /** The campaign's cadence has a step on a channel no sender is configured for. */
  ChannelNotConfigured: 'ChannelNotConfigured',
} as const;

/** Builds the campaign activity. */
export function createCampaignActivities(deps: CampaignActivityDeps) {
  return {
    /**
     * The whole workflow input for a short start: the prospect, with the campaign's (or the defaults') cadence,
     * voice and policy.
     * @throws ApplicationFailure `InvalidStart` naming the field that is wrong; `UnknownCampaign` naming the campaign;
     * `InvalidTemplates` naming the template file, the line and the variable of a campaign template that is wrong.
     *   `ChannelNotConfigured` naming a step's channel without a sender.
     */
    async resolveCampaign(start: unknown): Promise<ConversationInput> {
      const parsed = ConversationStartSchema.safeParse(start);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.map(String).join('.') || 'input';
        throw ApplicationFailure.create({ type: CampaignErrors.InvalidStart, message: `${field}: ${issue?.message ?? 'invalid'}`, nonRetryable: true, details: [{ field }] });
      }
      try {
        return conversationInput(deps.config(), parsed.data);
      } catch (err) {
        if (err instanceof ChannelNotConfiguredError) {
          throw ApplicationFailure.create({ type: CampaignErrors.ChannelNotConfigured, message: err.message, nonRetryable: true, details: [{ field: err.field, channel: err.channel }] });
        }
        if (err instanceof UnknownCampaignError) {
          throw ApplicationFailure.create({ type: CampaignErrors.UnknownCampaign, message: err.message, nonRetryable: true, details: [{ field: err.field }] });
        }
        if (err instanceof TemplateError) {
          throw ApplicationFailure.create({ type: CampaignErrors.InvalidTemplates, message: err.message, nonRetryable: true, details: [{ file: err.file, line: err.line ?? null, variable: err.variable ?? null }] });
        }
        throw err;
      }
    },
  };
}
