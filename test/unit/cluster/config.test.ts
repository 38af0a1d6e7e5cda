import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import YAML from 'yaml';
import type { ClusterPostgres } from '../../../src/cluster/postgres';
import { assertTemporalPortsFree, MAX_FRONTEND_PORT, temporalServerConfig, temporalServerPorts } from '../../../src/cluster/temporalServer';
import { webUiConfig } from '../../../src/cluster/webUi';
import { ConfigError } from '../../../src/config';

const postgres = { host: '127.0.0.1', port: 5544, user: 'temporal', password: 's3cret' } as ClusterPostgres;

describe("the cluster shape's generated config", () => {
  test("lays the server's ports out as Temporal's own config does around the frontend port", () => {
    assert.deepEqual(temporalServerPorts(7233), {
      frontend: 7233,
      history: 7234,
      matching: 7235,
      worker: 7239,
      frontendHttp: 7243,
      frontendMembership: 6933,
      historyMembership: 6934,
      matchingMembership: 6935,
      workerMembership: 6939,
    });
  });

  test('puts persistence and visibility on PostgreSQL with the postgres12 plugin and the generated password', () => {
    const config = YAML.parse(temporalServerConfig({ ip: '127.0.0.1', port: 7233, postgres, dynamicConfigFile: '/data/dc.yaml' })) as {
      persistence: { datastores: Record<string, { sql: { pluginName: string; databaseName: string; connectAddr: string; password: string } }> };
      services: Record<string, { rpc: { grpcPort: number; membershipPort: number; bindOnIP: string } }>;
      dynamicConfigClient: { filepath: string };
    };
    const stores = Object.values(config.persistence.datastores).map((s) => s.sql);
    assert.deepEqual(stores.map((s) => s.databaseName).sort(), ['temporal', 'temporal_visibility']);
    for (const sql of stores) {
      assert.equal(sql.pluginName, 'postgres12');
      assert.equal(sql.connectAddr, '127.0.0.1:5544');
      assert.equal(sql.password, 's3cret');
    }
    assert.deepEqual(Object.keys(config.services).sort(), ['frontend', 'history', 'matching', 'worker']);
    assert.equal(config.services.frontend!.rpc.grpcPort, 7233);
    assert.equal(config.services.worker!.rpc.membershipPort, 6939);
    assert.equal(config.services.history!.rpc.bindOnIP, '127.0.0.1');
    assert.equal(config.dynamicConfigClient.filepath, '/data/dc.yaml');
  });

  test('refuses a frontend port whose membership ports would not fit the smallint Temporal stores them in', async () => {
    await assert.rejects(assertTemporalPortsFree('127.0.0.1', MAX_FRONTEND_PORT + 1), (err: unknown) => err instanceof ConfigError && /HANDOFF_TEMPORAL_PORT/.test(err.message));
    await assert.rejects(assertTemporalPortsFree('127.0.0.1', 1000), ConfigError);
  });

  test('points the Web UI at the server and decodes through the codec endpoint with credentials', () => {
    const config = YAML.parse(
      webUiConfig({
        binary: 'ui',
        ip: '127.0.0.1',
        port: 8233,
        temporalAddress: '127.0.0.1:7233',
        namespace: 'default',
        codecEndpoint: 'http://localhost:3000/codec',
        apiOrigin: 'http://localhost:3000',
        dir: '/data',
      }),
    ) as { temporalGrpcAddress: string; port: number; codec: { endpoint: string; includeCredentials: boolean; defaultErrorLink: string }; cors: { allowOrigins: string[] } };
    assert.equal(config.temporalGrpcAddress, '127.0.0.1:7233');
    assert.equal(config.port, 8233);
    assert.equal(config.codec.endpoint, 'http://localhost:3000/codec');
    assert.equal(config.codec.includeCredentials, true);
    assert.equal(config.codec.defaultErrorLink, 'http://localhost:3000/codec/login');
    assert.deepEqual(config.cors.allowOrigins, ['http://localhost:3000']);
  });
});
