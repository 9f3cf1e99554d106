// The domain replay (golden master): re-runs a recorded workflow history through today's pure domain/ code and
// compares what it computes with what was recorded. History replay (Worker.runReplayHistories) only checks that the
// workflow issues the same commands; it cannot see a policy constant, the calendar or a rule changed under running
// cases, because the workflow's commands do not depend on them. This does: every Update result carries the whole
// state (since 0.5.0, what the command changed in it: applied to the state the model had before the command, it
// must give the state the model computes after it), the continue-as-new input carries it to the next run, and the
// alert and delivery activities carry what the case told people and agencies.
//
// The interpreter is a model of workflows/sentence.ts, driven by the history's inputs:
// - the workflow input (a new sentence, or the state carried across continue-as-new);
// - per workflow task, at the task's start time (the workflow's Date.now()): the Signals and Updates it delivered and
//   the activity results it resolved (successes before failures, as the workflow's promise chain runs them), then the
//   main loop's step (time advanced, effects run, deliveries started).
// Since 0.5.0, from the task that recorded the BOUNDED_STATE patch on, it applies the bounds as the workflow does
// (domain/bounds.ts): records trimmed, rejected Signals counted, commands past the bound refused, and at most
// SIGNALS_PER_TASK Signals applied and REJECTIONS_PER_TASK refused per task, the rest handled first in the tasks that follow.
// It compares, in history order: each Update's result (or its failure), each alert and output delivery scheduled,
// the state carried into continue-as-new and the workflow's result. A recorded value is compared field by field:
// fields that today's code adds and the recording lacks are allowed (a new field is not a changed behaviour), every
// recorded field must be reproduced exactly. `publishedSeq` (how many ledger summaries the run published) is the
// workflow's bookkeeping, not a rule of the case, and is left out.
import { defaultPayloadConverter } from '@temporalio/common';
import protos, { type temporal } from '@temporalio/proto';
import { alertForEffect, deliveryFailureAlert, deliveryKey, type Alert } from '../../domain/alerts.ts';
import { FIRST_CALENDAR_VERSION } from '../../domain/calendar/index.ts';
import {
  adoptCalendar,
  adoptRules,
  advanceTime,
  alreadyApplied,
  applyCommand,
  caseSummary,
  commence,
  pendingDeliveries,
  recordDelivery,
  recordDeliveryFailure,
  upgradeState,
  type Command,
  type CommandType,
  type Delivery,
  type Effect,
  type SentenceState,
  type Transition,
} from '../../domain/lifecycle.ts';
import { outputMessage, type OutputMessage } from '../../domain/outputs/delivery.ts';
import {
  BOUNDED_STATE,
  isCommandAnswer,
  IN_SCOPE_PREFIX,
  startAnswerUpdate,
  workflowIdFor,
  type CommandAnswer,
  type CommandResult,
  type SentenceWorkflowInput,
} from '../../contracts/index.ts';
import { applyChanges } from '../../domain/changes.ts';
import { FIRST_RULES } from '../../domain/rules.ts';
import { trimmed } from '../../domain/bounds.ts';
import { signalOutcome, type SignalTurns } from '../../domain/signals.ts';
import type { Actor } from '../../domain/state.ts';
import type { RecordedHistory } from './history.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

export interface Mismatch {
  eventId: number;
  what: string;
  differences: string[];
}

export interface DomainReplayResult {
  mismatches: Mismatch[];
  /** How many recorded values were compared, by kind: a replay that compared nothing proves nothing. */
  compared: Record<'update' | 'update-failure' | 'signal' | 'alert' | 'delivery' | 'continue-as-new' | 'result', number>;
  /** The state the domain computed at the end of the history. */
  finalState?: SentenceState;
}

/** Bookkeeping of the workflow and of the state's shape, not rules of the case: how many ledger summaries the run
 * published, and the schema version (the shape of the state, which upgradeState moves on). */
const IGNORED = new Set(['publishedSeq', 'schemaVersion']);

