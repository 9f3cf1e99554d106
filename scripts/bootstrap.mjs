// Sets up what a fresh clone lacks: npm dependencies (from the lockfile) and the Temporal binaries.
// Plain Node, no dependencies, so it runs before `npm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, ROOT } from './toolchain.mjs';

export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  process.stderr.write('[bootstrap] installing npm dependencies (npm ci)\n');
  const res = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm ci failed');
}

export function bootstrap() {
  ensureDependencies();
  return ensureToolchain();
}

export function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}
