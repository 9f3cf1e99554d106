// One workflow per sentence, commencement to closure. It only orchestrates: the rules live in domain/, the side
// effects in activities/. State is JSON-plain and travels whole across continue-as-new.
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  currentUpdateInfo,
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
  alreadyApplied,
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
  let state: SentenceState = 'carried' in input ? input.carried : start(input);
  const effects: Effect[] = [];
  let version = 0;
  let continueRequested = false;
  /** Alerts under way: they never hold up the case, but a run does not end while one is in flight. */
  let alertsInFlight = 0;
  const quiescent = () => allHandlersFinished() && alertsInFlight === 0;

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
        const id = currentUpdateInfo()?.id;
        // A retried command (same update id, e.g. the API's Idempotency-Key) is answered, not applied twice.
        if (alreadyApplied(state, id)) return state;
        // Time that has passed is applied first, so a command is judged against the case as it now stands.
        accept(advanceTime(state, Date.now()));
        accept(applyCommand(state, { ...args, type } as Command, Date.now(), id));
        version++;
        publish();
        return state;
      },
      {
        validator: (args) => {
          if (alreadyApplied(state, currentUpdateInfo()?.id)) return;
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
    runEffects();
    if (continueRequested || workflowInfo().continueAsNewSuggested) {
      await condition(quiescent);
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
  runEffects();
  await condition(quiescent);
  return state;

  function start(first: Extract<SentenceWorkflowInput, { sentence: unknown }>): SentenceState {
    try {
      return commence(first.sentence, first.inputHash, Date.now());
    } catch (e) {
      // Input the API would have refused (e.g. a sentence date no policy covers): fail the run, do not retry it.
      throw ApplicationFailure.nonRetryable(`cannot commence: ${e instanceof Error ? e.message : String(e)}`, 'InvalidSentence');
    }
  }

  function runEffects(): void {
    while (effects.length > 0) {
      const effect = effects.shift()!;
      switch (effect.type) {
        case 'alert-overdue': {
          const d = effect.deadline;
          alertsInFlight++;
          alertOverdue({
            idempotencyKey: `${workflowInfo().workflowId}/overdue/${d.id}`,
            sentenceId: state.sentence.sentenceId,
            kind: 'deadline-overdue',
            deadlineId: d.id,
            label: d.label,
            dueDate: d.dueDate,
            overdueSince: d.overdueSince ?? new Date(Date.now()).toISOString(),
            offenderManagerId: state.offenderManagerId,
            areaCode: state.sentence.provider.areaCode,
          })
            .catch((err: unknown) => log.error('overdue alert not delivered', { deadline: d.id, error: String(err) }))
            .finally(() => alertsInFlight--);
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
