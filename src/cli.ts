/**
 * The `handoff` command line. Each sub-command lives in its own module and is loaded on demand, so a quick
 * command such as `classify` never pays for the Temporal worker's start-up.
 */
import { ConfigError } from './config';

type Command = (argv: string[]) => Promise<number>;

// Sub-commands load through require so the in-process TypeScript hook (bin/handoff.cjs) compiles them.
const commands: Record<string, { summary: string; load: () => Command }> = {
  provision: {
    summary: 'install the Temporal dev server and time-skipping test server into the project cache',
    load: () => (require('./temporal/provision') as typeof import('./temporal/provision')).provisionCommand,
  },
  start: {
    summary: 'start the whole stack: Temporal dev server (unless TEMPORAL_ADDRESS is set), worker and API',
    load: () => (require('./stack') as typeof import('./stack')).startCommand,
  },
  cluster: {
    summary: 'start the production shape natively: PostgreSQL, the Temporal server, its Web UI, two workers and the API',
    load: () => (require('./cluster/command') as typeof import('./cluster/command')).clusterCommand,
  },
  worker: {
    summary: 'run only the worker, against TEMPORAL_ADDRESS (or the embedded server address)',
    load: () => (require('./stack') as typeof import('./stack')).workerCommand,
  },
  api: {
    summary: 'run only the HTTP API, against TEMPORAL_ADDRESS (or the embedded server address)',
    load: () => (require('./stack') as typeof import('./stack')).apiCommand,
  },
  conversation: {
    summary: 'start|reply|escalate|claim|hand-back|close|reassign|feedback|show a conversation through the API; import a list of prospects',
    load: () => (require('./cli/conversation') as typeof import('./cli/conversation')).conversationCommand,
  },
  escalations: {
    summary: 'list open (or claimed) escalations',
    load: () => (require('./cli/conversation') as typeof import('./cli/conversation')).escalationsCommand,
  },
  rep: {
    summary: "set a rep away, out of office or back (routing passes them over at once), or show it",
    load: () => (require('./cli/rep') as typeof import('./cli/rep')).repCommand,
  },
  suppress: {
    summary: 'add an address or @domain to the suppression list, or list it',
    load: () => (require('./cli/suppress') as typeof import('./cli/suppress')).suppressCommand,
  },
  inbound: {
    summary: 'list inbound mail no conversation claimed (unmatched), or assign one to a conversation (assign)',
    load: () => (require('./cli/inbound') as typeof import('./cli/inbound')).inboundCommand,
  },
  prospect: {
    summary: 'erase a prospect: their conversation, ledger texts and journal lines (the address stays suppressed as a hash)',
    load: () => (require('./cli/prospect') as typeof import('./cli/prospect')).prospectCommand,
  },
  demo: {
    summary: 'drive five example conversations against the running stack',
    load: () => (require('./cli/demo') as typeof import('./cli/demo')).demoCommand,
  },
  'api-key': {
    summary: 'print a new API key (--rep REP binds it to a rep) and the entry to put in api.keys',
    load: () => (require('./cli/apiKey') as typeof import('./cli/apiKey')).apiKeyCommand,
  },
  review: {
    summary: 'escalation review from the ledger (--since 7d, --json, --html FILE); --rules FILE back-tests a rules file',
    load: () => (require('./review/cli') as typeof import('./review/cli')).reviewCommand,
  },
  train: {
    summary: 'train the learned reader on the corpus; --from-ledger adds reps\' judgements and writes a candidate',
    load: () => (require('./cli/train') as typeof import('./cli/train')).trainCommand,
  },
  classify: {
    summary: 'label replies (JSON Lines) with intents; --eval FILE scores labelled replies',
    load: () => (require('./triggers/cli') as typeof import('./triggers/cli')).classifyCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'usage: handoff <command> [options]',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`handoff: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.load()(rest);
  } catch (err) {
    // An option the command does not take, or one missing its value: a usage error, not a bug.
    if (!isArgumentError(err)) throw err;
    console.error(`handoff ${name}: ${err.message} (handoff ${name} --help shows its options)`);
    return 2;
  }
}

function isArgumentError(err: unknown): err is Error {
  return err instanceof Error && String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS_');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Errors meant for the user (config, API answers, missing setup) print as one line; anything else is a bug
    // and prints its stack.
    const plain = err instanceof Error && (err instanceof ConfigError || err.name === 'ApiCallError' || err.constructor === Error);
    console.error(`handoff: ${plain ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
