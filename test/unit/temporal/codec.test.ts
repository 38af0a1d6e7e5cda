import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA_KEY,
  PayloadDecryptionError,
  UnknownPayloadKeyError,
} from '../../../src/temporal/codec';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const prospect = { name: 'Jordan Lee', email: 'jordan@buyer.example', reply: 'How much is it per seat?' };
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('the payload codec', () => {
  test('encrypts a payload so its bytes hold nothing of the value, and decrypts it back to the same payload', async () => {
    const codec = new EncryptionCodec([k1]);
    const original = defaultPayloadConverter.toPayload(prospect);
    const [encrypted] = await codec.encode([original]);
    assert.equal(text(encrypted!.metadata!.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(encrypted!.metadata![KEY_ID_METADATA_KEY]), 'k1');
    const stored = Buffer.concat([encrypted!.data!, ...Object.values(encrypted!.metadata!)]).toString('latin1');
    for (const secret of ['jordan@buyer.example', 'Jordan Lee', 'per seat', 'json/plain']) assert.ok(!stored.includes(secret), `"${secret}" is not in the stored bytes`);

    const [decrypted] = await codec.decode([encrypted!]);
    assert.equal(text(decrypted!.metadata!.encoding), 'json/plain');
    assert.deepEqual(defaultPayloadConverter.fromPayload(decrypted!), prospect);
  });

  test('encrypts the same value differently each time (a fresh IV per payload)', async () => {
    const codec = new EncryptionCodec([k1]);
    const payload = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([payload, payload]);
    assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!));
  });

  test('keeps payloads without data, like undefined, through the round trip', async () => {
    const codec = new EncryptionCodec([k1]);
    const [decrypted] = await codec.decode(await codec.encode([defaultPayloadConverter.toPayload(undefined)]));
    assert.equal(defaultPayloadConverter.fromPayload(decrypted!), undefined);
  });

  test('after rotation encrypts with the new first key and still decrypts what the old key encrypted', async () => {
    const before = new EncryptionCodec([k1]);
    const after = new EncryptionCodec([k2, k1]);
    const [old] = await before.encode([defaultPayloadConverter.toPayload('written before rotation')]);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload('written after rotation')]);
    assert.equal(text(fresh!.metadata![KEY_ID_METADATA_KEY]), 'k2');
    const [a, b] = await after.decode([old!, fresh!]);
    assert.equal(defaultPayloadConverter.fromPayload(a!), 'written before rotation');
    assert.equal(defaultPayloadConverter.fromPayload(b!), 'written after rotation');
  });

  test('refuses a payload encrypted with a key it does not have, naming that key and the configured ones', async () => {
    const [encrypted] = await new EncryptionCodec([k1]).encode([defaultPayloadConverter.toPayload('x')]);
    await assert.rejects(new EncryptionCodec([k2]).decode([encrypted!]), (err: unknown) => {
      assert.ok(err instanceof UnknownPayloadKeyError);
      assert.equal(err.keyId, 'k1');
      assert.match(err.message, /key "k1", which is not configured \(configured: k2\)/);
      return true;
    });
  });

  test('rejects altered ciphertext, a truncated payload and the wrong key under a known id', async () => {
    const codec = new EncryptionCodec([k1]);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(prospect)]);
    const flipped = Buffer.from(encrypted!.data!);
    flipped[20] = flipped[20]! ^ 0x01;
    const cases: [string, Payload, EncryptionCodec][] = [
      ['a flipped ciphertext bit', { ...encrypted!, data: flipped }, codec],
      ['a truncated payload', { ...encrypted!, data: encrypted!.data!.subarray(0, 20) }, codec],
      ['another key under the same id', encrypted!, new EncryptionCodec([{ id: 'k1', key: randomBytes(32) }])],
    ];
    for (const [what, payload, decoder] of cases) {
      await assert.rejects(decoder.decode([payload]), (err: unknown) => {
        assert.ok(err instanceof PayloadDecryptionError, `${what}: ${String(err)}`);
        assert.match(err.message, /key "k1" failed authentication/);
        return true;
      });
    }
  });

  test('passes payloads it did not encrypt through decoding untouched (histories recorded before encryption)', async () => {
    const codec = new EncryptionCodec([k1]);
    const plain = [defaultPayloadConverter.toPayload(prospect), defaultPayloadConverter.toPayload(null), { metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from([1, 2, 3]) }];
    assert.deepEqual(await codec.decode(plain), plain);
  });

  test('refuses to be built without keys, with a duplicated id or with a key that is not 32 bytes', () => {
    assert.throws(() => new EncryptionCodec([]), /at least one key/);
    assert.throws(() => new EncryptionCodec([k1, { id: 'k1', key: randomBytes(32) }]), /"k1" is given twice/);
    assert.throws(() => new EncryptionCodec([{ id: 'short', key: randomBytes(16) }]), /"short" is 16 bytes; AES-256 needs 32/);
  });

  test('derives a different secret per purpose, bound to the current key', () => {
    const codec = new EncryptionCodec([k1]);
    assert.equal(codec.deriveSecret('codec-session').length, 32);
    assert.deepEqual(codec.deriveSecret('codec-session'), new EncryptionCodec([k1, k2]).deriveSecret('codec-session'));
    assert.notDeepEqual(codec.deriveSecret('codec-session'), codec.deriveSecret('other'));
    assert.notDeepEqual(codec.deriveSecret('codec-session'), new EncryptionCodec([k2, k1]).deriveSecret('codec-session'));
  });
});
