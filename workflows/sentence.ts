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
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { alertForEffect, deliveryFailureAlert, deliveryKey, type Alert } from '../domain/alerts.ts';
import {
  anyCommandSignal,
  anyCommandUpdate,
  anyInScopeCommandUpdate,
  CASE_NOT_VISIBLE,
  type CommandMeta,
  COMMAND_REJECTED,
  SIGNAL_COMMAND_TYPES,
  COMMAND_TYPES,
  searchAttributeUpdates,
  CASE_REFERENCE_NOT_INDEXED,
  ACCESS_LISTS_INDEXED,
  BOUNDED_STATE,
  CHANGED_SEARCH_ATTRIBUTES_ONLY,
  WAKE_TIMER_KEPT,
  COMMANDS_ANSWER_CHANGES,
  QUIET_COMMANDS,
  WORK_PUBLISHED,
  startAnswerUpdate,
  stateQuery,
  summaryQuery,
  type SentenceWorkflowInput,
} from '../contracts/index.ts';
import { currentCalendarVersion, FIRST_CALENDAR_VERSION, isKnownCalendarVersion } from '../domain/calendar/index.ts';
import {
  adoptCalendar,
  adoptRules,
  advanceTime,
  alreadyApplied,
  applyCommand,
  caseSummary,
  commence,
  currentDetails,
  nextWakeUp,
  pendingDeliveries,
  recordDelivery,
  recordDeliveryFailure,
  refusalOf,
  upgradeState,
  type Command,
  type CommandType,
  type Delivery,
  type Effect,
  type SentenceState,
  type SignalCommandType,
  type Transition,
} from '../domain/lifecycle.ts';
import { trimmed } from '../domain/bounds.ts';
import { CURRENT_RULES, FIRST_RULES, isKnownRulesVersion } from '../domain/rules.ts';
import { commandAnswer, type CommandAnswer } from '../domain/changes.ts';
import { signalOutcome, type SignalTurns } from '../domain/signals.ts';
import { ledgerSummary, type LedgerSummary } from '../domain/outputs/conformance.ts';
import { caseWorkOf, type WorkSummary } from '../domain/work.ts';
import { outputMessage } from '../domain/outputs/delivery.ts';
import { canSee, holdingOf, isViewer } from '../domain/visibility.ts';

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
  const run = new SentenceRun('carried' in input ? upgradeState(input.carried) : start(input));
  run.registerHandlers();
  return run.main();
}

function start(first: Extract<SentenceWorkflowInput, { sentence: unknown }>): SentenceState {
  // Sentences started by release 0.1.0 have no calendar version in their input: they used the first calendar.
  const calendar = first.calendarVersion ?? FIRST_CALENDAR_VERSION;
  // A calendar this code does not know comes from newer code (an API deployed ahead of its workers): fail the task, so
  // that a worker that knows it takes the sentence on, rather than failing the sentence.
  if (!isKnownCalendarVersion(calendar))
    throw new Error(`calendar version ${calendar} is newer than this worker's: retried by a newer worker`);
  // Inputs from before 0.5.0 name no rules version: those sentences began with the first rules (domain/rules.ts).
  const rules = first.rulesVersion ?? FIRST_RULES;
  if (!isKnownRulesVersion(rules)) throw new Error(`rules version ${rules} is newer than this worker's: retried by a newer worker`);
  try {
    return commence(first.sentence, first.inputHash, Date.now(), calendar, rules);
  } catch (e) {
    // Input the API would have refused (e.g. a sentence date no policy covers): fail the run, do not retry it.
    throw ApplicationFailure.nonRetryable(`cannot commence: ${e instanceof Error ? e.message : String(e)}`, 'InvalidSentence');
  }
}

