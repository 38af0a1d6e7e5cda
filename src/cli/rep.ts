/**
 * `handoff rep away|ooo|back|show REP`: a rep's availability through the API, over the roster's. Routing passes
 * an away or out-of-office rep over at its next decision.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { paths } from '../api/openapiTypes';
import { HandoffApi, isHelpFlag } from './http';
import { durationMs } from '../duration';

const USAGE = `usage:
  handoff rep away REP [--until WHEN] [--note TEXT]     not taking escalations (until WHEN, or until "back")
  handoff rep ooo REP [--until WHEN] [--note TEXT]      out of office
  handoff rep back REP                                  available again
  handoff rep show REP
WHEN is an ISO 8601 time (2026-03-09T09:00:00Z) or a duration from now ("2 hours", "3 days").
Add --json for machine-readable output.`;

type Availability = NonNullable<paths['/v1/reps/{repId}/availability']['get']['responses'][200]['content']['application/json']>['availability'];

/** An ISO time from `--until`: an ISO 8601 time, or a duration from now. */
export function untilFrom(value: string, now: number = Date.now()): string {
  const at = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    if (Number.isNaN(at)) throw new Error(`--until: ${value} is not an ISO 8601 time`);
    return new Date(at).toISOString();
  }
  try {
    return new Date(now + durationMs(value)).toISOString();
  } catch {
    throw new Error(`--until: ${value} is neither an ISO 8601 time nor a duration such as "2 hours"`);
  }
}

function describe(a: Availability): string {
  if (a.status === 'available') return `${a.repId} is available`;
  const what = a.status === 'away' ? 'away' : 'out of office';
  return `${a.repId} is ${what}${a.until ? ` until ${a.until}` : ' until set back'}${a.note ? ` (${a.note})` : ''}`;
}

/** `handoff rep …`; `connect` gives the API client (default: the configured API). */
export async function repCommand(argv: string[], connect: () => HandoffApi = () => HandoffApi.fromEnvironment(loadConfig())): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { until: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  const repId = positionals[0];
  if (!action || values.help || isHelpFlag(action)) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  if (!['away', 'ooo', 'back', 'show'].includes(action)) {
    console.error(`handoff rep: unknown action "${action}"\n${USAGE}`);
    return 2;
  }
  if (!repId) throw new Error(`rep ${action}: name the rep\n${USAGE}`);
  if (values.until !== undefined && (action === 'back' || action === 'show')) throw new Error(`rep ${action}: --until applies to away and ooo`);
  const api = connect();
  const params = { path: { repId } };
  const { body } =
    action === 'show'
      ? await api.call(api.client.GET('/v1/reps/{repId}/availability', { params }))
      : await api.call(
          api.client.PUT('/v1/reps/{repId}/availability', {
            params,
            body: {
              status: action === 'back' ? 'available' : action === 'away' ? 'away' : 'out_of_office',
              ...(values.until ? { until: untilFrom(values.until) } : {}),
              ...(values.note ? { note: values.note } : {}),
            },
          }),
        );
  console.log(values.json ? JSON.stringify(body, null, 2) : describe(body.availability));
  return 0;
}
