/**
 * `handoff prospect erase <id>`: erases a prospect through the API (their conversation's runs, ledger texts and
 * journal lines; the address stays suppressed as a hash) and prints what was erased.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { HandoffApi, isHelpFlag } from './http';

const USAGE = `usage:
  handoff prospect erase ID [--email ADDRESS]...
--email names an address to erase too (for a conversation Temporal no longer holds). Add --json for JSON.`;

/** `handoff prospect …` */
export async function prospectCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { email: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (!action || values.help || isHelpFlag(action)) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  if (action !== 'erase') {
    console.error(`handoff prospect: unknown action "${action}"\n${USAGE}`);
    return 2;
  }
  const id = positionals[0];
  if (!id) throw new Error(`prospect erase: the prospect id is missing\n${USAGE}`);
  const api = HandoffApi.fromEnvironment(loadConfig());
  const query = values.email?.length ? { email: values.email } : {};
  const { body } = await api.call(api.client.DELETE('/v1/prospects/{prospectId}', { params: { path: { prospectId: id }, query } }));
  if (values.json) {
    console.log(JSON.stringify(body, null, 2));
    return 0;
  }
  const { workflows, ledger, journals } = body.erased;
  const files = Object.entries(journals).map(([file, n]) => `${file} ${n.removed} removed, ${n.redacted} redacted`);
  console.log(
    [
      `erased prospect ${id}`,
      `  workflows  ${workflows.runs} run(s): ${workflows.terminated} terminated, ${workflows.deleted} deleted`,
      `  ledger     ${ledger.eventsRedacted} event(s) without their texts, ${ledger.addressesHashed} address(es) kept as hashes only`,
      `  journals   ${files.length ? files.join('; ') : 'nothing of theirs'}`,
    ].join('\n'),
  );
  return 0;
}
