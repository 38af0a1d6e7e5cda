/**
 * `handoff demo`: against a running stack, drives a handful of realistic conversations so a newcomer sees the
 * whole story in the Temporal UI: automation, a pricing reply that is claimed, a request for a person, an
 * unclaimed escalation that climbs on short demo deadlines, and an opt-out.
 *
 * It runs at any hour against any roster: its steps wait for what happens whoever is working (an alerted rung, not
 * the first rung, which off hours may be a skipped tier), and the climbing conversation brings its own times: a
 * 20-second wall-clock deadline with the off-hours policy `page`, so a roster's `hold` never parks it until Monday.
 */
import { parseArgs } from 'node:util';
import { codecEndpointUrl } from '../api/codecRoutes';
import { loadConfig, temporalUiUrl } from '../config';
import type { ConversationState, EscalationRung } from '../../workflows/messages';
import { workingDeadlineLabel } from '../../workflows/workingTime';
import { HandoffApi, table } from './http';

const say = (line: string) => console.log(line);

async function stateOf(api: HandoffApi, id: string): Promise<ConversationState> {
  return (await api.call(api.client.GET('/v1/conversations/{prospectId}', { params: { path: { prospectId: id } } }))).body.state;
}

async function until(api: HandoffApi, id: string, what: string, predicate: (s: ConversationState) => boolean, timeoutMs = 60_000): Promise<ConversationState> {
  const started = Date.now();
  let last = await stateOf(api, id);
  while (!predicate(last)) {
    if (Date.now() - started > timeoutMs) throw new Error(`${id}: gave up waiting for ${what} (stage ${last.stage})`);
    await new Promise((r) => setTimeout(r, 500));
    last = await stateOf(api, id);
  }
  return last;
}

/** Rungs that alerted somebody (skipped tiers alert nobody). */
function alerted(s: ConversationState): EscalationRung[] {
  return s.ladder.filter((r) => r.assignees.length > 0);
}

/** How a rung was routed off hours, in a few words for the demo's output. */
function offHoursNote(rung: EscalationRung): string {
  if (rung.workingTime) return ` (off hours, held: claim deadline ${workingDeadlineLabel(rung.workingTime)})`;
  if (rung.offHours) return ' (off hours: followed the sun)';
  return '';
}

