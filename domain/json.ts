// JSON-plain values compared and measured: the state of a case is JSON (it travels in Temporal payloads), and what a
// command leaves unchanged is shared with the state before it, so a comparison stops at the first shared object.

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** What JSON keeps of an object: keys whose values are not undefined. */
export const present = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);

/** Equal as JSON (undefined keys absent), by reference first. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const ka = present(a);
  return ka.length === present(b).length && ka.every((k) => b[k] !== undefined && sameJson(a[k], b[k]));
}

/**
 * The JSON of each object a finished state holds, kept once measured (bounds.ts stateBytes): a state, once a command
 * or the passage of time has made it, is never changed (every change works on kernel.ts copyForChange's copy), so
 * what it shares with the next state is neither serialised nor compared again. Only finished states are measured;
 * anything else is serialised afresh.
 */
const measuredJson = new WeakMap<object, { json: string; bytes: number }>();

/** A finished value's JSON and its UTF-8 length, measured once. */
export function measure(v: unknown): { json: string; bytes: number } {
  if (typeof v !== 'object' || v === null) {
    const json = JSON.stringify(v);
    return { json, bytes: utf8Length(json) };
  }
  let m = measuredJson.get(v);
  if (!m) {
    const json = JSON.stringify(v);
    measuredJson.set(v, (m = { json, bytes: utf8Length(json) }));
  }
  return m;
}

/** The JSON of a value already measured, else undefined. */
export const measuredJsonOf = (v: unknown): string | undefined =>
  typeof v === 'object' && v !== null ? measuredJson.get(v)?.json : undefined;

/**
 * The UTF-8 length of a string, counted without encoding it (the workflow sandbox's TextEncoder is written in
 * JavaScript, and a state is measured at every command). JSON.stringify writes no lone surrogate, so a surrogate is
 * half of a pair: four bytes the pair.
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdfff)
      n += 1; // each half of a pair: 2 units, 4 bytes
    else n += 2;
  }
  return n;
}