/** One run of a sentence's workflow: its state, the effects it owes, and the side effects in flight. */
class SentenceRun {
  private readonly effects: Effect[] = [];
  /** Bumped whenever a message or a side effect's result changed the state: the main loop wakes on it. */
  private version = 0;
  private continueRequested = false;
  /** Side effects under way: they never hold up the case, but a run does not end while one is in flight. */
  private inFlight = 0;
  private readonly deliveriesStarted = new Set<string>();
  private readonly workflowId = workflowInfo().workflowId;
  private publishedLedger = '';
  private publishing = false;
  private isBounded = false;
  /** Signals beyond SIGNALS_PER_TASK in a workflow task, oldest first, for the next tasks (under the bounds). */
  private readonly inbox: { type: SignalCommandType; args: unknown }[] = [];
  /** How many Signals the current workflow task (by its history length) has handled. */
  private handled: { task: number; turns: SignalTurns } = { task: -1, turns: { applied: 0, rejected: 0 } };
  /** The instant time was last applied in a Signal handler, and the state it left (see onSignal). */
  private timeApplied?: { at: number; state: SentenceState };
  /** The timer for the next moment time changes the case, kept across wakes (WAKE_TIMER_KEPT). */
  private wakeTimer?: { atMs: number; fired: boolean; scope: CancellationScope };
  private keepsWakeTimer = false;
  private answersChanges = false;
  private quietCommands = false;
  /** Whether this run publishes its work with the read model (WORK_PUBLISHED, once patched stays so). */
  private publishesWork = false;
  /** How many commands were applied quietly (QUIET_COMMANDS): only those can leave the loop work it was not woken for. */
  private quietApplied = 0;
  /** The state the main loop last judged with loopHasWork (QUIET_COMMANDS), and what it found. */
  private judged?: { state: SentenceState; slept: object; work: boolean };

  constructor(private state: SentenceState) {}

  private quiescent = () => allHandlersFinished() && this.inFlight === 0;

  /**
   * Whether the case keeps to its bounds (domain/bounds.ts): from the patch on, so that histories recorded before it
   * replay as they ran. Never called from a validator or a query (patched() records a marker).
   */
  private bounded(): boolean {
    this.isBounded ||= patched(BOUNDED_STATE);
    return this.isBounded;
  }

  private accept = (next: { state: SentenceState; effects: Effect[] }) => {
    this.state = this.bounded() ? trimmed(next.state) : next.state;
    this.effects.push(...next.effects);
  };

  /** Search attributes, current details and the read model follow the state. */
  private publish(): void {
    // Since 0.3.0 the case reference is not indexed; histories recorded before it replay with it (patched()).
    // Since 0.4.0 they carry a limited-access case's lists (patched: older histories upserted none).
    const caseReference = !patched(CASE_REFERENCE_NOT_INDEXED);
    const updates = searchAttributeUpdates(this.state, { caseReference, accessLists: patched(ACCESS_LISTS_INDEXED) });
    // Since 0.5.0 only what differs from the workflow's search attributes (those it started or continued with, and
    // its own upserts since) is upserted: each upsert costs the server a write, none when nothing changed.
    if (!patched(CHANGED_SEARCH_ATTRIBUTES_ONLY)) upsertSearchAttributes(updates);
    else {
      const held = workflowInfo().typedSearchAttributes;
      const changed = updates.filter((u) => JSON.stringify(held.get(u.key as never) ?? null) !== JSON.stringify(u.value));
      if (changed.length > 0) upsertSearchAttributes(changed);
    }
    setCurrentDetails(currentDetails(this.state));
    this.publishLedgerIfChanged();
  }

  /** Keeps the read model current: one publish in flight per sentence, so summaries land in order. */
  private publishLedgerIfChanged(): void {
    // Computed once (its sequence number set after), and only when no publish is in flight: the one in flight
    // publishes again when it ends, if the summary changed meanwhile.
    if (this.publishing) return;
    const summary = this.readModel(0);
    const fingerprint = JSON.stringify(summary);
    if (fingerprint === this.publishedLedger) return;
    this.publishing = true;
    this.publishedLedger = fingerprint;
    this.state = { ...this.state, publishedSeq: this.state.publishedSeq + 1 };
    this.inFlight++;
    publishLedger({ ...summary, seq: this.state.publishedSeq })
      .catch((err: unknown) => {
        this.publishedLedger = '';
        log.warn('ledger summary not published', { error: String(err) });
      })
      .finally(() => {
        this.publishing = false;
        this.inFlight--;
        this.publishLedgerIfChanged();
      });
  }

