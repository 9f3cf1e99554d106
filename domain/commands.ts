// The registry of every command: each module's specs (domain/command.ts) gathered in one object, from which the
// command union, the argument types, the commands that may come as Signals and the dispatch are derived. Adding a
// command is adding its spec to its module's table; contracts/ derives the Temporal messages and api/commands.ts must
// then give it a route and a schema (the compiler asks for both).
import { ACCESS_COMMANDS } from './access.ts';
import type { ArgsOf, CommandSpec } from './command.ts';
import { COMPLIANCE_COMMANDS } from './compliance.ts';
import { COURT_REPORT_COMMANDS } from './court-reports.ts';
import { isIsoDate, londonDate, type IsoDate } from './dates.ts';
import { commandTooLarge, countRejectedSignal, pastBound } from './bounds.ts';
import { copyForChange, iso, log } from './kernel.ts';
import { LIFECYCLE_COMMANDS } from './lifecycle-commands.ts';
import { PROGRESS_COMMANDS } from './progress.ts';
import { RISK_COMMANDS } from './risk.ts';
import type { Actor } from './actor.ts';
import { APPLIED_COMMAND_IDS_KEPT, type Effect, type SentenceState, type Transition } from './state.ts';
import { statuses, syncLedger } from './sync.ts';
import { TRANSFER_COMMANDS } from './transfers.ts';
import { notValidInPhase, type Refusal, type RefusalCode } from './refusals.ts';

export const COMMANDS = {
  ...LIFECYCLE_COMMANDS,
  ...COMPLIANCE_COMMANDS,
  ...RISK_COMMANDS,
  ...TRANSFER_COMMANDS,
  ...COURT_REPORT_COMMANDS,
  ...PROGRESS_COMMANDS,
  ...ACCESS_COMMANDS,
};

type Registry = typeof COMMANDS;
export type CommandType = keyof Registry;
/** A command's arguments (its body), as its spec defines them. */
export type CommandArgs<T extends CommandType> = ArgsOf<Registry[T]>;
export type Command = { [T in CommandType]: { type: T } & CommandArgs<T> }[CommandType];
/** The commands other systems may also send as Signals (their spec says `signal: true`). */
export type SignalCommandType = { [T in CommandType]: Registry[T] extends { signal: true } ? T : never }[CommandType];

export const COMMAND_TYPES = Object.keys(COMMANDS) as CommandType[];
export const SIGNAL_COMMAND_TYPES = COMMAND_TYPES.filter(
  (t) => (COMMANDS[t] as CommandSpec<unknown>).signal === true,
) as SignalCommandType[];

function specOf(type: CommandType): CommandSpec<object> | undefined {
  return Object.hasOwn(COMMANDS, type) ? (COMMANDS[type] as CommandSpec<object>) : undefined;
}

/** The command's body without its type. */
function argsOf(cmd: Command): object {
  const { type: _type, ...args } = cmd;
  return args;
}

/** The date a command is dated by, if it carries one (its spec's dateField, `on` by default). */
function commandDate(spec: CommandSpec<object>, cmd: Command): IsoDate | undefined {
  const field = spec.dateField === undefined ? 'on' : spec.dateField;
  return field === null ? undefined : ((cmd as Record<string, unknown>)[field] as IsoDate | undefined);
}

/** The dates any command may carry: far enough apart for any sentence, near enough for date arithmetic. */
const EARLIEST_DATE = '1900-01-01';
const LATEST_DATE = '2199-12-31';

/** Every date a command carries is a calendar date (the API checks this too; a Signal or a raw Update may not have). */
function dateShapeProblem(cmd: Command): string | undefined {
  for (const [field, value] of Object.entries(cmd)) {
    if (!field.endsWith('On') && field !== 'date') continue;
    if (value !== undefined && (typeof value !== 'string' || !isIsoDate(value)))
      return `${field} ${String(value)} is not a calendar date (YYYY-MM-DD)`;
    if (typeof value === 'string' && (value < EARLIEST_DATE || value > LATEST_DATE))
      return `${field} ${value} is outside ${EARLIEST_DATE} to ${LATEST_DATE}`;
  }
  return undefined;
}

/** Why a command cannot be applied now, or undefined when it can. Never changes the state. */
export function rejectionReason(s: SentenceState, cmd: Command, nowMs: number): string | undefined {
  return refusalOf(s, cmd, nowMs)?.reason;
}

