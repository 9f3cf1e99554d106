// Benchmark: start-to-commenced throughput through the API, before and after the store change (issue 9), in one run on
// one dev server. "Before" is release 0.1.0 (git tag v0.1.0: the JSON file stores on the worker's disk), extracted from
// git into a temporary folder; "after" is HEAD (the PostgreSQL store: the embedded server, started here). Each runs
// as a worker process and an API process (tsx, from the sources) in a namespace of its own, in alternating rounds.
// A sentence counts when its POST /sentences answered 201 in phase `commenced`, and again when the conformance read
// model counts it (the worker's publishLedger: the file or the SQL table). Prints figures and ratios; asserts nothing.
// Usage: npm run bench:throughput -- [N] [concurrency] [rounds]   (default: 300 16 2)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../contracts/index.ts';
import { DEV_SERVER_SETTINGS } from '../ops/dev-server.ts';
import { londonDate, periodEnd } from '../domain/dates.ts';
import { freePort, startEmbeddedPostgres } from '../store/embedded.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { TEST_PAYLOAD_KEYS } from '../test/support/codec.ts';
import { startTestIdp } from '../test/support/auth.ts';
import { ensureToolchain, ROOT } from '../scripts/toolchain.mjs';

const [N = 300, CONCURRENCY = 16, ROUNDS = 2] = process.argv.slice(2).map(Number);
const BEFORE = 'v0.1.0';
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const work = mkdtempSync(join(tmpdir(), 'so-bench-'));
const children: ChildProcess[] = [];

interface Variant {
  name: string;
  root: string;
  namespace: string;
  env: Record<string, string>;
  /** Sent with every request (HEAD's API needs a bearer token; 0.1.0's had no authentication). */
  headers: Record<string, string>;
}

function spawnTs(root: string, script: string, env: Record<string, string>, cwd: string): ChildProcess {
  mkdirSync(cwd, { recursive: true });
  const child = spawn(process.execPath, ['--import', TSX, join(root, script)], { cwd, env: { ...process.env, ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** N sentences started through the API, C at a time: the time until every one answered, and until the read model has them. */
async function measure(v: Variant, round: number) {
  const port = await freePort();
  const dir = join(work, `${v.name}-${round}`);
  const common = { ...v.env, TEMPORAL_NAMESPACE: v.namespace, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'error' };
  const worker = spawnTs(
    v.root,
    'worker/main.ts',
    { ...common, METRICS_PORT: String(await freePort()), WORKER_HEALTH_PORT: String(await freePort()) },
    join(dir, 'worker'),
  );
  const api = spawnTs(v.root, 'api/server.ts', { ...common, PORT: String(port), HOST: '127.0.0.1' }, join(dir, 'api'));
  const base = `http://127.0.0.1:${port}`;
  const today = londonDate(Date.now());
  const area = `B${round}${v.name.slice(0, 3)}`.toUpperCase();
  const post = async (s: unknown) => {
    const t = performance.now();
    const res = await fetch(`${base}/sentences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...v.headers },
      body: JSON.stringify(s),
    });
    const body = (await res.json()) as { phase?: string };
    if (res.status !== 201 || body.phase !== 'commenced')
      throw new Error(`${v.name}: POST /sentences answered ${res.status} ${JSON.stringify(body)}`);
    return performance.now() - t;
  };
  const make = (a: string) =>
    communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BN'), provider: { providerCode: 'N07', areaCode: a } });
  try {
    // Warm: the worker polls (its workflow bundle built) and the API answers.
    await until(`${v.name}'s first sentence`, async () => post(make('WARM')));
    for (let i = 0; i < 20; i++) await post(make('WARM'));
    const sentences = Array.from({ length: N }, () => make(area));
    const latencies: number[] = [];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sentences.length) latencies.push(await post(sentences[next++]!));
      }),
    );
    const started = performance.now() - t0;
    await until(`${v.name}'s read model`, async () => {
      const r = (await (await fetch(`${base}/reports/conformance?area=${area}`, { headers: v.headers })).json()) as { cases: number };
      return r.cases >= N ? true : undefined;
    });
    const counted = performance.now() - t0;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: (N * 1000) / started,
      countedPerSecond: (N * 1000) / counted,
      p50: latencies[Math.floor(N / 2)]!,
      p95: latencies[Math.floor(N * 0.95)]!,
    };
  } finally {
    await stop(api);
    await stop(worker);
  }
}

/** Release 0.1.0's sources, from git, with this checkout's dependencies. */
function extractBefore(): string {
  const root = join(work, BEFORE);
  mkdirSync(root);
  const archive = spawnSync('sh', ['-c', `git -C "${ROOT}" archive ${BEFORE} | tar -x -C "${root}"`], { stdio: 'inherit' });
  if (archive.status !== 0) throw new Error(`could not extract ${BEFORE} from git`);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** One dev server with a namespace per variant and the search attributes; the embedded PostgreSQL for HEAD's store. */
async function startServers() {
  const tools = ensureToolchain({ quiet: true });
  const temporalPort = await freePort();
  const sa = Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).flatMap(([k, t]) => ['--search-attribute', `${k}=${t}`]);
  const ports = ['--port', String(temporalPort), '--http-port', String(await freePort()), '--metrics-port', String(await freePort())];
  const namespaces = ['--namespace', 'bench-before', '--namespace', 'bench-after'];
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    ...ports,
    '--log-level',
    'never',
    ...DEV_SERVER_SETTINGS,
    ...namespaces,
    ...sa,
  ];
  children.push(spawn(tools.cli, args, { stdio: 'ignore' }));
  const postgres = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  return { address: `127.0.0.1:${temporalPort}`, postgres };
}

async function main() {
  const beforeRoot = extractBefore();
  const { address, postgres } = await startServers();
  const idp = await startTestIdp();
  const variants: Variant[] = [
    { name: 'before', root: beforeRoot, namespace: 'bench-before', env: { TEMPORAL_ADDRESS: address }, headers: {} },
    {
      name: 'after',
      root: ROOT,
      namespace: 'bench-after',
      env: {
        TEMPORAL_ADDRESS: address,
        DATABASE_URL: postgres.url,
        PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
        AUTH_ISSUER: idp.idp.issuer,
        AUTH_AUDIENCE: idp.idp.audience,
      },
      headers: { authorization: `Bearer ${await idp.token()}` },
    },
  ];
  try {
    console.log(
      `start-to-commenced through the API: ${N} sentences, ${CONCURRENCY} at a time, ${ROUNDS} rounds; ` +
        `before = ${BEFORE} (JSON files), after = HEAD (PostgreSQL store, encrypted payloads, bearer tokens, audit)`,
    );
    console.log('| round | variant | answered/s | counted in read model/s | POST p50 ms | POST p95 ms |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (let round = 1; round <= ROUNDS; round++) {
      const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
      // Alternate which goes first, so that neither always runs on a fresher server.
      for (const v of round % 2 === 1 ? variants : [...variants].reverse()) {
        const r = (results[v.name] = await measure(v, round));
        console.log(
          `| ${round} | ${v.name} | ${r.perSecond.toFixed(1)} | ${r.countedPerSecond.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`,
        );
      }
      const answered = results.after!.perSecond / results.before!.perSecond;
      const counted = results.after!.countedPerSecond / results.before!.countedPerSecond;
      console.log(`round ${round}: after/before answered ${answered.toFixed(2)}, counted ${counted.toFixed(2)}`);
    }
  } finally {
    for (const c of children.reverse()) await stop(c);
    await postgres.stop();
    await idp.idp.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
