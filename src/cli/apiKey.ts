/**
 * `handoff api-key new [--rep REP] [--scopes tool,rep] [--id NAME]`: a fresh key to hand out and the entry for
 * `api.keys`. `--rep` binds the key to a roster rep (scope `rep` unless told otherwise): it then claims, hands
 * back and closes as that rep and no other.
 */
import { parseArgs } from 'node:util';
import { ApiKeySchema, generateApiKey, hashApiKey, SCOPES } from '../api/auth';

const USAGE = 'usage: handoff api-key new [--rep REP] [--id NAME] [--scopes tool,rep,admin]';

/** Prints a new key and its config entry. */
export async function apiKeyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { scopes: { type: 'string' }, id: { type: 'string' }, rep: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] !== 'new') {
    console.error(USAGE);
    return 2;
  }
  const scopes = (values.scopes ?? (values.rep ? 'rep' : 'tool')).split(',').map((s) => s.trim());
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    console.error(`handoff api-key: unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`);
    return 2;
  }
  const token = generateApiKey();
  const entry = { id: values.id ?? values.rep ?? 'new-key', hash: hashApiKey(token), scopes, ...(values.rep ? { repId: values.rep } : {}) };
  const checked = ApiKeySchema.safeParse(entry);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    console.error(`handoff api-key: ${field === 'repId' ? '--rep' : field}: ${issue.message}`);
    return 2;
  }
  console.log(`key (give this to ${values.rep ?? 'the caller'}; it is not stored): ${token}`);
  console.log('config entry (handoff.yaml, under api.keys):');
  const rep = values.rep ? `, repId: ${values.rep}` : '';
  console.log(`  - { id: ${entry.id}, hash: "${entry.hash}", scopes: [${scopes.join(', ')}]${rep} }`);
  return 0;
}
