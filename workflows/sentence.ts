// One workflow per sentence, commencement to closure. It only orchestrates: the rules live in domain/, the side
// effects in activities/. State is JSON-plain and travels whole across continue-as-new.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  makeContinueAsNewFunc,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  COMMAND_REJECTED,
  COMMAND_TYPES,
  anyCommandUpdate,
  searchAttributeUpdates,
  stateQuery,
  type SentenceWorkflowInput,
} from '../contracts';
import {
  advanceTime,
  applyCommand,
  commence,
  currentDetails,
  nextWakeUp,
  rejectionReason,
  type Command,
  type Effect,
  type SentenceState,
} from '../domain/lifecycle';

const { alertOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  summary: 'Alert the offender manager and area: a deadline is overdue',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['InvalidAlert'] },
});

export async function sentenceWorkflow(input: SentenceWorkflowInput): Promise<SentenceState> {
  let state: SentenceState = 'carried' in input ? input.carried : commence(input.sentence, input.inputHash, Date.now());
  const effects: Effect[] = [];
  let version = 0;
  let continueRequested = false;

  const publish = () => {
    upsertSearchAttributes(searchAttributeUpdates(state));
    setCurrentDetails(currentDetails(state));
  };
  const accept = (next: { state: SentenceState; effects: Effect[] }) => {
    state = next.state;
    effects.push(...next.effects);
  };

  setHandler(stateQuery, () => state);
  for (const type of COMMAND_TYPES) {
    // Each command's update carries its own body; the handlers differ only in the command type they add.
    setHandler(
      anyCommandUpdate(type),
      (args) => {
        // Time that has passed is applied first, so a command is judged against the case as it now stands.
        accept(advanceTime(state, Date.now()));
        accept(applyCommand(state, { ...args, type } as Command, Date.now()));
        version++;
        publish();
        return state;
      },
      {
        validator: (args) => {
          const reason = rejectionReason(advanceTime(state, Date.now()).state, { ...args, type } as Command, Date.now());
          if (reason) throw ApplicationFailure.create({ type: COMMAND_REJECTED, message: reason, nonRetryable: true });
        },
        description: `Command ${type}: rejected (CommandRejected) when not valid in the sentence's current phase`,
      },
    );
  }

  publish();
  while (state.phase !== 'closed') {
    accept(advanceTime(state, Date.now()));
    publish();
    await runEffects();
    if (continueRequested || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (effects.length === 0) {
        log.info('continuing as new', { runs: state.runs + 1, suggested: workflowInfo().continueAsNewSuggested });
        const carried = { ...state, runs: state.runs + 1 };
        const next = makeContinueAsNewFunc<typeof sentenceWorkflow>({
          memo: workflowInfo().memo,
          typedSearchAttributes: workflowInfo().typedSearchAttributes,
        });
        return next({ carried });
      }
      continue;
    }
    const wake = nextWakeUp(state);
    const seen = version;
    await CancellationScope.cancellable(async () => {
      const woken = condition(() => version !== seen || effects.length > 0);
      const timer = wake ? sleep(Math.max(1, wake.atMs - Date.now()), { summary: wake.label }) : new Promise<void>(() => undefined);
      await Promise.race([woken, timer]);
      CancellationScope.current().cancel();
    }).catch(() => undefined);
  }
  await condition(allHandlersFinished);
  await runEffects();
  return state;

  async function runEffects(): Promise<void> {
    while (effects.length > 0) {
      const effect = effects.shift()!;
      switch (effect.type) {
        case 'alert-overdue': {
          const d = effect.deadline;
          await alertOverdue({
            idempotencyKey: `${workflowInfo().workflowId}/overdue/${d.id}`,
            sentenceId: state.sentence.sentenceId,
            kind: 'deadline-overdue',
            deadlineId: d.id,
            label: d.label,
            dueDate: d.dueDate,
            overdueSince: d.overdueSince ?? new Date(Date.now()).toISOString(),
            offenderManagerId: state.offenderManagerId,
            areaCode: state.sentence.provider.areaCode,
          });
          break;
        }
        case 'continue-as-new':
          continueRequested = true;
          break;
        case 'closed':
          break;
      }
    }
  }
}
