/**
 * The whole stack behind `npm start`: the embedded Temporal dev server (unless `TEMPORAL_ADDRESS` points at a
 * cluster), the worker and the HTTP API, stopped together on Ctrl-C.
 */
import path from 'node:path';
import { isGrpcServiceError, type Client, type Connection } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { embeddedApiKey } from './api/auth';
import { codecEndpointUrl } from './api/codecRoutes';
import { apiKeyNotice, currentTerminal } from './api/keyNotice';
import { buildApi } from './api/server';
import { apiLedger } from './api/ledgerAccess';
import { claimSecret, rosterFile, unsubscribeSecret } from './activityDeps';
import { RosterStore } from './routing/rosterStore';
import { loadConfig, temporalUiUrl, type Config } from './config';
import { secureDataDir, usePrivateUmask } from './dataDir';
import { connectClient, connectWorker, temporalAddress } from './temporal/connection';
import { assertPortFree, PortInUseError, startDevServer, type DevServer } from './temporal/devServer';
import { GrpcStatus } from './temporal/grpcStatus';
import { provisionDevServer, ProvisionError } from './temporal/provision';
import { payloadCodec } from './temporal/payloadKeys';
import type { EncryptionCodec } from './temporal/codec';
import { ensureSearchAttributes } from './temporal/searchAttributes';
import { startInboundSmtp, type InboundSmtpListener } from './inbound/smtpListener';
import { createHandoffWorker, installRuntime } from './worker';

const say = (line: string) => console.log(line);

/** Loads the config and makes the data directory private before anything writes to it. */
export function loadPrivateConfig(): Config {
  const config = loadConfig();
  usePrivateUmask();
  const tightened = secureDataDir(config.dataDir);
  if (tightened.length) say(`• Made the data directory private (${tightened.length} paths were readable by others)`);
  return config;
}

/** Thrown when the configured namespace is not on the Temporal server, or not open to these credentials. */
class NamespaceMissingError extends Error {
  override readonly name = 'NamespaceMissingError';
  constructor(
    readonly namespace: string,
    readonly address: string,
    readonly denied: boolean,
  ) {
    super(
      denied
        ? `namespace "${namespace}" on ${address} does not exist or these credentials cannot use it (TEMPORAL_API_KEY or the TEMPORAL_TLS_* files); check TEMPORAL_NAMESPACE`
        : `namespace "${namespace}" does not exist on ${address}; create it (temporal operator namespace create --namespace ${namespace}) or set TEMPORAL_NAMESPACE`,
    );
  }
}

/**
 * Fails with {@link NamespaceMissingError} when the configured namespace is not on the server. Checked before the
 * worker is created: the SDK leaves its workflow thread running when `Worker.create` fails on a missing namespace,
 * and the process would stay up after the error.
 */
async function assertNamespaceExists(client: Client, config: Config): Promise<void> {
  try {
    await client.workflowService.describeNamespace({ namespace: config.temporal.namespace });
  } catch (err) {
    if (!isGrpcServiceError(err) || (err.code !== GrpcStatus.NOT_FOUND && err.code !== GrpcStatus.PERMISSION_DENIED)) throw err;
    throw new NamespaceMissingError(config.temporal.namespace, temporalAddress(config), err.code === GrpcStatus.PERMISSION_DENIED);
  }
}

/** Registers Handoff's search attributes on the namespace, or says why it could not (Temporal Cloud: by hand). */
async function registerSearchAttributes(client: Client, config: Config): Promise<void> {
  try {
    const added = await ensureSearchAttributes(client.connection as Connection, config.temporal.namespace);
    if (added.length) say(`• Registered search attributes: ${added.join(', ')}`);
  } catch (err) {
    say(`! Could not register search attributes (${(err as Error).message}); register them on the cluster by hand`);
  }
}

async function startEmbeddedServer(config: Config): Promise<DevServer> {
  const { ip, port, uiPort } = config.temporal.devServer;
  await assertPortFree(ip, port, 'Temporal dev server gRPC', 'HANDOFF_TEMPORAL_PORT');
  await assertPortFree(ip, uiPort, 'Temporal Web UI', 'HANDOFF_UI_PORT');
  const cli = await provisionDevServer({ env: process.env, log: say, allowSdkDownload: false });
  const dbFile = path.join(config.dataDir, 'temporal.db');
  say(`• Starting the Temporal dev server (state in ${dbFile})`);
  return startDevServer({
    cliPath: config.temporal.devServer.cliPath ?? cli.path!,
    ip,
    port,
    uiPort,
    uiCodecEndpoint: codecEndpointUrl(config),
    namespace: config.temporal.namespace,
    dbFile,
    logFile: path.join(config.dataDir, 'temporal-server.log'),
    sqlitePragmas: config.temporal.devServer.sqlitePragmas,
    onRetry: (reason) => say(`• Starting the Temporal dev server again: ${reason}`),
  });
}

