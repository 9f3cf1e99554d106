// Privacy of the data at rest in Temporal: every payload the project's clients and workers send (workflow inputs and
// results, Update and Signal arguments and results, queries, memos, timer summaries, and failure messages through
// encodeCommonAttributes) is encrypted with AES-256-GCM before it leaves the process, so that the Temporal server, its
// database and its Web UI hold ciphertext for the ten years of retention. The key id travels in the payload's
// metadata (and is bound to the ciphertext as associated data), so that after a rotation the payloads encrypted under
// an older key still decrypt. Payloads that are not encrypted (histories recorded before this codec) pass through.
//
// Keys: PAYLOAD_KEYS or PAYLOAD_KEYS_FILE, `id:base64` entries separated by commas or new lines, each a 32-byte key;
// the first encrypts, every one decrypts. To rotate, put a new key first and keep the old ones after it for as long
// as any payload under them is retained. The embedded default (npm start) generates one into the git-ignored data
// folder; keys never come from the repository.
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import protos from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PayloadProto = protos.temporal.api.common.v1.Payload;
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface Keyring {
  /** The key new payloads are encrypted with. */
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class KeyringError extends Error {}

/** Parses `id:base64` entries (comma or new-line separated; the first is current), checking every one. */
export function parseKeyring(spec: string): Keyring {
  const entries = spec
    .split(/[\n,]/)
    .map((e) => e.trim())
    .filter((e) => e !== '' && !e.startsWith('#'));
  if (entries.length === 0) throw new KeyringError('no payload keys: give at least one id:base64 entry');
  const keys = new Map<string, Buffer>();
  for (const [i, entry] of entries.entries()) {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    if (!KEY_ID.test(id)) throw new KeyringError(`payload key ${i + 1}: the id must be 1-64 letters, digits, . _ or -, then ":"`);
    const key = Buffer.from(entry.slice(at + 1), 'base64');
    if (key.length !== 32) throw new KeyringError(`payload key ${id}: must be 32 bytes in base64 (it is ${key.length})`);
    if (keys.has(id)) throw new KeyringError(`payload key ${id}: given twice`);
    keys.set(id, key);
  }
  return { current: keys.keys().next().value!, keys };
}

/** The keyring from PAYLOAD_KEYS, or from the file PAYLOAD_KEYS_FILE names; undefined when neither is set. */
export function keyringFromEnv(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  if (env.PAYLOAD_KEYS) return parseKeyring(env.PAYLOAD_KEYS);
  if (env.PAYLOAD_KEYS_FILE) {
    if (!existsSync(env.PAYLOAD_KEYS_FILE)) throw new KeyringError(`PAYLOAD_KEYS_FILE ${env.PAYLOAD_KEYS_FILE} does not exist`);
    return parseKeyring(readFileSync(env.PAYLOAD_KEYS_FILE, 'utf8'));
  }
  return undefined;
}

/**
 * The keyring a deployed process must have (PAYLOAD_KEYS or PAYLOAD_KEYS_FILE); without one, or with a bad one, it
 * says why on stderr and exits with status 2: a process never starts writing payloads in clear.
 */
export function keyringOrExit(label: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  try {
    const keyring = keyringFromEnv(env);
    if (keyring) return keyring;
    process.stderr.write(`[${label}] PAYLOAD_KEYS or PAYLOAD_KEYS_FILE must be set: payloads are encrypted at rest (README, Privacy)\n`);
  } catch (e) {
    if (!(e instanceof KeyringError)) throw e;
    process.stderr.write(`[${label}] ${e.message}\n`);
  }
  process.exit(2);
}

/** A new random key entry (`id:base64`), for the embedded default and for operators (README). */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** Encrypts one payload under the keyring's current key. */
export function encryptPayload(keyring: Keyring, payload: Payload): Payload {
  const key = keyring.keys.get(keyring.current)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(keyring.current));
  const sealed = Buffer.concat([cipher.update(PayloadProto.encode(payload).finish()), cipher.final()]);
  return {
    metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyring.current) },
    data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
  };
}

/** Decrypts one payload; one that is not encrypted is returned as it is. */
export function decryptPayload(keyring: Keyring, payload: Payload): Payload {
  if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
  const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
  const key = keyring.keys.get(id);
  if (!key) throw new KeyringError(`a payload is encrypted with key "${id}", which is not among the configured payload keys`);
  const data = Buffer.from(payload.data ?? new Uint8Array());
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(id));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  return PayloadProto.decode(plain) as Payload;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => encryptPayload(this.keyring, p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => decryptPayload(this.keyring, p));
  }
}

/** The failure converter module (encodeCommonAttributes), by path: workflow bundles are built with it too. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** The data converter of every client and worker the project creates: encrypted payloads, encoded failure messages. */
export function encryptingDataConverter(keyring: Keyring): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
