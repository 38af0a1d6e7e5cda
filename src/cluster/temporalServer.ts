/**
 * The cluster shape's Temporal server (`go.temporal.io/server`, all four services in one process) on PostgreSQL:
 * the schemas created and migrated with Temporal's own SQL tool (the schemas are embedded in it), the config
 * YAML generated into the data directory, the namespace registered once.
 *
 * Ports follow Temporal's own layout around the frontend's gRPC port P (7233 by default): history P+1, matching
 * P+2, worker P+6, frontend HTTP P+10, and the membership ports P-300, P-299, P-298 and P-294.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import YAML from 'yaml';
import { DATA_DIR_MODE, DATA_FILE_MODE } from '../dataDir';
import { ConfigError } from '../config';
import { assertPortFree } from '../temporal/devServer';
import { GrpcStatus, grpcCode } from '../temporal/grpcStatus';
import type { ClusterPostgres } from './postgres';
import { ServiceProcess } from './serviceProcess';

const execFileAsync = promisify(execFile);

/** The server's dynamic config, shared with docker-compose.yml. */
export const DYNAMIC_CONFIG = path.resolve(__dirname, '..', '..', 'tools', 'temporal-server', 'dynamicconfig.yaml');

/** Temporal's persistence and visibility databases and the embedded schema each one gets. */
const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;

/** The highest frontend port whose membership ports fit the smallint Temporal stores them in. */
export const MAX_FRONTEND_PORT = 32_767 + 294;

/** Every port the server listens on, from the frontend's gRPC port. */
export function temporalServerPorts(frontend: number): Record<string, number> {
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 6,
    frontendHttp: frontend + 10,
    frontendMembership: frontend - 300,
    historyMembership: frontend - 299,
    matchingMembership: frontend - 298,
    workerMembership: frontend - 294,
  };
}

/**
 * Creates Temporal's databases when missing and migrates both schemas to the version this server ships, with the
 * commands docker-compose.yml's `temporal-schema` service runs (`update-schema` applies only what is new).
 */
export async function setUpTemporalSchemas(sqlTool: string, postgres: ClusterPostgres, log: (line: string) => void): Promise<void> {
  const connect = ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user];
  const env = { ...process.env, SQL_PASSWORD: postgres.password };
  log('• Temporal: setting up the schemas (temporal-sql-tool)');
  for (const db of DATABASES) {
    const tool = (args: string[]) => execFileAsync(sqlTool, [...connect, '--db', db.name, ...args], { env });
    try {
      // Each step leaves what exists alone: the same three commands set up a new database or migrate an old one.
      await tool(['create-database']);
      await tool(['setup-schema', '-v', '0.0']);
      await tool(['update-schema', '--schema-name', db.schema]);
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`the Temporal SQL tool could not set up ${db.name}: ${stderr.trim() || (err as Error).message}`, { cause: err });
    }
  }
}

/** The server's config YAML (one process, all services, persistence and visibility on PostgreSQL). */
export function temporalServerConfig(options: { ip: string; port: number; postgres: ClusterPostgres; dynamicConfigFile: string }): string {
  const ports = temporalServerPorts(options.port);
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${options.postgres.host}:${options.postgres.port}`,
      connectProtocol: 'tcp',
      user: options.postgres.user,
      password: options.postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: options.ip, ...extra },
  });
  return YAML.stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // Fixed for the life of the cluster: the schema records it on first start.
      numHistoryShards: 4,
      datastores: { 'postgres-default': store('temporal', 20), 'postgres-visibility': store('temporal_visibility', 4) },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: options.ip } },
    services: {
      frontend: rpc(ports.frontend!, ports.frontendMembership!, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history!, ports.historyMembership!),
      matching: rpc(ports.matching!, ports.matchingMembership!),
      worker: rpc(ports.worker!, ports.workerMembership!),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${options.ip}:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  });
}

/** How to start the server. */
export interface TemporalServerOptions {
  binary: string;
  ip: string;
  port: number;
  postgres: ClusterPostgres;
  /** Holds `config/production.yaml`, `dynamicconfig.yaml` and `temporal-server.log`. */
  dir: string;
  readyTimeoutMs?: number;
}

/** Checks every port of the server's layout is free. @throws PortInUseError naming the first taken one. */
export async function assertTemporalPortsFree(ip: string, port: number): Promise<void> {
  if (port < 1324 || port > MAX_FRONTEND_PORT) {
    throw new ConfigError(
      `HANDOFF_TEMPORAL_PORT=${port} cannot carry the cluster's port layout (frontend port minus 300 to plus 10; Temporal stores membership ports below 32768): use a port in 1324..${MAX_FRONTEND_PORT}`,
      'HANDOFF_TEMPORAL_PORT',
    );
  }
  for (const [name, p] of Object.entries(temporalServerPorts(port))) {
    await assertPortFree(ip, p, `Temporal server ${name} (derived from the frontend port)`, 'HANDOFF_TEMPORAL_PORT');
  }
}

/**
 * Writes the config and starts `temporal-server start`; resolves once the frontend answers.
 * @throws Error with the server log's tail when it exits first or does not answer in time.
 */
export async function startTemporalServer(options: TemporalServerOptions): Promise<ServiceProcess> {
  const configDir = path.join(options.dir, 'config');
  mkdirSync(configDir, { recursive: true, mode: DATA_DIR_MODE });
  const dynamicConfigFile = path.join(options.dir, 'dynamicconfig.yaml');
  copyFileSync(DYNAMIC_CONFIG, dynamicConfigFile);
  chmodSync(dynamicConfigFile, DATA_FILE_MODE);
  writeFileSync(
    path.join(configDir, 'production.yaml'),
    temporalServerConfig({ ip: options.ip, port: options.port, postgres: options.postgres, dynamicConfigFile }),
    { mode: DATA_FILE_MODE },
  );
  const address = `${options.ip}:${options.port}`;
  return ServiceProcess.start({
    name: 'Temporal server',
    command: options.binary,
    args: ['--root', options.dir, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
    logFile: path.join(options.dir, 'temporal-server.log'),
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    async ready() {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
    },
  });
}

/**
 * Registers `namespace` unless it exists (24 h retention, as the dev server's), then waits until the frontend
 * serves it: a new namespace reaches the frontend's cache only on its next refresh.
 */
export async function ensureNamespace(address: string, namespace: string, log: (line: string) => void, timeoutMs = 60_000): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch (err) {
      if (grpcCode(err) !== GrpcStatus.NOT_FOUND) throw err;
      log(`• Temporal: registering the namespace ${namespace}`);
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('24 hours') });
      } catch (registerErr) {
        if (grpcCode(registerErr) !== GrpcStatus.ALREADY_EXISTS) throw registerErr;
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`the namespace ${namespace} is not served after ${timeoutMs} ms: ${(err as Error).message}`, { cause: err });
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}
