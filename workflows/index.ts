export { sentenceWorkflow } from './sentence.ts';
export { digestWorkflow } from './digest.ts';
