// The daily digest (issue 13): started by the `people-digest` Temporal Schedule (worker/schedules.ts) each working
// morning, it sends each person the work items due in the coming week, overdue ones first among them. It only
// orchestrates: the items are read and the messages sent by one activity (activities/people.ts), retried until it
// succeeds; each person's message is sent once whatever the retries (its key is the day and the person).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { addDays, londonDate } from '../domain/dates.ts';

/** How far ahead a digest looks: a week, from the day it runs. */
export const DIGEST_DAYS = 7;

const { sendDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
});

export async function digestWorkflow(): Promise<{ on: string; people: number; sent: number; held: number }> {
  const on = londonDate(Date.now());
  const outcome = await sendDigests({ on, until: addDays(on, DIGEST_DAYS) });
  return { on, ...outcome };
}
