import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { provisionComposeCheck } from '../../src/temporal/provision';

const composeFile = path.resolve(__dirname, '..', '..', 'docker-compose.yml');

interface ComposeProject {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      environment?: Record<string, string>;
      command?: string[];
      depends_on?: Record<string, { condition?: string }>;
      ports?: { host_ip?: string; target: number; published: string }[];
    }
  >;
}

const KEYS = 'HANDOFF_PAYLOAD_KEYS=k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';
const ENV = ['POSTGRES_PASSWORD=secret', 'HANDOFF_PUBLIC_URL=https://handoff.example.com', KEYS];

describe('docker-compose.yml, the production shape (checked by compose-go, the parser Docker Compose uses)', () => {
  let composeCheck: string;
  before(async () => {
    const built = await provisionComposeCheck();
    assert.ok(built, 'compose-check needs a go toolchain (npm run provision builds it)');
    composeCheck = built;
  });

  function check(...env: string[]) {
    return spawnSync(composeCheck, [composeFile, ...env], { encoding: 'utf8' });
  }

  test('loads as a valid Compose project', () => {
    const result = check(...ENV);
    assert.equal(result.status, 0, result.stderr);
  });

  test('refuses to load without the PostgreSQL password, which only the environment provides', () => {
    const result = check('HANDOFF_PUBLIC_URL=https://handoff.example.com', KEYS);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /POSTGRES_PASSWORD/);
  });

  test('refuses to load without the payload keys, which only the environment provides', () => {
    const result = check(...ENV.filter((e) => e !== KEYS));
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /HANDOFF_PAYLOAD_KEYS/);
  });

  test('points the UI at the app\'s codec endpoint with credentials, and gives the app its keys', () => {
    const { services } = JSON.parse(check(...ENV).stdout) as ComposeProject;
    const ui = services['temporal-ui']?.environment ?? {};
    assert.equal(ui.TEMPORAL_CODEC_ENDPOINT, 'http://localhost:3000/codec');
    assert.equal(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS, 'true');
    assert.equal(ui.TEMPORAL_CODEC_DEFAULT_ERROR_LINK, 'http://localhost:3000/codec/login');
    for (const app of ['api', 'worker-1', 'worker-2']) {
      assert.equal(services[app]?.environment?.HANDOFF_PAYLOAD_KEYS, KEYS.split('=').slice(1).join('='), `${app} encrypts with the keys`);
    }
    assert.equal(services.api?.environment?.TEMPORAL_UI_URL, 'http://localhost:8233', 'the codec endpoint allows the UI\'s origin');
  });

  test("refuses to load without the public https URL of the API's TLS-terminating proxy", () => {
    const result = check('POSTGRES_PASSWORD=secret', KEYS);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /HANDOFF_PUBLIC_URL.*https/);
    const project = JSON.parse(check(...ENV).stdout) as ComposeProject;
    assert.equal(project.services.api?.environment?.HANDOFF_PUBLIC_URL, 'https://handoff.example.com');
  });

  test("publishes Temporal's gRPC, its Web UI and the API on the host's loopback only", () => {
    const { services } = JSON.parse(check(...ENV).stdout) as ComposeProject;
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p.host_ip ?? '(all interfaces)', p.published] as const));
    assert.deepEqual(published.sort(), [
      ['api', '127.0.0.1', '3000'],
      ['temporal', '127.0.0.1', '7233'],
      ['temporal-ui', '127.0.0.1', '8233'],
    ]);
  });

  test('runs PostgreSQL, the schema set-up, the Temporal server 1.29.1, the namespace, its UI, two workers and the API, in order', () => {
    const project = JSON.parse(check(...ENV).stdout) as ComposeProject;
    const { services } = project;
    assert.match(services.postgresql?.image ?? '', /^postgres:/);
    assert.match(services['temporal-schema']?.image ?? '', /^temporalio\/admin-tools:1\.29\.1-/);
    assert.equal(services.temporal?.image, 'temporalio/server:1.29.1');
    assert.match(services['temporal-namespace']?.image ?? '', /^temporalio\/admin-tools:1\.29\.1-/);
    assert.equal(services['temporal-ui']?.image, 'temporalio/ui:2.42.1');
    assert.equal(services['temporal-schema']?.depends_on?.postgresql?.condition, 'service_healthy');
    assert.equal(services.temporal?.depends_on?.['temporal-schema']?.condition, 'service_completed_successfully', 'the server starts on migrated schemas');
    for (const app of ['worker-1', 'worker-2', 'api']) {
      assert.ok(services[app]?.build, `${app} is built from the Dockerfile`);
      assert.equal(services[app]?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
      assert.equal(services[app]?.depends_on?.['temporal-namespace']?.condition, 'service_completed_successfully', `${app} waits for the namespace`);
    }
    assert.deepEqual(services['worker-1']?.command, ['node', 'bin/handoff.cjs', 'worker']);
    assert.deepEqual(services['worker-2']?.command, ['node', 'bin/handoff.cjs', 'worker']);
    assert.deepEqual(services.api?.command, ['node', 'bin/handoff.cjs', 'api']);
  });
});
