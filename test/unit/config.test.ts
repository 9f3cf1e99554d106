// Configuration is checked at start: every bad value is named with what it must be, and defaults fill the rest.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/index.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('takes the defaults where nothing (or an empty value) is set', () => {
    expect(loadConfig({ PORT: '' })).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      TEMPORAL_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      POSTGRES_PORT: 54320,
      METRICS_PORT: 9464,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_LOG_LEVEL: 'error',
      RETENTION_DAYS: 3650,
      WORKER_HEALTH_PORT: 8081,
      WORKER_DEPLOYMENT_NAME: 'sentence-orchestrator',
      AUTH_CLAIM_ROLES: 'roles',
      AUTH_CLAIM_STAFF_ID: 'staff_id',
      AUTH_CLAIM_PROVIDER: 'provider',
      AUTH_CLAIM_AREAS: 'areas',
      AUTH_CLAIM_CLIENT_ID: 'client_id',
      AUTH_ALGORITHMS: 'RS256,PS256,ES256,EdDSA',
      AUTH_CLOCK_TOLERANCE_SECONDS: 30,
      IDP_PORT: 9091,
      WEB_PORT: 3001,
      RATE_LIMIT_PER_MINUTE: 1200,
      CASE_COMMANDS_PER_MINUTE: 120,
      ANSWER_TIMEOUT_MS: 10000,
    });
    expect(loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/so' })).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgres://u:p@db:5432/so',
    });
  });

  it('names every bad value at once, with what it must be', () => {
    expect(
      problems({
        PORT: 'abc',
        TEMPORAL_PORT: '70000',
        RETENTION_DAYS: '1.5',
        DATABASE_URL: 'mysql://x',
        TEMPORAL_LOG_LEVEL: 'loud',
        TEMPORAL_ADDRESS: 'nohost',
      }),
    ).toEqual([
      'PORT="abc": PORT must be a port number',
      'TEMPORAL_PORT="70000": TEMPORAL_PORT must be 1 to 65535',
      'TEMPORAL_ADDRESS="nohost": TEMPORAL_ADDRESS must be host:port',
      'TEMPORAL_LOG_LEVEL="loud": TEMPORAL_LOG_LEVEL must be debug, info, warn, error, fatal or never',
      'RETENTION_DAYS="1.5": RETENTION_DAYS must be a whole number of days',
      'DATABASE_URL="mysql://x": DATABASE_URL must be a postgres:// URL',
    ]);
  });

  it('checks the identity settings: an http(s) issuer, asymmetric algorithms only', () => {
    expect(problems({ AUTH_ISSUER: 'not a url', AUTH_ALGORITHMS: 'RS256,HS256', AUTH_CLOCK_TOLERANCE_SECONDS: '900' })).toEqual([
      'AUTH_ISSUER="not a url": AUTH_ISSUER must be an http(s) URL',
      'AUTH_ALGORITHMS="RS256,HS256": AUTH_ALGORITHMS must list asymmetric JWS algorithms (RS256,PS256,ES256,EdDSA...)',
      'AUTH_CLOCK_TOLERANCE_SECONDS="900": Too big: expected number to be <=300',
    ]);
  });

  it('checks the Worker Deployment names (a dot would split the version string)', () => {
    expect(problems({ WORKER_DEPLOYMENT_NAME: 'so.prod', WORKER_BUILD_ID: 'a b', WORKER_HEALTH_PORT: '0' })).toEqual([
      'WORKER_HEALTH_PORT="0": WORKER_HEALTH_PORT must be 1 to 65535',
      'WORKER_DEPLOYMENT_NAME="so.prod": WORKER_DEPLOYMENT_NAME must be letters, digits, _ or - (no dots)',
      'WORKER_BUILD_ID="a b": WORKER_BUILD_ID must be letters, digits, . _ + - (at most 100)',
    ]);
    expect(loadConfig({ WORKER_BUILD_ID: '0.3.0-abc123' })).toMatchObject({ WORKER_BUILD_ID: '0.3.0-abc123' });
  });
});
