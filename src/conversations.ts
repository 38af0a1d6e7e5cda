/**
 * Starting and finding conversations from the client side: the one place that turns a start request and the
 * config into the workflow's input (cadence offsets and deadlines in milliseconds, a policy snapshot).
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { z } from 'zod';
import { conversationWorkflow } from '../workflows/conversation';
import { CampaignNameSchema, ConversationInputSchema, ProspectSchema, conversationWorkflowId, type ConversationInput } from '../workflows/messages';
import { HandoffProspect } from '../workflows/searchAttributes';
import { CampaignOverridesSchema, type Config } from './config';
import { UnknownCampaignError } from './campaignErrors';
import { normaliseEmail } from './ledger/suppression';
import { durationMs } from './duration';
import { checkCampaignTemplates } from './outreach/campaignTemplates';
import { assertChannelsConfigured } from './outreach/channels';

export { UnknownCampaignError } from './campaignErrors';

/** How deep a prospect's profile may nest: far more than any outreach tool's record, far less than serialisers recurse. */
const PROFILE_DEPTH_LIMIT = 32;

/** How deep a JSON value nests (a scalar 0, `{}` 1), walked without recursion and given up past the limit. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > PROFILE_DEPTH_LIMIT) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

/** Whether the suppression list can hold an address, so an opt-out from it is never lost. */
function suppressible(email: string): boolean {
  try {
    normaliseEmail(email);
    return true;
  } catch {
    return false;
  }
}

/**
 * A prospect as a start takes it: its address one the suppression list can hold (a local part of at most 64
 * characters, a domain whose labels are at most 63 and neither start nor end with a hyphen), which the address
 * format alone allows past.
 */
const StartProspectSchema = ProspectSchema.extend({
  email: ProspectSchema.shape.email.refine(suppressible, {
    // Only an address the format takes is asked this: a malformed one gets the format's message alone.
    when: (payload) => (payload.issues ?? []).length === 0,
    message: 'an address the suppression list can hold: a local part of at most 64 characters, domain labels of at most 63 that neither start nor end with a hyphen',
  }),
  profile: ProspectSchema.shape.profile.refine((profile) => depthOf(profile) <= PROFILE_DEPTH_LIMIT, {
    message: `at most ${PROFILE_DEPTH_LIMIT} levels of nested objects and arrays`,
  }),
});

/** A request to start a conversation, as the API and the CLI take it: the prospect, a campaign, and overrides. */
export const StartConversationSchema = z.strictObject({
  prospect: StartProspectSchema,
  /** A configured campaign (`campaigns` in the config) to run with; the defaults under `conversation` when unset. */
  campaign: CampaignNameSchema.optional(),
  /**
   * Start the prospect again, in `campaign`, though an earlier conversation of theirs has ended: a new conversation
   * `prospect-<id>~<campaign>`, found with the earlier ones. Refused after an opt-out, while the address is
   * suppressed, and while an earlier conversation still runs.
   */
  reenrol: z.literal(true).optional(),
  ...CampaignOverridesSchema.shape,
});
export type StartConversationRequest = z.infer<typeof StartConversationSchema>;

/**
 * The workflow input for a request under the given config: the request's own cadence, voice and deadlines, else
 * its campaign's, else the configured defaults. A campaign's templates are checked for the cadence it will run.
 * @throws UnknownCampaignError when the request names a campaign the config does not have; TemplateError naming the
 * file, the line and the variable when one of the campaign's templates is missing or wrong;
 *   ChannelNotConfiguredError when a step of the cadence is on a channel no sender is configured for.
 */
export function conversationInput(config: Config, request: StartConversationRequest): ConversationInput {
  const c = config.conversation;
  const campaign = request.campaign === undefined ? {} : config.campaigns[request.campaign];
  if (!campaign) throw new UnknownCampaignError(request.campaign!, Object.keys(config.campaigns));
  const steps = request.cadence ?? campaign.cadence ?? c.cadence;
  if (request.campaign !== undefined) checkCampaignTemplates(campaign, steps, request.campaign);
  const cadence = steps.map((step) => ({
    name: step.name,
    kind: step.kind,
    offsetMs: durationMs(step.offset),
    channel: step.channel,
  }));
  assertChannelsConfigured(cadence, config.outreach.channels);
  return ConversationInputSchema.parse({
    prospect: request.prospect,
    cadence,
    voice: request.voice ?? campaign.voice ?? {},
    policy: {
      sendWindow: c.businessHours,
      outOfOfficeDefaultMs: durationMs(c.outOfOfficeDefault),
      notNowDefaultMs: durationMs(c.notNowDefault),
      claimDeadlineMs: Object.fromEntries(
        Object.entries({ ...c.claimDeadlines, ...campaign.claimDeadlines, ...request.claimDeadlines }).map(([k, v]) => [k, durationMs(v as string)]),
      ),
      lastTierRealertMs: durationMs(c.lastTierRealertInterval),
      maxRealerts: c.maxRealerts,
      ...(request.offHours || campaign.offHours ? { offHours: { ...campaign.offHours, ...request.offHours } } : {}),
      replyWindowMs: durationMs(c.replyWindow),
      maxHistoryEvents: c.maxHistoryEvents,
      acknowledgeHumanRequest: config.alerts.acknowledgeHumanRequest,
      humanReply: request.humanReply ?? campaign.humanReply ?? c.humanReply,
    },
    ...(request.campaign === undefined ? {} : { campaign: request.campaign }),
  });
}

/** A started (or found) conversation. */
export interface StartedConversation {
  handle: WorkflowHandle<typeof conversationWorkflow>;
  workflowId: string;
  /** False when the prospect already had a conversation, which is returned instead. */
  created: boolean;
}

/** The prospect's profile and the cadence, as the Temporal UI shows them beside the conversation. */
function profileDetails(input: ConversationInput): string {
  const { prospect } = input;
  const who = [prospect.title, prospect.company].filter(Boolean).join(', ');
  const facts = [
    `**${prospect.name}**${who ? ` (${who})` : ''}, ${prospect.email}`,
    `Owner: ${prospect.owner ?? 'none (routed by skill)'}; time zone: ${prospect.timeZone ?? 'unknown (sends at any hour)'}`,
    `Cadence: ${input.cadence.map((step) => step.name).join(' → ')}`,
  ];
  return facts.join('\n\n');
}

/**
 * Starts the prospect's conversation, or returns the one it already has (running or finished: an opted-out
 * prospect is never started again). With `enrolment` (a campaign), starts that re-enrolment's conversation, or
 * returns it; whether the prospect may be re-enrolled is the caller's to check first.
 */
export async function startConversation(client: Client, config: Config, request: StartConversationRequest, enrolment?: string): Promise<StartedConversation> {
  const input = conversationInput(config, request);
  const workflowId = conversationWorkflowId(input.prospect.id, enrolment);
  try {
    const handle = await client.workflow.start(conversationWorkflow, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: new TypedSearchAttributes([{ key: HandoffProspect, value: input.prospect.id }]),
      staticSummary: `Conversation with ${input.prospect.name} (${input.prospect.company})`,
      staticDetails: profileDetails(input),
    });
    return { handle, workflowId, created: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle<typeof conversationWorkflow>(workflowId), workflowId, created: false };
    }
    throw err;
  }
}
