// `npm run build`: the production build in dist/. TypeScript compiled to JavaScript (tsconfig.build.json: Node's own
// ES module resolution, relative imports rewritten from .ts to .js), the store's SQL migrations beside the compiled
// store, the workflow bundle built ahead of time (dist/workflow-bundle.js: production workers load it with
// `workflowBundle`, so they neither bundle at start nor need the TypeScript sources), and dist/build.json naming the
// build (its Worker Deployment build id: see README, "Worker Versioning"). BUILD_ID overrides the default
// `<version>-<commit>`. Run by the Dockerfile's build stage and by the cluster test.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './toolchain.mjs';

const require = createRequire(import.meta.url);
const DIST = join(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The commit built, with `-dirty` when the tree has changes; undefined outside a git work tree (a Docker build). */
function commit() {
  const r = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return dirty ? `${r.stdout.trim()}-dirty` : r.stdout.trim();
}

const t0 = Date.now();
const sha = commit();
const buildId = process.env.BUILD_ID || (sha && `${pkg.version}-${sha}`);
// Two different builds must never share an id (Temporal would send one's tasks to the other).
if (!buildId) throw new Error('no git commit to name the build: set BUILD_ID (the Dockerfile takes it as a build argument)');
if (!/^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,99}$/.test(buildId))
  throw new Error(`BUILD_ID ${JSON.stringify(buildId)}: letters, digits, . _ + -`);
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
cpSync(join(ROOT, 'store', 'migrations'), join(DIST, 'store', 'migrations'), { recursive: true });
// The web service's templates and its one script, beside the compiled web/app.js.
for (const dir of ['views', 'public']) cpSync(join(ROOT, 'web', dir), join(DIST, 'web', dir), { recursive: true });
// The compiled modules are ES modules; api/openapi.ts reads the release's version from the package.json above it.
writeFileSync(join(DIST, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2));
// The failure converter is loaded by path at run time: beside the compiled codec.
cpSync(join(ROOT, 'ops', 'failure-converter.cjs'), join(DIST, 'ops', 'failure-converter.cjs'));
// The workflow bundle, with the options a worker bundling from the sources uses (worker/worker.ts).
const bundled = execFileSync(
  process.execPath,
  ['--import', 'tsx', join(ROOT, 'scripts', 'bundle-workflows.ts'), join(DIST, 'workflow-bundle.js')],
  { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const bundleBytes = Number(bundled.trim());
writeFileSync(join(DIST, 'build.json'), JSON.stringify({ version: pkg.version, commit: sha ?? null, buildId }, null, 2));
process.stderr.write(
  `[build] dist/ (build id ${buildId}, workflow bundle ${(bundleBytes / 1024).toFixed(0)} KiB) in ${Date.now() - t0} ms\n`,
);
