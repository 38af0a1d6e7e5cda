/**
 * Which keys encrypt Temporal payloads: `HANDOFF_PAYLOAD_KEYS`, or for the embedded stack one generated once into
 * the data directory. A cluster (`TEMPORAL_ADDRESS`) never gets a generated key: every process talking to it must
 * share the configured ones.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, PayloadKeySchema, type Config } from '../config';
import { EncryptionCodec, type PayloadKey } from './codec';

/** The key id of the key generated for the embedded stack. */
export const EMBEDDED_KEY_ID = 'embedded';

/** The file the embedded stack keeps its generated key in (`embedded:<base64>`, the variable's format). */
export function embeddedPayloadKeyFile(config: Config): string {
  return path.join(config.dataDir, 'payload-key');
}

function readEmbeddedKey(file: string): PayloadKey {
  const text = readFileSync(file, 'utf8').trim();
  const colon = text.indexOf(':');
  const parsed = PayloadKeySchema.safeParse({ id: text.slice(0, colon), key: text.slice(colon + 1) });
  if (colon <= 0 || !parsed.success) throw new ConfigError(`${file} does not hold a payload key ("id:base64"); remove it only if nothing was encrypted with it`, file);
  return { id: parsed.data.id, key: Buffer.from(parsed.data.key, 'base64') };
}

/**
 * The payload keys in force, the encrypting one first.
 * @throws ConfigError when a cluster is configured without `HANDOFF_PAYLOAD_KEYS`, or the embedded key file is damaged.
 */
export function payloadKeys(config: Config): PayloadKey[] {
  const configured = config.payloadEncryption.keys;
  if (configured.length > 0) return configured.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
  if (config.temporal.address) {
    throw new ConfigError(
      'HANDOFF_PAYLOAD_KEYS is required with TEMPORAL_ADDRESS: every worker, API and client of the cluster must encrypt with the same keys (e.g. HANDOFF_PAYLOAD_KEYS="k1:$(openssl rand -base64 32)")',
      'HANDOFF_PAYLOAD_KEYS',
    );
  }
  const file = embeddedPayloadKeyFile(config);
  mkdirSync(config.dataDir, { recursive: true });
  if (!existsSync(file)) {
    // Written aside and linked into place: two processes starting on one data directory both read the key that
    // was linked first, never a half-written file.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, `${EMBEDDED_KEY_ID}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(draft);
    }
  }
  return [readEmbeddedKey(file)];
}

/** The payload codec built from the keys in force. */
export function payloadCodec(config: Config): EncryptionCodec {
  return new EncryptionCodec(payloadKeys(config));
}
