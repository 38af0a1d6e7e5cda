import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { buildApi } from '../../../src/api/server';
import { loadConfig } from '../../../src/config';
import { freePort } from '../../../src/temporal/devServer';

describe('the unauthenticated health check', () => {
  const logged: string[] = [];
  let client: Client;
  let worker = 'RUNNING';
  let address: string;
  let close: () => Promise<void>;

  before(async () => {
    // A Temporal address nothing listens on: the client's error names the host, the port and the cause.
    const port = await freePort();
    client = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${port}` }) });
    const api = buildApi({
      client,
      config: loadConfig({}, process.cwd()),
      keys: [],
      claimSecret: 'health-test-claim-secret-0123456789',
      workerState: () => worker,
      log: (line) => logged.push(line),
    });
    address = await api.listen({ host: '127.0.0.1', port: 0 });
    close = () => api.close();
  });
  after(async () => {
    await close();
    await client.connection.close();
  });

  test('with Temporal unreachable it answers 503 with a generic reason and an incident id; the cause is only in the log', async () => {
    const res = await fetch(`${address}/healthz`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; checks: Record<string, string>; incident: string };
    assert.deepEqual(body.checks, { temporal: 'unreachable', worker: 'ok' });
    assert.equal(body.status, 'unavailable');
    assert.match(body.incident, /^[0-9a-f-]{36}$/);
    const text = JSON.stringify(body);
    assert.doesNotMatch(text, /127\.0\.0\.1|ECONNREFUSED|DEADLINE|UNAVAILABLE|Error/);
    const line = logged.find((l) => l.includes(body.incident));
    assert.ok(line, `the log names incident ${body.incident}: ${logged.join(' | ')}`);
    assert.match(line, /Temporal unreachable: \d+ [A-Z_]+/, 'the log keeps the cause');
  });

  test("a stopped worker is reported as not running, without the SDK's state names", async () => {
    worker = 'DRAINING';
    const body = (await (await fetch(`${address}/healthz`)).json()) as { checks: Record<string, string>; incident: string };
    assert.equal(body.checks.worker, 'not running');
    assert.ok(logged.some((l) => l.includes(body.incident) && l.includes('DRAINING')));
  });
});
