// A sentence started by newer code than the worker's (an API deployed ahead of its workers, stamping a calendar
// version this worker does not know) is not failed: its workflow task fails and is retried, so a worker that knows the
// version takes it on. Only input the API would have refused fails the sentence.
import { describe, expect, it } from 'vitest';
import { decodeHistory } from '../support/history.ts';
import protos from '@temporalio/proto';
import { initialSearchAttributes, TASK_QUEUE, workflowIdFor } from '../../contracts/index.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { sentenceWorkflow } from '../../workflows/index.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { useTimeSkippingWorker } from '../support/temporal.ts';

const EventType = protos.temporal.api.enums.v1.EventType;
const ctx = useTimeSkippingWorker(testDeps());

describe('a sentence from newer code', () => {
  it('fails its workflow task, not the sentence, when the calendar version is unknown here', async () => {
    const today = londonDate(await ctx.env.currentTimeMs());
    const sentence = communityOrder(today, periodEnd(today, 12));
    const h = await ctx.env.client.workflow.start(sentenceWorkflow, {
      workflowId: workflowIdFor(sentence.sentenceId),
      taskQueue: TASK_QUEUE,
      args: [{ sentence, inputHash: 'test', calendarVersion: 'ew-2099-12-31' }],
      typedSearchAttributes: initialSearchAttributes(sentence),
    });
    const history = await eventually(
      () => h.fetchHistory(),
      (hist) => (hist.events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
      'a failed workflow task',
    );
    // The failure's message is stored encoded and encrypted (ops/codec.ts); read it with the keys.
    const failed = decodeHistory(history).events!.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)!;
    expect(failed.workflowTaskFailedEventAttributes?.failure?.message).toMatch(
      /calendar version ew-2099-12-31 is newer than this worker's/,
    );
    expect((await h.describe()).status.name).toBe('RUNNING');
    await h.terminate('test over');
  });
});
