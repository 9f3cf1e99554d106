// `npm start`: set up what is missing, then run the main job (scripts/main.ts): the Temporal dev server with its
// Web UI and a persistent SQLite file, the worker and the HTTP API. SIGINT and SIGTERM are passed on to it.
import { spawn } from 'node:child_process';
import { bootstrap } from './bootstrap.mjs';
import { ROOT } from './toolchain.mjs';

const tools = bootstrap();
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/main.ts'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, TEMPORAL_CLI_PATH: tools.cli },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
