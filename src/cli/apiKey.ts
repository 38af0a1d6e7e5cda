/** `handoff api-key new [--scopes tool,rep]`: a fresh key to hand out and the entry for `api.keys`. */
import { parseArgs } from 'node:util';
import { generateApiKey, hashApiKey, SCOPES } from '../api/auth';

/** Prints a new key and its config entry. */
export async function apiKeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { scopes: { type: 'string' }, id: { type: 'string' } } });
  if (positionals[0] !== 'new') {
    console.error('usage: handoff api-key new [--id NAME] [--scopes tool,rep,admin]');
    return 2;
  }
  const scopes = (values.scopes ?? 'tool').split(',').map((s) => s.trim());
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    console.error(`handoff api-key: unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`);
    return 2;
  }
  const token = generateApiKey();
  console.log(`key (give this to the caller, it is not stored): ${token}`);
  console.log('config entry (handoff.yaml, under api.keys):');
  console.log(`  - { id: ${values.id ?? 'new-key'}, hash: "${hashApiKey(token)}", scopes: [${scopes.join(', ')}] }`);
  return 0;
}
