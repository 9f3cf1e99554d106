// What a command is, in one place per command: the phases in which it is accepted, the field that dates it, the
// earliest date it may carry, its rejection rules, its application to the state, and whether other systems may send
// it as a Signal. Each module defines the specs of its commands with `defineCommand`; domain/commands.ts gathers them
// in one registry, from which the command union, the argument types, the Temporal Update and Signal definitions
// (contracts/) and the dispatch are derived, so there is no switch to forget.
import type { IsoDate } from './dates.ts';
import type { Refusal } from './refusals.ts';
import type { Effect, Phase, SentenceState } from './state.ts';

/** Every phase before closure. */
export const OPEN_PHASES: readonly Phase[] = ['commenced', 'allocated', 'inducted', 'plan-agreed', 'supervision', 'terminated'];
/** Every phase while the order runs (not yet terminated). */
export const LIVE_PHASES: readonly Phase[] = ['commenced', 'allocated', 'inducted', 'plan-agreed', 'supervision'];
/** A case with an offender manager and an order still running. */
export const SUPERVISED: readonly Phase[] = ['allocated', 'inducted', 'plan-agreed', 'supervision'];

/** The moment a command is judged or applied. */
export interface CommandTime {
  nowMs: number;
  /** The London date at nowMs. */
  today: IsoDate;
}

export interface CommandSpec<A> {
  /** The phases in which the command is accepted. */
  readonly phases: readonly Phase[];
  /**
   * The field that dates the command: it may not be in the future nor before `earliest`, and it defaults to today.
   * `'on'` unless given; null for a command whose date is checked by its own rules (an appointment booked ahead).
   */
  readonly dateField?: (keyof A & string) | null;
  /** The earliest date the command may carry, and what it follows (default: the sentence date). */
  readonly earliest?: (s: SentenceState, a: A) => { date: IsoDate; what: string };
  /**
   * Why the command cannot be applied now (after the phase and date-shape checks), or undefined. Never changes `s`.
   * Words alone are refused as `command-refused`; a Refusal gives its own code (domain/refusals.ts).
   */
  readonly reject?: (s: SentenceState, a: A, t: CommandTime) => string | Refusal | undefined;
  /** Applies the command to `s` (a copy the caller owns), dated `on`; returns what the workflow must do. */
  readonly apply: (s: SentenceState, a: A, t: CommandTime & { on: IsoDate }) => Effect[] | void;
  /** Other systems may also send it as a Signal (fire and forget). */
  readonly signal?: boolean;
}

/** A command's spec, carrying its argument type `A` for the registry to derive the command union from. */
export type DefinedCommand<A, S extends CommandSpec<A> = CommandSpec<A>> = S & { readonly __args?: A };

/** Defines a command with arguments `A`: `defineCommand<{ offenderManagerId: string }>()({ phases, apply, … })`. */
export function defineCommand<A>() {
  return <const S extends CommandSpec<A>>(spec: S): DefinedCommand<A, S> => spec;
}

export type ArgsOf<C> = C extends { readonly __args?: infer A } ? A : never;
