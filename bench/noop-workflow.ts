// A workflow that does nothing but answer an Update that has a validator: the floor a command's latency is measured
// against (bench/command-latency.ts). Bundled by that benchmark's own worker, never by the project's.
//
// Beside it, the floor's parts (command-latency --floor): a workflow whose Update does, of what a command must do at
// the server, only what it is asked: upsert one indexed search attribute, schedule one activity (that does nothing),
// answer with a payload of a given size. No rules are applied: what each part adds to the no-op is then the server's
// and the SDK's cost of that part alone.
import { condition, defineUpdate, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from '../contracts/index.ts';
import type { BenchActivities } from './bench-activities.ts';

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

/** What a floor Update does: `n` numbers the Update (the attribute's value alternates with it, as a RoSH level may). */
export interface FloorArgs {
  n: number;
  upsert?: boolean;
  schedule?: boolean;
  answerBytes?: number;
}

export const floorUpdate = defineUpdate<number | { text: string }, [FloorArgs]>('floor');

const { benchNothing } = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

export async function floorWorkflow(): Promise<void> {
  setHandler(
    floorUpdate,
    (args) => {
      if (args.upsert) upsertSearchAttributes([{ key: SA.roshLevel, value: args.n % 2 === 0 ? 'low' : 'medium' }]);
      // Not awaited, as a sentence's publish is not: the Update is answered once the activity is scheduled.
      if (args.schedule) void benchNothing().catch(() => undefined);
      return args.answerBytes ? { text: 'x'.repeat(args.answerBytes) } : args.n;
    },
    {
      validator: (args) => {
        if (args === null || typeof args !== 'object') throw new Error('an object is needed');
      },
    },
  );
  await condition(() => false);
}
