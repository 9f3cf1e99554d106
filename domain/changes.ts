// What a command changed in a case, as a JSON Patch (RFC 6902) from the state before it to the state after: the answer
// to a command (issue 11) instead of the whole state, so that an Update's result, kept in the sentence's history, and
// the API's answer stay small whatever the case's age. Applying the patch to the state before gives exactly the state
// after (applyChanges; the domain replay checks every recorded answer that way).
//
// Pure and deterministic: the workflow computes it in an Update handler. Most of the state is shared between the two
// (kernel.ts copyForChange shares the ledger's rows and the timeline's entries), so a comparison stops at the first
// shared object; what a command copies is compared by its measured JSON when both states were measured (json.ts
// measure: a bounded command measures the state it leaves), else by value.
import { caseSummary, type CaseSummary } from './lifecycle.ts';
import { isObject, measuredJsonOf, present, sameJson } from './json.ts';
import type { SentenceState } from './state.ts';

export type Change = { op: 'add' | 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

/** A command's answer: the case in brief after it, and what it changed. */
export interface CommandAnswer {
  summary: CaseSummary;
  changes: Change[];
  /** A repeat of a command already applied (the same id): answered, not applied again, so nothing changed. */
  repeated?: true;
}

export function commandAnswer(before: SentenceState, after: SentenceState, repeated = false): CommandAnswer {
  return { summary: caseSummary(after), changes: stateChanges(before, after), ...(repeated && { repeated: true as const }) };
}

/** Whether an Update's result is a command's answer (from 0.5.0) rather than the whole state (before it). */
export function isCommandAnswer(result: unknown): result is CommandAnswer {
  return typeof result === 'object' && result !== null && 'changes' in result && 'summary' in result;
}

export function stateChanges(before: SentenceState, after: SentenceState): Change[] {
  const changes: Change[] = [];
  diff(before, after, '', changes);
  return changes;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A JSON Pointer's reference token (RFC 6901). */
const token = (k: string | number) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/** Whether two values a finished state holds were measured with the same JSON (json.ts measure): equal, unread. */
function sameMeasured(a: unknown, b: unknown): boolean {
  const ja = measuredJsonOf(a);
  return ja !== undefined && ja === measuredJsonOf(b);
}

function diff(a: unknown, b: unknown, path: string, out: Change[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) return diffArrays(a, b, path, out);
  if (isObject(a) && isObject(b)) {
    // A path is written only for a key whose value differs: most of a case is shared between before and after.
    for (const k of present(a)) {
      if (a[k] === b[k] || sameMeasured(a[k], b[k])) continue;
      if (b[k] === undefined) out.push({ op: 'remove', path: `${path}/${token(k)}` });
      else diff(a[k], b[k], `${path}/${token(k)}`, out);
    }
    for (const k of present(b)) if (a[k] === undefined) out.push({ op: 'add', path: `${path}/${token(k)}`, value: b[k] });
    return;
  }
  if (!sameJson(a, b)) out.push({ op: 'replace', path, value: b });
}

/**
 * How many of the first items a list lost, when `b` is `a` without them (a bounded list trimmed: the timeline, whose
 * entries are shared, or the history of risk information, whose entries a command copies: found by value).
 */
function dropped(a: readonly unknown[], b: readonly unknown[]): number {
  if (b.length === 0 || a.length === 0 || sameJson(a[0], b[0])) return 0;
  const s = a.findIndex((x, i) => i > 0 && sameJson(x, b[0]));
  if (s < 0) return 0;
  for (let i = 0; s + i < a.length && i < b.length; i++) if (!sameJson(a[s + i], b[i])) return 0;
  return s;
}

function diffArrays(a: readonly unknown[], b: readonly unknown[], path: string, out: Change[]): void {
  const s = dropped(a, b);
  for (let i = 0; i < s; i++) out.push({ op: 'remove', path: `${path}/0` });
  const rest = a.slice(s);
  const common = Math.min(rest.length, b.length);
  for (let i = 0; i < common; i++) if (rest[i] !== b[i]) diff(rest[i], b[i], `${path}/${i}`, out);
  for (let i = common; i < b.length; i++) out.push({ op: 'add', path: `${path}/${i}`, value: b[i] });
  for (let i = rest.length - 1; i >= b.length; i--) out.push({ op: 'remove', path: `${path}/${i}` });
}

/** The state a patch makes of `state` (a copy; `state` is left as it was). Throws on a patch that does not fit it. */
export function applyChanges<T>(state: T, changes: readonly Change[]): T {
  const root = { value: structuredClone(state) as Json };
  for (const c of changes) {
    const keys = c.path
      .split('/')
      .slice(1)
      .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    let parent: Record<string, Json> | Json[] = root as unknown as Record<string, Json>;
    let key: string = 'value';
    for (const k of keys) {
      const next: Json | undefined = (parent as Record<string, Json>)[key];
      if (typeof next !== 'object' || next === null) throw new Error(`no ${c.path} to change`);
      parent = next;
      key = k;
    }
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (c.op === 'add') parent.splice(i, 0, structuredClone(c.value) as Json);
      else if (c.op === 'remove') parent.splice(i, 1);
      else parent[i] = structuredClone(c.value) as Json;
    } else if (c.op === 'remove') delete parent[key];
    else parent[key] = structuredClone(c.value) as Json;
  }
  return root.value as T;
}
