// A workflow whose one step holds its workflow task for a set time after an await, as a sentence's main loop does when
// a workflow task brings it a large batch of work: test/workflow/slow-task.test.ts runs it on the project's worker
// settings. Atomics.wait blocks the workflow thread for real time (the workflow's own clock stands still within a
// task), a millisecond at a time between promises made and settled, inside a microtask.
export async function slowStep(ms: number): Promise<string> {
  await Promise.resolve();
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < ms; i++) {
    Atomics.wait(cell, 0, 0, 1);
    await Promise.resolve(i);
  }
  return 'done';
}
