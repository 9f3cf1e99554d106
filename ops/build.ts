// What the running code is: the production build names itself in dist/build.json (scripts/build.mjs); the sources
// run under tsx or vitest have no build file.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  version: string;
  commit: string | null;
  /** The Worker Deployment build id of this build. */
  buildId: string;
}

/** True when the code runs as the production build's JavaScript (dist/), false under tsx or vitest. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The production build's own description, or undefined when running from the sources. */
export function buildInfo(): BuildInfo | undefined {
  const file = fileURLToPath(new URL('../build.json', import.meta.url));
  if (!COMPILED || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
}
