// How large one sentence's state may grow, and what happens at each bound (issue 11). A case runs for years and other
// systems send it messages unchecked, so no sequence of messages may grow its state without limit: the state travels
// in every continue-as-new, is copied by each command (all but its ledger and timeline, which are shared) and is read
// whole by the API.
//
// - Records kept for people to read (the timeline, the history of risk information) keep their latest entries and
//   count the ones left out. The full record stays in Temporal's history (each Update's result and each Signal) and in
//   the API's audit log.
// - A Signal the case cannot take is counted, and the latest few are kept (with a repeat of the same key for the same
//   reason counted on its entry, not kept again): it no longer writes to the timeline.
// - The case's own record (appointments, deadlines, evidence, …) is what the rules read, so it is never trimmed: a
//   command that would take the state past STATE_MAX_BYTES is refused with the reason, as is a command larger than
//   COMMAND_MAX_BYTES. The bound is far beyond any real order: a 3-year order with an appointment every working day
//   (about 780, each with its outcome) and every other record at a busy case's size is under a third of it
//   (test/unit/bounds.test.ts).
//
// Time alone then adds only what the order's own dates bring (review and risk-review deadlines), so a state stays
// within STATE_MAX_BYTES plus those.
// Sentences whose workflows began before the bounds keep their unbounded behaviour in history replay: the workflow
// applies them from the patch BOUNDED_STATE on (contracts/, workflows/sentence.ts).
import { measure, utf8Length } from './json.ts';
import type { LedgerEntry } from './outputs/ledger.ts';
import type { RejectedSignal, SentenceState } from './state.ts';

export const TIMELINE_KEPT = 500;
export const RISK_HISTORY_KEPT = 50;
export const REJECTED_SIGNALS_KEPT = 10;
/**
 * The most Signals a workflow task applies as commands (each copies the state), and the most it refuses (each only
 * counts): the rest wait, in the order they came, for the next tasks (the workflow starts a 1 ms timer for each
 * batch). A flood's cost per task is then bounded, whatever arrives.
 */
export const SIGNALS_PER_TASK = 100;
export const REJECTIONS_PER_TASK = 2000;
/** The longest rejection reason and command id kept for a rejected Signal. */
const REASON_KEPT = 300;
const KEY_KEPT = 200;

/**
 * The largest a sentence's state may grow to through commands, in UTF-8 bytes of JSON: under Temporal's 2 MB limit on
 * a payload (the state is the continue-as-new input), with room for the time-driven deadlines.
 */
export const STATE_MAX_BYTES = 1536 * 1024;

/**
 * The largest command a case takes, as JSON, and the longest command id it remembers: the API's schemas keep well
 * inside both, but a Signal or a raw Update from another system is unchecked.
 */
export const COMMAND_MAX_BYTES = 4096;
export const COMMAND_ID_MAX = 200;

/** Why a command is too large for the case to keep, or undefined. */
export function commandTooLarge(cmd: object, commandId: unknown): string | undefined {
  if (commandId !== undefined && (typeof commandId !== 'string' || commandId.length > COMMAND_ID_MAX))
    return `a command id is a string of at most ${COMMAND_ID_MAX} characters`;
  const bytes = JSON.stringify(cmd).length;
  return bytes > COMMAND_MAX_BYTES ? `the command is ${bytes} bytes as JSON; a case takes at most ${COMMAND_MAX_BYTES}` : undefined;
}

/** UTF-8 bytes of a value's JSON. */
const jsonBytes = (v: unknown): number => utf8Length(JSON.stringify(v));

/**
 * The JSON size of ledger rows, their parts, evidence and timeline entries, measured once each: none is changed once
 * made (kernel.ts copyForChange), so a busy case's record is not serialised again at every command.
 */
const measured = new WeakMap<object, number>();
function memo<T extends object>(o: T, measure: (o: T) => number): number {
  let n = measured.get(o);
  if (n === undefined) measured.set(o, (n = measure(o)));
  return n;
}

/** A JSON array's size from its items' sizes: brackets, commas between items. */
const arrayBytes = <T extends object>(xs: readonly T[], size: (x: T) => number) =>
  xs.reduce((n, x) => n + size(x), 0) + Math.max(0, xs.length - 1) + 2;
