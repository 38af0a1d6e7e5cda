import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { ConfigError, loadConfig } from '../../../src/config';
import { embeddedPayloadKeyFile, payloadCodec, payloadKeys } from '../../../src/temporal/payloadKeys';

const made: string[] = [];
const emptyDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-keys-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

/** The ConfigError loadConfig throws for these variables. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, emptyDir());
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected the configuration to be refused');
}

describe('payload keys', () => {
  test('come from HANDOFF_PAYLOAD_KEYS in order, the first encrypting, standard or URL-safe base64', async () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const config = loadConfig({ HANDOFF_PAYLOAD_KEYS: ` k2:${a.toString('base64')} , k1:${b.toString('base64url')}` }, emptyDir());
    assert.deepEqual(payloadKeys(config), [
      { id: 'k2', key: a },
      { id: 'k1', key: b },
    ]);
    const [encrypted] = await payloadCodec(config).encode([defaultPayloadConverter.toPayload('x')]);
    assert.equal(Buffer.from(encrypted!.metadata!['encryption-key-id']!).toString(), 'k2');
  });

  test('are refused with a message naming the key when one is not base64, not 32 bytes, or its id repeats', () => {
    const notBase64 = configError({ HANDOFF_PAYLOAD_KEYS: `k2:${b64(32)},k1:not*base64!` });
    assert.match(notBase64.message, /key "k1" is not valid base64/);
    assert.match(notBase64.message, /payloadEncryption\.keys\[1\]\.key/);

    const short = configError({ HANDOFF_PAYLOAD_KEYS: `k1:${b64(16)}` });
    assert.match(short.message, /key "k1" is 16 bytes; AES-256 needs 32/);

    const twice = configError({ HANDOFF_PAYLOAD_KEYS: `k1:${b64(32)},k1:${b64(32)}` });
    assert.match(twice.message, /key id "k1" is given twice/);

    const noId = configError({ HANDOFF_PAYLOAD_KEYS: b64(32) });
    assert.match(noId.message, /HANDOFF_PAYLOAD_KEYS: entry 1 is not "id:base64-key"/);
  });

  test('never show key material in their errors', () => {
    const secret = b64(16);
    const err = configError({ HANDOFF_PAYLOAD_KEYS: `k1:${secret}` });
    assert.ok(!err.message.includes(secret), err.message);
  });

  test('are required when a cluster is configured, with a message saying how to make one', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example:7233' }, emptyDir());
    assert.throws(() => payloadKeys(config), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /HANDOFF_PAYLOAD_KEYS is required with TEMPORAL_ADDRESS/);
      assert.match(err.message, /openssl rand -base64 32/);
      return true;
    });
  });

  test('for the embedded stack without any, one is generated into the data directory (0600) and kept', () => {
    const dir = emptyDir();
    const config = loadConfig({ HANDOFF_DATA_DIR: path.join(dir, 'data') }, dir);
    const [first] = payloadKeys(config);
    const file = embeddedPayloadKeyFile(config);
    assert.equal(first!.id, 'embedded');
    assert.equal(first!.key.length, 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), `embedded:${first!.key.toString('base64')}`, 'the file is in the variable\'s format');
    assert.deepEqual(payloadKeys(config), [first], 'a second start reads the same key');
  });

  test('a damaged embedded key file stops start-up instead of being replaced', () => {
    const dir = emptyDir();
    const config = loadConfig({ HANDOFF_DATA_DIR: dir }, dir);
    writeFileSync(embeddedPayloadKeyFile(config), 'embedded:short\n');
    assert.throws(() => payloadKeys(config), /does not hold a payload key/);
    assert.equal(readFileSync(embeddedPayloadKeyFile(config), 'utf8'), 'embedded:short\n');
  });
});
