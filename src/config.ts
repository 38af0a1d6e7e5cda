/**
 * The one configuration module: every setting Handoff reads, its default, and where it may be overridden.
 *
 * Sources, later wins: the schema defaults, an optional YAML file (`HANDOFF_CONFIG`, or `handoff.yaml` in the
 * working directory when present), then environment variables. Secrets come from the environment only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { AlertsConfigSchema, alertsEnvOverrides } from './alerts/config';
import { ApiKeySchema } from './api/auth';
import { DurationSchema } from './duration';
import { ChannelSendersConfigSchema, OTHER_CHANNELS } from './outreach/channels';
import { CampaignNameSchema, ESCALATION_REASONS, HUMAN_REPLY_MODES, OFF_HOURS_POLICIES, VoiceSchema } from '../workflows/messages';

export { DurationSchema } from './duration';

/** One step of an outreach cadence: when it fires (after the previous step) and on which channel. */
export const CadenceStepSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['first_touch', 'follow_up', 'break_up']),
  /** Delay measured from the conversation's start (not from the previous step). */
  offset: DurationSchema,
  channel: z.enum(['email', 'linkedin', 'sms']).default('email'),
});

/** Working hours in a prospect's or rep's own time zone; sends and alerts aim inside them. */
export const BusinessHoursSchema = z.strictObject({
  start: z.number().int().min(0).max(23).default(9),
  end: z.number().int().min(1).max(24).default(17),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
});

const TriggerDeadlinesSchema = z.strictObject({
  human_request: DurationSchema.default('5 minutes'),
  buying_intent: DurationSchema.default('15 minutes'),
  pricing: DurationSchema.default('30 minutes'),
  technical: DurationSchema.default('60 minutes'),
  manual: DurationSchema.default('15 minutes'),
});

/**
 * What a start request may override of a campaign (its cadence, its voice, its claim deadlines and off-hours
 * policies per trigger). Every field is optional.
 */
export const CampaignOverridesSchema = z.strictObject({
  cadence: z.array(CadenceStepSchema).min(1).max(50).optional(),
  voice: VoiceSchema.optional(),
  /** Claim deadlines overriding the configured ones (e.g. `{ pricing: '10 minutes' }`). */
  claimDeadlines: z.partialRecord(z.enum(ESCALATION_REASONS), DurationSchema).optional(),
  /**
   * Off-hours policies overriding the roster's (e.g. `{ buying_intent: 'page' }`): when nobody the ladder reaches
   * is working, `follow_the_sun`, `hold` for the owner's shift, or `page` everyone.
   */
  offHours: z.partialRecord(z.enum(ESCALATION_REASONS), z.enum(OFF_HOURS_POLICIES)).optional(),
  /**
   * What a reply that needs a person (no trigger, opt-out, out-of-office or not-now) does in this campaign:
   * `task` (pause, and give it to the owner as a low-priority task) or `acknowledge` (send a step acknowledging
   * it, then go on with the cadence). Overrides `conversation.humanReply`.
   */
  humanReply: z.enum(HUMAN_REPLY_MODES).optional(),
});

/**
 * Where a campaign's templates are (paths relative to the config file): a folder holding `<step kind>.md`
 * (`first_touch.md`, `follow_up.md`, `break_up.md`), optionally `<step name>.md` for one step (`follow-up-2.md`),
 * and `reply.md` for the rep's suggested reply; or a map from a step name, a step kind or `reply` to a file.
 */
export const CampaignTemplatesSchema = z.union([
  z.string().min(1),
  z.record(z.string().min(1), z.string().regex(/\.md$/i, 'a template is a Markdown file (.md)')),
]);

/**
 * A campaign: what a conversation started for it runs with instead of the defaults under `conversation` (its
 * cadence, voice, claim deadlines and off-hours policies), and its words: its templates, its talking points and
 * its value proposition. Every field is optional.
 */
export const CampaignSchema = CampaignOverridesSchema.extend({
  /** The campaign's templates; the shipped neutral set when unset. */
  templates: CampaignTemplatesSchema.optional(),
  /** What the campaign's messages say for it, one point a step in turn (`{{talkingPoint}}`). */
  talkingPoints: z.array(z.string().trim().min(1).max(300)).min(1).max(20).optional(),
  /** What the product does for the buyer, in a phrase (`{{valueProposition}}`). */
  valueProposition: z.string().trim().min(1).max(500).optional(),
});
/** A campaign as configured. */
export type Campaign = z.infer<typeof CampaignSchema>;
/** A campaign's templates setting. */
export type CampaignTemplates = z.infer<typeof CampaignTemplatesSchema>;