  /** The read model's summary; since WORK_PUBLISHED with the case's work, so it is published when that changes too. */
  private readModel(seq: number): LedgerSummary | WorkSummary {
    this.publishesWork ||= patched(WORK_PUBLISHED);
    return this.publishesWork ? { ...ledgerSummary(this.state, seq), work: caseWorkOf(this.state) } : ledgerSummary(this.state, seq);
  }

  registerHandlers(): void {
    setHandler(stateQuery, () => this.state);
    setHandler(summaryQuery, () => caseSummary(this.state));
    // The start's own Update (update-with-start): the sentence as it commenced, after the first step of the main loop.
    setHandler(startAnswerUpdate, () => this.state, { description: 'Answers a start with the sentence as it commenced' });
    for (const type of COMMAND_TYPES) this.registerUpdate(type);
    // The same commands as Signals, for systems that send and move on (risk information, transfer requests).
    for (const type of SIGNAL_COMMAND_TYPES) setHandler(anyCommandSignal(type), (args) => this.onSignal(type, args));
  }

  /**
   * A command's two Updates: its own (the API's before the in-scope ones, and other clients'), and the in-scope one
   * (contracts' inScopeCommandUpdates), whose validator first refuses a caller who may not see the case.
   */
  private registerUpdate(type: CommandType): void {
    const handler = (args: Omit<Command, 'type'>, meta?: CommandMeta) => this.onCommand(type, args, meta);
    const validator = (args: Omit<Command, 'type'>, _meta?: CommandMeta) => this.validateCommand(type, args);
    setHandler(anyCommandUpdate(type), handler, {
      validator,
      description: `Command ${type}: rejected (CommandRejected) when not valid in the sentence's current phase`,
    });
    setHandler(anyInScopeCommandUpdate(type), handler, {
      validator: (args, meta) => {
        // Anything but a viewer who may see the case is refused as if there were no case (domain/visibility.ts).
        const startedBy = workflowInfo().memo?.startedBy;
        const holding = holdingOf(this.state, typeof startedBy === 'string' ? startedBy : undefined);
        if (!isViewer(meta?.viewer) || !canSee(meta.viewer, holding))
          throw ApplicationFailure.create({ type: CASE_NOT_VISIBLE, message: 'no such sentence', nonRetryable: true });
        validator(args);
      },
      description: `Command ${type}, for a caller who may see the case (else CaseNotVisible), then as ${type}`,
    });
  }

  private onCommand(type: CommandType, args: Omit<Command, 'type'>, meta?: CommandMeta): SentenceState | CommandAnswer {
    const id = currentUpdateInfo()?.id;
    const before = this.state;
    // A retried command (same update id, e.g. the API's Idempotency-Key) is answered, not applied twice.
    if (alreadyApplied(this.state, id)) return this.answer(before, true);
    // Time that has passed is applied first, so a command is judged against the case as it now stands.
    this.accept(advanceTime(this.state, Date.now()));
    let next: Transition;
    try {
      next = applyCommand(this.state, { ...args, type } as Command, Date.now(), id, meta?.actor, { bounded: this.bounded() });
    } catch (e) {
      // A rule the validator missed must fail this command only, never the sentence's workflow.
      throw ApplicationFailure.create({
        type: COMMAND_REJECTED,
        message: e instanceof Error ? e.message : String(e),
        nonRetryable: true,
      });
    }
    this.accept(next);
    // Since QUIET_COMMANDS the main loop wakes for a command only when it has work left by it (loopHasWork).
    this.quietCommands ||= patched(QUIET_COMMANDS);
    if (this.quietCommands) this.quietApplied++;
    else this.version++;
    this.publish();
    return this.answer(before);
  }

