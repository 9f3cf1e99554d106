// `npm run -s token -- <demo principal>`: prints an access token from the embedded identity provider of a running
// `npm start` (the client-credentials grant, as a case system gets one), for curl. The demo principals and their
// public secrets are in auth/demo.ts.
import { DEMO_PRINCIPALS } from '../auth/demo.ts';
import { clientCredentialsToken } from '../auth/token-client.ts';
import { loadConfigOrExit } from '../config/index.ts';

const config = loadConfigOrExit(process.env, 'token');
const name = process.argv[2];
const demo = DEMO_PRINCIPALS.find((d) => d.name === name);
if (!demo) {
  process.stderr.write(`usage: npm run -s token -- <name>, one of: ${DEMO_PRINCIPALS.map((d) => d.name).join(', ')}\n`);
  process.exit(2);
}
// The embedded provider listens on loopback only (scripts/main.ts).
const issuer = `http://127.0.0.1:${config.IDP_PORT}`;
try {
  process.stdout.write(`${await clientCredentialsToken(issuer, demo)}\n`);
} catch (e) {
  process.stderr.write(`no token from ${issuer} (is npm start running?): ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
