// One workflow per sentence, commencement to closure. It only orchestrates: the rules live in domain/, the side
// effects in activities/. State is JSON-plain and travels whole across continue-as-new.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  currentUpdateInfo,
  log,
  makeContinueAsNewFunc,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { alertForEffect, deliveryFailureAlert, deliveryKey, type Alert } from '../domain/alerts';
import {
  anyCommandSignal,
  anyCommandUpdate,
  COMMAND_REJECTED,
  SIGNAL_COMMAND_TYPES,
  COMMAND_TYPES,
  searchAttributeUpdates,
  stateQuery,
  type SentenceWorkflowInput,
} from '../contracts';
import { currentCalendarVersion, FIRST_CALENDAR_VERSION } from '../domain/calendar';
import {
  adoptCalendar,
  advanceTime,
  alreadyApplied,
  applyCommand,
  commence,
  currentDetails,
  nextWakeUp,
  pendingDeliveries,
  recordDelivery,
  recordDeliveryFailure,
  rejectionReason,
  rejectSignal,
  upgradeState,
  type Command,
  type Effect,
  type SentenceState,
  type Transition,
} from '../domain/lifecycle';
import { ledgerSummary } from '../domain/outputs/conformance';
import { outputMessage } from '../domain/outputs/delivery';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' } as const;
const { alertOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  summary: 'Alert the offender manager and area: something is overdue',
  retry: { ...retry, nonRetryableErrorTypes: ['InvalidAlert'] },
});
const { publishLedger } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  summary: 'Publish the outputs ledger summary to the conformance read model',
  retry,
});
const { deliverOutput } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  summary: 'Deliver a National Minimum output (case system or agency notification)',
  retry: { ...retry, nonRetryableErrorTypes: ['InvalidOutput', 'DeliveryRejected'] },
});

