/**
 * A worker with the real activities (templates, the outbox sender and CRM journal in a temporary data directory,
 * the rules engine, routing over a roster file, the outbox alert channel) for conversation tests.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, DefaultLogger } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { createOutboxChannel, readOutbox } from '../../src/alerts/outbox';
import { loadConfig, type Config } from '../../src/config';
import { workflowBundle as productionWorkflowBundle } from '../../src/worker';
import { conversationInput, type StartConversationRequest } from '../../src/conversations';
import { CampaignComposer } from '../../src/outreach/composer';
import { JournalCrmSink, type CrmSink, type CrmTouch } from '../../src/outreach/crm';
import { readJournal } from '../../src/outreach/journal';
import { OutboxSender, type OutreachSender, type SentEntry } from '../../src/outreach/sender';
import { RosterStore } from '../../src/routing/rosterStore';
import { loadRuleSet } from '../../src/triggers';
import { openLedger } from '../../src/ledger/open';
import type { LedgerStore } from '../../src/ledger/store';
import { conversationWorkflow } from '../../workflows/conversation';
import { conversationWorkflowId, stateQuery, type ConversationState } from '../../workflows/messages';
import { eventually } from './eventually';

/** The secret the rig's unsubscribe links are signed with. */
export const UNSUBSCRIBE_SECRET = 'test-unsubscribe-secret-0123456789';

export const ROSTER_FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'roster.yaml');
/** Office hours in Berlin only (09:00–17:00, Monday to Friday); pricing holds off hours. */
export const OFFICE_HOURS_ROSTER = path.resolve(__dirname, '..', 'fixtures', 'roster-office-hours.yaml');
/** {@link ROSTER_FIXTURE} with a booking link for every rep. */
export const BOOKING_ROSTER = path.resolve(__dirname, '..', 'fixtures', 'roster-booking.yaml');

/** The production workflow bundle, built once per test file, or loaded as the worker loads it. */
export function workflowBundle(): Promise<{ code: string }> {
  return productionWorkflowBundle(new DefaultLogger('WARN'));
}

/** A conversation test rig: config, data directory, real activities, and a worker on the given environment. */
export interface ConversationRig {
  config: Config;
  dataDir: string;
  taskQueue: string;
  client: Client;
  worker: Worker;
  deps: ActivityDeps;
  /** Messages the outbox sender recorded (what prospects received). */
  sent(): Promise<SentEntry[]>;
  /** The ledger the activities append to (SQLite in the data directory). */
  ledger: LedgerStore;
  /** Alerts the outbox channel recorded (what reps received). */
  alerts(): ReturnType<typeof readOutbox>;
  /** Touches the CRM journal recorded, in the order it heard of them. */
  crmTouches(): Promise<CrmTouch[]>;
  start(request: StartConversationRequest): Promise<WorkflowHandle<typeof conversationWorkflow>>;
}

