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
      depends_on?: Record<string, unknown>;
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
    assert.equal(services.handoff?.environment?.HANDOFF_PAYLOAD_KEYS, KEYS.split('=').slice(1).join('='));
    assert.equal(services.handoff?.environment?.TEMPORAL_UI_URL, 'http://localhost:8233', 'the codec endpoint allows the UI\'s origin');
  });

  test("refuses to load without the public https URL of the API's TLS-terminating proxy", () => {
    const result = check('POSTGRES_PASSWORD=secret', KEYS);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /HANDOFF_PUBLIC_URL.*https/);
    const project = JSON.parse(check(...ENV).stdout) as ComposeProject;
    assert.equal(project.services.handoff?.environment?.HANDOFF_PUBLIC_URL, 'https://handoff.example.com');
  });

  test("publishes Temporal's gRPC, its Web UI and the API on the host's loopback only", () => {
    const { services } = JSON.parse(check(...ENV).stdout) as ComposeProject;
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p.host_ip ?? '(all interfaces)', p.published] as const));
    assert.deepEqual(published.sort(), [
      ['handoff', '127.0.0.1', '3000'],
      ['temporal', '127.0.0.1', '7233'],
      ['temporal-ui', '127.0.0.1', '8233'],
    ]);
  });

  test('runs PostgreSQL, the Temporal server, its UI and the app built from the Dockerfile, in order', () => {
    const project = JSON.parse(check(...ENV).stdout) as ComposeProject;
    const { services } = project;
    assert.match(services.postgresql?.image ?? '', /^postgres:/);
    assert.match(services.temporal?.image ?? '', /^temporalio\/auto-setup:/);
    assert.match(services['temporal-ui']?.image ?? '', /^temporalio\/ui:/);
    assert.ok(services.handoff?.build, 'the app is built from the Dockerfile');
    assert.equal(services.handoff?.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
    assert.ok(services.temporal?.depends_on?.postgresql, 'Temporal waits for PostgreSQL');
    assert.ok(services.handoff?.depends_on?.temporal, 'the app waits for Temporal');
  });
});
