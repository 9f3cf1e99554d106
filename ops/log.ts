// Structured JSON logs (pino), one logger for the API, the worker and the Temporal SDK, with redaction so that no
// personal field can reach a log line: the offender's characteristics, free text (reasons, evidence, details) and
// request bodies are never logged; whatever carries one of those keys at any depth is replaced before it is written.
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import pino, { type DestinationStream, type Logger } from 'pino';

/** Keys that hold personal data or free text, wherever they appear in a logged object. */
export const PERSONAL_KEYS = [
  'offender',
  'sentence',
  'carried',
  'body',
  'requirements',
  'communicationNeeds',
  'interpreterLanguage',
  'reason',
  'what',
  'details',
  'label',
  'timeline',
  'facts',
  'circumstances',
  'args',
  'input',
  'result',
  'state',
] as const;

const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/** A copy of `value` with every personal key replaced, at any depth (pino's own redact paths need fixed depths). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: value.message };
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, (PERSONAL_KEYS as readonly string[]).includes(k) ? CENSOR : redact(v, depth + 1)]),
    );
  }
  return value;
}

/** The project's logger: JSON lines on stdout (or `destination`), every object argument redacted. */
export function createLogger(
  opts: { name: string; level?: string; destination?: DestinationStream } = { name: 'sentence-orchestrator' },
): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: opts.name },
      formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
      serializers: { err: (e: unknown) => redact(e), error: (e: unknown) => redact(e) },
    },
    opts.destination,
  );
}

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A Temporal SDK logger (Runtime, workers, workflows and activities) that writes through `logger`, redacted. */
export function sdkLogger(logger: Logger, level: LogLevel = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    logger[LEVELS[entry.level]]({ sdk: true, ...(entry.meta ?? {}) }, entry.message);
  });
}
