// What one Signal does to a case: one definition for the workflow that handles it (workflows/sentence.ts) and the
// domain replay that models it (test/support/domain-replay.ts). Signals come from other systems unchecked: time is
// applied first, then the command is applied or, with its reason, refused; nothing a Signal carries can throw. Under the
// bounds (domain/bounds.ts) a workflow task applies and refuses a set number of Signals; one past its task's budget
// waits, unchanged, for a later task.
import { isActor } from './actor.ts';
import { REJECTIONS_PER_TASK, SIGNALS_PER_TASK, trimmed } from './bounds.ts';
import {
  advanceTime,
  alreadyApplied,
  applyCommand,
  rejectionReason,
  rejectSignal,
  type Command,
  type CommandType,
  type SentenceState,
  type Transition,
} from './lifecycle.ts';

/** How many Signals the current workflow task has applied and refused (each kind has its budget under the bounds). */
export interface SignalTurns {
  applied: number;
  rejected: number;
}

export type SignalOutcome =
  /** Its key was applied already (a repeat): nothing to do. */
  | { kind: 'repeat' }
  /** The task has no turn left for it: it waits, unchanged; the time that had passed was applied. */
  | { kind: 'wait'; time: Transition }
  | { kind: 'applied' | 'refused'; time: Transition; command: Transition };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Takes a turn of the task's budget for one Signal applied or refused; false when none is left. */
function takeTurn(turns: SignalTurns, applied: boolean): boolean {
  const kind = applied ? 'applied' : 'rejected';
  if (turns[kind] >= (applied ? SIGNALS_PER_TASK : REJECTIONS_PER_TASK)) return false;
  turns[kind]++;
  return true;
}

/**
 * One Signal's outcome. `turns` is the task's budget, counted here under the bounds; `timeApplied`: time was already
 * applied at `nowMs` to this very state (so it would change nothing: the workflow's shortcut in a flood).
 */
export function signalOutcome(
  state: SentenceState,
  type: CommandType,
  args: unknown,
  nowMs: number,
  opts: { bounded: boolean; turns: SignalTurns; timeApplied?: boolean },
): SignalOutcome {
  const given = args && typeof args === 'object' ? (args as { commandId?: string; actor?: unknown }) : {};
  const { commandId, actor, ...body } = given;
  if (alreadyApplied(state, commandId)) return { kind: 'repeat' };
  const trim = (t: Transition): Transition => (opts.bounded ? { state: trimmed(t.state), effects: t.effects } : t);
  const time = opts.timeApplied ? { state, effects: [] } : trim(advanceTime(state, nowMs));
  const cmd = { ...body, type } as Command;
  const bounds = { bounded: opts.bounded, commandId };
  let reason: string | undefined;
  try {
    reason = rejectionReason(time.state, cmd, nowMs);
  } catch (e) {
    reason = message(e);
  }
  if (opts.bounded && !takeTurn(opts.turns, reason === undefined)) return { kind: 'wait', time };
  let command: Transition;
  try {
    const by = isActor(actor) ? actor : undefined;
    command =
      reason !== undefined
        ? rejectSignal(time.state, type, reason, nowMs, bounds)
        : applyCommand(time.state, cmd, nowMs, commandId, by, bounds);
  } catch (e) {
    reason = message(e);
    command = rejectSignal(time.state, type, reason, nowMs, bounds);
  }
  return { kind: reason === undefined ? 'applied' : 'refused', time, command: trim(command) };
}
