// The payload codec (ops/codec.ts): AES-256-GCM, the key id in the metadata, several keys for rotation, plain
// payloads passed through; and the key configuration's checks.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { decryptPayload, encryptPayload, EncryptionCodec, keyringFromEnv, parseKeyring } from '../../ops/codec.ts';

const K1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const K2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
const MARKER = 'MARKER-CASE-REF-5150';
const plain = (v: unknown): Payload => defaultPayloadConverter.toPayload(v)!;
const meta = (p: Payload, k: string) => Buffer.from(p.metadata![k]!).toString();

describe('the payload codec', () => {
  it('encrypts under the current key, decrypts back, and leaves nothing in clear', async () => {
    const codec = new EncryptionCodec(parseKeyring(K1));
    const [sealed] = await codec.encode([plain({ caseReference: MARKER })]);
    expect(meta(sealed!, 'encoding')).toBe('binary/encrypted');
    expect(meta(sealed!, 'encryption-key-id')).toBe('k1');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain(MARKER);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ caseReference: MARKER });
    // The same value twice gives two ciphertexts (a fresh IV each time).
    const [again] = await codec.encode([plain({ caseReference: MARKER })]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('passes through payloads that are not encrypted (histories recorded before the codec)', async () => {
    const codec = new EncryptionCodec(parseKeyring(K1));
    const p = plain('old');
    expect(await codec.decode([p])).toEqual([p]);
  });

  it('decrypts what an older key encrypted after a rotation, and encrypts with the new one', () => {
    const before = encryptPayload(parseKeyring(K1), plain(MARKER));
    const rotated = parseKeyring(`${K2},${K1}`);
    expect(defaultPayloadConverter.fromPayload(decryptPayload(rotated, before))).toBe(MARKER);
    expect(meta(encryptPayload(rotated, plain(MARKER)), 'encryption-key-id')).toBe('k2');
    // Without the old key it cannot be read, and says which key it needs.
    expect(() => decryptPayload(parseKeyring(K2), before)).toThrow(
      'a payload is encrypted with key "k1", which is not among the configured payload keys',
    );
  });

  it('refuses a payload whose ciphertext or key id was altered', () => {
    const keyring = parseKeyring(`${K1},${K2}`);
    const sealed = encryptPayload(keyring, plain(MARKER));
    const tampered = Buffer.from(sealed.data!);
    tampered[20]! ^= 1;
    expect(() => decryptPayload(keyring, { ...sealed, data: tampered })).toThrow(/unable to authenticate|auth/i);
    // The key id is bound to the ciphertext: relabelling it fails even where that key exists.
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, 'encryption-key-id': Buffer.from('k2') } };
    expect(() => decryptPayload(keyring, relabelled)).toThrow(/unable to authenticate|auth/i);
  });

  it('checks every key it is given', () => {
    expect(() => parseKeyring('')).toThrow('no payload keys: give at least one id:base64 entry');
    expect(() => parseKeyring(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(
      'payload key k1: must be 32 bytes in base64 (it is 16)',
    );
    expect(() => parseKeyring(`bad id:${Buffer.alloc(32).toString('base64')}`)).toThrow(
      'payload key 1: the id must be 1-64 letters, digits, . _ or -, then ":"',
    );
    expect(() => parseKeyring(`${K1}\n${K1}`)).toThrow('payload key k1: given twice');
    expect(parseKeyring(`# rotated 2026-12-01\n${K2}\n${K1}\n`).current).toBe('k2');
    expect(keyringFromEnv({})).toBeUndefined();
    expect(() => keyringFromEnv({ PAYLOAD_KEYS_FILE: '/nonexistent/keys' })).toThrow('PAYLOAD_KEYS_FILE /nonexistent/keys does not exist');
  });
});
