/**
 * `handoff inbound unmatched`: inbound mail no conversation claimed, through the API, as readable text or `--json`;
 * `handoff inbound assign <message-id> <prospect-id>`: one of them delivered to that prospect's conversation as its
 * reply.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { HandoffApi, isHelpFlag, table, wholeNumber } from './http';

const USAGE = `usage:
  handoff inbound unmatched [--limit N] [--offset N] [--json]
  handoff inbound assign <message-id> <prospect-id> [--json]
unmatched lists inbound mail that answered no email of ours and came from no address a conversation writes to, or
answered a conversation that had ended, newest first. assign delivers one of them (by its Message-ID, as listed) to
the prospect's current conversation (or <id>~<campaign>) as their reply, and takes it off the list.`;

/** `handoff inbound …` */
export async function inboundCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (!action || values.help || isHelpFlag(action)) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  if (action === 'assign') {
    const [messageId, prospectId] = positionals;
    if (!messageId || !prospectId || positionals.length > 2) {
      console.error(`handoff inbound assign: give the message's Message-ID and the prospect id\n${USAGE}`);
      return 2;
    }
    const api = HandoffApi.fromEnvironment(loadConfig());
    const { body } = await api.call(
      api.client.POST('/v1/inbound/unmatched/{messageId}/assign', { params: { path: { messageId } }, body: { prospectId } }),
    );
    console.log(values.json ? JSON.stringify(body, null, 2) : `${body.messageId} delivered to ${body.conversationId} as its reply`);
    return 0;
  }
  if (action !== 'unmatched' || positionals.length > 0) {
    console.error(`handoff inbound: unknown action "${[action, ...positionals].join(' ')}"\n${USAGE}`);
    return 2;
  }
  const api = HandoffApi.fromEnvironment(loadConfig());
  const query = {
    ...(values.limit ? { limit: wholeNumber(values.limit, '--limit') } : {}),
    ...(values.offset ? { offset: wholeNumber(values.offset, '--offset') } : {}),
  };
  const { body } = await api.call(api.client.GET('/v1/inbound/unmatched', { params: { query } }));
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else if (body.messages.length === 0) console.log('no unmatched inbound mail');
  else {
    const rows = body.messages.map((m) => ({ received: m.receivedAt, from: m.sender, subject: m.subject, reason: m.reason, 'message-id': m.messageId }));
    console.log(`${table(rows, ['received', 'from', 'subject', 'reason', 'message-id'])}\n${body.messages.length} of ${body.total}`);
  }
  return 0;
}
