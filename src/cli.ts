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
  return command.load()(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(`handoff: ${err.message}`);
    else console.error(`handoff: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
