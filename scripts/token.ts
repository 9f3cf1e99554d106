// `npm run -s token -- <demo principal>`: prints an access token from the embedded identity provider of a running
// `npm start` (the client-credentials grant, as a case system gets one), for curl. The demo principals and their
// public secrets are in auth/demo.ts.
import { DEMO_PRINCIPALS } from '../auth/demo.ts';
import { loadConfigOrExit } from '../config/index.ts';

const config = loadConfigOrExit(process.env, 'token');
const name = process.argv[2];
const demo = DEMO_PRINCIPALS.find((d) => d.name === name);
if (!demo) {
  process.stderr.write(`usage: npm run -s token -- <name>, one of: ${DEMO_PRINCIPALS.map((d) => d.name).join(', ')}\n`);
  process.exit(2);
}
const issuer = `http://${config.HOST}:${config.IDP_PORT}`;
const res = await fetch(`${issuer}/token`, {
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    authorization: `Basic ${Buffer.from(`${demo.name}:${demo.secret}`).toString('base64')}`,
  },
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
}).catch((e: Error) => {
  process.stderr.write(`no identity provider at ${issuer} (is npm start running?): ${e.message}\n`);
  process.exit(1);
});
const body = (await res.json()) as { access_token?: string; error?: string };
if (!body.access_token) {
  process.stderr.write(`${issuer} refused: ${res.status} ${body.error ?? ''}\n`);
  process.exit(1);
}
process.stdout.write(`${body.access_token}\n`);
