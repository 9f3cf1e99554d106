// Vitest global setup: one real PostgreSQL for the whole test run. DATABASE_URL, when set, is used as the admin
// connection (it must be allowed to create databases); otherwise the embedded server (store/embedded.ts) is started on
// a free port in a temporary folder, and stopped after the run. Each test file gets a database of its own
// (test/support/store.ts), so files never see each other's rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '../../store/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('postgresAdminUrl', process.env.DATABASE_URL);
    return async () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'so-postgres-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false });
  project.provide('postgresAdminUrl', pg.adminUrl);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
