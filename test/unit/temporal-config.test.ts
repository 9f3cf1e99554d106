// The Temporal connection comes from the standard client configuration, so one build reaches a local server, a
// secured cluster or Temporal Cloud; the summary that is logged never carries the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalTarget } from '../../config/temporal.ts';

describe('the Temporal connection from configuration', () => {
  it('defaults to the local server and namespace', () => {
    const t = temporalTarget({ TEMPORAL_CONFIG_FILE: join(mkdtempSync(join(tmpdir(), 'so-tc-')), 'none.toml') });
    expect(t.connectionOptions.address).toBe('127.0.0.1:7233');
    expect(t.namespace).toBe('default');
    expect(t.summary).toBe('127.0.0.1:7233 namespace default, no TLS');
  });

  it('takes address, namespace, TLS and an API key from the environment, and logs no key', () => {
    const t = temporalTarget({
      TEMPORAL_ADDRESS: 'probation.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'probation.a1b2c',
      TEMPORAL_API_KEY: 'secret-key-123',
      TEMPORAL_TLS: 'true',
    });
    expect(t.connectionOptions).toMatchObject({ address: 'probation.a1b2c.tmprl.cloud:7233', apiKey: 'secret-key-123', tls: {} });
    expect(t.namespace).toBe('probation.a1b2c');
    expect(t.summary).toBe('probation.a1b2c.tmprl.cloud:7233 namespace probation.a1b2c, TLS, API key');
    expect(t.summary).not.toContain('secret-key-123');
  });

  it('reads a profile with mTLS from a TOML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'so-tc-'));
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    const file = join(dir, 'temporal.toml');
    writeFileSync(
      file,
      `[profile.default]\naddress = "temporal.internal:7233"\nnamespace = "probation"\n[profile.default.tls]\nclient_cert_path = "${join(dir, 'cert.pem')}"\nclient_key_path = "${join(dir, 'key.pem')}"\n`,
    );
    const t = temporalTarget({ TEMPORAL_CONFIG_FILE: file });
    expect(t.connectionOptions.address).toBe('temporal.internal:7233');
    expect(t.namespace).toBe('probation');
    expect(t.summary).toBe('temporal.internal:7233 namespace probation, mTLS');
  });
});
