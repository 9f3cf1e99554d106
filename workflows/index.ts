export { sentenceWorkflow } from './sentence';