/** What is wrong with a payload key's text (standard or URL-safe base64 of 32 bytes, padding optional), or null. */
function payloadKeyProblem(text: string): string | null {
  const canonical = (value: string) => value.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) || canonical(bytes.toString('base64')) !== canonical(text)) return 'is not valid base64';
  if (bytes.length !== 32) return `is ${bytes.length} bytes; AES-256 needs 32 (e.g. \`openssl rand -base64 32\`)`;
  return null;
}

/** One payload encryption key: an id stored with what it encrypts, and 32 bytes of base64. */
export const PayloadKeySchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'key ids are letters, digits and . _ - only, at most 64'),
    key: z.string(),
  })
  .superRefine(({ id, key }, ctx) => {
    const problem = payloadKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: `key "${id}" ${problem}`, path: ['key'] });
  });

/** The whole configuration, validated. */
export const ConfigSchema = z.strictObject({
  /** Where the embedded stack keeps its state: the dev server's SQLite file, the ledger, logs. */
  dataDir: z.string().min(1).default('.handoff'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  temporal: z
    .strictObject({
      /** A production cluster's `host:port`. Unset: the embedded dev server is started. */
      address: z.string().min(1).optional(),
      namespace: z.string().min(1).default('default'),
      taskQueue: z.string().min(1).default('handoff'),
      /** Temporal Cloud API key; from the environment only (`TEMPORAL_API_KEY`). */
      apiKey: z.string().min(1).optional(),
      tls: z
        .strictObject({
          enabled: z.boolean().default(false),
          serverName: z.string().optional(),
          serverRootCaPath: z.string().optional(),
          clientCertPath: z.string().optional(),
          clientKeyPath: z.string().optional(),
        })
        .default({ enabled: false }),
      devServer: z
        .strictObject({
          ip: z.string().default('127.0.0.1'),
          port: z.number().int().min(1).max(65535).default(7233),
          uiPort: z.number().int().min(1).max(65535).default(8233),
          /** Which CLI binary to run; resolved by provisioning when unset. */
          cliPath: z.string().optional(),
          /**
           * SQLite settings for the server's state file (`--sqlite-pragma`). Write-ahead logging with
           * `synchronous=NORMAL` commits without an fsync per transaction; a killed server loses nothing it
           * acknowledged (only a power cut can take the last commits). See the README's benchmark section.
           */
          sqlitePragmas: z
            .array(z.string().regex(/^\w+=\w+$/, 'expected PRAGMA=VALUE'))
            .default(['journal_mode=wal', 'synchronous=normal']),
        })
        .prefault({}),
      /** Base URL of the Temporal Web UI, for links in alerts. */
      uiUrl: z.string().url().optional(),
      testServerPath: z.string().optional(),
    })
    .prefault({}),
  api: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(3000),
      /**
       * Public base URL of the API, for claim links: https (a TLS-terminating proxy in front of the API), since the
       * links carry claim tokens; plain http only for a loopback address.
       */
      publicUrl: z
        .string()
        .url()
        .refine((url) => /^https:/i.test(url) || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test(url), {
          message: 'must be an https:// URL (plain http only for localhost)',
        })
        .optional(),
      /** Accepted API keys, stored as hashes (`handoff api-key new` prints one). None: a generated key. */
      keys: z.array(ApiKeySchema).default([]),
      /** When set, reply ingestion requires an HMAC signature (`HANDOFF_REPLY_SIGNING_SECRET`). */
      replySigningSecret: z.string().min(16, 'at least 16 characters').optional(),
      /** Where the Temporal SDK serves its Prometheus metrics, appended to `/metrics` (`HANDOFF_SDK_METRICS_ADDRESS`). */
      sdkMetricsAddress: z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port').optional(),
    })
    .prefault({}),
  /**
   * The worker's limits (`HANDOFF_WORKER_*`); unset ones keep the Temporal SDK's defaults. Conversations wait
   * days between steps, so a bounded sticky cache costs one replay per wake-up instead of memory for every
   * waiting conversation.
   */
  worker: z
    .strictObject({
      /** Conversations kept in memory between tasks (`HANDOFF_WORKER_MAX_CACHED_WORKFLOWS`). */
      maxCachedWorkflows: z.number().int().min(0).default(2000),
      /** Workflow tasks run at once (`HANDOFF_WORKER_WORKFLOW_TASKS`). */
      maxConcurrentWorkflowTaskExecutions: z.number().int().min(2).optional(),
      /** Activities run at once (`HANDOFF_WORKER_ACTIVITIES`). */
      maxConcurrentActivityTaskExecutions: z.number().int().min(1).optional(),
    })
    .prefault({}),
  /**
   * How replies are read. The readers: the rules file (`HANDOFF_RULES`, the shipped rules when unset) and the
   * learned reader's model (`HANDOFF_READER_MODEL`: a file, or `off`; the shipped model when unset), both followed by
   * the worker and reloaded when they change; then an optional model endpoint (`HANDOFF_MODEL_URL`,
   * `HANDOFF_MODEL_NAME`, `HANDOFF_MODEL_API_KEY`, `HANDOFF_MODEL_TIMEOUT_MS`). Classification runs in worker
   * threads, off the event loop that serves the API and the other activities, each reply within a hard time limit.
   */
  classify: z
    .strictObject({
      rulesFile: z.string().min(1).optional(),
      model: z.string().min(1).optional(),
      endpoint: z
        .strictObject({
          url: z.url({ protocol: /^https?$/ }),
          name: z.string().min(1),
          apiKey: z.string().min(1).optional(),
          timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        })
        .optional(),
      /**
       * A reply not classified this long after its thread starts on it is given up, the thread stopped, and the
       * reply escalated for a human to read (`HANDOFF_CLASSIFY_TIME_LIMIT`).
       */
      timeLimit: DurationSchema.default('2 seconds'),
      /** Threads classifying at once (`HANDOFF_CLASSIFY_THREADS`). */
      threads: z.number().int().min(1).max(64).default(2),
    })
    .prefault({}),
  /** The escalation ledger: a SQLite file in the data directory, or PostgreSQL at `DATABASE_URL`. */
  ledger: z.strictObject({ databaseUrl: z.string().min(1).optional() }).prefault({}),
  /** Who takes escalations: the roster YAML (`HANDOFF_ROSTER`); the example roster when unset. */
  roster: z.strictObject({ file: z.string().min(1).optional() }).prefault({}),
  /** Alert channels, claim links and the buyer courtesy; endpoints and secrets from the environment. */
  alerts: AlertsConfigSchema.prefault({}),
  /** Where automated outreach goes: the outbox journal by default, SMTP when a URL is set. */
  outreach: z
    .strictObject({
      /** `smtp://…` for sending outreach (`HANDOFF_OUTREACH_SMTP_URL`); the outbox journal when unset. */
      smtpUrl: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
      from: z.string().min(3).default('outreach@handoff.local'),
      /** A CRM endpoint that receives every touch as JSON (`HANDOFF_CRM_WEBHOOK_URL`); a journal file when unset. */
      crmWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
      /** Signs the unsubscribe links (`HANDOFF_UNSUBSCRIBE_SECRET`); generated into the data directory when unset. */
      unsubscribeSecret: z.string().min(16, 'at least 16 characters').optional(),
      /**
       * Senders of the channels besides email (`linkedin`, `sms`): a journal file or a webhook each
       * (`HANDOFF_<CHANNEL>_JOURNAL`, `HANDOFF_<CHANNEL>_WEBHOOK_URL` and `_SECRET`). A start whose cadence has a step on
       * a channel without one is refused.
       */
      channels: ChannelSendersConfigSchema.default({}),
    })
    .prefault({}),
  /**
   * Inbound mail: an SMTP listener `handoff start` opens when `smtpPort` is set (`HANDOFF_INBOUND_SMTP_PORT`,
   * `HANDOFF_INBOUND_SMTP_HOST`), that a mail server relays prospects' replies to.
   */
  inbound: z
    .strictObject({
      smtpPort: z.number().int().min(1).max(65535).optional(),
      smtpHost: z.string().min(1).default('127.0.0.1'),
      /**
       * The authserv-id of the mail server in front of Handoff, as it writes `Authentication-Results`
       * (`HANDOFF_INBOUND_AUTHSERV_ID`, e.g. `mx.google.com`): mail from a rep's address is taken as the rep's own
       * only when that server's verdict on it is `dmarc=pass` for the rep's domain. Unset, no mail is a rep's.
       */
      repMailAuthservId: z.string().min(1).max(255).optional(),
    })
    .prefault({}),
  /**
   * Conversation events for outreach tools (`conversation.escalated`, `.claimed`, `.handed_back`, `.closed`,
   * `.opted_out`), posted to `url` (`HANDOFF_EVENTS_URL`) and signed with `secret` (`HANDOFF_EVENTS_SECRET`, else
   * the alert webhook's `HANDOFF_WEBHOOK_SECRET`). Off without a URL.
   */
  events: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).optional(),
      secret: z.string().min(16, 'at least 16 characters').optional(),
      /** How long one delivery attempt may take. */
      timeout: DurationSchema.default('10 seconds'),
    })
    .prefault({}),
  /**
   * Encryption of payloads in Temporal's history (`HANDOFF_PAYLOAD_KEYS="k2:<base64>,k1:<base64>"`, from the
   * environment only): the first key encrypts, every key decrypts. None: the embedded stack generates one into the
   * data directory; a cluster (`TEMPORAL_ADDRESS`) requires them.
   */
  payloadEncryption: z
    .strictObject({
      keys: z.array(PayloadKeySchema).superRefine((keys, ctx) => {
        const seen = new Set<string>();
        keys.forEach(({ id }, index) => {
          if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `key id "${id}" is given twice`, path: [index, 'id'] });
          seen.add(id);
        });
      }).default([]),
    })
    .prefault({}),
  conversation: z
    .strictObject({
      cadence: z
        .array(CadenceStepSchema)
        .min(1)
        .default([
          { name: 'First touch', kind: 'first_touch', offset: '0 days', channel: 'email' },
          { name: 'Follow-up 1', kind: 'follow_up', offset: '3 days', channel: 'email' },
          { name: 'Follow-up 2', kind: 'follow_up', offset: '7 days', channel: 'email' },
          { name: 'Break-up', kind: 'break_up', offset: '14 days', channel: 'email' },
        ]),
      businessHours: BusinessHoursSchema.prefault({}),
      /** When an out-of-office reply names no return date, the next step waits this long. */
      outOfOfficeDefault: DurationSchema.default('7 days'),
      /** When a not-now reply names no date, the cadence snoozes this long. */
      notNowDefault: DurationSchema.default('90 days'),
      claimDeadlines: TriggerDeadlinesSchema.prefault({}),
      /** After the last tier, re-alert the whole team at this interval until someone claims. */
      lastTierRealertInterval: DurationSchema.default('30 minutes'),
      /**
       * Re-alerts past the last tier before an escalation ends unclaimed: the managers are told and the ledger records
       * `unclaimed` (8 at the default interval: four hours of re-alerts).
       */
      maxRealerts: z.number().int().min(0).max(1000).default(8),
      /**
       * What a reply that needs a person (no trigger, opt-out, out-of-office or not-now) does: `task` pauses the
       * cadence and gives the conversation to the owner (or the routed rep) as a low-priority task (one notice, no
       * claim deadline, no re-alerts); `acknowledge` sends a step acknowledging the reply, then the cadence goes on.
       */
      humanReply: z.enum(HUMAN_REPLY_MODES).default('task'),
      /** After the last step, how long to wait for a reply before closing as no response. */
      replyWindow: DurationSchema.default('14 days'),
      /** Continue-as-new when the history passes this many events, even if the server has not suggested it. */
      maxHistoryEvents: z.number().int().min(100).default(5000),
    })
    .prefault({}),
  /**
   * Named campaigns: a start request (API, CLI, or a Temporal client starting the workflow with `{ prospect,
   * campaign }`) names one to run with its cadence, voice and deadlines.
   */
  campaigns: z.record(CampaignNameSchema, CampaignSchema).default({}),
});

