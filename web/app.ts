// The web service for practitioners and managers (issue 13, section 2): server-rendered pages in the stack HMPPS
// services use (Express, Nunjucks, GOV.UK Frontend, MoJ Frontend). People log in by OpenID Connect against the same
// identity provider as the API (the authorization-code grant with PKCE, openid-client). The session is kept
// server-side in PostgreSQL (connect-pg-simple), named by a signed HttpOnly cookie. Every form carries a synchroniser
// token (csrf-sync). Pages call the API with the person's own access token, so they are authorised by the API's one
// rule and show its refusals in words. Pages are plain forms and links; GOV.UK Frontend's scripts only enhance them.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import connectPg from 'connect-pg-simple';
import { csrfSync } from 'csrf-sync';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import * as oidc from 'openid-client';
import { addDays, londonDate } from '../domain/dates.ts';
import { api, apiFetch, SignInNeeded, type ApiAnswer, type WebOptions } from './api-client.ts';
export type { WebOptions } from './api-client.ts';
import { z } from 'zod';
import { SENTENCE_ID_PATTERN } from '../api/schemas.ts';
import { BREACH_RECOMMENDATION_CODES, recommendationsFor } from '../domain/enforcement.ts';
import { anchorOf, detailFields, evidenceOpen, FAILURE_ID, FORMS, type OutputRow } from './forms.ts';
import { managerRoutes } from './manager.ts';
import { sealer, type Sealer } from './sealed.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** The person's tokens, opened from their session for this request. */
    tokens?: { access: string; id?: string };
  }
}

declare module 'express-session' {
  interface SessionData {
    /**
     * The person's tokens, sealed (web/sealed.ts): the access token for the API, and the ID token of the login (the
     * hint that ends the identity provider's session on sign-out).
     */
    tokens?: string;
    /** Who they are (from the access token's claims). */
    person?: { id: string; roles: string[]; areas: string[] };
    /** The login in progress: its PKCE verifier, state and the page to return to. */
    login?: { verifier: string; state: string; returnTo: string };
  }
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const govuk = dirname(require.resolve('govuk-frontend/package.json'));
const moj = dirname(require.resolve('@ministryofjustice/frontend/package.json'));

export function createWebApp(opts: WebOptions): express.Express {
  if (opts.sessionSecret.length < 32) throw new Error('the web session secret must be at least 32 characters');
  const app = express();
  app.disable('x-powered-by');
  // GOV.UK Frontend's one inline script (it marks the page as able to run the components) carries a nonce per answer.
  app.use((_req, res, next) => ((res.locals.cspNonce = randomBytes(16).toString('base64')), next()));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'form-action': ["'self'", new URL(opts.issuer).origin],
          'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
        },
      },
    }),
  );
  const env = nunjucks.configure([join(here, 'views'), join(govuk, 'dist'), join(moj, '')], { autoescape: true, express: app });
  env.addFilter('date', (iso: string | null | undefined) =>
    iso
      ? new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString('en-GB', {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZone: 'UTC',
        })
      : '',
  );
  app.set('view engine', 'njk');
  app.use('/assets', express.static(join(govuk, 'dist/govuk/assets')));
  app.get('/stylesheets/govuk-frontend.min.css', (_req, res) => res.sendFile(join(govuk, 'dist/govuk/govuk-frontend.min.css')));
  app.get('/stylesheets/moj-frontend.min.css', (_req, res) => res.sendFile(join(moj, 'moj/moj-frontend.min.css')));
  app.get('/javascripts/govuk-frontend.min.js', (_req, res) => res.sendFile(join(govuk, 'dist/govuk/govuk-frontend.min.js')));
  app.get('/javascripts/init.js', (_req, res) => res.sendFile(join(here, 'public/init.js')));
  app.get('/stylesheets/app.css', (_req, res) => res.sendFile(join(here, 'public/app.css')));
  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));

  const Store = connectPg(session);
  const secure = opts.baseUrl.startsWith('https://');
  app.set('trust proxy', secure ? 1 : false);
  app.use(
    session({
      name: 'so.sid',
      secret: opts.sessionSecret,
      store: new Store({ conString: opts.databaseUrl, tableName: 'web_sessions', createTableIfMissing: false }),
      resave: false,
      saveUninitialized: false,
      // Lax: the identity provider's redirect back (a top-level GET) carries it; a cross-site form post does not.
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: 8 * 3600 * 1000 },
    }),
  );
  // The person's tokens, opened from the session for this request only (never written back in clear).
  const seal = sealer(opts.sessionSecret);
  app.use((req, _res, next) => {
    const opened = req.session.tokens ? seal.open(req.session.tokens) : undefined;
    if (opened) req.tokens = JSON.parse(opened) as { access: string; id?: string };
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '32kb' }));
  const { csrfSynchronisedProtection, generateToken } = csrfSync({ getTokenFromRequest: (req) => (req.body as { _csrf?: string })._csrf });
  app.use((req, res, next) => {
    // A token (kept in the session) only for those signed in: the only ones shown a form; no session for a visitor.
    if (req.session.person) {
      res.locals.csrfToken = generateToken(req);
      // Their pages and letters hold personal data: never kept by a browser's or a proxy's cache.
      res.set('cache-control', 'no-store');
    }
    res.locals.person = req.session.person;
    next();
  });
  app.use(csrfSynchronisedProtection);

  loginRoutes(app, opts, seal);
  pageRoutes(app, opts);
  managerRoutes(app, opts);
  app.use((_req, res) => void res.status(404).render('not-found'));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof SignInNeeded) {
      // After signing in, back to the page (a form's post goes back to its case's page, not to the post's address).
      const back = req.method === 'GET' ? req.originalUrl : (/^\/cases\/[^/]+/.exec(req.originalUrl)?.[0] ?? '/');
      return res.redirect(`/sign-in?returnTo=${encodeURIComponent(back)}`);
    }
    if ((err as { code?: string }).code === 'EBADCSRFTOKEN')
      return res.status(403).render('error', { message: 'The form had expired. Go back and try again.' });
    res.status(500).render('error', { message: 'Something went wrong. Try again later.' });
  });
  return app;
}

