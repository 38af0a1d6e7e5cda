/**
 * The real dependencies of the activities, built from the config: the roster file, alert channels, claim-link
 * secret, outreach sender and CRM sink, the rules engine and the threads it classifies in. The worker calls this
 * once at start.
 */
import { openClaimsFromLedger } from './ledger/openClaims';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { ActivityDeps } from '../activities';
import { createAlertChannels, enabledChannelNames } from './alerts/config';
import { durationMs } from './duration';
import { eventsSecret, temporalUiUrl, type Config } from './config';
import { temporalEventDispatch } from '../activities/events';
import { TurnBook } from '../activities/routing';
import { ChatCompletionsClient } from './model/chatCompletions';
import { checkConfiguredTemplates } from './outreach/campaignTemplates';
import { CampaignComposer } from './outreach/composer';
import { JournalCrmSink, WebhookCrmSink } from './outreach/crm';
import { ChannelSenders } from './outreach/channels';
import { OutboxSender, SmtpSender } from './outreach/sender';
import { RosterStore } from './routing/rosterStore';
import { openSharedLedger } from './ledger/open';
import { DATA_DIR_MODE, DATA_FILE_MODE } from './dataDir';
import { ChatCompletionsModel } from './triggers/model';
import { ClassifierPool } from './triggers/pool';
import { ReaderStore } from './triggers/readerStore';

/** The roster the embedded default uses when `HANDOFF_ROSTER` is unset. */
export const EXAMPLE_ROSTER = path.resolve(__dirname, '..', 'examples', 'roster.yaml');

/** The roster file in force. */
export function rosterFile(config: Config): string {
  return path.resolve(config.roster.file ?? EXAMPLE_ROSTER);
}

/**
 * The claim-link secret: `HANDOFF_CLAIM_SECRET`, else one generated once and kept in the data directory
 * (mode 0600), so links stay valid across restarts of the embedded stack.
 */
export function claimSecret(config: Config): string {
  return config.alerts.claimLinks.secret ?? dataDirSecret(config, 'claim-secret');
}

/**
 * The unsubscribe-link secret: `HANDOFF_UNSUBSCRIBE_SECRET`, else one generated once into the data directory, so
 * links in mail already sent keep working across restarts.
 */
export function unsubscribeSecret(config: Config): string {
  return config.outreach.unsubscribeSecret ?? dataDirSecret(config, 'unsubscribe-secret');
}

/** A secret kept in a data directory file (mode 0600), generated the first time it is asked for. */
function dataDirSecret(config: Config, name: string): string {
  const file = path.join(config.dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: DATA_FILE_MODE });
  return secret;
}

/** The public base URL of the API (claim links point here). */
export function apiBaseUrl(config: Config): string {
  const host = config.api.host === '0.0.0.0' ? 'localhost' : config.api.host;
  return (config.api.publicUrl ?? `http://${host}:${config.api.port}`).replace(/\/$/, '');
}

/** The model drafting and suggested replies go through (`HANDOFF_MODEL_URL`); null when none is configured. */
export function draftingModel(config: Config): ChatCompletionsClient | null {
  const endpoint = config.classify.endpoint;
  return endpoint ? new ChatCompletionsClient({ url: endpoint.url, model: endpoint.name, apiKey: endpoint.apiKey, timeoutMs: endpoint.timeoutMs }) : null;
}

/**
 * Builds the activities' dependencies for a worker, opening (and migrating) the ledger, which holds the
 * suppression list too. The ledger is the process's shared one (the API of the same process uses it as well).
 */