export async function sentenceWorkflow(input: SentenceWorkflowInput): Promise<SentenceState> {
  let state: SentenceState = 'carried' in input ? upgradeState(input.carried) : start(input);
  const effects: Effect[] = [];
  let version = 0;
  let continueRequested = false;
  /** Side effects under way: they never hold up the case, but a run does not end while one is in flight. */
  let inFlight = 0;
  const deliveriesStarted = new Set<string>();
  const quiescent = () => allHandlersFinished() && inFlight === 0;
  const workflowId = workflowInfo().workflowId;

  let publishedLedger = '';
  let publishing = false;
  const publish = () => {
    upsertSearchAttributes(searchAttributeUpdates(state));
    setCurrentDetails(currentDetails(state));
    publishLedgerIfChanged();
  };

  /** Keeps the read model current: one publish in flight per sentence, so summaries land in order. */
  function publishLedgerIfChanged(): void {
    const fingerprint = JSON.stringify(ledgerSummary(state, 0));
    if (publishing || fingerprint === publishedLedger) return;
    publishing = true;
    publishedLedger = fingerprint;
    state = { ...state, publishedSeq: state.publishedSeq + 1 };
    inFlight++;
    publishLedger(ledgerSummary(state, state.publishedSeq))
      .catch((err: unknown) => {
        publishedLedger = '';
        log.warn('ledger summary not published', { error: String(err) });
      })
      .finally(() => {
        publishing = false;
        inFlight--;
        publishLedgerIfChanged();
      });
  }
  const accept = (next: { state: SentenceState; effects: Effect[] }) => {
    state = next.state;
    effects.push(...next.effects);
  };

  setHandler(stateQuery, () => state);
  for (const type of COMMAND_TYPES) {
    setHandler(
      anyCommandUpdate(type),
      (args) => {
        const id = currentUpdateInfo()?.id;
        // A retried command (same update id, e.g. the API's Idempotency-Key) is answered, not applied twice.
        if (alreadyApplied(state, id)) return state;
        // Time that has passed is applied first, so a command is judged against the case as it now stands.
        accept(advanceTime(state, Date.now()));
        let next: Transition;
        try {
          next = applyCommand(state, { ...args, type } as Command, Date.now(), id);
        } catch (e) {
          // A rule the validator missed must fail this command only, never the sentence's workflow.
          throw ApplicationFailure.create({ type: COMMAND_REJECTED, message: e instanceof Error ? e.message : String(e), nonRetryable: true });
        }
        accept(next);
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

  // The same commands as Signals, for systems that send and move on (risk information, transfer requests).
  for (const type of SIGNAL_COMMAND_TYPES) {
    setHandler(anyCommandSignal(type), (args) => {
      // Signals come from other systems unchecked: anything the case cannot take is kept on the timeline with its
      // reason, and nothing a signal carries can fail the workflow.
      const { commandId, ...body } = args && typeof args === 'object' ? args : { commandId: undefined };
      if (alreadyApplied(state, commandId)) return;
      accept(advanceTime(state, Date.now()));
      const cmd = { ...body, type } as Command;
      let next: Transition;
      try {
        const reason = rejectionReason(state, cmd, Date.now());
        next = reason ? rejectSignal(state, type, reason, Date.now()) : applyCommand(state, cmd, Date.now(), commandId);
      } catch (e) {
        next = rejectSignal(state, type, e instanceof Error ? e.message : String(e), Date.now());
      }
      accept(next);
      version++;
      publish();
    });
  }

  publish();
  for (;;) {
    accept(advanceTime(state, Date.now()));
    publish();
    runEffects();
    startDeliveries();
    if (state.phase === 'closed' && pendingDeliveries(state).length === 0) break;
    if (state.phase !== 'closed' && (continueRequested || workflowInfo().continueAsNewSuggested)) {
      // Wait for side effects in flight, but never past the next moment time changes the case (an agency that is
      // down for days must not hold up deadlines).
      // New commands and effects are served meanwhile (the wait ends on them too, and the loop comes back here).
      const wake = nextWakeUp(state);
      const seen = version;
      const settledOrWoken = () => quiescent() || version !== seen || effects.length > 0;
      if (!quiescent()) {
        if (wake) await condition(settledOrWoken, Math.max(1, wake.atMs - Date.now()));
        else await condition(settledOrWoken);
      }
      const ready = quiescent();
      if (ready && effects.length === 0 && pendingDeliveries(state).length === 0) {
        log.info('continuing as new', { runs: state.runs + 1, suggested: workflowInfo().continueAsNewSuggested });
        const next = makeContinueAsNewFunc<typeof sentenceWorkflow>({
          memo: workflowInfo().memo,
          typedSearchAttributes: workflowInfo().typedSearchAttributes,
        });
        // The next run computes with the newest calendar this code knows; the choice is recorded in its input.
        return next({ carried: adoptCalendar({ ...state, runs: state.runs + 1 }, currentCalendarVersion(), Date.now()) });
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
  // The last summary is published before the run ends, and the run ends only once nothing is in flight: an
  // activity still running when a workflow completes can no longer report back (and, on the time-skipping test
  // server, would hold its clock for good).
  publish();
  await condition(quiescent);
  return state;

  function start(first: Extract<SentenceWorkflowInput, { sentence: unknown }>): SentenceState {
    try {
      // Sentences started by release 0.1.0 have no calendar version in their input: they used the first calendar.
      return commence(first.sentence, first.inputHash, Date.now(), first.calendarVersion ?? FIRST_CALENDAR_VERSION);
    } catch (e) {
      // Input the API would have refused (e.g. a sentence date no policy covers): fail the run, do not retry it.
      throw ApplicationFailure.nonRetryable(`cannot commence: ${e instanceof Error ? e.message : String(e)}`, 'InvalidSentence');
    }
  }

  function alert(a: Alert): void {
    inFlight++;
    alertOverdue(a)
      .catch((err: unknown) => log.error('alert not delivered', { deadline: a.deadlineId, error: String(err) }))
      .finally(() => inFlight--);
  }

  function runEffects(): void {
    while (effects.length > 0) {
      const effect = effects.shift()!;
      if (effect.type === 'continue-as-new') continueRequested = true;
      const a = alertForEffect(effect, state, workflowId, Date.now());
      if (a) alert(a);
    }
  }

  /** Starts each system output whose moment has come; its result becomes its evidence on the ledger. */
  function startDeliveries(): void {
    for (const d of pendingDeliveries(state)) {
      const key = deliveryKey(d);
      if (deliveriesStarted.has(key)) continue;
      deliveriesStarted.add(key);
      const { message, what } = outputMessage(state, d, workflowId);
      inFlight++;
      deliverOutput(message)
        .then((result) => {
          accept(recordDelivery(state, d, { reference: result.reference, what }, Date.now()));
        })
        .catch((err: unknown) => {
          // Only a permanent rejection gets here (retryable failures are retried by the activity's policy).
          const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
          const reason = cause?.message ?? String(err);
          accept(recordDeliveryFailure(state, d, reason, Date.now()));
          alert(deliveryFailureAlert(d, reason, state, workflowId, Date.now()));
        })
        .finally(() => {
          // Forget it was started: if it is still pending (its output applies again), the loop starts it again.
          deliveriesStarted.delete(key);
          inFlight--;
          version++;
          publish();
        });
    }
  }
}
