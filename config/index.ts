// Configuration from the environment, validated once at start: every bad value is reported at once, by name, with
// what it must be (a process never starts on `PORT=abc` and listens on NaN). One schema for the main job, the worker
// and the API; each reads the part it needs.
import { z } from 'zod';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a port number` })
    .int(`${name} must be a whole port number`)
    .min(1, `${name} must be 1 to 65535`)
    .max(65535, `${name} must be 1 to 65535`)
    .default(fallback);

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'DATABASE_URL must be a postgres:// URL')
  .optional();

export const ConfigSchema = z.object({
  PORT: port('PORT', 3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_PORT: port('TEMPORAL_PORT', 7233),
  TEMPORAL_UI_PORT: port('TEMPORAL_UI_PORT', 8233),
  POSTGRES_PORT: port('POSTGRES_PORT', 54320),
  /** Where a worker exports the Temporal SDK's runtime metrics (Prometheus, /metrics). */
  METRICS_PORT: port('METRICS_PORT', 9464),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'TEMPORAL_ADDRESS must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'TEMPORAL_NAMESPACE must be a namespace name')
    .default('default'),
  TEMPORAL_LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'fatal', 'never'], {
      message: 'TEMPORAL_LOG_LEVEL must be debug, info, warn, error, fatal or never',
    })
    .default('error'),
  RETENTION_DAYS: z.coerce
    .number({ message: 'RETENTION_DAYS must be a number of days' })
    .int('RETENTION_DAYS must be a whole number of days')
    .min(1, 'RETENTION_DAYS must be at least 1')
    .max(36_500, 'RETENTION_DAYS must be at most 36500')
    .default(3650),
  DATABASE_URL: postgresUrl,
  /** The identity provider (an OpenID issuer URL: its discovery document and JWKS) and the API's audience in its tokens. */
  AUTH_ISSUER: z
    .string()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'AUTH_ISSUER must be an http(s) URL')
    .optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Which claims carry the roles, staff id, provider, areas and client id (dotted paths; README, "Identity"). */
  AUTH_CLAIM_ROLES: z.string().min(1).default('roles'),
  AUTH_CLAIM_STAFF_ID: z.string().min(1).default('staff_id'),
  AUTH_CLAIM_PROVIDER: z.string().min(1).default('provider'),
  AUTH_CLAIM_AREAS: z.string().min(1).default('areas'),
  AUTH_CLAIM_CLIENT_ID: z.string().min(1).default('client_id'),
  AUTH_ROLE_PREFIX: z.string().optional(),
  AUTH_ALGORITHMS: z
    .string()
    .regex(
      /^((RS|PS|ES)(256|384|512)|EdDSA)(,((RS|PS|ES)(256|384|512)|EdDSA))*$/,
      'AUTH_ALGORITHMS must list asymmetric JWS algorithms (RS256,PS256,ES256,EdDSA...)',
    )
    .default('RS256,PS256,ES256,EdDSA'),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Requests each client (token) may make per minute (429 with Retry-After beyond). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /** Commands (Updates and Signals) one case takes per minute, from everyone together (429 with Retry-After beyond). */
  CASE_COMMANDS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** How long a read or command waits for the case's workflow (a worker) before 503 with Retry-After. */
  ANSWER_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** Browser origins allowed to call the API (comma-separated); none by default (CORS closed). */
  CORS_ORIGINS: z
    .string()
    .regex(/^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, 'CORS_ORIGINS must list http(s) origins separated by commas')
    .optional(),
  /** The embedded identity provider of the main job (npm start). */
  IDP_PORT: port('IDP_PORT', 9091),
  /** The web service for practitioners and managers (web/): its port, and its client at the identity provider. */
  WEB_PORT: port('WEB_PORT', 3001),
  WEB_CLIENT_ID: z.string().min(1).optional(),
  WEB_CLIENT_SECRET: z.string().min(16, 'WEB_CLIENT_SECRET must be at least 16 characters').optional(),
  /** Signs the web session cookie; at least 32 characters (the main job makes one for each start when not set). */
  WEB_SESSION_SECRET: z.string().min(32, 'WEB_SESSION_SECRET must be at least 32 characters').optional(),
  /** The worker's health endpoints (/health/live, /health/ready) when it runs as its own process. */
  WORKER_HEALTH_PORT: port('WORKER_HEALTH_PORT', 8081),
  /** Worker Versioning: the Worker Deployment the workers belong to (README, "Worker Versioning"). */
  WORKER_DEPLOYMENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'WORKER_DEPLOYMENT_NAME must be letters, digits, _ or - (no dots)')
    .default('sentence-orchestrator'),
  /** This build's id in that deployment; by default the production build's own (dist/build.json). */
  WORKER_BUILD_ID: z
    .string()
    .regex(/^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,99}$/, 'WORKER_BUILD_ID must be letters, digits, . _ + - (at most 100)')
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The configuration, or a ConfigError listing every problem. Unset or empty variables take their defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in ConfigSchema.shape && v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(given);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(given[String(i.path[0])])}: ${i.message}`));
  return parsed.data;
}

/** The API's request budget and CORS origins (api/limits.ts). */
export function apiLimits(config: Config): { requestsPerMinute: number; corsOrigins: string[]; commandsPerCasePerMinute: number } {
  return {
    requestsPerMinute: config.RATE_LIMIT_PER_MINUTE,
    corsOrigins: config.CORS_ORIGINS?.split(',') ?? [],
    commandsPerCasePerMinute: config.CASE_COMMANDS_PER_MINUTE,
  };
}

/** The configuration, or (for a process's entry point) the list of what is wrong with it on stderr and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env, label = 'config'): Config {
  try {
    return loadConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`[${label}] ${e.message}\n`);
    process.exit(2);
  }
}