/** `handoff demo` */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean' }, json: { type: 'boolean' } } });
  if (values.help) {
    say('usage: handoff demo\n\nDrives five example conversations against the running stack (`npm start`).');
    return 0;
  }
  const config = loadConfig();
  const api = HandoffApi.fromEnvironment(config);
  const run = Date.now().toString(36);
  const ui = `${temporalUiUrl(config)}/namespaces/${config.temporal.namespace}/workflows`;
  const id = (name: string) => `demo-${run}-${name}`;
  const now = () => new Date().toISOString();
  // No prospect time zone: sends then go out at any hour, so the demo runs the same at 3 a.m. as at noon.
  // Addresses carry the run too: the opted-out one stays suppressed, and the next demo must not meet it.
  const start = (
    name: string,
    person: string,
    company: string,
    domain: string,
    title: string,
    times: { claimDeadlines?: { buying_intent: string }; offHours?: { buying_intent: 'page' } } = {},
  ) =>
    api.call(
      api.client.POST('/v1/conversations', {
        body: {
          prospect: { id: id(name), name: person, email: `${person.split(' ')[0]!.toLowerCase()}+${run}@${domain}`, company, title, profile: { employees: 1200, industry: 'software' } },
          ...times,
        },
      }),
    );
  const pathOf = (name: string) => ({ path: { prospectId: id(name) } });
  const reply = (name: string, text: string) =>
    api.call(api.client.POST('/v1/conversations/{prospectId}/replies', { params: pathOf(name), body: { messageId: `${id(name)}-r1`, channel: 'email', text, receivedAt: now() } }));

  say(`Handoff demo against ${api.baseUrl} (run ${run})`);
  await api.call(api.client.GET('/healthz')).catch((err: unknown) => {
    throw new Error(`the stack is not healthy: ${(err as Error).message}`);
  });

  say('1/5 Automation: a cold prospect gets the first touch');
  await start('automation', 'Avery Chen', 'Northwind Traders', 'northwind.example', 'Head of Sales Operations');
  await until(api, id('automation'), 'the first touch', (s) => s.sent.length >= 1);

  say('2/5 A pricing question escalates to a rep, who claims it');
  await start('pricing', 'Blake Morgan', 'Contoso', 'contoso.example', 'VP Revenue');
  await until(api, id('pricing'), 'the first touch', (s) => s.sent.length >= 1);
  await reply('pricing', 'What is the price per seat for 40 seats?');
  const pricing = await until(api, id('pricing'), 'the first alert', (s) => alerted(s).length >= 1);
  const first = alerted(pricing)[0]!;
  const rep = first.assignees[0]!.repId;
  say(`    alerted ${rep} at tier ${first.tier}${offHoursNote(first)}`);
  await api.call(api.client.POST('/v1/conversations/{prospectId}/claim', { params: pathOf('pricing'), body: { repId: rep } }));
  say(`    claimed by ${rep}`);

  say('3/5 A request for a person: the buyer is acknowledged at once and a rep is alerted');
  await start('person', 'Casey Ruiz', 'Fabrikam', 'fabrikam.example', 'Director of IT');
  await reply('person', 'Is this a bot? I would rather speak to a human.');
  await until(api, id('person'), 'the acknowledgement', (s) => s.escalations[0]?.acknowledgedAt !== undefined);

  say('4/5 Nobody claims a buying-intent reply: it climbs after a 20-second demo deadline');
  // Its own times: 20 s of wall time, and off hours it pages rather than hold for a shift that may be days away.
  await start('climb', 'Drew Patel', 'Tailspin Toys', 'tailspin.example', 'COO', { claimDeadlines: { buying_intent: '20s' }, offHours: { buying_intent: 'page' } });
  await reply('climb', "We're evaluating tools like this right now. Can you send over next steps?");
  const opened = await until(api, id('climb'), 'the first alert', (s) => alerted(s).length >= 1);
  say(`    tier ${alerted(opened)[0]!.tier} alerted; waiting for the deadline…`);
  const climbed = await until(api, id('climb'), 'the next rung', (s) => alerted(s).length >= 2, 90_000);
  const next = alerted(climbed)[1]!;
  say(`    tier ${next.tier} alerted${next.realert ? ' again (nobody else is working: the same people are re-alerted)' : ''}`);

  say('5/5 An opt-out stops everything');
  await start('optout', 'Emery Stone', 'Litware', 'litware.example', 'CFO');
  await reply('optout', 'Please remove me from your list.');
  await until(api, id('optout'), 'the opt-out', (s) => s.stage === 'opted_out');

  const rows = [];
  for (const name of ['automation', 'pricing', 'person', 'climb', 'optout']) {
    const s = await stateOf(api, id(name));
    rows.push({ conversation: s.conversationId, company: s.prospect.company, stage: s.stage, trigger: s.escalations.at(-1)?.reason ?? '-', tier: s.ladder.at(-1)?.tier ?? '-', owner: s.owner });
  }
  say('');
  say(values.json ? JSON.stringify(rows, null, 2) : table(rows, ['conversation', 'company', 'stage', 'trigger', 'tier', 'owner']));
  say('');
  say(`Open the Temporal UI: ${ui}`);
  say(`  escalated and unclaimed: ${ui}?query=${encodeURIComponent('HandoffStage="escalated"')}`);
  say(`  payloads are encrypted: sign in at ${codecEndpointUrl(config)}/login to read them there (README: the UI walkthrough)`);
  return 0;
}