  private validateCommand(type: CommandType, args: Omit<Command, 'type'>): void {
    if (alreadyApplied(this.state, currentUpdateInfo()?.id)) return;
    const refusal = refusalOf(advanceTime(this.state, Date.now()).state, { ...args, type } as Command, Date.now());
    // The refusal's code (and, for a phase, where the command is valid) travel as the failure's details.
    if (refusal)
      throw ApplicationFailure.create({
        type: COMMAND_REJECTED,
        message: refusal.reason,
        nonRetryable: true,
        details: [refusal.code, ...(refusal.validIn ? [refusal.validIn] : [])],
      });
  }

  /** A command's answer: since 0.5.0 what it changed and the case in brief (domain/changes.ts), before it the state. */
  private answer(before: SentenceState, repeated = false): SentenceState | CommandAnswer {
    this.answersChanges ||= patched(COMMANDS_ANSWER_CHANGES);
    return this.answersChanges ? commandAnswer(before, this.state, repeated) : this.state;
  }

  /**
   * Signals come from other systems unchecked: anything the case cannot take is kept on the timeline with its reason,
   * and nothing a signal carries can fail the workflow.
   */
  private onSignal(type: SignalCommandType, args: unknown): void {
    if (!this.bounded()) {
      this.handleSignal(type, args);
      return;
    }
    // Under the bounds a task handles a set number of Signals; the rest wait, in order, for the next tasks.
    if (this.inbox.length === 0 && this.handleSignal(type, args)) return;
    this.inbox.push({ type, args });
    this.version++;
  }

  /** Handles the Signals that waited, as many as this task still may. */
  private drainInbox(): void {
    while (this.inbox.length > 0 && this.handleSignal(this.inbox[0]!.type, this.inbox[0]!.args)) this.inbox.shift();
  }

  /** The current workflow task's budget of Signals (a task is known by its history length). */
  private turns(): SignalTurns {
    const task = workflowInfo().historyLength;
    if (this.handled.task !== task) this.handled = { task, turns: { applied: 0, rejected: 0 } };
    return this.handled.turns;
  }

  /** Applies or refuses one Signal (domain/signals.ts); false when this task has no turn left for it (it waits). */
  private handleSignal(type: SignalCommandType, args: unknown): boolean {
    const before = this.state;
    // Time is applied once per instant: a refused Signal's count changes nothing time acts on, so the next one in the
    // same workflow task (the same Date.now()) need not apply it again (what makes a flood cheap).
    const timeApplied = this.timeApplied?.at === Date.now() && this.timeApplied.state === this.state;
    const outcome = signalOutcome(this.state, type, args, Date.now(), { bounded: this.isBounded, turns: this.turns(), timeApplied });
    if (outcome.kind === 'repeat') return true;
    this.accept(outcome.time);
    if (outcome.kind === 'wait') return false;
    this.accept(outcome.command);
    // Under the bounds, a refused Signal that found nothing changed by time only adds to a count: nothing is published
    // and the main loop is not woken for it, unless Temporal suggests continuing as new, which only the main loop does
    // (woken once for it, not once per Signal after it).
    const { time } = outcome;
    const nothingElse = this.isBounded && outcome.kind === 'refused' && time.state === before && time.effects.length === 0;
    this.timeApplied = nothingElse ? { at: Date.now(), state: this.state } : undefined;
    if (nothingElse && (this.continueRequested || !workflowInfo().continueAsNewSuggested)) return true;
    if (nothingElse) this.continueRequested = true;
    this.version++;
    this.publish();
    return true;
  }

