/**
 * The API keys the end-to-end tests of the rep-side routes use: one outreach tool's, and one bound to each rep of
 * the roster fixture; and a cadence that sends once, then waits a month.
 */
import { hashApiKey, type ApiKey } from '../../src/api/auth';

/** The outreach tool's key. */
export const TOOL_KEY = 'tool-token-0123456789';
/** The reps of the roster fixture (`test/fixtures/roster.yaml`); max is the manager. */
export const FIXTURE_REPS = ['dana', 'eli', 'fay', 'lee', 'max'] as const;
/** The key bound to `repId`. */
export const repKeyOf = (repId: string): string => `rep-token-${repId}-0123456789`;
/** The tool's key and every rep's own. */
export const toolAndRepKeys: ApiKey[] = [
  { id: 'outreach-tool', hash: hashApiKey(TOOL_KEY), scopes: ['tool'] },
  ...FIXTURE_REPS.map((repId): ApiKey => ({ id: `key-${repId}`, hash: hashApiKey(repKeyOf(repId)), scopes: ['rep'], repId })),
];

/** A first touch at once and a follow-up a month later: one send, and nothing more while a test runs. */
export const oneSendCadence = [
  { name: 'First touch', kind: 'first_touch' as const, offset: '0 days', channel: 'email' as const },
  { name: 'Follow-up', kind: 'follow_up' as const, offset: '30 days', channel: 'email' as const },
];