/** Differences between a recorded value and a computed one (recorded fields must match; added fields are allowed). */
export function differences(recorded: unknown, computed: unknown, path = '$', out: string[] = [], limit = 12): string[] {
  if (out.length >= limit) return out;
  if (Array.isArray(recorded)) {
    if (!Array.isArray(computed)) out.push(`${path}: recorded an array, computed ${JSON.stringify(computed)?.slice(0, 120)}`);
    else {
      if (recorded.length !== computed.length) out.push(`${path}: recorded ${recorded.length} items, computed ${computed.length}`);
      for (let i = 0; i < Math.min(recorded.length, computed.length); i++)
        differences(recorded[i], computed[i], `${path}[${i}]`, out, limit);
    }
  } else if (recorded && typeof recorded === 'object') {
    if (!computed || typeof computed !== 'object' || Array.isArray(computed)) {
      out.push(`${path}: recorded an object, computed ${JSON.stringify(computed)?.slice(0, 120)}`);
    } else {
      for (const [k, v] of Object.entries(recorded)) {
        if (path === '$' && IGNORED.has(k)) continue;
        differences(v, (computed as Record<string, unknown>)[k], `${path}.${k}`, out, limit);
      }
    }
  } else if (recorded !== computed) {
    out.push(`${path}: recorded ${JSON.stringify(recorded)}, computed ${JSON.stringify(computed)}`);
  }
  return out;
}

/** The value, and everything it holds, frozen (changing a frozen object throws in a module's strict code). */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}

function decode<T>(payloads: Payloads, index = 0): T | undefined {
  const p = payloads?.payloads?.[index];
  return p ? defaultPayloadConverter.fromPayload<T>(p) : undefined;
}

/** The id of the patch a MARKER_RECORDED event records (the SDK's `core_patch` marker), if it is one. */
function patchOf(e: HistoryEvent, name: (e: HistoryEvent) => string): string | undefined {
  const m = e.markerRecordedEventAttributes;
  if (name(e) !== 'MARKER_RECORDED' || m?.markerName !== 'core_patch') return undefined;
  const details = m.details as Record<string, Payloads> | null | undefined;
  return decode<{ id?: string }>(details?.['patch-data'] ?? details?.['patch_data'])?.id;
}

function timeMs(e: HistoryEvent): number {
  const t = e.eventTime;
  return Number(t?.seconds?.toString() ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1_000_000);
}

const T = 'EVENT_TYPE_';

/** Events the workflow's commands produce at the end of a workflow task. */
const COMMAND_EVENTS = new Set([
  'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
  'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
  'ACTIVITY_TASK_SCHEDULED',
  'TIMER_STARTED',
  'TIMER_CANCELED',
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  'MARKER_RECORDED',
  'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
  'WORKFLOW_EXECUTION_COMPLETED',
  'WORKFLOW_EXECUTION_FAILED',
  'WORKFLOW_PROPERTIES_MODIFIED',
]);

interface Input {
  event: HistoryEvent;
  kind: 'signal' | 'activity-completed' | 'activity-failed' | 'timer-fired';
}

const EVENT_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(protos.temporal.api.enums.v1.EventType as unknown as Record<string, number>).map(([k, v]) => [v, k]),
);

/** Event types are numbers in decoded histories (strings in their JSON files): normalise to the name. */
function eventTypeName(e: HistoryEvent, names: Record<number, string>): string {
  const t = e.eventType as unknown;
  return (typeof t === 'number' ? (names[t] ?? String(t)) : String(t)).replace(T, '');
}

