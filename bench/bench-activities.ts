// The benchmarks' own activities, beside the project's on every bench worker (bench/stack.ts, bench/worker-process.ts):
// what a benchmark's workflow schedules when only the scheduling is to be measured, not any work of its own.
export const benchActivities = {
  /** Does nothing: the cost measured is the activity's scheduling, dispatch and completion, not its body. */
  async benchNothing(): Promise<void> {},
};

export type BenchActivities = typeof benchActivities;
