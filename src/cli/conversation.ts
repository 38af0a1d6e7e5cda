/**
 * `handoff conversation start|reply|escalate|claim|hand-back|close|reassign|feedback|show` and
 * `handoff escalations`: the API's operations from a terminal, as readable text or `--json`. A rep's side acts as
 * the key's rep; `--rep` names the rep an admin key acts for.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { ConversationState } from '../../workflows/messages';
import { HandoffApi, table } from './http';

const USAGE = `usage:
  handoff conversation start --id ID --name NAME --email EMAIL --company COMPANY [--title T] [--time-zone TZ] [--owner REP]
  handoff conversation reply ID --text TEXT [--message-id MID] [--channel email]
  handoff conversation escalate ID --reason TEXT [--note TEXT]
  handoff conversation claim ID [--rep REP]
  handoff conversation hand-back ID [--rep REP] [--from-step N] [--delay-minutes N]
  handoff conversation close ID --outcome won|lost|disqualified|no_response [--note TEXT] [--rep REP]
  handoff conversation reassign ID --to REP [--rep REP]
  handoff conversation feedback ID --verdict needed|not_needed [--note TEXT] [--escalation N] [--rep REP]
  handoff conversation show ID
A rep's key acts as its own rep (--rep may only name that rep); an admin key acts for the rep --rep names.
  handoff escalations [--status open|claimed] [--trigger T]
Add --json for machine-readable output.`;

function summary(state: ConversationState): string {
  const lines = [
    `${state.prospect.name} (${state.prospect.company}), ${state.conversationId}: ${state.stage}`,
    `owner: ${state.owner ?? '-'}   sent: ${state.sent.length}   escalations: ${state.escalations.length}`,
  ];
  if (state.nextStep) lines.push(`next: ${state.nextStep.name} at ${state.nextStep.at}`);
  if (state.ladder.length) {
    lines.push('', table(state.ladder.map((r) => ({ tier: r.tier, assignees: r.assignees.map((a) => a.repId), alerted: r.alertedAt, deadline: r.deadline, outcome: r.outcome })), ['tier', 'assignees', 'alerted', 'deadline', 'outcome']));
  }
  if (state.thread.length) {
    lines.push('', table(state.thread.map((m) => ({ at: m.at, from: m.author, labels: m.labels ?? [], text: m.text.replace(/\s+/g, ' ').slice(0, 60) })), ['at', 'from', 'labels', 'text']));
  }
  return lines.join('\n');
}

/** `handoff conversation …` */
export async function conversationCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      id: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, company: { type: 'string' },
      title: { type: 'string' }, 'time-zone': { type: 'string' }, owner: { type: 'string' },
      text: { type: 'string' }, 'message-id': { type: 'string' }, channel: { type: 'string' },
      reason: { type: 'string' }, note: { type: 'string' }, rep: { type: 'string' },
      'from-step': { type: 'string' }, 'delay-minutes': { type: 'string' }, outcome: { type: 'string' },
      to: { type: 'string' }, verdict: { type: 'string' }, escalation: { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (!action || values.help) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  const api = HandoffApi.fromEnvironment(loadConfig());
  const id = positionals[0];
  const needId = () => {
    if (!id) throw new Error(`conversation ${action}: the prospect id is missing\n${USAGE}`);
    return encodeURIComponent(id);
  };
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json, null, 2) : text);
  const asRep = values.rep ? { repId: values.rep } : {};
  switch (action) {
    case 'start': {
      const prospect = {
        id: values.id, name: values.name, email: values.email, company: values.company,
        ...(values.title ? { title: values.title } : {}), ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
      };
      const { status, body } = await api.request('POST', '/v1/conversations', { prospect });
      print(body, `${status === 201 ? 'started' : 'already running'}: ${(body.conversation as { workflowId: string }).workflowId}`);
      return 0;
    }
    case 'reply': {
      const messageId = values['message-id'] ?? `cli-${randomUUID()}`;
      const { body } = await api.request('POST', `/v1/conversations/${needId()}/replies`, {
        messageId, channel: values.channel ?? 'email', text: values.text, receivedAt: new Date().toISOString(),
      });
      print(body, `reply ${messageId} accepted`);
      return 0;
    }
    case 'escalate': {
      const { body } = await api.request('POST', `/v1/conversations/${needId()}/escalations`, { reason: values.reason, ...(values.note ? { note: values.note } : {}) });
      print(body, 'escalation accepted');
      return 0;
    }
    case 'claim': {
      const { body } = await api.request<{ packet: { summary: string; suggestedNextStep: string }; claimedBy: string }>('POST', `/v1/conversations/${needId()}/claim`, asRep);
      print(body, `claimed by ${body.claimedBy}\n${body.packet.summary}\nNext: ${body.packet.suggestedNextStep}`);
      return 0;
    }
    case 'hand-back': {
      const { body } = await api.request<{ state: ConversationState }>('POST', `/v1/conversations/${needId()}/hand-back`, {
        ...asRep,
        ...(values['from-step'] ? { fromStep: Number(values['from-step']) } : {}),
        ...(values['delay-minutes'] ? { delayMs: Number(values['delay-minutes']) * 60_000 } : {}),
      });
      print(body, summary(body.state));
      return 0;
    }
    case 'close': {
      const { body } = await api.request<{ state: ConversationState }>('POST', `/v1/conversations/${needId()}/close`, {
        outcome: values.outcome,
        ...(values.note ? { note: values.note } : {}),
        ...asRep,
      });
      print(body, summary(body.state));
      return 0;
    }
    case 'reassign': {
      const { body } = await api.request<{ state: ConversationState }>('POST', `/v1/conversations/${needId()}/reassign`, {
        repId: values.to,
        ...(values.rep ? { by: values.rep } : {}),
      });
      print(body, summary(body.state));
      return 0;
    }
    case 'feedback': {
      const { body } = await api.request<{ state: ConversationState }>('POST', `/v1/conversations/${needId()}/feedback`, {
        verdict: values.verdict,
        ...(values.note ? { note: values.note } : {}),
        ...(values.escalation ? { escalation: Number(values.escalation) } : {}),
        ...asRep,
      });
      print(body, summary(body.state));
      return 0;
    }
    case 'show': {
      const { body } = await api.request<{ state: ConversationState }>('GET', `/v1/conversations/${needId()}`);
      print(body, summary(body.state));
      return 0;
    }
    default:
      console.error(`handoff conversation: unknown action "${action}"\n${USAGE}`);
      return 2;
  }
}

/** `handoff escalations` */
export async function escalationsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { status: { type: 'string' }, trigger: { type: 'string' }, json: { type: 'boolean' } } });
  const api = HandoffApi.fromEnvironment(loadConfig());
  const query = new URLSearchParams({ status: values.status ?? 'open', ...(values.trigger ? { trigger: values.trigger } : {}) });
  const { body } = await api.request<{ escalations: Record<string, unknown>[] }>('GET', `/v1/escalations?${query}`);
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else if (body.escalations.length === 0) console.log(`no ${values.status ?? 'open'} escalations`);
  else console.log(table(body.escalations, ['prospectId', 'company', 'trigger', 'tier', 'assignees', 'nextActionTime']));
  return 0;
}
