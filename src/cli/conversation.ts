/**
 * `handoff conversation start|reply|escalate|claim|hand-back|close|reassign|feedback|show|import` and
 * `handoff escalations`: the API's operations from a terminal, as readable text or `--json`. A rep's side acts as
 * the key's rep; `--rep` names the rep an admin key acts for.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { CLOSE_OUTCOMES, ReplyInputSchema, TRIGGERS, type ConversationState } from '../../workflows/messages';
import { HandoffApi, isHelpFlag, oneOf, required, table, wholeNumber } from './http';
import { importCommand } from './importProspects';

const USAGE = `usage:
  handoff conversation start --id ID --name NAME --email EMAIL --company COMPANY [--title T] [--time-zone TZ] [--owner REP]
                             [--campaign NAME [--reenrol]]   (--reenrol: start an ended prospect again in a new campaign)
  handoff conversation reply ID --text TEXT [--message-id MID] [--channel email]
  handoff conversation escalate ID --reason TEXT [--note TEXT]
  handoff conversation claim ID [--rep REP]
  handoff conversation hand-back ID [--rep REP] [--from-step N] [--delay-minutes N]
  handoff conversation close ID --outcome won|lost|disqualified|no_response [--note TEXT] [--rep REP]
  handoff conversation reassign ID --to REP [--rep REP]
  handoff conversation feedback ID --verdict needed|not_needed [--note TEXT] [--escalation N] [--rep REP]
  handoff conversation show ID
  handoff conversation import FILE.csv|FILE.jsonl [--chunk N]   (enrol a list; run again to resume)
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
      chunk: { type: 'string' }, campaign: { type: 'string' }, reenrol: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' },
    },
  });
  if (!action || values.help || isHelpFlag(action)) {
    console.log(USAGE);
    return action ? 0 : 2;
  }
  const api = HandoffApi.fromEnvironment(loadConfig());
  const { client } = api;
  const id = positionals[0];
  const path = () => {
    if (!id) throw new Error(`conversation ${action}: the prospect id is missing\n${USAGE}`);
    return { params: { path: { prospectId: id } } };
  };
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json, null, 2) : text);
  const asRep = values.rep ? { repId: values.rep } : {};
  switch (action) {
    case 'start': {
      const prospect = {
        id: required(values.id, '--id', USAGE), name: required(values.name, '--name', USAGE),
        email: required(values.email, '--email', USAGE), company: required(values.company, '--company', USAGE),
        ...(values.title ? { title: values.title } : {}), ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
        ...(values.owner ? { owner: values.owner } : {}),
      };
      if (values.reenrol && !values.campaign) throw new Error(`conversation start: --reenrol needs --campaign (the new campaign to run)\n${USAGE}`);
      const enrolment = { ...(values.campaign ? { campaign: values.campaign } : {}), ...(values.reenrol ? { reenrol: true as const } : {}) };
      const { status, body } = await api.call(client.POST('/v1/conversations', { body: { prospect, ...enrolment } }));
      print(body, `${status === 201 ? 'started' : 'already running'}: ${body.conversation.workflowId}`);
      return 0;
    }
    case 'reply': {
      const messageId = values['message-id'] ?? `cli-${randomUUID()}`;
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/replies', {
          ...path(),
          body: { messageId, channel: oneOf(values.channel ?? 'email', ReplyInputSchema.shape.channel.options, '--channel'), text: required(values.text, '--text', USAGE), receivedAt: new Date().toISOString() },
        }),
      );
      print(body, `reply ${messageId} accepted`);
      return 0;
    }
    case 'escalate': {
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/escalations', {
          ...path(),
          body: { reason: required(values.reason, '--reason', USAGE), ...(values.note ? { note: values.note } : {}) },
        }),
      );
      print(body, 'escalation accepted');
      return 0;
    }
    case 'claim': {
      const { body } = await api.call(client.POST('/v1/conversations/{prospectId}/claim', { ...path(), body: asRep }));
      print(body, `claimed by ${body.claimedBy}\n${body.packet.summary}\nNext: ${body.packet.suggestedNextStep}`);
      return 0;
    }
    case 'hand-back': {
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/hand-back', {
          ...path(),
          body: {
            ...asRep,
            ...(values['from-step'] ? { fromStep: wholeNumber(values['from-step'], '--from-step') } : {}),
            ...(values['delay-minutes'] ? { delayMs: wholeNumber(values['delay-minutes'], '--delay-minutes') * 60_000 } : {}),
          },
        }),
      );
      print(body, summary(body.state));
      return 0;
    }
    case 'close': {
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/close', {
          ...path(),
          body: { outcome: oneOf(values.outcome, CLOSE_OUTCOMES, '--outcome'), ...(values.note ? { note: values.note } : {}), ...asRep },
        }),
      );
      print(body, summary(body.state));
      return 0;
    }
    case 'reassign': {
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/reassign', {
          ...path(),
          body: { repId: required(values.to, '--to', USAGE), ...(values.rep ? { by: values.rep } : {}) },
        }),
      );
      print(body, summary(body.state));
      return 0;
    }
    case 'feedback': {
      const { body } = await api.call(
        client.POST('/v1/conversations/{prospectId}/feedback', {
          ...path(),
          body: {
            verdict: oneOf(values.verdict, ['needed', 'not_needed'] as const, '--verdict'),
            ...(values.note ? { note: values.note } : {}),
            ...(values.escalation ? { escalation: wholeNumber(values.escalation, '--escalation') } : {}),
            ...asRep,
          },
        }),
      );
      print(body, summary(body.state));
      return 0;
    }
    case 'show': {
      const { body } = await api.call(client.GET('/v1/conversations/{prospectId}', path()));
      print(body, summary(body.state));
      return 0;
    }
    case 'import':
      return importCommand(api, positionals, values);
    default:
      console.error(`handoff conversation: unknown action "${action}"\n${USAGE}`);
      return 2;
  }
}

const ESCALATIONS_USAGE = `usage: handoff escalations [--status open|claimed] [--trigger TRIGGER] [--json]

Lists the open escalations (or the claimed ones) through the API; --trigger keeps those of one trigger
(${[...TRIGGERS, 'manual'].join(', ')}).`;

/** `handoff escalations` */
export async function escalationsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { status: { type: 'string' }, trigger: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(ESCALATIONS_USAGE);
    return 0;
  }
  const api = HandoffApi.fromEnvironment(loadConfig());
  const query = {
    status: oneOf(values.status ?? 'open', ['open', 'claimed'] as const, '--status'),
    ...(values.trigger ? { trigger: oneOf(values.trigger, [...TRIGGERS, 'manual'] as const, '--trigger') } : {}),
  };
  const { body } = await api.call(api.client.GET('/v1/escalations', { params: { query } }));
  if (values.json) console.log(JSON.stringify(body, null, 2));
  else if (body.escalations.length === 0) console.log(`no ${values.status ?? 'open'} escalations`);
  else console.log(table(body.escalations, ['prospectId', 'company', 'trigger', 'tier', 'assignees', 'nextActionTime']));
  return 0;
}
