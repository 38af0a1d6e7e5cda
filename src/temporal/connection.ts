/**
 * Connections to Temporal built from the config: the embedded dev server, or a production cluster with TLS
 * or an API key (Temporal Cloud). Clients encrypt and decrypt payloads with the payload codec.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { payloadCodec } from './payloadKeys';

/** The address the config points at: the cluster's, or the embedded dev server's. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `${config.temporal.devServer.ip}:${config.temporal.devServer.port}`;
}

function tlsOptions(config: Config): ConnectionOptions['tls'] {
  const tls = config.temporal.tls;
  const anyFile = tls.serverRootCaPath || tls.clientCertPath || tls.clientKeyPath;
  if (!tls.enabled && !anyFile && !config.temporal.apiKey) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.serverRootCaPath ? readFileSync(tls.serverRootCaPath) : undefined,
    clientCertPair:
      tls.clientCertPath && tls.clientKeyPath
        ? { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) }
        : undefined,
  };
}

/** Options shared by the client and worker connections. */
function connectionOptions(config: Config): { address: string; tls: ConnectionOptions['tls']; apiKey?: string } {
  return { address: temporalAddress(config), tls: tlsOptions(config), apiKey: config.temporal.apiKey };
}

/** The failure converter module: activities' and clients' failure messages as encoded, hence encrypted, attributes. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failureConverter');

/**
 * The data converter every Handoff client and worker uses: the default payload converter, failures with their
 * messages encoded (clients and activities; see `failureConverter.ts`), then the payload codec (encryption). A
 * client or worker built without it writes plaintext and cannot read what the others wrote.
 */
export function dataConverter(config: Config): DataConverter {
  return { payloadCodecs: [payloadCodec(config)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** A client connection (API, CLI, activities that talk to Temporal), encrypting payloads. */
export async function connectClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: dataConverter(config) });
}

/** A worker's native connection. */
export async function connectWorker(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config) as NativeConnectionOptions);
}
