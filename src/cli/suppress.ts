/**
 * `handoff suppress add <email|@domain>` and `handoff suppress list`: the suppression list through the API, as
 * readable text or `--json`.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { paths } from '../api/openapiTypes';
import { HandoffApi, isHelpFlag, table, wholeNumber } from './http';

const USAGE = `usage:
  handoff suppress add EMAIL|@DOMAIN [--reason TEXT] [--hash-only]
  handoff suppress list [--limit N] [--offset N]
Add --json for machine-readable output. --hash-only keeps only the SHA-256 hash of the address.`;

type Entry = NonNullable<paths['/v1/suppressions']['get']['responses'][200]['content']['application/json']>['suppressions'][number];

const entryOf = (e: Entry) => e.email ?? (e.domain ? `@${e.domain}` : e.emailHash);

/** `handoff suppress …` */
export async function suppressCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      reason: { type: 'string' }, 'hash-only': { type: 'boolean' }, limit: { type: 'string' }, offset: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (!action || values.help || isHelpFlag(action)) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  const api = HandoffApi.fromEnvironment(loadConfig());
  switch (action) {
    case 'add': {
      const target = positionals[0];
      if (!target) throw new Error(`suppress add: give an address or @domain\n${USAGE}`);
      const isDomain = target.startsWith('@');
      const { status, body } = await api.call(
        api.client.POST('/v1/suppressions', {
          body: {
            ...(isDomain ? { domain: target.slice(1) } : { email: target }),
            ...(values.reason ? { reason: values.reason } : {}),
            ...(values['hash-only'] ? { hashOnly: true } : {}),
          },
        }),
      );
      const what = entryOf(body.suppression);
      console.log(values.json ? JSON.stringify(body, null, 2) : `${status === 201 ? 'suppressed' : 'already suppressed'} ${what}`);
      return 0;
    }
    case 'list': {
      const query = {
        ...(values.limit ? { limit: wholeNumber(values.limit, '--limit') } : {}),
        ...(values.offset ? { offset: wholeNumber(values.offset, '--offset') } : {}),
      };
      const { body } = await api.call(api.client.GET('/v1/suppressions', { params: { query } }));
      if (values.json) console.log(JSON.stringify(body, null, 2));
      else if (body.suppressions.length === 0) console.log('the suppression list is empty');
      else {
        const rows = body.suppressions.map((e) => ({ entry: entryOf(e), source: e.source, reason: e.reason, prospect: e.prospectId, since: e.createdAt }));
        console.log(`${table(rows, ['entry', 'source', 'reason', 'prospect', 'since'])}\n${body.suppressions.length} of ${body.total}`);
      }
      return 0;
    }
    default:
      console.error(`handoff suppress: unknown action "${action}"\n${USAGE}`);
      return 2;
  }
}
