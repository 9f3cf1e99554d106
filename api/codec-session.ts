// Signing an operator's browser in to the codec server, for a Temporal Web UI that has no login of its own (the dev
// server's, which `npm start` runs): GET /codec/session is a form where the operator pastes their access token
// (`npm run -s token -- operator`); POST /codec/session checks it as every request is checked (auth/verify.ts) and, for
// a principal with the codec right, keeps it in an HttpOnly, SameSite=Strict cookie scoped to /codec that lasts as long
// as the token. The UI's codec requests then carry it once its "Include cross-origin credentials" setting is on. A UI
// with its own OIDC login passes its access token instead ("Pass the user access token"); nothing here is needed then.
//
// The cookie stands for an Authorization header only on /codec/decode and /codec/encode, and only from a browser page
// whose origin is one of CORS_ORIGINS (api/limits.ts): another page, even on the same host, cannot use it.
import express, { type NextFunction, type Request, type Response } from 'express';
import { decodeJwt } from 'jose';
import type { Principal } from '../auth/principal.ts';
import { may } from '../auth/policy.ts';
import { TokenError } from '../auth/verify.ts';
import type { ApiAuth } from './auth.ts';

export const CODEC_COOKIE = 'codec_session';
const CODEC_ROUTES = new Set(['/codec/decode', '/codec/encode']);

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const FORM = page(
  'Codec server: sign in',
  `<p>Operators only. Signing in lets the Temporal Web UI in this browser show decrypted payloads. Get a token with
<code>npm run -s token -- operator</code> (or from your identity provider) and paste it here; then, in the Web UI's
Codec Server settings, turn on <em>Include cross-origin credentials</em>.</p>
<form method="post" action="session"><p><label for="token">Access token</label></p>
<p><textarea id="token" name="token" rows="6" cols="80" required></textarea></p>
<p><button type="submit" id="sign-in">Sign in</button></p></form>
<form method="post" action="session/end"><p><button type="submit" id="sign-out">Sign out</button></p></form>`,
);

function cookie(req: Request, value: string, maxAgeSeconds: number): string {
  const secure = req.secure ? '; Secure' : '';
  return `${CODEC_COOKIE}=${value}; Path=/codec; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The value of the codec cookie in a request's Cookie header, if any. */
function sessionToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CODEC_COOKIE && rest.length > 0) return rest.join('=');
  }
  return undefined;
}

/** The sign-in form and its two actions. `audit` is the audit trail's middleware: a sign-in is audited like a read. */
export function codecSessionRoutes(app: express.Express, auth: ApiAuth, audit?: express.RequestHandler): void {
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const audited = audit ?? ((_req: Request, _res: Response, next: NextFunction) => next());
  app.get('/codec/session', (_req, res) => {
    // The form's post then carries this page's origin (with helmet's no-referrer it would say "null").
    res.setHeader('Referrer-Policy', 'same-origin');
    res.type('html').send(FORM);
  });
  app.post('/codec/session', form, audited, async (req, res) => {
    // Only from this page itself (a browser sends its Origin with a form post): no other site signs a browser in.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `${req.protocol}://${req.get('host')}`) {
      res.status(403).type('html').send(page('Not signed in', '<p>Sign in from this server\u2019s own page.</p>'));
      return;
    }
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    let p: Principal;
    try {
      p = await auth.verify(token);
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      res
        .status(401)
        .type('html')
        .send(page('Not signed in', `<p>The token was refused: ${escapeHtml(e.message)}.</p>`));
      return;
    }
    res.locals.principal = p;
    if (!may(p, 'codec')) {
      res
        .status(403)
        .type('html')
        .send(page('Not signed in', `<p>${escapeHtml(p.id)} may not use the codec server (operators only).</p>`));
      return;
    }
    const exp = decodeJwt(token).exp;
    const maxAge = Math.max(0, (exp ?? 0) - Math.floor(Date.now() / 1000));
    res.setHeader('Set-Cookie', cookie(req, token, maxAge));
    const until = exp ? new Date(exp * 1000).toISOString() : 'the token expires';
    res
      .type('html')
      .send(page('Signed in to the codec server', `<p id="signed-in">Signed in as ${escapeHtml(p.id)} until ${escapeHtml(until)}.</p>`));
  });
  app.post('/codec/session/end', (req, res) => {
    res.setHeader('Set-Cookie', cookie(req, '', 0));
    res.type('html').send(page('Signed out of the codec server', '<p id="signed-out">Signed out.</p>'));
  });
}

/**
 * Before authentication: a codec request from an allowed browser origin with the codec cookie and no Authorization
 * header is authenticated by the cookie's token, exactly as a bearer token would be.
 */
export function codecCookieBearer(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (CODEC_ROUTES.has(req.path) && !req.headers.authorization && origin && allowed.has(origin)) {
      const token = sessionToken(req);
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    next();
  };
}