/**
 * A page of this service to return to after signing in: only a path on its own origin (no other host, however
 * written: `//host`, `/\\host`, control characters), else the home page.
 */
export function localPath(given: unknown, baseUrl: string): string {
  const odd = (c: string) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;
  if (typeof given !== 'string' || !given.startsWith('/') || [...given].some(odd)) return '/';
  try {
    const base = new URL(baseUrl);
    const url = new URL(given, base);
    return url.origin === base.origin ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

function loginRoutes(app: express.Express, opts: WebOptions, seal: Sealer) {
  let config: Promise<oidc.Configuration> | undefined;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(opts.issuer).hostname);
  // Discovered on first use (the provider may start after this service); plain http only on loopback.
  const discovered = () =>
    (config ??= oidc.discovery(
      new URL(opts.issuer),
      opts.clientId,
      opts.clientSecret,
      undefined,
      loopback ? { execute: [oidc.allowInsecureRequests] } : {},
    ));
  const redirectUri = `${opts.baseUrl}/auth/callback`;

  app.get('/sign-in', async (req, res) => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const returnTo = localPath(req.query.returnTo, opts.baseUrl);
    req.session.login = { verifier, state, returnTo };
    const url = oidc.buildAuthorizationUrl(await discovered(), {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      resource: opts.audience,
    });
    req.session.save(() => res.redirect(url.href));
  });

  app.get('/auth/callback', async (req, res, next) => {
    const login = req.session.login;
    if (!login) return res.redirect('/sign-in');
    const tokens = await oidc.authorizationCodeGrant(await discovered(), new URL(req.originalUrl, opts.baseUrl), {
      pkceCodeVerifier: login.verifier,
      expectedState: login.state,
    });
    // Who they are, read from the token as the API reads it (auth/verify.ts: the configured claim names and roles).
    const p = await opts.auth.verify(tokens.access_token);
    // A new session for the person (no fixation of the one the login began in).
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.tokens = seal.seal(JSON.stringify({ access: tokens.access_token, ...(tokens.id_token && { id: tokens.id_token }) }));
      req.session.person = { id: p.id, roles: p.roles, areas: p.areas };
      req.session.save((e) => (e ? next(e) : res.redirect(login.returnTo)));
    });
  });

  // Signing out ends this service's session and then the identity provider's (OpenID Connect RP-initiated logout),
  // so the next sign-in asks for the password again; it comes back to /signed-out.
  app.post('/sign-out', async (req, res) => {
    const idToken = req.tokens?.id;
    const c = await discovered();
    const endSession = c.serverMetadata().end_session_endpoint
      ? oidc.buildEndSessionUrl(c, {
          post_logout_redirect_uri: `${opts.baseUrl}/signed-out`,
          ...(idToken && { id_token_hint: idToken }),
        }).href
      : '/signed-out';
    req.session.destroy(() => res.clearCookie('so.sid').redirect(endSession));
  });
  app.get('/signed-out', (_req, res) => res.render('signed-out'));
}

