// The sentence's workflow as a worker older than the in-scope Updates runs it (contracts' inScopeCommandUpdates): the
// same workflow without their handlers, so that the API meets the refusal an older worker gives during a deployment
// (test/e2e/access.test.ts). Bundled by that test's own worker, never by the project's.
import { setHandler } from '@temporalio/workflow';
import { anyInScopeCommandUpdate, COMMAND_TYPES, type SentenceWorkflowInput } from '../../../contracts/index.ts';
import { sentenceWorkflow } from '../../../workflows/sentence.ts';

export async function sentenceWorkflowBeforeInScope(input: SentenceWorkflowInput) {
  // The sentence's workflow registers its handlers before its first await: they are removed before any Update comes.
  const run = sentenceWorkflow(input);
  for (const type of COMMAND_TYPES) setHandler(anyInScopeCommandUpdate(type), undefined);
  return run;
}
