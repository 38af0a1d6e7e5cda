/**
 * Test environments on real Temporal servers, provisioned by `npm run provision`: the time-skipping test
 * server for long timers, the CLI dev server for everything else.
 */
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { EncryptionCodec } from '../../src/temporal/codec';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/connection';
import { provisionDevServer, provisionTestServer } from '../../src/temporal/provision';
import { HANDOFF_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

// Workers and bundling log at INFO by default; tests keep only warnings and errors.
Runtime.install({ logger: new DefaultLogger((process.env.HANDOFF_LOG_LEVEL ?? 'WARN').toUpperCase() as 'WARN') });

/** A time-skipping environment on the provisioned test server. */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = await provisionTestServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    server.path ? { server: { executable: { type: 'existing-path', path: server.path } } } : undefined,
  );
  // The test server cannot list search attributes, only add them; each environment is a fresh server.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      HANDOFF_SEARCH_ATTRIBUTES.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  return env;
}

/** The payload codec of the dev-server environments, as in production: AES-256-GCM, a fresh key per test process. */
export const testPayloadCodec = new EncryptionCodec([{ id: 'test', key: randomBytes(32) }]);

/**
 * A dev-server environment (in memory, headless) with Handoff's search attributes registered, whose client
 * encrypts payloads with {@link testPayloadCodec}; workers on it take `env.options.client.dataConverter`.
 */
export async function createDevServerEnv(): Promise<TestWorkflowEnvironment> {
  const server = await provisionDevServer();
  return TestWorkflowEnvironment.createLocal({
    server: {
      ...(server.path ? { executable: { type: 'existing-path' as const, path: server.path } } : {}),
      searchAttributes: [...HANDOFF_SEARCH_ATTRIBUTES],
      ip: '127.0.0.1',
    },
    client: { dataConverter: { payloadCodecs: [testPayloadCodec], failureConverterPath: FAILURE_CONVERTER_PATH } },
  });
}

