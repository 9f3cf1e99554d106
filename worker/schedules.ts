// The Temporal Schedules the service runs (not a cron in the API): the daily digest to people (workflows/digest.ts) at
// 07:00 London time each working day. Created when the worker or the main job starts, and left as it is when it
// already exists (an operator may have paused it, or changed its times, in the Temporal UI).
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { TASK_QUEUE } from '../contracts/index.ts';

export const DIGEST_SCHEDULE_ID = 'people-digest';

/** Creates the digest Schedule unless it exists; true when this call created it. */
export async function ensureDigestSchedule(client: Client, opts: { taskQueue?: string; scheduleId?: string } = {}): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: opts.scheduleId ?? DIGEST_SCHEDULE_ID,
      spec: {
        calendars: [{ hour: 7, minute: 0, dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] }],
        timezone: 'Europe/London',
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'digestWorkflow',
        workflowId: `${opts.scheduleId ?? DIGEST_SCHEDULE_ID}-run`,
        taskQueue: opts.taskQueue ?? TASK_QUEUE,
      },
      // A digest missed while the service was down is sent if it comes back within the morning; two never overlap.
      policies: { overlap: 'SKIP', catchupWindow: '4 hours' },
      memo: { purpose: 'the daily digest of work due this week, to each person' },
    });
    return true;
  } catch (e) {
    if (e instanceof ScheduleAlreadyRunning) return false;
    throw e;
  }
}