/** The validated configuration object. */
export type Config = z.infer<typeof ConfigSchema>;
/** One cadence step as configured. */
export type CadenceStep = z.infer<typeof CadenceStepSchema>;
/** Working hours as configured. */
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** Thrown when the configuration file or an environment variable does not validate; names the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly source: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type Env = Record<string, string | undefined>;

function intFromEnv(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`, name);
  return Number(raw);
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  if (value === undefined) return;
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/**
 * `HANDOFF_PAYLOAD_KEYS`: comma-separated `id:base64` entries, the encrypting key first. Errors name the entry by
 * position and id, never its key material.
 */
function payloadKeysFromEnv(raw: string | undefined): { id: string; key: string }[] | undefined {
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new ConfigError(`HANDOFF_PAYLOAD_KEYS: entry ${index + 1} is not "id:base64-key"`, 'HANDOFF_PAYLOAD_KEYS');
      return { id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() };
    });
}

/** Environment variables and the config path each sets. */
function applyEnv(raw: Record<string, unknown>, env: Env): void {
  const str = (name: string) => (env[name] === '' ? undefined : env[name]);
  setPath(raw, ['dataDir'], str('HANDOFF_DATA_DIR'));
  setPath(raw, ['logLevel'], str('HANDOFF_LOG_LEVEL'));
  setPath(raw, ['temporal', 'address'], str('TEMPORAL_ADDRESS'));
  setPath(raw, ['temporal', 'namespace'], str('TEMPORAL_NAMESPACE'));
  setPath(raw, ['temporal', 'taskQueue'], str('HANDOFF_TASK_QUEUE'));
  setPath(raw, ['temporal', 'apiKey'], str('TEMPORAL_API_KEY'));
  setPath(raw, ['temporal', 'uiUrl'], str('TEMPORAL_UI_URL'));
  setPath(raw, ['temporal', 'testServerPath'], str('TEMPORAL_TEST_SERVER_PATH'));
  setPath(raw, ['temporal', 'devServer', 'cliPath'], str('TEMPORAL_CLI_PATH'));
  setPath(raw, ['temporal', 'devServer', 'port'], intFromEnv(env, 'HANDOFF_TEMPORAL_PORT'));
  setPath(raw, ['temporal', 'devServer', 'uiPort'], intFromEnv(env, 'HANDOFF_UI_PORT'));
  setPath(raw, ['temporal', 'tls', 'serverName'], str('TEMPORAL_TLS_SERVER_NAME'));
  setPath(raw, ['temporal', 'tls', 'serverRootCaPath'], str('TEMPORAL_TLS_CA'));
  setPath(raw, ['temporal', 'tls', 'clientCertPath'], str('TEMPORAL_TLS_CERT'));
  setPath(raw, ['temporal', 'tls', 'clientKeyPath'], str('TEMPORAL_TLS_KEY'));
  const tls = str('TEMPORAL_TLS');
  if (tls !== undefined) setPath(raw, ['temporal', 'tls', 'enabled'], /^(1|true|yes)$/i.test(tls));
  setPath(raw, ['worker', 'maxCachedWorkflows'], intFromEnv(env, 'HANDOFF_WORKER_MAX_CACHED_WORKFLOWS'));
  setPath(raw, ['worker', 'maxConcurrentWorkflowTaskExecutions'], intFromEnv(env, 'HANDOFF_WORKER_WORKFLOW_TASKS'));
  setPath(raw, ['worker', 'maxConcurrentActivityTaskExecutions'], intFromEnv(env, 'HANDOFF_WORKER_ACTIVITIES'));
  setPath(raw, ['classify', 'timeLimit'], str('HANDOFF_CLASSIFY_TIME_LIMIT'));
  setPath(raw, ['classify', 'threads'], intFromEnv(env, 'HANDOFF_CLASSIFY_THREADS'));
  const pragmas = str('HANDOFF_SQLITE_PRAGMAS');
  if (pragmas !== undefined) setPath(raw, ['temporal', 'devServer', 'sqlitePragmas'], pragmas.split(/[\s,]+/).filter(Boolean));
  setPath(raw, ['api', 'port'], intFromEnv(env, 'HANDOFF_API_PORT'));
  setPath(raw, ['api', 'host'], str('HANDOFF_API_HOST'));
  setPath(raw, ['api', 'publicUrl'], str('HANDOFF_PUBLIC_URL'));
  setPath(raw, ['roster', 'file'], str('HANDOFF_ROSTER'));
  setPath(raw, ['classify', 'rulesFile'], str('HANDOFF_RULES'));
  setPath(raw, ['classify', 'model'], str('HANDOFF_READER_MODEL'));
  if (str('HANDOFF_MODEL_URL') !== undefined) {
    setPath(raw, ['classify', 'endpoint', 'url'], str('HANDOFF_MODEL_URL'));
    setPath(raw, ['classify', 'endpoint', 'name'], str('HANDOFF_MODEL_NAME'));
    setPath(raw, ['classify', 'endpoint', 'apiKey'], str('HANDOFF_MODEL_API_KEY'));
    setPath(raw, ['classify', 'endpoint', 'timeoutMs'], intFromEnv(env, 'HANDOFF_MODEL_TIMEOUT_MS'));
  }
  setPath(raw, ['ledger', 'databaseUrl'], str('DATABASE_URL'));
  setPath(raw, ['api', 'replySigningSecret'], str('HANDOFF_REPLY_SIGNING_SECRET'));
  setPath(raw, ['api', 'sdkMetricsAddress'], str('HANDOFF_SDK_METRICS_ADDRESS'));
  setPath(raw, ['outreach', 'smtpUrl'], str('HANDOFF_OUTREACH_SMTP_URL'));
  setPath(raw, ['outreach', 'from'], str('HANDOFF_OUTREACH_FROM'));
  setPath(raw, ['outreach', 'crmWebhookUrl'], str('HANDOFF_CRM_WEBHOOK_URL'));
  setPath(raw, ['outreach', 'unsubscribeSecret'], str('HANDOFF_UNSUBSCRIBE_SECRET'));
  for (const channel of OTHER_CHANNELS) {
    const prefix = `HANDOFF_${channel.toUpperCase()}`;
    setPath(raw, ['outreach', 'channels', channel, 'journal'], str(`${prefix}_JOURNAL`));
    setPath(raw, ['outreach', 'channels', channel, 'webhook'], str(`${prefix}_WEBHOOK_URL`));
    setPath(raw, ['outreach', 'channels', channel, 'secret'], str(`${prefix}_WEBHOOK_SECRET`));
  }
  setPath(raw, ['inbound', 'smtpPort'], intFromEnv(env, 'HANDOFF_INBOUND_SMTP_PORT'));
  setPath(raw, ['inbound', 'smtpHost'], str('HANDOFF_INBOUND_SMTP_HOST'));
  setPath(raw, ['inbound', 'repMailAuthservId'], str('HANDOFF_INBOUND_AUTHSERV_ID'));
  setPath(raw, ['events', 'url'], str('HANDOFF_EVENTS_URL'));
  setPath(raw, ['events', 'secret'], str('HANDOFF_EVENTS_SECRET'));
  setPath(raw, ['payloadEncryption', 'keys'], payloadKeysFromEnv(str('HANDOFF_PAYLOAD_KEYS')));
  for (const [section, values] of Object.entries(alertsEnvOverrides(env))) {
    for (const [key, value] of Object.entries(values)) setPath(raw, ['alerts', section, key], value);
  }
}

/**
 * Loads and validates the configuration.
 * @throws ConfigError naming the file or variable and the field that is wrong.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const explicit = env.HANDOFF_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'handoff.yaml');
  let raw: Record<string, unknown> = {};
  let source = 'defaults';
  if (explicit && !existsSync(file)) throw new ConfigError(`HANDOFF_CONFIG points at ${file}, which does not exist`, file);
  if (existsSync(file)) {
    source = file;
    try {
      const parsed: unknown = YAML.parse(readFileSync(file, 'utf8'));
      if (parsed !== null && parsed !== undefined) {
        if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the top level must be a mapping');
        raw = parsed as Record<string, unknown>;
      }
    } catch (err) {
      throw new ConfigError(`${file}: ${(err as Error).message}`, file, { cause: err });
    }
  }
  applyEnv(raw, env);
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`invalid configuration (${source}):\n${z.prettifyError(result.error)}`, source, {
      cause: result.error,
    });
  }
  const config = result.data;
  config.dataDir = path.resolve(cwd, config.dataDir);
  const configDir = source === 'defaults' ? cwd : path.dirname(file);
  for (const campaign of Object.values(config.campaigns)) {
    const templates = campaign.templates;
    if (typeof templates === 'string') campaign.templates = path.resolve(configDir, templates);
    else if (templates) campaign.templates = Object.fromEntries(Object.entries(templates).map(([key, file]) => [key, path.resolve(configDir, file)]));
  }
  if (config.events.url && !eventsSecret(config)) {
    throw new ConfigError(`invalid configuration (${source}): events.url (HANDOFF_EVENTS_URL) needs a signing secret: set events.secret (HANDOFF_EVENTS_SECRET) or HANDOFF_WEBHOOK_SECRET`, source);
  }
  return config;
}

/** The secret conversation events are signed with: their own, else the alert webhook's. */
export function eventsSecret(config: Config): string | undefined {
  return config.events.secret ?? config.alerts.webhook.secret;
}

/** The Temporal UI base URL: configured, or the embedded dev server's. */
export function temporalUiUrl(config: Config): string {
  return config.temporal.uiUrl ?? `http://localhost:${config.temporal.devServer.uiPort}`;
}