export async function buildActivityDeps(config: Config, client: Client): Promise<ActivityDeps & { close(): Promise<void> }> {
  // A missing template file or an unknown variable stops start-up here, naming the file, the line and the variable.
  checkConfiguredTemplates(config);
  const ledger = await openSharedLedger({ dataDir: config.dataDir, databaseUrl: config.ledger.databaseUrl });
  const roster = RosterStore.fromFile(rosterFile(config));
  const channels = createAlertChannels(config.alerts, { dataDir: config.dataDir });
  const classifier = new ClassifierPool({ threads: config.classify.threads, timeLimitMs: durationMs(config.classify.timeLimit) });
  // A rules file is parsed and checked in a classification thread, not on this event loop, and a rules file or model
  // replaced while the worker runs is compiled by each thread in turn before it is put in force, the other threads
  // reading replies meanwhile: a reply does not wait for a deployment's compiling.
  const readers = new ReaderStore(config.classify, {
    parseRules: (source, file) => classifier.parseRules(source, file),
    prepare: (next) => classifier.warmUp(next, 'one thread at a time'),
  });
  // A missing or broken rules or model file stops start-up here, naming the file and field, not at the first reply.
  const inForce = await readers.current().catch(async (err: unknown) => {
    await classifier.close();
    throw err;
  });
  const modelSettings = config.classify.endpoint
    ? { url: config.classify.endpoint.url, model: config.classify.endpoint.name, apiKey: config.classify.endpoint.apiKey, timeoutMs: config.classify.endpoint.timeoutMs }
    : null;
  const endpoint = modelSettings ? new ChatCompletionsModel(modelSettings) : null;
  const model = draftingModel(config);
  const campaigns = () => config.campaigns;
  const secret = eventsSecret(config);
  const events = config.events.url && secret ? { url: config.events.url, secret, timeoutMs: durationMs(config.events.timeout) } : undefined;
  // Made here, not by the routing activities, so `close` can cancel its reservations before the connection closes.
  const turnBook = new TurnBook(client, config.temporal.taskQueue);
  // The threads compile the readers and read the warm-up replies while the worker connects, so the first prospects'
  // replies do not wait for it. A thread that could not is no fault: it loads the readers with its first reply.
  let closing = false;
  void classifier.warmUp(inForce).then(
    (read) => {
      if (read.some((n) => n === 0)) console.error(JSON.stringify({ level: 'warn', msg: 'a classification thread could not load the readers to warm up' }));
    },
    (err: unknown) => {
      if (!closing) console.error(JSON.stringify({ level: 'warn', msg: 'the classification threads were not warmed up', error: err instanceof Error ? err.message : String(err) }));
    },
  );
  return {
    outreach: {
      composer: new CampaignComposer({ campaigns, model }),
      sender: ChannelSenders.fromConfig(
        config.outreach.smtpUrl ? new SmtpSender(config.outreach.smtpUrl, config.outreach.from) : new OutboxSender(config.dataDir),
        config.outreach.channels,
      ),
      crm: config.outreach.crmWebhookUrl ? new WebhookCrmSink(config.outreach.crmWebhookUrl) : new JournalCrmSink(config.dataDir),
      suppressions: ledger.suppressions,
      mail: ledger.mail,
      unsubscribe: { baseUrl: `${apiBaseUrl(config)}/v1/unsubscribe`, secret: unsubscribeSecret(config), mailbox: config.outreach.from },
      campaigns,
      model,
    },
    classify: { readers: () => readers.current(), classifier, endpoint },
    routing: { roster, client, taskQueue: config.temporal.taskQueue, turnBook, warmTurns: true, enabledChannels: enabledChannelNames(channels), openClaims: openClaimsFromLedger(ledger), availability: (at) => ledger.availability.inForce(at) },
    alerts: {
      roster,
      channels,
      uiUrl: temporalUiUrl(config),
      namespace: config.temporal.namespace,
      claimLinkBaseUrl: `${apiBaseUrl(config)}/v1/claim-links`,
      claimSecret: claimSecret(config),
      claimLinkGraceMs: durationMs(config.alerts.claimLinks.grace),
      suggestions: { campaigns, model },
    },
    ledger: { ledger, ...(events ? { events: temporalEventDispatch(client, config.temporal.taskQueue) } : {}) },
    suppression: { suppressions: ledger.suppressions },
    campaigns: { config: () => config },
    ...(events ? { events } : {}),
    close: async () => {
      closing = true;
      await turnBook.close();
      await classifier.close();
      await ledger.close();
    },
  };
}
