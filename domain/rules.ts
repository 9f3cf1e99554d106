// The project's reading of the law and the specification, versioned. Correcting a rule changes what a running case
// would decide, so a correction is a new version: a sentence computes with the version its workflow began with
// (recorded in its input, as the calendar is) and moves to the newest at its next continue-as-new (recorded in the
// next run's input), so that every recorded history replays as it ran. Each rule that changed says which version it
// belongs to (`rulesOf(s) >= n`).
import { copyForChange, log } from './kernel.ts';
import type { SentenceState } from './state.ts';

export const RULES_VERSIONS = [
  { version: 1, release: '0.1.0', summary: 'the rules as released up to 0.4.0' },
  {
    version: 2,
    release: '0.5.0',
    summary:
      "issue 12's corrections: a warning counted back from the officer's decision (Sch 10/16 para 6(2)); no outcome of an appointment still to come but an acceptable absence or a rescheduling; the NPS cannot decline a case it assesses as high or very high RoSH (row 30)",
  },
] as const;

export type RulesVersion = (typeof RULES_VERSIONS)[number]['version'];
export const FIRST_RULES: RulesVersion = 1;
export const CURRENT_RULES: RulesVersion = 2;

export const isKnownRulesVersion = (v: number): v is RulesVersion => RULES_VERSIONS.some((r) => r.version === v);

/** The rules a sentence computes with: states from before versioning have the first. */
export const rulesOf = (s: Pick<SentenceState, 'rules'>): number => s.rules ?? FIRST_RULES;

/** The sentence moves to a newer version of the rules (at continue-as-new); an older or unknown version is refused. */
export function adoptRules(state: SentenceState, version: number, nowMs: number): SentenceState {
  if (version === rulesOf(state)) return state;
  if (!isKnownRulesVersion(version)) throw new RangeError(`unknown rules version ${version}`);
  if (version < rulesOf(state)) throw new RangeError(`rules version ${version} is older than ${rulesOf(state)}`);
  const s = copyForChange(state);
  s.rules = version;
  log(s, nowMs, 'rules-adopted', `rules version ${version} (was ${rulesOf(state)}) for decisions from now on`);
  return s;
}