/** Builds a rig; `env` decides which server it runs on. */
export async function createConversationRig(
  env: TestWorkflowEnvironment,
  options: {
    taskQueue?: string;
    configEnv?: Record<string, string>;
    /** Wraps the outbox sender, e.g. to hold a send in flight. */
    wrapSender?: (inner: OutreachSender) => OutreachSender;
    /** Wraps the CRM journal, e.g. to make it fail for a while. */
    wrapCrm?: (inner: CrmSink) => CrmSink;
    /** Classification other than the built-in rules in this thread (e.g. a pool of threads under a time limit). */
    classify?: ActivityDeps['classify'];
    /** A roster file other than {@link ROSTER_FIXTURE}. */
    roster?: string;
    /** Campaigns the worker (and an API built on `rig.config`) knows, as `campaigns` in the config file. */
    campaigns?: Config['campaigns'];
    /** Wraps the worker's activities, e.g. to make one of them fail. */
    wrapActivities?: (inner: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
    /** Changes the loaded config before the worker uses it (e.g. a send window that is always open). */
    adjustConfig?: (config: Config) => Config;
    /** How many conversations the worker caches, when not the SDK's default. */
    maxCachedWorkflows?: number;
  } = {},
): Promise<ConversationRig> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'handoff-test-'));
  const taskQueue = options.taskQueue ?? `conversation-${path.basename(dataDir)}`;
  const loaded = loadConfig({ HANDOFF_DATA_DIR: dataDir, HANDOFF_TASK_QUEUE: taskQueue, ...options.configEnv }, dataDir);
  const withCampaigns: Config = options.campaigns ? { ...loaded, campaigns: options.campaigns } : loaded;
  const config = options.adjustConfig ? options.adjustConfig(withCampaigns) : withCampaigns;
  const roster = RosterStore.fromFile(options.roster ?? ROSTER_FIXTURE, { log: { info: () => {}, error: () => {} } });
  const rules = loadRuleSet();
  const ledger = await openLedger({ dataDir });
  const deps: ActivityDeps = {
    outreach: {
      composer: new CampaignComposer({ campaigns: () => config.campaigns }),
      sender: (options.wrapSender ?? ((inner) => inner))(new OutboxSender(dataDir)),
      crm: (options.wrapCrm ?? ((inner) => inner))(new JournalCrmSink(dataDir)),
      suppressions: ledger.suppressions,
      mail: ledger.mail,
      unsubscribe: { baseUrl: 'http://localhost:3000/v1/unsubscribe', secret: UNSUBSCRIBE_SECRET, mailbox: 'outreach@handoff.local' },
      campaigns: () => config.campaigns,
    },
    // The rules alone: these tests are about the conversation, not about how a reply is read.
    classify: options.classify ?? { readers: async () => ({ rules, learned: null }) },
    routing: { roster, client: env.client, taskQueue, availability: (at) => ledger.availability.inForce(at) },
    alerts: {
      roster,
      channels: { outbox: createOutboxChannel({ dataDir, log: () => {} }) },
      uiUrl: 'http://localhost:8233',
      namespace: 'default',
      claimLinkBaseUrl: 'http://localhost:3000/v1/claim-links',
      claimSecret: 'test-claim-secret-0123456789-abcdefghijklmnop',
      claimLinkGraceMs: 5 * 60_000,
      log: () => {},
    },
    ledger: { ledger },
    suppression: { suppressions: ledger.suppressions },
    campaigns: { config: () => config },
  };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    // The dev-server environments encrypt payloads (test/helpers/temporal.ts); the time-skipping ones do not.
    dataConverter: env.options.client.dataConverter,
    workflowBundle: await workflowBundle(),
    activities: (options.wrapActivities ?? ((inner) => inner))(createActivities(deps)),
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
  return {
    config,
    dataDir,
    taskQueue,
    client: env.client,
    worker,
    deps,
    ledger,
    sent: () => readJournal<SentEntry>(path.join(dataDir, 'sent.jsonl')),
    alerts: () => readOutbox(dataDir),
    crmTouches: () => readJournal<CrmTouch>(path.join(dataDir, 'crm.jsonl')),
    start: (request) =>
      env.client.workflow.start(conversationWorkflow, {
        workflowId: conversationWorkflowId(request.prospect.id),
        taskQueue,
        args: [conversationInput(config, request)],
      }),
  };
}

/**
 * A CRM that refuses the first `times` touches `refuses` picks, as a webhook answering 503 would; wrap the rig's
 * journal with `wrap`, and `left()` says how many refusals remain.
 */
export function flakyCrm(times: number, refuses: (touch: CrmTouch) => boolean = () => true): { wrap: (inner: CrmSink) => CrmSink; left: () => number } {
  let left = times;
  return {
    left: () => left,
    wrap: (inner) => ({
      logTouch: async (touch) => {
        if (left > 0 && refuses(touch)) {
          left--;
          throw new Error('CRM webhook answered 503');
        }
        await inner.logTouch(touch);
      },
    }),
  };
}

const HISTORIES = path.resolve(__dirname, '..', 'histories');

/**
 * With `HANDOFF_RECORD_HISTORIES=1`, saves a finished scenario's history under test/histories/ for the replay
 * test (`npm run histories:record`). Otherwise does nothing.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.HANDOFF_RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES, { recursive: true });
  writeFileSync(path.join(HISTORIES, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

/** Polls the state query (in real time) until the predicate holds; fails with the last state after 15 s. */
export async function waitForState(
  handle: WorkflowHandle,
  predicate: (state: ConversationState) => boolean,
  what = 'the expected state',
): Promise<ConversationState> {
  let last: ConversationState | undefined;
  return eventually(
    async () => {
      last = await handle.query(stateQuery);
      return predicate(last) && last;
    },
    () => `${what}; last state: ${JSON.stringify({ stage: last?.stage, ladder: last?.ladder, sent: last?.sent.length })}`,
    15_000,
    50,
  );
}

/**
 * Waits until every assignee of the open rung has been alerted. Tests on the time-skipping server claim or opt
 * out only after this: that server wedges a workflow that cancels an activity in the same workflow task the
 * activity completes in (it answers ACTIVITY_UNKNOWN and never retries the task; sdk-typescript#1058), which a
 * claim racing its own alert can do. The real dev server handles that race, and the fault tests run it there.
 */
export function waitForAlerts(handle: WorkflowHandle, what = 'the alerts'): Promise<ConversationState> {
  return waitForState(
    handle,
    (s) => {
      const rung = s.ladder[s.ladder.length - 1];
      return Boolean(rung && rung.assignees.length > 0 && rung.assignees.every((a) => rung.deliveries?.some((d) => d.repId === a.repId && d.status === 'delivered')));
    },
    what,
  );
}

/** The activity type of a local-activity marker (an activity run inside the workflow task), else undefined. */
export function localActivityType(event: NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number]): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.['data']?.payloads?.[0]?.data;
  return data ? (JSON.parse(Buffer.from(data).toString()) as { activity_type?: string }).activity_type : undefined;
}
