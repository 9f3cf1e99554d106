// Moving the time-skipping server's clock in sentence terms: today's London date, an instant to sleep to.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { londonDate, londonStartOfDay } from '../../domain/dates.ts';

/** Ten o'clock in the morning, London time, on a date. */
export const morningOf = (date: string) => londonStartOfDay(date) + 10 * 3_600_000;

/** Clock helpers for a test file's environment (read `ctx.env` when called, since it is set in beforeAll). */
export function serverClock(ctx: { env: TestWorkflowEnvironment }) {
  return {
    today: async () => londonDate(await ctx.env.currentTimeMs()),
    /** Moves the server clock forward to an instant (never back). */
    sleepUntil: async (ms: number): Promise<void> => {
      const now = await ctx.env.currentTimeMs();
      if (ms > now) await ctx.env.sleep(ms - now);
    },
  };
}
