// Who may see a limited-access case, changed by command (as HMPPS' restricted and excluded cases are, by the area's
// manager): the lists start with the sentence (SentenceInput.access) and this command replaces either. The API
// enforces them on every read, list and command (auth/principal.ts allowedByAccess) from the search attributes the
// workflow recomputes after each command (contracts' searchAttributeUpdates). Staff ids only, never names.
import { defineCommand, OPEN_PHASES } from './command.ts';
import { codeProblem, log } from './kernel.ts';
import type { SentenceState } from './state.ts';

export interface AccessChange {
  /** Only these staff may see the case; [] lifts the restriction. Absent: unchanged. */
  restrictedTo?: string[];
  /** These staff must never see the case; [] clears the list. Absent: unchanged. */
  excluded?: string[];
}

/** At most this many staff on either list (the same bound as at start). */
export const ACCESS_LIST_MAX = 50;

function listProblem(field: string, list: unknown): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length > ACCESS_LIST_MAX) return `${field} must be a list of at most ${ACCESS_LIST_MAX} staff ids`;
  for (const id of list) {
    const why = codeProblem(field, id);
    if (why) return why;
  }
  return undefined;
}

/** The lists as they would stand after the change. */
function after(s: SentenceState, a: AccessChange): Required<AccessChange> {
  return {
    restrictedTo: a.restrictedTo ?? s.sentence.access?.restrictedTo ?? [],
    excluded: a.excluded ?? s.sentence.access?.excluded ?? [],
  };
}

function accessProblem(s: SentenceState, a: AccessChange): string | undefined {
  if (a.restrictedTo === undefined && a.excluded === undefined) return 'name restrictedTo, excluded or both';
  const why = listProblem('restrictedTo', a.restrictedTo) ?? listProblem('excluded', a.excluded);
  if (why) return why;
  const next = after(s, a);
  const both = next.restrictedTo.find((id) => next.excluded.includes(id));
  if (both) return `staff ${both} cannot be both allowed and excluded`;
  // The case must stay visible to the person who holds it: reallocate first.
  const om = s.offenderManagerId;
  if (om && next.excluded.includes(om)) return `the offender manager holding the case (${om}) cannot be excluded; reallocate it first`;
  if (om && next.restrictedTo.length > 0 && !next.restrictedTo.includes(om))
    return `a restricted case must remain visible to its offender manager (${om}): include them in restrictedTo`;
  return undefined;
}

const setCaseAccess = defineCommand<AccessChange>()({
  phases: OPEN_PHASES,
  dateField: null,
  reject: (s, a) => accessProblem(s, a),
  apply: (s, a, { nowMs }) => {
    const next = after(s, a);
    s.sentence.access = {
      ...(next.restrictedTo.length > 0 && { restrictedTo: [...new Set(next.restrictedTo)] }),
      ...(next.excluded.length > 0 && { excluded: [...new Set(next.excluded)] }),
    };
    if (!s.sentence.access.restrictedTo && !s.sentence.access.excluded) delete s.sentence.access;
    const r = s.sentence.access?.restrictedTo?.length ?? 0;
    const x = s.sentence.access?.excluded?.length ?? 0;
    log(s, nowMs, 'access-changed', `limited access: ${r ? `restricted to ${r} named staff` : 'not restricted'}, ${x} excluded`);
  },
});

export const ACCESS_COMMANDS = { 'set-case-access': setCaseAccess };