  /** Commencement to closure, continuing as new when a review cycle has passed or Temporal suggests it. */
  async main(): Promise<SentenceState> {
    this.publish();
    for (;;) {
      this.drainInbox();
      this.accept(advanceTime(this.state, Date.now()));
      this.publish();
      this.runEffects();
      this.startDeliveries();
      // Signals still waiting are handled in the next tasks, before the run may end or continue as new.
      if (this.inbox.length > 0) {
        await sleep(1, { summary: `${this.inbox.length} signals waiting for the next workflow task` });
        continue;
      }
      if (this.state.phase === 'closed' && pendingDeliveries(this.state).length === 0) break;
      if (this.state.phase !== 'closed' && (this.continueRequested || workflowInfo().continueAsNewSuggested)) {
        if (await this.settledForContinueAsNew()) return this.continueAsNew();
        continue;
      }
      await this.sleepUntilWoken();
    }
    this.cancelWakeTimer();
    // The last summary is published before the run ends, and the run ends only once nothing is in flight: an
    // activity still running when a workflow completes can no longer report back (and, on the time-skipping test
    // server, would hold its clock for good).
    this.publish();
    await condition(this.quiescent);
    return this.state;
  }

  /**
   * Waits for side effects in flight, but never past the next moment time changes the case (an agency that is down
   * for days must not hold up deadlines). New commands and effects are served meanwhile (the wait ends on them too,
   * and the loop comes back here). True when the run may continue as new now.
   */
  private async settledForContinueAsNew(): Promise<boolean> {
    const wake = nextWakeUp(this.state);
    const seen = this.version;
    const slept = { phase: this.state.phase, wakeAtMs: wake?.atMs, quiet: this.quietApplied };
    const settledOrWoken = () => this.quiescent() || this.version !== seen || this.effects.length > 0 || this.loopHasWork(slept, false);
    if (!this.quiescent()) {
      if (wake) await condition(settledOrWoken, Math.max(1, wake.atMs - Date.now()));
      else await condition(settledOrWoken);
    }
    return this.quiescent() && this.effects.length === 0 && pendingDeliveries(this.state).length === 0;
  }

  private continueAsNew(): Promise<never> {
    log.info('continuing as new', { runs: this.state.runs + 1, suggested: workflowInfo().continueAsNewSuggested });
    const next = makeContinueAsNewFunc<typeof sentenceWorkflow>({
      memo: workflowInfo().memo,
      typedSearchAttributes: workflowInfo().typedSearchAttributes,
    });
    // The next run computes with the newest calendar and rules this code knows; the choice is recorded in its input.
    const carried = adoptCalendar({ ...this.state, runs: this.state.runs + 1 }, currentCalendarVersion(), Date.now());
    return next({ carried: adoptRules(carried, CURRENT_RULES, Date.now()) });
  }

  /** Sleeps until the next moment time changes the case, or until a message or a side effect's result arrives. */
  private async sleepUntilWoken(): Promise<void> {
    const wake = nextWakeUp(this.state);
    const seen = this.version;
    const slept = { phase: this.state.phase, wakeAtMs: wake?.atMs, quiet: this.quietApplied };
    const woken = () => this.version !== seen || this.effects.length > 0 || this.loopHasWork(slept, true);
    this.keepsWakeTimer ||= patched(WAKE_TIMER_KEPT);
    if (this.keepsWakeTimer) {
      // The timer is kept across wakes and only sets a flag when it fires: the wait is a condition on the flag, so
      // that no promise gathers a reaction per wake (a flood wakes the loop thousands of times within one timer).
      const timer = wake ? this.timerFor(wake) : (this.cancelWakeTimer(), undefined);
      await condition(() => woken() || timer?.fired === true);
      if (timer?.fired) this.wakeTimer = undefined;
      return;
    }
    await CancellationScope.cancellable(async () => {
      const timer = wake ? sleep(Math.max(1, wake.atMs - Date.now()), { summary: wake.label }) : new Promise<void>(() => undefined);
      await Promise.race([condition(woken), timer]);
      CancellationScope.current().cancel();
    }).catch(() => undefined);
  }

