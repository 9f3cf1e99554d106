// docker-compose.yml cannot run here (no Docker engine), so its wiring is checked as data.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../../contracts';
import { ROOT } from '../../scripts/toolchain.mjs';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  restart?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('docker-compose deployment', () => {
  it('has the services a probation service deploys', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'postgresql',
      'register-search-attributes',
      'store-db',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
  });

  it('runs Temporal on PostgreSQL and points the UI, the job, the worker and the API at it', () => {
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services.temporal!.depends_on?.postgresql?.condition).toBe('service_healthy');
    for (const name of ['temporal-ui', 'register-search-attributes', 'worker', 'api']) {
      expect(services[name]!.environment?.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
    }
    for (const name of ['worker', 'api']) {
      expect(services[name]!.depends_on?.['register-search-attributes']?.condition).toBe('service_completed_successfully');
      expect(services[name]!.build).toBe('.');
    }
    expect(services.api!.ports).toContain(`${services.api!.environment?.PORT}:3000`);
  });

  it('gives the worker (writer of the read model and the delivery log) and the API (their reader) the same store', () => {
    const url = 'postgres://orchestrator:${STORE_DB_PASSWORD:-orchestrator}@store-db:5432/sentence_orchestrator';
    expect(services.worker!.environment?.DATABASE_URL).toBe(url);
    expect(services.api!.environment?.DATABASE_URL).toBe(url);
    for (const name of ['worker', 'api']) expect(services[name]!.depends_on?.['store-db']?.condition, name).toBe('service_healthy');
    expect(services['store-db']!.environment).toMatchObject({ POSTGRES_USER: 'orchestrator', POSTGRES_DB: 'sentence_orchestrator' });
    // No local files as stores: nothing is shared through a volume any more.
    for (const name of ['worker', 'api']) expect((services[name] as Service & { volumes?: string[] }).volumes, name).toBeUndefined();
  });

  it('registers exactly the search attributes the code defines', () => {
    const script = services['register-search-attributes']!.entrypoint!.join(' ');
    const registered = Object.fromEntries(
      [...script.matchAll(/(\w+)=(Keyword|Datetime|Bool|Int|Double|Text|KeywordList)/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(SEARCH_ATTRIBUTE_CLI_TYPES);
    expect(services['register-search-attributes']!.restart).toBe('no');
    // A failed registration (other than "already exists") must fail the job, so the worker and API do not start.
    expect(script).not.toMatch(/\|\|\s*true/);
    expect(script).toMatch(/exit 1/);
  });

  it('builds an image whose commands exist and whose runtime needs are production dependencies', () => {
    for (const name of ['worker', 'api']) {
      const entry = services[name]!.command!.at(-1)!;
      expect(existsSync(join(ROOT, entry)), entry).toBe(true);
      expect(dockerfile).toContain(`COPY ${entry.split('/')[0]} ./${entry.split('/')[0]}`);
      expect(services[name]!.command!.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    }
    for (const dir of ['contracts', 'domain', 'workflows', 'activities', 'store', 'config', 'ops'])
      expect(dockerfile).toContain(`COPY ${dir} ./${dir}`);
    expect(Object.keys(packageJson.dependencies)).toEqual(
      expect.arrayContaining(['tsx', '@temporalio/worker', '@temporalio/client', 'express', 'zod']),
    );
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });
});