/**
 * The API's reason in words, without the route it names. A refusal by the case (409) also shows its stable code, as
 * the API's problem `type` gives it (the same code a case system reads), and for a specific refusal what to do next.
 */
function reasonOf(answer: ApiAnswer<{ type?: string; problems?: unknown[] }>): string {
  // A form the API could not read: each field's problem follows, beside its field.
  if (answer.status === 400 && answer.body.problems?.length) return 'Check what you entered';
  const detail = (answer.body.detail ?? answer.body.title ?? 'The case could not take this.').replace(
    /^POST \/sentences\/:id\/[a-z/-]+ /,
    '',
  );
  const code = answer.status === 409 ? answer.body.type?.replace(/^\/problems\//, '') : undefined;
  const next = code && code !== 'command-refused' && answer.body.title ? `: ${answer.body.title}` : '';
  return detail.charAt(0).toUpperCase() + detail.slice(1) + (code ? ` (${code}${next})` : '');
}

/**
 * A refused form, as GOV.UK's error pattern shows it: the summary (the reason, then each field's problem, each leading
 * to its field), the problem beside each field, and what the person typed, kept.
 */
function refusedForm(
  name: string,
  body: Record<string, unknown>,
  answer: ApiAnswer<{ problems?: { path: string; message: string }[]; type?: string }>,
) {
  const ids: Record<string, string> = FORMS[name]?.fields ?? {};
  const anchor = anchorOf(FORMS[name]!, body);
  const fieldErrors: Record<string, string> = {};
  const errors = [{ text: reasonOf(answer), href: `#${anchor}` }];
  for (const p of answer.body.problems ?? []) {
    const id = ids[p.path];
    if (id) fieldErrors[id] = `${p.path}: ${p.message}`;
    errors.push({ text: `${p.path}: ${p.message}`, href: `#${id ?? anchor}` });
  }
  const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => k !== '_csrf' && typeof v === 'string'));
  return { errors, fieldErrors, values, form: name, anchor };
}

/** A sentence's id as the API takes it. */
const SENTENCE_ID = z.string().regex(SENTENCE_ID_PATTERN);