/** Why a command cannot be applied now, with its stable code (domain/refusals.ts), or undefined when it can. */
export function refusalOf(s: SentenceState, cmd: Command, nowMs: number): Refusal | undefined {
  const refused = (code: RefusalCode, reason: string): Refusal => ({ code, reason });
  if (s.phase === 'closed') return refused('sentence-closed', 'the sentence is closed');
  const spec = specOf(cmd.type);
  if (!spec) return refused('unknown-command', `unknown command ${String((cmd as { type: unknown }).type)}`);
  if (!spec.phases.includes(s.phase)) return notValidInPhase(cmd.type, s.phase, spec.phases);
  const today = londonDate(nowMs);
  const shape = dateShapeProblem(cmd);
  if (shape) return refused('date-not-valid', shape);
  const why = spec.reject?.(s, argsOf(cmd), { nowMs, today });
  if (why) return typeof why === 'string' ? refused('command-refused', why) : why;
  const date = commandDate(spec, cmd);
  if (date !== undefined) {
    if (typeof date !== 'string' || !isIsoDate(date))
      return refused('date-not-valid', `date ${String(date)} is not a calendar date (YYYY-MM-DD)`);
    if (date > today) return refused('date-in-future', `date ${date} is in the future (today is ${today})`);
    const earliest = spec.earliest?.(s, argsOf(cmd)) ?? { date: s.dates.sentenceDate, what: 'the sentence date' };
    if (date < earliest.date) return refused('date-before-earliest', `date ${date} is before ${earliest.what} (${earliest.date})`);
  }
  return undefined;
}

/** Whether a command with this id was already applied (a retry): it must then be answered, not applied again. */
export function alreadyApplied(s: SentenceState, commandId: string | undefined): boolean {
  return commandId !== undefined && s.appliedCommandIds.includes(commandId);
}

function remember(s: SentenceState, commandId: string | undefined): void {
  if (commandId === undefined) return;
  s.appliedCommandIds.push(commandId);
  if (s.appliedCommandIds.length > APPLIED_COMMAND_IDS_KEPT)
    s.appliedCommandIds.splice(0, s.appliedCommandIds.length - APPLIED_COMMAND_IDS_KEPT);
}

/**
 * Applies a command that rejectionReason accepted. Throws if it would not have been, or (`bounded`, domain/bounds.ts)
 * if it would take one of the case's lists past its bound.
 */
export function applyCommand(
  state: SentenceState,
  cmd: Command,
  nowMs: number,
  commandId?: string,
  actor?: Actor,
  opts: { bounded?: boolean } = {},
): Transition {
  const reason = rejectionReason(state, cmd, nowMs) ?? (opts.bounded ? commandTooLarge(cmd, commandId) : undefined);
  if (reason) throw new Error(reason);
  const spec = specOf(cmd.type)!;
  const s = copyForChange(state);
  const before = statuses(s);
  const marks = actor && written(s);
  remember(s, commandId);
  const today = londonDate(nowMs);
  const on = commandDate(spec, cmd) ?? today;
  const effects: Effect[] = [...(spec.apply(s, argsOf(cmd), { on, nowMs, today }) ?? [])];
  effects.push(...syncLedger(s, nowMs, before));
  if (actor && marks) signWith(s, marks, actor);
  const past = opts.bounded ? pastBound(s) : undefined;
  if (past) throw new Error(past);
  return { state: s, effects };
}

/** What the timeline and the outputs ledger hold before a command (the timeline only grows within a command). */
function written(s: SentenceState) {
  return { timeline: s.timeline.length, rows: new Map(s.outputs.map((o) => [o.row, o])) };
}

/** Every piece of evidence a ledger row holds, its parts' included. */
function evidenceOf(o: SentenceState['outputs'][number]): object[] {
  return [...o.evidence, ...(o.parts ?? []).flatMap((p) => p.evidence)];
}

/**
 * The command's actor on every timeline entry and piece of evidence it added: only those, found by identity, since
 * what was there before is shared with the state the command came from (kernel.ts copyForChange). A row is only ever
 * replaced, never changed (outputs/ledger.ts), so only the rows the command replaced are read: the cost does not grow
 * with the evidence a case has gathered.
 */
function signWith(s: SentenceState, before: ReturnType<typeof written>, actor: Actor): void {
  for (const e of s.timeline.slice(before.timeline)) e.actor = actor;
  for (const o of s.outputs) {
    const old = before.rows.get(o.row);
    if (old === o) continue;
    const had = new Set(old ? evidenceOf(old) : []);
    for (const e of evidenceOf(o) as { actor?: Actor }[]) if (!had.has(e)) e.actor = actor;
  }
}

/**
 * A command that arrived as a Signal and could not be applied: nothing is lost, the timeline keeps it and why (since
 * the bounds, it is counted and the latest few are kept: domain/bounds.ts). Its id is not remembered (it was not
 * applied), so the same key sent again, as a Signal or an Update, is judged afresh.
 */
export function rejectSignal(
  state: SentenceState,
  type: CommandType,
  reason: string,
  nowMs: number,
  opts: { bounded?: boolean; commandId?: string | undefined } = {},
): Transition {
  if (opts.bounded) return { state: countRejectedSignal(state, { type, reason, commandId: opts.commandId }, iso(nowMs)), effects: [] };
  const s = copyForChange(state);
  log(s, nowMs, 'signal-rejected', `${type} not applied: ${reason}`);
  return { state: s, effects: [] };
}

export { isActor } from './actor.ts';
