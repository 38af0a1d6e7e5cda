/** Errors about campaigns, kept apart so the API's error mapping can name them without loading the config. */

/** A start request names a campaign the config does not have. */
export class UnknownCampaignError extends Error {
  override readonly name = 'UnknownCampaignError';
  /** The request field that is wrong. */
  readonly field = 'campaign';
  constructor(
    readonly campaign: string,
    known: readonly string[],
  ) {
    super(`campaign: no campaign named ${JSON.stringify(campaign)} is configured (${known.length ? `known: ${known.join(', ')}` : 'none are'})`);
  }
}
