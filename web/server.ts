// The web service as its own process (deployment; npm start runs it in the main job): its settings from the
// environment, refusing to start without them. WEB_API_BASE_URL (the API), AUTH_ISSUER and AUTH_AUDIENCE (the
// identity provider, as for the API), WEB_CLIENT_ID and WEB_CLIENT_SECRET (its client there), WEB_BASE_URL (its own
// external https:// address), WEB_SESSION_SECRET, DATABASE_URL (the sessions table) and WEB_PORT.
import { createVerifier } from '../auth/verify.ts';
import { authSettings } from '../config/auth.ts';
import { loadConfigOrExit } from '../config/index.ts';
import { migrate } from '../store/index.ts';
import { createWebApp } from './app.ts';

// The identity provider's settings as the API takes them (AUTH_ISSUER, AUTH_AUDIENCE, the claim names).
const settings = authSettings(loadConfigOrExit(process.env, 'web'));
if (!settings) {
  process.stderr.write('[web] AUTH_ISSUER and AUTH_AUDIENCE must be set\n');
  process.exit(2);
}

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`[web] ${name} must be set\n`);
    process.exit(2);
  }
  return v;
};

// The sessions table is the store's (migration web_sessions): brought up to date here too, so the web service does not
// depend on the worker or the API having started first.
await migrate(need('DATABASE_URL'));
const app = createWebApp({
  apiBase: need('WEB_API_BASE_URL'),
  issuer: settings.issuer,
  audience: settings.audience,
  auth: { verify: createVerifier(settings) },
  clientId: need('WEB_CLIENT_ID'),
  clientSecret: need('WEB_CLIENT_SECRET'),
  baseUrl: need('WEB_BASE_URL'),
  sessionSecret: need('WEB_SESSION_SECRET'),
  databaseUrl: need('DATABASE_URL'),
});
const port = Number(process.env.WEB_PORT ?? 3001);
const server = app.listen(port, process.env.HOST ?? '127.0.0.1', () => process.stdout.write(`[web] listening on ${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
