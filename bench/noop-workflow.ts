// A workflow that does nothing but answer an Update that has a validator: the floor a command's latency is measured
// against (bench/command-latency.ts). Bundled by that benchmark's own worker, never by the project's.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [unknown]>('noop');

export async function noopWorkflow(): Promise<void> {
  let answered = 0;
  setHandler(noopUpdate, () => ++answered, {
    validator: (args) => {
      if (args === null || typeof args !== 'object') throw new Error('an object is needed');
    },
  });
  await condition(() => false);
}
