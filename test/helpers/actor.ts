/** Actors for tests that send the conversation's updates directly, as the API would for a rep's own key. */
import type { Actor } from '../../workflows/messages';

/** The actor of `repId`'s own API key; `manager` as the test roster has it (max manages). */
export function repActor(repId: string, overrides: Partial<Actor> = {}): Actor {
  return { via: 'api_key', keyId: `key-${repId}`, repId, onBehalfOf: false, manager: repId === 'max', ...overrides };
}
