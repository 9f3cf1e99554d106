// Debian's Chromium for the tests that use a real browser (the Temporal Web UI with the codec server): the path in
// CHROMIUM_PATH, or /usr/bin/chromium, installed from Debian's packages when missing (as root, or with sudo without a
// password). Plain Node, no dependencies. Throws with the reason when it cannot be had: such a test fails, never skips.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEBIAN_PATH = '/usr/bin/chromium';

function install() {
  const root = process.getuid?.() === 0;
  const cmd = root ? 'apt-get' : 'sudo';
  const pre = root ? [] : ['-n', 'apt-get'];
  process.stderr.write('[browser] installing Debian\u2019s chromium (apt-get install chromium, once)\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let res = spawnSync(cmd, [...pre, 'install', '-y', '-q', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (res.status !== 0) {
    // A fresh machine may not have read the package lists yet.
    spawnSync(cmd, [...pre, 'update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    res = spawnSync(cmd, [...pre, 'install', '-y', '-q', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
  return res.status === 0;
}

/** The Chromium executable's path, installing Debian's package if needed. */
export function ensureChromium() {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH ${given} does not exist`);
    return given;
  }
  if (existsSync(DEBIAN_PATH)) return DEBIAN_PATH;
  if (install() && existsSync(DEBIAN_PATH)) return DEBIAN_PATH;
  throw new Error('Chromium is needed for the browser tests: install Debian\u2019s chromium package or set CHROMIUM_PATH');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium());
