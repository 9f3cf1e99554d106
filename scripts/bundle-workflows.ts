// The production build's workflow bundle (scripts/build.mjs runs this with tsx): bundled with the same options as a
// worker bundling from the sources (worker/worker.ts workflowBundleOptions), written to the path given.
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { workflowBundleOptions } from '../worker/worker.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: bundle-workflows.ts <output file>');
const { code } = await bundleWorkflowCode(workflowBundleOptions());
writeFileSync(out, code);
process.stdout.write(`${code.length}\n`);
