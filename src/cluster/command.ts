/**
 * `handoff cluster` / `npm run cluster`: the production shape of docker-compose.yml run natively: PostgreSQL,
 * the Temporal server, the Temporal Web UI, two worker processes and one API process, on the ports `npm start`
 * uses. Ctrl-C stops them in the reverse order: API, workers, UI, server, PostgreSQL.
 */
import path from 'node:path';
import { embeddedApiKey } from '../api/auth';
import { codecEndpointUrl } from '../api/codecRoutes';
import { apiKeyNotice, currentTerminal } from '../api/keyNotice';
import { temporalUiUrl } from '../config';
import { loadPrivateConfig } from '../stack';
import { assertPortFree, freePort, PortInUseError } from '../temporal/devServer';
import { payloadKeys } from '../temporal/payloadKeys';
import { provisionClusterBinaries, ProvisionError } from '../temporal/provision';
import { ServiceProcess } from './serviceProcess';
import { TemporalBackend } from './temporalBackend';
import { assertTemporalPortsFree } from './temporalServer';
import { startWebUi } from './webUi';

const say = (line: string) => console.log(line);
const HANDOFF_BIN = path.resolve(__dirname, '..', '..', 'bin', 'handoff.cjs');
/** How many worker processes poll the task queue. */
export const CLUSTER_WORKERS = 2;

/** `handoff cluster`: runs until Ctrl-C. */
export async function clusterCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    say(
      'usage: handoff cluster\n\nStarts the production shape natively: PostgreSQL (HANDOFF_POSTGRES_PORT, else a free port), the Temporal server,\n' +
        `the Temporal Web UI, ${CLUSTER_WORKERS} worker processes and the API, with their state in the data directory.`,
    );
    return 0;
  }
  const config = loadPrivateConfig();
  if (config.temporal.address) {
    console.error(`handoff cluster: TEMPORAL_ADDRESS is set (${config.temporal.address}); the cluster runs its own Temporal server: unset it, or run handoff worker / handoff api against that cluster`);
    return 1;
  }
  const dataDir = path.resolve(config.dataDir);
  const { ip, port, uiPort } = config.temporal.devServer;
  let postgresPort: number;
  let binaries;
  try {
    await assertPortFree(config.api.host, config.api.port, 'Handoff API', 'HANDOFF_API_PORT');
    await assertTemporalPortsFree(ip, port);
    await assertPortFree(ip, uiPort, 'Temporal Web UI', 'HANDOFF_UI_PORT');
    const configured = process.env.HANDOFF_POSTGRES_PORT;
    if (configured !== undefined && !/^\d+$/.test(configured)) {
      console.error(`handoff cluster: HANDOFF_POSTGRES_PORT=${configured} is not a port number`);
      return 1;
    }
    postgresPort = configured ? Number(configured) : await freePort();
    await assertPortFree('127.0.0.1', postgresPort, 'PostgreSQL', 'HANDOFF_POSTGRES_PORT');
    binaries = await provisionClusterBinaries({ log: say });
  } catch (err) {
    if (err instanceof PortInUseError || err instanceof ProvisionError) {
      console.error(`handoff cluster: ${err.message}`);
      return 1;
    }
    throw err;
  }

  // Every process of the cluster encrypts with the same keys: the configured ones, else the data directory's.
  const keys = payloadKeys(config).map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
  let interrupted = false;
  let running = false;
  const onSignal = () => {
    if (!running && !interrupted) say('• Stopping (the step under way finishes first)');
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const services: ServiceProcess[] = [];
  let backend: TemporalBackend | null = null;
  try {
    backend = await TemporalBackend.start({ binaries, dataDir, ip, port, postgresPort, namespace: config.temporal.namespace, log: say });
    let databaseUrl = config.ledger.databaseUrl;
    if (!databaseUrl) {
      await backend.postgres.ensureDatabase('handoff');
      databaseUrl = backend.postgres.urlFor('handoff');
    }
    if (!interrupted) {
      say('• Starting the Temporal Web UI');
      services.push(
        await startWebUi({
          binary: binaries.uiServer,
          ip,
          port: uiPort,
          temporalAddress: backend.address,
          namespace: config.temporal.namespace,
          codecEndpoint: codecEndpointUrl(config),
          apiOrigin: new URL(codecEndpointUrl(config)).origin,
          dir: backend.serverDir,
        }),
      );
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: backend.address,
      TEMPORAL_NAMESPACE: config.temporal.namespace,
      TEMPORAL_UI_URL: temporalUiUrl(config),
      HANDOFF_DATA_DIR: dataDir,
      HANDOFF_PAYLOAD_KEYS: keys,
      DATABASE_URL: databaseUrl,
    };
    const app = (name: string, command: string, readyLine: string) =>
      ServiceProcess.start({
        name,
        command: process.execPath,
        args: [HANDOFF_BIN, command],
        env,
        logFile: path.join(backend!.serverDir, `${name}.log`),
        readyLine,
      });
    for (let i = 1; i <= CLUSTER_WORKERS && !interrupted; i++) {
      say(`• Starting worker-${i}`);
      services.push(await app(`worker-${i}`, 'worker', 'Worker polling'));
    }
    if (!interrupted) {
      say('• Starting the API');
      services.push(await app('api', 'api', 'API on '));
    }
    if (!interrupted) {
      for (const service of services) {
        void service.exited.then(({ code, signal }) => {
          if (service.unexpectedExit) say(`! ${service.name} exited (code ${code}, signal ${signal}); its log is in ${backend!.serverDir}`);
        });
      }
      const embedded = config.api.keys.length === 0 ? embeddedApiKey(dataDir) : null;
      say('');
      say('Handoff is running (cluster shape)');
      say(`  Temporal   ${backend.address} (namespace ${config.temporal.namespace})`);
      say(`  Web UI     ${temporalUiUrl(config)}`);
      say(`  API        http://${config.api.host === '0.0.0.0' ? 'localhost' : config.api.host}:${config.api.port}`);
      say(`  Codec      ${codecEndpointUrl(config)}  (sign in at ${codecEndpointUrl(config)}/login to read payloads in the Web UI)`);
      say(`  PostgreSQL 127.0.0.1:${postgresPort} (user temporal, password in ${path.join(dataDir, 'postgres-password')})`);
      say(`  Workers    ${services.filter((s) => s.name.startsWith('worker-')).map((s) => `${s.name} pid ${s.pid}`).join(', ')}`);
      say(`  Data       ${dataDir} (logs in ${backend.serverDir})`);
      if (embedded) say(`  API key    ${apiKeyNotice(embedded.token, path.join(dataDir, 'api-key'), currentTerminal())}`);
      say('Press Ctrl-C to stop.');
      running = true;
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    for (const service of [...services].reverse()) {
      say(`• Stopping ${service.name}`);
      await service.stop();
    }
    if (backend) {
      say('• Stopping the Temporal server and PostgreSQL');
      await backend.stop();
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  say('Stopped.');
  return 0;
}
