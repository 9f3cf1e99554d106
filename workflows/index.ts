export { sentenceWorkflow } from './sentence.ts';