/** What `handoff start` serves besides the worker: the API and, when configured, the inbound SMTP listener. */
interface Listeners {
  /** The inbound SMTP listener, or null when `HANDOFF_INBOUND_SMTP_PORT` is unset. */
  smtp: InboundSmtpListener | null;
  /** The API key made for this data folder when none is configured, else null. */
  embeddedKey: ReturnType<typeof embeddedApiKey> | null;
  /** Closes the SMTP listener, its ledger and the API. */
  close(): Promise<void>;
}

/**
 * Binds the API and the inbound SMTP listener. On any failure it closes what it opened and throws; a port taken
 * since `handoff start` checked it throws the {@link PortInUseError} that names it.
 */
async function startListeners(config: Config, client: Client, codec: EncryptionCodec, workerState: () => string): Promise<Listeners> {
  const embeddedKey = config.api.keys.length === 0 ? embeddedApiKey(config.dataDir) : null;
  const api = buildApi({
    client,
    config,
    keys: embeddedKey ? [embeddedKey.key] : config.api.keys,
    claimSecret: claimSecret(config),
    unsubscribeSecret: unsubscribeSecret(config),
    payloadCodec: codec,
    workerState,
    ...(config.api.sdkMetricsAddress ? { sdkMetricsUrl: `http://${config.api.sdkMetricsAddress}/metrics` } : {}),
  });
  const smtpLedger = apiLedger(undefined, { dataDir: config.dataDir, databaseUrl: config.ledger.databaseUrl });
  let smtp: InboundSmtpListener | null = null;
  const close = async (): Promise<void> => {
    await smtp?.close();
    await smtpLedger.close();
    await api.close();
  };
  try {
    await bindNamingLostPort(api.listen({ host: config.api.host, port: config.api.port }), config.api.port, 'Handoff API', 'HANDOFF_API_PORT');
    if (config.inbound.smtpPort) {
      const roster = RosterStore.fromFile(rosterFile(config));
      const reps = async () => (await roster.current()).roster.reps;
      const { smtpHost: host, smtpPort: port, repMailAuthservId } = config.inbound;
      const listening = startInboundSmtp({ host, port }, { client, ledger: smtpLedger, reps, ...(repMailAuthservId ? { repMailAuthservId } : {}) });
      smtp = await bindNamingLostPort(listening, port, 'inbound SMTP listener', 'HANDOFF_INBOUND_SMTP_PORT');
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { smtp, embeddedKey, close };
}

/** `binding`, with a port lost to another process (or refused) turned into the {@link PortInUseError} that names it. */
async function bindNamingLostPort<T>(binding: Promise<T>, port: number, purpose: string, setting: string): Promise<T> {
  try {
    return await binding;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new PortInUseError(port, purpose, setting);
    throw err;
  }
}

/** `handoff start` / `npm start`: runs until Ctrl-C. */
export async function startCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    say('usage: handoff start\n\nStarts the Temporal dev server (unless TEMPORAL_ADDRESS is set), the worker and the API.');
    return 0;
  }
  const config = loadPrivateConfig();
  const codec = payloadCodec(config);
  installRuntime(config);
  let devServer: DevServer | null = null;
  let client: Client | null = null;
  let listeners: Listeners | null = null;
  let workerConnection: NativeConnection | null = null;
  let handoffWorker: Awaited<ReturnType<typeof createHandoffWorker>> | null = null;
  try {
    await assertPortFree(config.api.host, config.api.port, 'Handoff API', 'HANDOFF_API_PORT');
    if (config.inbound.smtpPort) await assertPortFree(config.inbound.smtpHost, config.inbound.smtpPort, 'inbound SMTP listener', 'HANDOFF_INBOUND_SMTP_PORT');
    if (!config.temporal.address) devServer = await startEmbeddedServer(config);
    else say(`• Connecting to the Temporal cluster at ${config.temporal.address} (namespace ${config.temporal.namespace})`);
    client = await connectClient(config);
    await assertNamespaceExists(client, config);
    await registerSearchAttributes(client, config);
    // Bound before the worker is created: a worker created and never run keeps the process alive, so a port lost
    // since the check above has to end the start before one exists.
    listeners = await startListeners(config, client, codec, () => handoffWorker?.worker.getState() ?? 'STARTING');
    workerConnection = await connectWorker(config);
    handoffWorker = await createHandoffWorker(config, workerConnection, client);
    announce(config, devServer, listeners);
    // The worker stops itself on SIGINT/SIGTERM (the SDK's shutdown signals) and drains in-flight tasks.
    await handoffWorker.worker.run();
    say('• Worker stopped; closing the API');
  } catch (err) {
    if (!(err instanceof PortInUseError || err instanceof ProvisionError || err instanceof NamespaceMissingError)) throw err;
    console.error(`handoff start: ${err.message}`);
    return 1;
  } finally {
    await listeners?.close();
    await handoffWorker?.close();
    await workerConnection?.close();
    await client?.connection.close();
    if (devServer) {
      say('• Stopping the Temporal dev server');
      await devServer.stop();
    }
  }
  say('Stopped.');
  return 0;
}

