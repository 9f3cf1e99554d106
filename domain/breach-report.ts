// The breach report to court (issue 13, section 2): what the responsible officer puts before the court when a failure
// to comply has been referred, made from the case's own record. Pure: the case and the day in, the report's content
// out (api/letters.ts lays it out as a PDF).
//
// - Why in breach: the failure, when the officer became aware of it, the decision to refer and, where a warning was
//   in force, that the law allowed no other decision (Sentencing Act 2020 Sch 10 para 6(2) for a community order,
//   Sch 16 para 6(2) for a suspended sentence order's community requirements).
// - Steps taken: the warnings given and withdrawn, and the enforcement decisions.
// - The compliance and risk history: every appointment's outcome, and the risk information recorded.
// - The recommendation: one of the court's powers for the order's type (domain/enforcement.ts BREACH_RECOMMENDATIONS),
//   the one recorded with the breach action, or for a draft the one asked for.
import { FAILURE_SOURCES, referralsOf } from './compliance.ts';
import type { IsoDate } from './dates.ts';
import { liveWarnings, recommendationsFor } from './enforcement.ts';
import { requirementPositions } from './progress.ts';
import type { SentenceState } from './state.ts';

export interface BreachReportSection {
  heading: string;
  lines: string[];
}

export interface BreachReport {
  title: string;
  /** The day the referral was decided (the report's document date). */
  referredOn: IsoDate;
  sections: BreachReportSection[];
}

function whyInBreach(s: SentenceState, failureId: string): BreachReportSection {
  const f = s.compliance.failures.find((x) => x.appointmentId === failureId)!;
  if (f.kind === 'further-offence') {
    // Not a breach of a requirement (para 6 does not apply: no warning is possible): the conviction brings the
    // suspended sentence back before the court (Sch 16 paras 11 and 12, then para 13).
    return {
      heading: 'Why the order is before the court',
      lines: [
        `A further offence (reference ${failureId}) committed on ${f.on}, during the operational period, of which the offender has been convicted.`,
        `The officer recorded it on ${f.awareOn}. The court may deal with the suspended sentence (Sentencing Act 2020 Sch 16 paras 11 to 13).`,
      ],
    };
  }
  const schedule = s.sentence.order.type === 'CO' ? 'Sch 10' : 'Sch 16';
  const appointment = s.compliance.appointments.find((a) => a.id === failureId);
  const source = f.source && Object.hasOwn(FAILURE_SOURCES, f.source) ? FAILURE_SOURCES[f.source].what : undefined;
  const what =
    f.kind === 'requirement'
      ? `${source ?? 'a failure to comply with a requirement'} on ${f.on}`
      : appointment?.outcome
        ? `${appointment.outcome.replace(/-/g, ' ')} at the appointment on ${f.on}`
        : `a failure to comply on ${f.on}`;
  const decided = f.decision?.on ?? f.awareOn;
  const live = liveWarnings(s.compliance.warnings, decided);
  return {
    heading: 'Why the order is in breach',
    lines: [
      `The failure: ${what} (reference ${failureId}), without reasonable excuse in the responsible officer's opinion.`,
      `The officer became aware of it on ${f.awareOn} and referred it on ${decided}.`,
      live.length > 0
        ? `A warning was given on ${live.at(-1)!.givenOn}, within the 12 months before the decision: the officer had to refer the matter (Sentencing Act 2020 ${schedule} para 6(2)).`
        : `No warning was in force: the officer chose to refer rather than warn (Sentencing Act 2020 ${schedule} para 6(3)(b)).`,
    ],
  };
}

function stepsTaken(s: SentenceState): BreachReportSection {
  const warnings = s.compliance.warnings.map(
    (w) =>
      `Warning given on ${w.givenOn}${w.failureId ? ` for ${w.failureId}` : ''}` +
      (w.withdrawn ? `, withdrawn on ${w.withdrawn.on} (${w.withdrawn.reasonCode})` : ''),
  );
  const decisions = s.compliance.failures.flatMap((f) =>
    f.decision ? [`Failure ${f.appointmentId} on ${f.on}: ${f.decision.type.replace(/-/g, ' ')} on ${f.decision.on}`] : [],
  );
  const lines = [...warnings, ...decisions];
  return { heading: 'Steps taken', lines: lines.length ? lines : ['None recorded before this referral.'] };
}