export function domainReplay(history: RecordedHistory, eventTypeNames: Record<number, string> = EVENT_TYPE_NAMES): DomainReplayResult {
  const events = history.events ?? [];
  const name = (e: HistoryEvent) => eventTypeName(e, eventTypeNames);
  const result: DomainReplayResult = {
    mismatches: [],
    compared: { update: 0, 'update-failure': 0, signal: 0, alert: 0, delivery: 0, 'continue-as-new': 0, result: 0 },
  };
  const mismatch = (e: HistoryEvent, what: string, diffs: string[]) => {
    if (diffs.length > 0) result.mismatches.push({ eventId: Number(e.eventId?.toString() ?? 0), what, differences: diffs });
  };

  let state: SentenceState | undefined;
  let input: SentenceWorkflowInput | undefined;
  let workflowId = '';
  const effects: Effect[] = [];
  /** The start's own Updates in the current task (contracts' startAnswerUpdate), answered after its step. */
  const startAnswers: string[] = [];
  /** Update results computed in the current task, by update id, awaiting their UPDATE_COMPLETED event. */
  const updateOutcomes = new Map<string, { before?: SentenceState; state?: SentenceState; failure?: string }>();
  /** Alerts and deliveries the model started, in order, awaiting their ACTIVITY_TASK_SCHEDULED events. */
  const expectedAlerts: Alert[] = [];
  const expectedDeliveries: { d: Delivery; key: string; message: OutputMessage; what: string }[] = [];
  const deliveriesStarted = new Set<string>();
  /** Activities scheduled in history, by scheduled event id: what each was. */
  const scheduled = new Map<string, { activity: string; delivery?: { d: Delivery; key: string; what: string } }>();

  /** Whether the workflow kept the case to its bounds in this task: from the first task that recorded the patch. */
  let bounded = false;
  // Every state the domain makes is frozen, as the workflow treats it: a rule that changed a finished state in place
  // (rather than its copy, domain/kernel.ts copyForChange) would throw here, and what the domain shares and measures
  // once (domain/json.ts) would no longer hold.
  const accept = (t: Transition) => {
    state = deepFreeze(bounded ? trimmed(t.state) : t.state);
    effects.push(...t.effects);
  };

  function start(now: number): void {
    if (!input) throw new Error('history has no workflow input');
    state = deepFreeze(
      'carried' in input
        ? upgradeState(input.carried)
        : commence(
            input.sentence,
            input.inputHash,
            now,
            input.calendarVersion ?? FIRST_CALENDAR_VERSION,
            input.rulesVersion ?? FIRST_RULES,
          ),
    );
  }

  function applyUpdate(e: HistoryEvent, now: number): void {
    const a = e.workflowExecutionUpdateAcceptedEventAttributes!;
    const req = a.acceptedRequest!;
    const id = req.meta?.updateId ?? '';
    // The start's own Update (update-with-start) changes nothing; it answers after the main loop's first step.
    if (req.input?.name === startAnswerUpdate.name) {
      startAnswers.push(id);
      return;
    }
    // Since 0.5.0 the API sends each command as its in-scope Update (contracts' inScopeCommandUpdates): the same command.
    const name = req.input?.name ?? '';
    const cmdType = (name.startsWith(IN_SCOPE_PREFIX) ? name.slice(IN_SCOPE_PREFIX.length) : name) as CommandType;
    const args = decode<Record<string, unknown>>(req.input?.args) ?? {};
    // Since 0.3.0 the command's actor travels beside its arguments (contracts' CommandMeta).
    const actor = decode<{ actor?: Actor }>(req.input?.args, 1)?.actor;
    const before = state!;
    if (alreadyApplied(state!, id)) {
      updateOutcomes.set(id, { before, state: state! });
      return;
    }
    accept(advanceTime(state!, now));
    try {
      accept(applyCommand(state!, { ...args, type: cmdType } as Command, now, id, actor, { bounded }));
      updateOutcomes.set(id, { before, state: state! });
    } catch (err) {
      updateOutcomes.set(id, { failure: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Signals applied and refused in the current task (the bounds' budgets per task). */
  const turns: SignalTurns = { applied: 0, rejected: 0 };

  /** Applies or refuses one Signal as the workflow does; false when the task has no turn left for it (it waits). */
  function applySignal(e: HistoryEvent, now: number): boolean {
    const a = e.workflowExecutionSignaledEventAttributes!;
    const outcome = signalOutcome(state!, a.signalName as CommandType, decode<unknown>(a.input), now, { bounded, turns });
    if (outcome.kind === 'repeat') return true;
    accept(outcome.time);
    if (outcome.kind === 'wait') return false;
    accept(outcome.command);
    result.compared.signal++;
    return true;
  }

  function applyActivityResult(inp: Input, now: number): void {
    const attrs =
      inp.kind === 'activity-completed' ? inp.event.activityTaskCompletedEventAttributes! : inp.event.activityTaskFailedEventAttributes!;
    const what = scheduled.get(String(attrs.scheduledEventId?.toString()));
    if (!what?.delivery) return; // alerts and ledger summaries change nothing in the case
    deliveriesStarted.delete(what.delivery.key);
    if (inp.kind === 'activity-completed') {
      const r = decode<{ reference: string }>(inp.event.activityTaskCompletedEventAttributes!.result);
      accept(recordDelivery(state!, what.delivery.d, { reference: r?.reference ?? '', what: what.delivery.what }, now));
    } else {
      const failure = inp.event.activityTaskFailedEventAttributes!.failure;
      const reason = failure?.applicationFailureInfo ? (failure.message ?? '') : `ActivityFailure: ${failure?.message ?? ''}`;
      accept(recordDeliveryFailure(state!, what.delivery.d, reason, now));
      expectedAlerts.push(deliveryFailureAlert(what.delivery.d, reason, state!, workflowId, now));
    }
  }

  /** The main loop's step: time, effects, deliveries. */
  function step(now: number): void {
    accept(advanceTime(state!, now));
    while (effects.length > 0) {
      const a = alertForEffect(effects.shift()!, state!, workflowId, now);
      if (a) expectedAlerts.push(a);
    }
    for (const d of pendingDeliveries(state!)) {
      const key = deliveryKey(d);
      if (deliveriesStarted.has(key)) continue;
      deliveriesStarted.add(key);
      const { message, what } = outputMessage(state!, d, workflowId);
      expectedDeliveries.push({ d, key, message, what });
    }
  }

  /** A command's recorded answer: its changes, applied to the state before it, give the state the model computes. */
  function compareAnswer(e: HistoryEvent, updateId: string, recorded: CommandAnswer, before: SentenceState, after: SentenceState): void {
    let applied: SentenceState;
    try {
      applied = applyChanges(before, recorded.changes);
    } catch (err) {
      mismatch(e, `update ${updateId} changes`, [`the recorded changes do not fit the state before the command: ${String(err)}`]);
      return;
    }
    mismatch(e, `update ${updateId} changes`, differences(applied, after));
    mismatch(e, `update ${updateId} summary`, differences(recorded.summary, caseSummary(after)));
  }

  function checkCommandEvent(e: HistoryEvent, id: string, taskStartMs: number): void {
    switch (name(e)) {
      case 'WORKFLOW_EXECUTION_UPDATE_COMPLETED': {
        const a = e.workflowExecutionUpdateCompletedEventAttributes!;
        const updateId = a.meta?.updateId ?? '';
        const computed = updateOutcomes.get(updateId);
        const failure = a.outcome?.failure;
        if (failure) {
          result.compared['update-failure']++;
          if (computed?.failure === undefined)
            mismatch(e, `update ${updateId} failed when recorded`, [`recorded failure: ${failure.message}; computed: applied`]);
          else mismatch(e, `update ${updateId}`, differences(failure.message, computed.failure));
        } else {
          result.compared.update++;
          const recorded = decode<CommandResult>(a.outcome?.success);
          if (!computed?.state)
            mismatch(e, `update ${updateId}`, [
              `recorded a result; computed ${computed?.failure ? `failure: ${computed.failure}` : 'no update'}`,
            ]);
          else if (isCommandAnswer(recorded)) compareAnswer(e, updateId, recorded, computed.before!, computed.state);
          else mismatch(e, `update ${updateId} result`, differences(recorded, computed.state));
        }
        updateOutcomes.delete(updateId);
        break;
      }
      case 'ACTIVITY_TASK_SCHEDULED': {
        const a = e.activityTaskScheduledEventAttributes!;
        const activity = a.activityType?.name ?? '';
        if (activity === 'alertOverdue') {
          result.compared.alert++;
          const next = expectedAlerts.shift();
          mismatch(e, 'alert', next ? differences(decode<Alert>(a.input), next) : ['recorded an alert the domain did not raise']);
          scheduled.set(id, { activity });
        } else if (activity === 'deliverOutput') {
          result.compared.delivery++;
          const next = expectedDeliveries.shift();
          mismatch(
            e,
            'output delivery',
            next ? differences(decode<OutputMessage>(a.input), next.message) : ['recorded a delivery the domain did not start'],
          );
          scheduled.set(id, { activity, ...(next ? { delivery: { d: next.d, key: next.key, what: next.what } } : {}) });
        } else {
          scheduled.set(id, { activity });
        }
        break;
      }
      case 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW': {
        result.compared['continue-as-new']++;
        const input = decode<SentenceWorkflowInput>(e.workflowExecutionContinuedAsNewEventAttributes!.input);
        const carried = input && 'carried' in input ? input.carried : undefined;
        if (!carried) {
          mismatch(e, 'continue-as-new', ['recorded no carried state']);
          break;
        }
        // The calendar and rules the next run computes with were chosen by the code that ran (the newest it knew) and is recorded
        // here: the replay takes that choice as given, as it takes an Update's arguments, and checks its consequences.
        let next: SentenceState = { ...state!, runs: state!.runs + 1 };
        try {
          next = carried.calendarVersion ? adoptCalendar(next, carried.calendarVersion, taskStartMs) : next;
          next = carried.rules ? adoptRules(next, carried.rules, taskStartMs) : next;
        } catch (err) {
          mismatch(e, 'calendar or rules adopted at continue-as-new', [String(err)]);
        }
        mismatch(e, 'state carried into continue-as-new', differences(carried, next));
        break;
      }
      case 'WORKFLOW_EXECUTION_COMPLETED': {
        result.compared.result++;
        mismatch(e, 'workflow result', differences(decode<SentenceState>(e.workflowExecutionCompletedEventAttributes!.result), state));
        break;
      }
    }
  }

  let pending: Input[] = [];
  const inbox: HistoryEvent[] = [];
  let taskStart: number | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    switch (name(e)) {
      case 'WORKFLOW_EXECUTION_STARTED':
        input = decode<SentenceWorkflowInput>(e.workflowExecutionStartedEventAttributes!.input);
        // One workflow per sentence, its id derived from the sentence id (contracts.workflowIdFor).
        if (input) workflowId = workflowIdFor('carried' in input ? input.carried.sentence.sentenceId : input.sentence.sentenceId);
        break;
      case 'WORKFLOW_EXECUTION_SIGNALED':
        pending.push({ event: e, kind: 'signal' });
        break;
      case 'ACTIVITY_TASK_COMPLETED':
        pending.push({ event: e, kind: 'activity-completed' });
        break;
      case 'ACTIVITY_TASK_FAILED':
        pending.push({ event: e, kind: 'activity-failed' });
        break;
      case 'TIMER_FIRED':
        pending.push({ event: e, kind: 'timer-fired' });
        break;
      case 'WORKFLOW_TASK_STARTED':
        taskStart = timeMs(e);
        break;
      case 'WORKFLOW_TASK_COMPLETED': {
        const now = taskStart!;
        // The commands this task produced follow it; Updates it accepted are among them.
        let j = i + 1;
        while (j < events.length && COMMAND_EVENTS.has(name(events[j]!))) j++;
        const produced = events.slice(i + 1, j);
        // patched() is true for the whole task that recorded its marker, and for every task after it.
        bounded ||= produced.some((x) => patchOf(x, name) === BOUNDED_STATE);
        if (!state) start(now);
        // Under the bounds a task handles at most SIGNALS_PER_TASK Signals; later ones wait, in order, for the next
        // tasks, whose main loop handles them first (workflows/sentence.ts onSignal, drainInbox).
        turns.applied = 0;
        turns.rejected = 0;
        for (const inp of pending.filter((p) => p.kind === 'signal')) {
          if (!(inbox.length === 0 && applySignal(inp.event, now))) inbox.push(inp.event);
        }
        for (const u of produced.filter((x) => name(x) === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')) applyUpdate(u, now);
        // The workflow handles a delivery's result with `.then(success).catch(failure)`: resolved in one activation,
        // every success runs a microtask before any failure (the rejection passes through the `.then` first), so the
        // successes apply first, each kind in history order.
        for (const kind of ['activity-completed', 'activity-failed'] as const)
          for (const inp of pending.filter((p) => p.kind === kind)) applyActivityResult(inp, now);
        pending = [];
        while (inbox.length > 0 && applySignal(inbox[0]!, now)) inbox.shift();
        step(now);
        for (const id of startAnswers.splice(0)) updateOutcomes.set(id, { state: state! });
        for (const x of produced) checkCommandEvent(x, String(x.eventId?.toString()), now);
        i = j - 1;
        break;
      }
      default:
        break;
    }
  }
  result.finalState = state;
  return result;
}