function pageRoutes(app: express.Express, opts: WebOptions) {
  // Home: a caseload for those who hold cases, the conformance dashboard for an auditor.
  app.get('/', (req, res) => {
    const roles = req.session.person?.roles;
    if (!roles) return res.redirect('/sign-in');
    res.redirect(roles.includes('practitioner') || roles.includes('senior-probation-officer') ? '/caseload' : '/dashboard');
  });

  app.get('/caseload', async (req, res) => {
    const today = londonDate(Date.now());
    const [cases, work] = await Promise.all([
      api<{ cases: unknown[] }>(opts, req, '/caseload'),
      api<{ items: { overdue: boolean }[] }>(opts, req, `/worklist?dueBefore=${addDays(today, 7)}`),
    ]);
    if (cases.status === 403) return res.status(403).render('error', { message: 'Your roles do not include a caseload.' });
    const items = [...(work.body.items ?? [])].sort((a, b) => Number(b.overdue) - Number(a.overdue));
    res.render('caseload', { cases: cases.body.cases ?? [], items, today });
  });

  // Ids as the API takes them: anything else is no page (and never a path of the API's own, such as `.` or `..`).
  app.param('id', (_req, res, next, id) => (SENTENCE_ID.safeParse(id).success ? next() : res.status(404).render('not-found')));
  app.param('failureId', (_req, res, next, id) => (FAILURE_ID.safeParse(id).success ? next() : res.status(404).render('not-found')));

  const casePage = async (
    req: Request,
    res: Response,
    extra: {
      errors?: (string | { text: string; href: string })[];
      fieldErrors?: Record<string, string>;
      values?: Record<string, unknown>;
      form?: string;
      anchor?: string;
      status?: number;
    } = {},
  ) => {
    const id = String(req.params.id);
    const [found, ledger] = await Promise.all([
      api<Record<string, unknown>>(opts, req, `/sentences/${encodeURIComponent(id)}`),
      api<{ outputs?: unknown[] }>(opts, req, `/sentences/${encodeURIComponent(id)}/outputs`),
    ]);
    // Outside the person's areas a case answers 404, as if there were none: the page says the same.
    if (found.status === 404) return res.status(404).render('not-found', { what: `case ${id}` });
    if (found.status !== 200)
      return res.status(found.status).render('error', { message: found.body.detail ?? 'The case could not be read.' });
    const done = typeof req.query.done === 'string' ? Object.values(FORMS).find((f) => f.done === req.query.done)?.done : undefined;
    const manager = (req.session.person?.roles ?? []).includes('senior-probation-officer');
    const outputs = (ledger.status === 200 ? (ledger.body.outputs ?? []) : []) as OutputRow[];
    // The output chosen for evidence (its link, or the form sent back after a refusal): its parts and details fields.
    const chosen = String(extra.form === 'evidence' ? (req.body as { row?: unknown }).row : (req.query.evidence ?? ''));
    const evidenceFor = outputs.find((o) => String(o.row) === chosen && evidenceOpen(o));
    const evidence = evidenceFor && { row: evidenceFor, fields: detailFields(evidenceFor.row) };
    // The recommendations to the court the order's type allows (for breach action and a draft breach report).
    const c = found.body as { sentence: { order: { type: 'CO' | 'SSO' } } };
    const letters = { recommendations: recommendationsFor(c.sentence.order.type) };
    const ledgerRows = outputs.map((o) => ({ ...o, open: evidenceOpen(o) }));
    res.status(extra.status ?? 200).render('case', { c, outputs: ledgerRows, evidence, done, manager, ...letters, ...extra });
  };
  app.get('/cases/:id', (req, res) => casePage(req, res));

  // A letter from the API, as the person: the warning letter's or the breach report's PDF, passed through.
  app.get('/cases/:id/letters/:letter/:failureId', async (req, res) => {
    const kind = String(req.params.letter);
    if (kind !== 'warning' && kind !== 'breach-report') return res.status(404).render('not-found', { what: 'letter' });
    const failureId = String(req.params.failureId);
    const chosen = z.enum(BREACH_RECOMMENDATION_CODES).safeParse(req.query.recommendation).data;
    const recommendation = kind === 'breach-report' && chosen ? `?recommendation=${encodeURIComponent(chosen)}` : '';
    const path = `/sentences/${encodeURIComponent(String(req.params.id))}/letters/${kind}/${encodeURIComponent(failureId)}`;
    const letter = await apiFetch(opts, req, `${path}${recommendation}`);
    if (letter.status === 404) return res.status(404).render('not-found', { what: 'letter' });
    // A draft breach report needs the officer's recommendation: without one, the case page says so, at the choice.
    if (letter.status === 400 && kind === 'breach-report') {
      const errors = [`Choose your recommendation for the breach report for ${failureId}`];
      return casePage(req, res, { errors, anchor: `recommendation-${failureId}`, status: 400 });
    }
    if (!letter.ok) {
      const problem = (await letter.json().catch(() => ({}))) as { detail?: string };
      return res.status(letter.status).render('error', { message: problem.detail ?? 'The letter could not be made.' });
    }
    res.type('application/pdf').setHeader('content-disposition', letter.headers.get('content-disposition') ?? 'attachment');
    res.send(Buffer.from(await letter.arrayBuffer()));
  });

  app.post('/cases/:id/:form', async (req, res) => {
    const form = Object.hasOwn(FORMS, String(req.params.form)) ? FORMS[String(req.params.form)] : undefined;
    if (!form) return res.status(404).render('not-found');
    const person = req.session.person;
    if (!person) throw new SignInNeeded();
    const id = String(req.params.id);
    const name = String(req.params.form);
    const unfit = form.check?.(req.body as Record<string, unknown>);
    if (unfit)
      return casePage(req, res, { errors: [unfit], form: name, anchor: anchorOf(form, req.body as Record<string, unknown>), status: 400 });
    const path = `/sentences/${encodeURIComponent(id)}/${form.route}`;
    const answer = await api<{ problems?: { path: string; message: string }[] }>(
      opts,
      req,
      path,
      form.body(req.body as Record<string, unknown>, person),
    );
    if (answer.status === 404) return res.status(404).render('not-found', { what: `case ${id}` });
    if (answer.status >= 400) {
      const refused = refusedForm(name, req.body as Record<string, unknown>, answer);
      return casePage(req, res, { ...refused, status: answer.status === 409 ? 409 : 400 });
    }
    // Post, then redirect: a reload does not send the command again. The team page's allocations go back to it.
    const back = (req.body as { returnTo?: unknown }).returnTo;
    const page = typeof back === 'string' && /^\/team(\?area=[A-Za-z0-9_-]+)?$/.test(back) ? back : `/cases/${encodeURIComponent(id)}`;
    res.redirect(303, `${page}${page.includes('?') ? '&' : '?'}done=${encodeURIComponent(form.done)}`);
  });
}
