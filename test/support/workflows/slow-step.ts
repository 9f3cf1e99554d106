// A workflow whose one step holds its workflow task for a set time after an await, as a sentence's main loop does when
// a workflow task brings it a large batch of work: test/workflow/slow-task.test.ts runs it on the project's worker
// settings. Atomics.wait blocks the workflow thread for real time (the workflow's own clock stands still within a
// task), inside a microtask, in one wait so that the step's length does not depend on the machine's load.
export async function slowStep(ms: number): Promise<string> {
  await Promise.resolve();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return 'done';
}
