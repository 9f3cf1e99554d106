// Given / when / then for domain scenarios, without Temporal: a sentence commenced on a date, commands applied at
// instants of their own, time advanced, and the state read back.
import { londonStartOfDay } from '../../domain/dates.ts';
import { advanceTime, applyCommand, commence, type Command, type SentenceState, type Transition } from '../../domain/lifecycle.ts';
import type { SentenceInput } from '../../domain/sentence.ts';

/** An instant on a London date (10:00 by default). */
export const at = (date: string, hour = 10) => londonStartOfDay(date) + hour * 3_600_000;

/** Given: a sentence commenced at 10:00 on its sentence date (or `on`), on a calendar version if given. */
export function given(sentence: SentenceInput, on = sentence.order.sentenceDate, calendarVersion?: string): SentenceState {
  return commence(sentence, 'h', at(on), calendarVersion);
}

/** When: one command on a date (at 10:00), with its effects. */
export const apply = (s: SentenceState, cmd: Command, date: string): Transition => applyCommand(s, cmd, at(date));

/** When: time passes to a date (at 10:00), then one command on it, as the workflow applies a command. */
export const applyOn = (s: SentenceState, cmd: Command, date: string): SentenceState =>
  applyCommand(advanceTime(s, at(date)).state, cmd, at(date)).state;

/** When: commands in turn, each on its own date. */
export const run = (s: SentenceState, ...cmds: [Command, string][]): SentenceState => cmds.reduce((st, [c, d]) => apply(st, c, d).state, s);

/** When: time passes up to an instant. */
export const after = (s: SentenceState, instantMs: number): Transition => advanceTime(s, instantMs);

/** Then: an output row, a deadline's due date, the timeline's events. */
export const row = (s: SentenceState, n: number) => s.outputs.find((e) => e.row === n)!;
export const due = (s: SentenceState, id: string) => s.deadlines.find((d) => d.id === id)?.dueDate;
export const events = (s: SentenceState) => s.timeline.map((e) => e.event);