const entryBytes = (o: object) => memo(o, jsonBytes);
/** An object with an `evidence` array (a row or a part), measured as its other fields plus its evidence. */
const withEvidenceBytes = (o: { evidence: readonly object[] }) => {
  const { evidence, ...head } = o;
  return jsonBytes(head) + ',"evidence":'.length + arrayBytes(evidence, entryBytes);
};
const rowBytes = (row: LedgerEntry) =>
  memo(row, (r) => {
    const { parts, ...rest } = r;
    const partsBytes = parts === undefined ? 0 : ',"parts":'.length + arrayBytes(parts, (p) => memo(p, withEvidenceBytes));
    return withEvidenceBytes(rest) + partsBytes;
  });

/** The state's size in UTF-8 bytes of its JSON, exactly (bounds.test.ts checks it against the JSON itself). */
export function stateBytes(s: SentenceState): number {
  const { outputs, timeline, ...rest } = s;
  return (
    objectBytes(rest) + ',"outputs":'.length + arrayBytes(outputs, rowBytes) + ',"timeline":'.length + arrayBytes(timeline, entryBytes)
  );
}

/**
 * A finished state's other fields, as JSON: each field's value measured once (json.ts measure), so that what a command
 * left unchanged is not serialised again, nor compared by value (changes.ts).
 */
function objectBytes(o: Record<string, unknown>): number {
  let n = 2; // {}
  let fields = 0;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    n += utf8Length(JSON.stringify(k)) + 1 + measure(v).bytes; // "key":value
    fields++;
  }
  return n + Math.max(0, fields - 1);
}

/** Why the state is past its bound (after a command was applied to a copy), or undefined. */
export function pastBound(s: SentenceState): string | undefined {
  const bytes = stateBytes(s);
  return bytes > STATE_MAX_BYTES
    ? `the case's record would be ${bytes} bytes, past its bound of ${STATE_MAX_BYTES}: ask an administrator to archive it`
    : undefined;
}

/**
 * The state with its read-only records cut to their bounds: the latest timeline and risk entries, with a count of the
 * ones left out. Copies only what it cuts; the state given is not changed.
 */
export function trimmed(s: SentenceState): SentenceState {
  let out = s;
  if (s.timeline.length > TIMELINE_KEPT) {
    const cut = s.timeline.length - TIMELINE_KEPT;
    out = { ...out, timeline: s.timeline.slice(cut), timelineOmitted: (s.timelineOmitted ?? 0) + cut };
  }
  if (s.risk.history.length > RISK_HISTORY_KEPT) {
    const cut = s.risk.history.length - RISK_HISTORY_KEPT;
    out = { ...out, risk: { ...s.risk, history: s.risk.history.slice(cut), historyOmitted: (s.risk.historyOmitted ?? 0) + cut } };
  }
  return out;
}

/**
 * A Signal the case could not take, counted: a shallow copy with the count and the latest entries changed (nothing
 * else is copied, so a flood of them costs the same at the ten-thousandth as at the first).
 */
export function countRejectedSignal(
  s: SentenceState,
  r: { type: string; reason: string; commandId?: string | undefined },
  at: string,
): SentenceState {
  const before = s.signalsRejected ?? { count: 0, latest: [] };
  // What a Signal carries is unchecked: its reason (which may quote a value it sent) and its key are kept short.
  const reason = r.reason.length > REASON_KEPT ? `${r.reason.slice(0, REASON_KEPT)}…` : r.reason;
  const commandId = typeof r.commandId === 'string' && r.commandId.length <= KEY_KEPT ? r.commandId : undefined;
  const same = (x: RejectedSignal) => commandId !== undefined && x.commandId === commandId && x.reason === reason && x.type === r.type;
  const i = before.latest.findIndex(same);
  let latest: RejectedSignal[];
  if (i >= 0) {
    const repeat = { ...before.latest[i]!, at, times: before.latest[i]!.times + 1 };
    latest = [...before.latest.slice(0, i), ...before.latest.slice(i + 1), repeat];
  } else {
    latest = [...before.latest, { at, type: r.type, reason, ...(commandId !== undefined ? { commandId } : {}), times: 1 }];
  }
  if (latest.length > REJECTED_SIGNALS_KEPT) latest = latest.slice(latest.length - REJECTED_SIGNALS_KEPT);
  return { ...s, signalsRejected: { count: before.count + 1, latest } };
}
