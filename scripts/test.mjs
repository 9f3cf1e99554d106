// `npm test`: set up what is missing, then every check: format (Prettier), type check, lint, and all tests (unit, workflow on the
// time-skipping server, end-to-end on the dev server, replay, deployment). Stops at the first failing step.
import { bootstrap, run } from './bootstrap.mjs';
import { ensureChromium } from './browser.mjs';

const tools = bootstrap();
const env = { TEMPORAL_CLI_PATH: tools.cli, TEMPORAL_TEST_SERVER_PATH: tools.testServer, CHROMIUM_PATH: ensureChromium() };
const steps = [
  ['format', 'npx', ['prettier', '--check', '.']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [name, cmd, args] of steps) {
  process.stderr.write(`\n[test] ${name}: ${cmd} ${args.join(' ')}\n`);
  const status = run(cmd, args, env);
  if (status !== 0) {
    process.stderr.write(`[test] ${name} failed (exit ${status})\n`);
    process.exit(status);
  }
}