function complianceHistory(s: SentenceState, today: IsoDate): BreachReportSection {
  const appointments = s.compliance.appointments.map(
    (a) => `${a.date}: appointment ${a.id}, ${a.outcome?.replace(/-/g, ' ') ?? 'no outcome yet'}`,
  );
  const progress = requirementPositions(s, today).map(
    (p) =>
      `${p.type.replace(/-/g, ' ')}: ${p.complete ? 'complete' : 'not complete'}` +
      (p.target !== undefined ? ` (${p.done ?? 0} of ${p.target} ${p.unit})` : ''),
  );
  return { heading: 'Compliance', lines: [...progress, ...(appointments.length ? appointments : ['No appointments recorded.'])] };
}

function riskHistory(s: SentenceState): BreachReportSection {
  const now =
    `Risk of serious harm now: ${s.offender.roshLevel}` +
    (s.offender.mappa ? `; MAPPA category ${s.offender.mappa.category} level ${s.offender.mappa.level}` : '');
  const records = s.risk.history.map(
    (r) =>
      `${r.on}: ${r.roshLevel} (from ${r.sourceCode})${r.mappa ? `, MAPPA ${r.mappa.category}/${r.mappa.level}` : ''}${r.increased ? ', an increase' : ''}`,
  );
  const omitted = s.risk.historyOmitted ? [`(${s.risk.historyOmitted} earlier records are in the case's full history.)`] : [];
  return { heading: 'Risk', lines: [now, ...omitted, ...records] };
}

/** Why no report can be made: the failure was not referred, or no recommendation the order's type allows is known. */
export type NoBreachReport = 'not-referred' | 'no-recommendation';

/**
 * The report for a referred failure with the officer's recommendation: the one recorded with the breach action when
 * there is one (kept with the case), else the one given (a draft), or why there can be none (a recommendation is
 * looked for first, so a request without one is told so whatever the failure).
 */
export function breachReportOf(
  s: SentenceState,
  failureId: string,
  given: string | undefined,
  today: IsoDate,
): { report: BreachReport } | { none: NoBreachReport } {
  const order = s.sentence.order.type;
  const powers: Record<string, string> = recommendationsFor(order);
  const recorded = s.compliance.failures.find((x) => x.appointmentId === failureId)?.recommendation;
  const recommendation = recorded?.code ?? given;
  if (recommendation === undefined || !Object.hasOwn(powers, recommendation)) return { none: 'no-recommendation' };
  const referral = referralsOf(s).find((r) => r.failureId === failureId);
  if (!referral) return { none: 'not-referred' };
  const actioned = referral.breachAction === 'met' || referral.breachAction === 'met-late';
  const f = s.compliance.failures.find((x) => x.appointmentId === failureId)!;
  const name = order === 'CO' ? 'community order' : 'suspended sentence order';
  const report: BreachReport = {
    title:
      f.kind === 'further-offence'
        ? `Report to court: further offence during a ${name}`
        : `Breach report: failure to comply with a ${name}`,
    referredOn: f.decision?.on ?? f.awareOn,
    sections: [
      {
        heading: 'The order',
        lines: [
          `Case ${s.sentence.sentenceId}, made on ${s.dates.sentenceDate} by court ${s.courtCode}, ends on ${s.dates.orderEnd}.`,
          `Requirements: ${s.sentence.requirements.map((r) => r.type.replace(/-/g, ' ')).join(', ') || 'none'}.`,
          `Responsible officer: ${s.offenderManagerId ?? 'not allocated'} (${s.provider.providerCode}/${s.provider.areaCode}).`,
        ],
      },
      whyInBreach(s, failureId),
      stepsTaken(s),
      complianceHistory(s, today),
      riskHistory(s),
      {
        heading: 'Recommendation',
        lines: [
          `The responsible officer recommends that the court ${powers[recommendation]}.` +
            (recorded
              ? ` (Recorded with the breach action on ${recorded.on}.)`
              : actioned
                ? ''
                : ' (A draft: no breach action is recorded yet.)'),
          ...(order === 'SSO' && !recommendation.startsWith('activate')
            ? [
                'The officer so asks the court to find that ordering the custodial term to take effect would be unjust in view of all the circumstances (Sch 16 para 14).',
              ]
            : []),
        ],
      },
    ],
  };
  return { report };
}
