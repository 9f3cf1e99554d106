// The production build (npm run build, as the Dockerfile's build stage runs it): compiled JavaScript that runs on plain
// Node with only the production dependencies, the workflow bundle built ahead of time, the migrations beside the
// store, and a build id. The cluster test (npm run test:cluster) runs these same files as workers and APIs.
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/toolchain.mjs';

const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Runs a compiled entry point to its end: exit code and stderr. */
function runDist(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(DIST, script), ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    env: { ...process.env, BUILD_ID: 'test-build' },
  });
  expect(r.status, r.stderr?.toString()).toBe(0);
}, 120_000);

describe('the production build', () => {
  it('names itself, and carries the workflow bundle and the migrations', () => {
    const build = JSON.parse(readFileSync(join(DIST, 'build.json'), 'utf8')) as Record<string, unknown>;
    expect(build).toMatchObject({ version: pkg.version, buildId: 'test-build' });
    expect(JSON.parse(readFileSync(join(DIST, 'package.json'), 'utf8'))).toMatchObject({ type: 'module', version: pkg.version });
    const bundle = readFileSync(join(DIST, 'workflow-bundle.js'), 'utf8');
    expect(bundle).toContain('sentenceWorkflow');
    expect(readdirSync(join(DIST, 'store', 'migrations'))).toEqual(readdirSync(join(ROOT, 'store', 'migrations')));
    for (const entry of ['api/server.js', 'worker/main.js', 'worker/promote.js', 'ops/healthcheck.js'])
      expect(existsSync(join(DIST, entry)), entry).toBe(true);
    // Only the production code: no tests, benchmarks, scripts or the embedded PostgreSQL of development.
    const top = readdirSync(DIST).sort();
    expect(top).toEqual([
      'activities',
      'api',
      'auth',
      'build.json',
      'config',
      'contracts',
      'domain',
      'ops',
      'package.json',
      'store',
      'web',
      'worker',
      'workflow-bundle.js',
      'workflows',
    ]);
    for (const dev of ['store/embedded.js', 'auth/idp.js', 'auth/demo.js']) expect(existsSync(join(DIST, dev)), dev).toBe(false);
  });

  it('imports nothing but Node built-ins, its own files and production dependencies', () => {
    const bare = new Set<string>();
    // Not the web service's browser script (web/public: it imports GOV.UK Frontend by URL, in the browser).
    const modules = files(DIST).filter((f) => f.endsWith('.js') && !f.endsWith('workflow-bundle.js') && !f.includes(`${DIST}/web/public/`));
    for (const f of modules) {
      for (const { fileName: spec } of ts.preProcessFile(readFileSync(f, 'utf8'), true, true).importedFiles) {
        if (spec.startsWith('.')) {
          // Relative imports are rewritten to the compiled files, and those exist.
          expect(spec, relative(DIST, f)).toMatch(/\.js$/);
          expect(existsSync(join(f, '..', spec)), `${relative(DIST, f)} imports ${spec}`).toBe(true);
        } else bare.add(spec);
      }
    }
    const packages = [...bare].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s));
    const names = new Set(packages.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)));
    expect([...names].filter((n) => !(n in pkg.dependencies))).toEqual([]);
    expect(names.has('@temporalio/worker')).toBe(true);
  });

  it('exits 2 naming every bad setting (the compiled entry points validate configuration at start)', async () => {
    const r = await runDist('worker/promote.js', { WORKER_BUILD_ID: 'has space', TEMPORAL_ADDRESS: 'nohost' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('WORKER_BUILD_ID="has space": WORKER_BUILD_ID must be letters, digits, . _ + - (at most 100)');
    expect(r.stderr).toContain('TEMPORAL_ADDRESS="nohost": TEMPORAL_ADDRESS must be host:port');
    const api = await runDist('api/server.js', { PORT: 'abc' });
    expect(api.code).toBe(2);
    expect(api.stderr).toContain('PORT="abc": PORT must be a port number');
    // Without payload keys, or with a bad one, nothing starts (no payload is ever written in clear).
    const keyless = await runDist('api/server.js', {});
    expect(keyless).toEqual({
      code: 2,
      stderr: '[api] PAYLOAD_KEYS or PAYLOAD_KEYS_FILE must be set: payloads are encrypted at rest (README, Privacy)\n',
    });
    const short = await runDist('worker/main.js', { PAYLOAD_KEYS: `k1:${Buffer.alloc(8).toString('base64')}` });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('[worker] payload key k1: must be 32 bytes in base64 (it is 8)');
    // Without its database, or with an agency endpoint it must not use, before it connects to anything.
    const keys = { PAYLOAD_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` };
    expect(await runDist('worker/main.js', keys)).toEqual({
      code: 2,
      stderr: '[worker] DATABASE_URL must be set: the worker keeps alerts, deliveries and the read model in PostgreSQL\n',
    });
    const db = { ...keys, DATABASE_URL: 'postgres://127.0.0.1:1/none' };
    const plain = await runDist('worker/main.js', {
      ...db,
      AGENCY_CSC_URL: 'http://csc.example.org/in',
      AGENCY_CSC_SECRET: 's'.repeat(32),
    });
    expect(plain).toEqual({
      code: 2,
      stderr: '[worker] AGENCY_CSC_URL must use https:// (plain http:// is accepted only for localhost, 127.0.0.1 or [::1])\n',
    });
    const weak = await runDist('worker/main.js', { ...db, AGENCY_CSC_URL: 'https://csc.example.org/in', AGENCY_CSC_SECRET: 'short' });
    expect(weak).toEqual({
      code: 2,
      stderr: '[worker] AGENCY_CSC_SECRET is too short: it must be at least 32 characters (MIN_SECRET_LENGTH)\n',
    });
  });

  it('has a HEALTHCHECK command that passes on 2xx and fails on anything else or no answer', async () => {
    let status = 200;
    const server = createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`;
    try {
      expect((await runDist('ops/healthcheck.js', { HEALTHCHECK_URL: url })).code).toBe(0);
      status = 503;
      const failing = await runDist('ops/healthcheck.js', { HEALTHCHECK_URL: url });
      expect(failing).toEqual({ code: 1, stderr: `unhealthy: ${url} answered 503\n` });
    } finally {
      await new Promise((r) => server.close(r));
    }
    const closed = await runDist('ops/healthcheck.js', { HEALTHCHECK_URL: url });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^unhealthy: /);
  });
});
