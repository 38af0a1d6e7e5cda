/**
 * The payload codec: every payload Handoff hands to Temporal (workflow inputs, signals, updates, queries, activity
 * inputs and results, summaries and details) is encrypted with AES-256-GCM before it leaves the process, so the
 * server's history holds ciphertext instead of prospects' names, emails and replies.
 *
 * An encrypted payload is the whole original payload (metadata and data, serialised as Temporal's `Payload`
 * protobuf) encrypted, stored as `iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes)` with the metadata
 * `encoding: binary/encrypted` and `encryption-key-id: <id>`: the layout of Temporal's encryption samples. The
 * first key encrypts; every key decrypts, picked by the id, so keys rotate by putting a new one first. Payloads
 * without that encoding (histories recorded before encryption) pass through decoding untouched.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Field, MapField, Type } from 'protobufjs';

/** The `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata key naming the key that encrypted a payload. */
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

/** One AES-256 key and the id stored with what it encrypts. */
export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Thrown when an encrypted payload names a key that is not configured (a key dropped from rotation too early). */
export class UnknownPayloadKeyError extends Error {
  override readonly name = 'UnknownPayloadKeyError';
  constructor(
    readonly keyId: string,
    readonly knownKeyIds: readonly string[],
  ) {
    super(
      keyId
        ? `a payload was encrypted with key "${keyId}", which is not configured (configured: ${knownKeyIds.join(', ')}); add it to HANDOFF_PAYLOAD_KEYS after the current key`
        : `an encrypted payload names no key (no ${KEY_ID_METADATA_KEY} metadata)`,
    );
  }
}

/** Thrown when an encrypted payload does not decrypt: altered ciphertext, a truncated payload, or the wrong key under that id. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    readonly keyId: string,
    options?: { cause?: unknown },
  ) {
    super(`a payload encrypted with key "${keyId}" failed authentication: it was altered, or the key under that id is not the one that encrypted it`, options);
  }
}

/** Temporal's `temporal.api.common.v1.Payload` message (fields 1 and 2), for the plaintext inside the ciphertext. */
const PayloadMessage = new Type('Payload').add(new MapField('metadata', 1, 'string', 'bytes')).add(new Field('data', 2, 'bytes'));

const IV_BYTES = 12;
const TAG_BYTES = 16;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

function serialise(payload: Payload): Uint8Array {
  return PayloadMessage.encode(PayloadMessage.fromObject({ metadata: payload.metadata ?? {}, data: payload.data ?? new Uint8Array() })).finish();
}

function deserialise(bytes: Uint8Array): Payload {
  const message = PayloadMessage.toObject(PayloadMessage.decode(bytes), { defaults: true }) as {
    metadata: Record<string, Uint8Array>;
    data: Uint8Array;
  };
  return { metadata: message.metadata, data: message.data };
}

/** True when the payload was encrypted by this codec (whatever the key). */
export function isEncryptedPayload(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && textDecoder.decode(encoding) === ENCRYPTED_ENCODING;
}

/** The AES-256-GCM payload codec. */
export class EncryptionCodec implements PayloadCodec {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** The id of the key new payloads are encrypted with. */
  readonly currentKeyId: string;

  /** @param keys the first encrypts, all decrypt; ids unique, keys 32 bytes. */
  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new Error('the payload codec needs at least one key');
    const byId = new Map<string, Buffer>();
    for (const { id, key } of keys) {
      if (byId.has(id)) throw new Error(`payload key id "${id}" is given twice`);
      if (key.length !== 32) throw new Error(`payload key "${id}" is ${key.length} bytes; AES-256 needs 32`);
      byId.set(id, key);
    }
    this.keys = byId;
    this.currentKeyId = current.id;
  }

  /** Encrypts every payload with the current key. */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  /** Decrypts encrypted payloads; passes others (recorded before encryption) through as they are. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncryptedPayload(payload) ? this.decrypt(payload) : payload));
  }

  /**
   * A 32-byte secret for `purpose` derived from the current key (HKDF-SHA256), e.g. to sign codec sessions: whoever
   * could forge it holds the key and can decrypt payloads anyway. Changes when the current key rotates.
   */
  deriveSecret(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.keys.get(this.currentKeyId)!, new Uint8Array(), `handoff/${purpose}`, 32));
  }

  private encrypt(payload: Payload): Payload {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    const ciphertext = Buffer.concat([cipher.update(serialise(payload)), cipher.final()]);
    return {
      metadata: { encoding: textEncoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA_KEY]: textEncoder.encode(this.currentKeyId) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const rawId = payload.metadata?.[KEY_ID_METADATA_KEY];
    const keyId = rawId ? textDecoder.decode(rawId) : '';
    const key = this.keys.get(keyId);
    if (!key) throw new UnknownPayloadKeyError(keyId, [...this.keys.keys()]);
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return deserialise(plaintext);
    } catch (err) {
      throw new PayloadDecryptionError(keyId, { cause: err });
    }
  }
}