/** Prints where everything `handoff start` started answers. */
function announce(config: Config, devServer: DevServer | null, { smtp, embeddedKey }: Listeners): void {
  say('');
  say('Handoff is running');
  say(`  Temporal   ${temporalAddress(config)} (namespace ${config.temporal.namespace})`);
  if (devServer) say(`  Web UI     ${temporalUiUrl(config)}`);
  say(`  API        http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${config.api.port}`);
  say(`  Codec      ${codecEndpointUrl(config)}  (sign in at ${codecEndpointUrl(config)}/login to read payloads in the Web UI)`);
  if (smtp) say(`  Inbound    smtp://${config.inbound.smtpHost}:${smtp.port}  (relay replies here)`);
  say(`  Data       ${config.dataDir}`);
  if (embeddedKey) say(`  API key    ${apiKeyNotice(embeddedKey.token, path.join(config.dataDir, 'api-key'), currentTerminal())}`);
  say('Press Ctrl-C to stop.');
}

/** `handoff worker`: only the worker, against the configured cluster or the embedded server's address. */
export async function workerCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    say('usage: handoff worker\n\nRuns the conversation worker against TEMPORAL_ADDRESS (default: the embedded dev server).');
    return 0;
  }
  const config = loadPrivateConfig();
  payloadCodec(config); // a cluster without HANDOFF_PAYLOAD_KEYS stops here, before connecting
  installRuntime(config);
  const client = await connectClient(config);
  let workerConnection: NativeConnection | null = null;
  let handoffWorker: Awaited<ReturnType<typeof createHandoffWorker>> | null = null;
  try {
    await assertNamespaceExists(client, config);
    await registerSearchAttributes(client, config);
    workerConnection = await connectWorker(config);
    handoffWorker = await createHandoffWorker(config, workerConnection, client);
    say(`Worker polling ${config.temporal.taskQueue} on ${temporalAddress(config)}; Ctrl-C to stop.`);
    await handoffWorker.worker.run();
  } catch (err) {
    if (!(err instanceof NamespaceMissingError)) throw err;
    console.error(`handoff worker: ${err.message}`);
    return 1;
  } finally {
    await handoffWorker?.close();
    await workerConnection?.close();
    await client.connection.close();
  }
  return 0;
}

/** `handoff api`: only the HTTP API, against the configured cluster or the embedded server's address. */
export async function apiCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    say('usage: handoff api\n\nServes the HTTP API against TEMPORAL_ADDRESS (default: the embedded dev server).');
    return 0;
  }
  const config = loadPrivateConfig();
  const codec = payloadCodec(config);
  try {
    await assertPortFree(config.api.host, config.api.port, 'Handoff API', 'HANDOFF_API_PORT');
  } catch (err) {
    if (err instanceof PortInUseError) {
      console.error(`handoff api: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const client = await connectClient(config);
  const embedded = config.api.keys.length === 0 ? embeddedApiKey(config.dataDir) : null;
  const secrets = { claimSecret: claimSecret(config), unsubscribeSecret: unsubscribeSecret(config) };
  const api = buildApi({ client, config, keys: embedded ? [embedded.key] : config.api.keys, ...secrets, payloadCodec: codec });
  try {
    await bindNamingLostPort(api.listen({ host: config.api.host, port: config.api.port }), config.api.port, 'Handoff API', 'HANDOFF_API_PORT');
  } catch (err) {
    await api.close();
    await client.connection.close();
    if (!(err instanceof PortInUseError)) throw err;
    console.error(`handoff api: ${err.message}`);
    return 1;
  }
  say(`API on http://${config.api.host}:${config.api.port}; Ctrl-C to stop.`);
  if (embedded) say(`API key ${apiKeyNotice(embedded.token, path.join(config.dataDir, 'api-key'), currentTerminal())}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await api.close();
  await client.connection.close();
  return 0;
}
