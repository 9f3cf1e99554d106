// The tests' payload key: fixed, so that the histories recorded with encryption (test/histories/v0.3.0 on) replay in
// every later run. A test key only, derived from a public phrase: it protects nothing, and no deployment uses it
// (deployed processes take theirs from PAYLOAD_KEYS or PAYLOAD_KEYS_FILE; npm start generates its own).
import { createHash } from 'node:crypto';
import { encryptingDataConverter, parseKeyring } from '../../ops/codec.ts';

export const TEST_PAYLOAD_KEYS = `test-2026-12:${createHash('sha256').update('sentence-orchestrator public test key').digest('base64')}`;
export const TEST_KEYRING = parseKeyring(TEST_PAYLOAD_KEYS);
export const testDataConverter = encryptingDataConverter(TEST_KEYRING);
