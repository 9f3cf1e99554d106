// `npm test`: set up what is missing, then every check: format (Prettier), type check, lint, and all tests (unit, workflow on the
// time-skipping server, end-to-end on the dev server, replay, deployment). Stops at the first failing step.
import { bootstrap, run } from './bootstrap.mjs';
import { ensureChromium } from './browser.mjs';

const tools = bootstrap();
const env = { TEMPORAL_CLI_PATH: tools.cli, TEMPORAL_TEST_SERVER_PATH: tools.testServer, CHROMIUM_PATH: ensureChromium() };
// The flood test (issue 11) runs on its own after the rest, with the machine to itself: it measures a case under
// 12,000 requests, and other test files beside it on 2 cores made its workflow tasks late for reasons of their own.
// Given files (`npm test -- <files>`) run as they are, in one step.
const FLOOD = 'test/e2e/flood.test.ts';
const given = process.argv.slice(2);
const tests = given.length
  ? [['tests', 'npx', ['vitest', 'run', ...given]]]
  : [
      ['tests', 'npx', ['vitest', 'run', '--exclude', FLOOD]],
      ['flood test, alone', 'npx', ['vitest', 'run', FLOOD]],
    ];
const steps = [
  ['format', 'npx', ['prettier', '--check', '.']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ...tests,
];
for (const [name, cmd, args] of steps) {
  process.stderr.write(`\n[test] ${name}: ${cmd} ${args.join(' ')}\n`);
  const status = run(cmd, args, env);
  if (status !== 0) {
    process.stderr.write(`[test] ${name} failed (exit ${status})\n`);
    process.exit(status);
  }
}