  /**
   * Whether a command applied quietly (QUIET_COMMANDS) left the main loop work to do since it went to sleep: Signals
   * waiting, a delivery to start, another moment for the timer, the case closed; and, where `orContinue`, Temporal
   * suggesting continue-as-new. Judged once per state (the loop's condition is asked after every job of a task).
   */
  private loopHasWork(slept: { phase: string; wakeAtMs: number | undefined; quiet: number }, orContinue: boolean): boolean {
    // Nothing to judge unless a command was applied quietly since the loop slept: a refused Signal in a flood changes
    // the state too, and must stay cheap (it wakes the loop itself when it has to).
    if (!this.quietCommands || this.quietApplied === slept.quiet) return false;
    if (this.judged?.state !== this.state || this.judged.slept !== slept) {
      const s = this.state;
      const work =
        s.phase !== slept.phase ||
        this.inbox.length > 0 ||
        nextWakeUp(s)?.atMs !== slept.wakeAtMs ||
        pendingDeliveries(s).some((d) => !this.deliveriesStarted.has(deliveryKey(d)));
      this.judged = { state: s, slept, work };
    }
    return this.judged.work || (orContinue && this.state.phase !== 'closed' && workflowInfo().continueAsNewSuggested);
  }

  /** The timer that fires at `wake`: the one already running when it is for the same moment, else a new one. */
  private timerFor(wake: { atMs: number; label: string }): { fired: boolean } {
    if (this.wakeTimer && this.wakeTimer.atMs === wake.atMs && !this.wakeTimer.fired) return this.wakeTimer;
    this.cancelWakeTimer();
    // Its own scope, a child of the run's root (sleepUntilWoken is called outside any other), cancelled only when
    // the moment moves.
    const scope = new CancellationScope({ cancellable: true });
    const timer = { atMs: wake.atMs, scope, fired: false };
    scope
      .run(() => sleep(Math.max(1, wake.atMs - Date.now()), { summary: wake.label }))
      .then(
        () => void (timer.fired = true),
        () => undefined, // cancelled: the moment moved
      );
    this.wakeTimer = timer;
    return timer;
  }

  private cancelWakeTimer(): void {
    this.wakeTimer?.scope.cancel();
    this.wakeTimer = undefined;
  }

  private alert(a: Alert): void {
    this.inFlight++;
    alertOverdue(a)
      .catch((err: unknown) => log.error('alert not delivered', { deadline: a.deadlineId, error: String(err) }))
      .finally(() => this.inFlight--);
  }

  private runEffects(): void {
    while (this.effects.length > 0) {
      const effect = this.effects.shift()!;
      if (effect.type === 'continue-as-new') this.continueRequested = true;
      const a = alertForEffect(effect, this.state, this.workflowId, Date.now());
      if (a) this.alert(a);
    }
  }

  /** Starts each system output whose moment has come; its result becomes its evidence on the ledger. */
  private startDeliveries(): void {
    for (const d of pendingDeliveries(this.state)) {
      const key = deliveryKey(d);
      if (this.deliveriesStarted.has(key)) continue;
      this.deliveriesStarted.add(key);
      this.deliver(d, key);
    }
  }

  private deliver(d: Delivery, key: string): void {
    const { message, what } = outputMessage(this.state, d, this.workflowId);
    this.inFlight++;
    deliverOutput(message)
      .then((result) => {
        this.accept(recordDelivery(this.state, d, { reference: result.reference, what }, Date.now()));
      })
      .catch((err: unknown) => {
        // Only a permanent rejection gets here (retryable failures are retried by the activity's policy).
        const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
        const reason = cause?.message ?? String(err);
        this.accept(recordDeliveryFailure(this.state, d, reason, Date.now()));
        this.alert(deliveryFailureAlert(d, reason, this.state, this.workflowId, Date.now()));
      })
      .finally(() => {
        // Forget it was started: if it is still pending (its output applies again), the loop starts it again.
        this.deliveriesStarted.delete(key);
        this.inFlight--;
        this.version++;
        this.publish();
      });
  }
}
