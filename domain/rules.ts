// The project's reading of the law and the specification, versioned. Correcting a rule changes what a running case
// would decide, so a correction is a new version: a sentence computes with the version its workflow began with
// (recorded in its input, as the calendar is) and moves to the newest at its next continue-as-new (recorded in the
// next run's input), so that every recorded history replays as it ran. Each rule that changed says which version it
// belongs to (`rulesOf(s) >= n`).

export const RULES_VERSIONS = [
  { version: 1, release: '0.1.0', summary: 'the rules as released up to 0.4.0' },
  {
    version: 2,
    release: '0.5.0',
    summary:
      "issue 12's corrections: plan, review and end-of-sentence-review deadlines only where their output applies (rows 8, 32, 34); a warning counted back from the officer's decision (Sch 10/16 para 6(2)); no outcome of an appointment still to come but an acceptable absence or a rescheduling; the NPS cannot decline a case it assesses as high or very high RoSH (row 30); row 15 for women under threat of domestic abuse, not every woman; row 19's MAPPA part for registered sex offenders (CJA 2003 s.327(2)); row 12 names the schemes recorded (MAPPA, IOM, PPO, MARAC, care programme); a community order whose end date passes with unpaid work outstanding stays in force until the hours are worked or the court revokes it (s.220); a bare early termination is refused: an order ends early by the court or by the officer under the 2026 Act ss.38-39; row 35 tells each agency row 2 told, one message each; rows 29 (reassessment) and 33 (home visit, while it applies) are asked for again in each review cycle; the induction may be booked as an appointment, before allocation too, and a failure to attend it enters the enforcement path; failures reported against requirements (curfew or monitoring violations, drug and alcohol tests, leaving the residence, removal from a placement, a programme session missed) enter the same decision path; the officer's power to end an order (2026 Act ss.38-39) is the law on the day the officer acts, whenever the order was made (SI 2026/402 has no saving provision), and its plan condition applies only where a plan was prepared; a warning may be withdrawn, and then no longer counts; an SSO whose supervision period ends before its operational period has its end-of-sentence review (row 34) and the partner agencies' notice (row 35) then, and closes when the operational period ends (s.286(2)-(3)); row 7 (communication enabled) is asked for at the induction, the planning and each review; a response awaited may show a reasonable excuse, accepted as such: no breach, the failure no longer counted, the unpaid work credit it lost restored (Sch 10/16 para 6(1), Sch 9 para 3A)",
  },
] as const;

export type RulesVersion = (typeof RULES_VERSIONS)[number]['version'];
export const FIRST_RULES: RulesVersion = 1;
export const CURRENT_RULES: RulesVersion = 2;

export const isKnownRulesVersion = (v: number): v is RulesVersion => RULES_VERSIONS.some((r) => r.version === v);

/** The rules a sentence computes with: states from before versioning have the first. */
export const rulesOf = (s: { rules?: number | undefined }): number => s.rules ?? FIRST_RULES;

/**
 * Whether a deadline that serves an output row exists for this case: since rules 2 only where the row applies (a
 * case whose responsible officer is the EM provider has no plan, review or end-of-sentence review; issue 12).
 */
export function deadlineServes(
  s: { rules?: number | undefined; outputs: readonly { row: number; applies: boolean }[] },
  row: number,
): boolean {
  return rulesOf(s) < 2 || s.outputs.find((o) => o.row === row)?.applies !== false;
}
