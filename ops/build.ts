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

/** The production build's own description, or undefined when running from the sources. */
export function buildInfo(): BuildInfo | undefined {
  const file = fileURLToPath(new URL('../build.json', import.meta.url));
  if (!import.meta.url.endsWith('.js') || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
}
