// The breach report to court (domain/breach-report.ts): made only for a referred failure, with a recommendation among
// the court's powers for the order's type, and saying why the order is in breach, what was done before, and the
// compliance and risk history.
import { describe, expect, it } from 'vitest';
import { breachReportOf, type BreachReport } from '../../domain/breach-report.ts';
import { referralsOf } from '../../domain/compliance.ts';
import { recommendationsFor } from '../../domain/enforcement.ts';
import { currentCalendarVersion } from '../../domain/calendar/index.ts';
import { periodEnd } from '../../domain/dates.ts';
import { commence, rejectionReason, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { communityOrder, suspendedSentence } from '../support/fixtures.ts';
import { applyOn, at } from '../support/scenario.ts';

const SD = '2027-01-04';

/** The report made, or the test fails saying why none was. */
function reportOf(...args: Parameters<typeof breachReportOf>): BreachReport {
  const made = breachReportOf(...args);
  if ('none' in made) throw new Error(`no report: ${made.none}`);
  return made.report;
}

const allocated = (order: 'CO' | 'SSO'): SentenceState =>
  applyOn(
    commence(
      order === 'CO' ? communityOrder(SD, periodEnd(SD, 24)) : suspendedSentence(SD, 24, 18),
      'h',
      at(SD),
      currentCalendarVersion(),
      2,
    ),
    { type: 'allocate', offenderManagerId: 'OM1' },
    SD,
  );

/** Two unacceptable absences: a warning for the first, and the second (within its 12 months) referred. */
function referred(order: 'CO' | 'SSO'): SentenceState {
  const steps: [Command, string][] = [
    [{ type: 'record-appointment', appointmentId: 'a1', date: '2027-01-11' }, SD],
    [{ type: 'record-appointment-outcome', appointmentId: 'a1', outcome: 'unacceptable-absence' } as Command, '2027-01-11'],
    [
      { type: 'record-enforcement-decision', appointmentId: 'a1', decision: 'warning', circumstances: 'Did not attend' } as Command,
      '2027-01-12',
    ],
    [{ type: 'record-appointment', appointmentId: 'a2', date: '2027-02-15' }, '2027-01-12'],
    [{ type: 'record-appointment-outcome', appointmentId: 'a2', outcome: 'unacceptable-absence' } as Command, '2027-02-15'],
    [{ type: 'record-enforcement-decision', appointmentId: 'a2', decision: 'referral' } as Command, '2027-02-16'],
  ];
  return steps.reduce((s, [c, on]) => applyOn(s, c, on), allocated(order));
}

describe('the breach report', () => {
  it('is made for a referred failure only, with a recommendation the order type allows', () => {
    const s = referred('CO');
    expect(referralsOf(s).map((r) => r.failureId)).toEqual(['a2']);
    expect(breachReportOf(s, 'a1', 'fine', '2027-02-17')).toEqual({ none: 'not-referred' });
    expect(breachReportOf(s, 'a2', 'activate-in-full', '2027-02-17')).toEqual({ none: 'no-recommendation' });
    expect(Object.keys(recommendationsFor('CO'))).toEqual(['more-onerous-requirements', 'fine', 'revoke-and-resentence']);
    expect(Object.keys(recommendationsFor('SSO'))).toEqual([
      'activate-in-full',
      'activate-in-part',
      'fine',
      'more-onerous-requirements',
      'extend-periods',
    ]);
  });

  it('says why the order is in breach, the steps taken, the compliance and risk history, and the recommendation', () => {
    const report = reportOf(referred('CO'), 'a2', 'more-onerous-requirements', '2027-02-17');
    expect(report.title).toBe('Breach report: failure to comply with a community order');
    expect(report.referredOn).toBe('2027-02-16');
    expect(report.sections.map((x) => x.heading)).toEqual([
      'The order',
      'Why the order is in breach',
      'Steps taken',
      'Compliance',
      'Risk',
      'Recommendation',
    ]);
    const section = (heading: string) => report.sections.find((x) => x.heading === heading)!.lines;
    expect(section('Why the order is in breach')).toEqual([
      "The failure: unacceptable absence at the appointment on 2027-02-15 (reference a2), without reasonable excuse in the responsible officer's opinion.",
      'The officer became aware of it on 2027-02-15 and referred it on 2027-02-16.',
      'A warning was given on 2027-01-12, within the 12 months before the decision: the officer had to refer the matter (Sentencing Act 2020 Sch 10 para 6(2)).',
    ]);
    expect(section('Steps taken')).toEqual([
      'Warning given on 2027-01-12 for a1',
      'Failure a1 on 2027-01-11: warning on 2027-01-12',
      'Failure a2 on 2027-02-15: referral on 2027-02-16',
    ]);
    expect(section('Compliance')).toContain('2027-01-11: appointment a1, unacceptable absence');
    expect(section('Compliance')).toContain('2027-02-15: appointment a2, unacceptable absence');
    expect(section('Risk')[0]).toBe('Risk of serious harm now: medium');
    expect(section('Recommendation')).toEqual([
      'The responsible officer recommends that the court amend the order to impose more onerous requirements (Sch 10 para 10(5)(a), para 11(2)(a)). (A draft: no breach action is recorded yet.)',
    ]);
  });

  it('keeps the recommendation given with the breach action, and makes the report with it', () => {
    const s = referred('CO');
    const action = (recommendation: string): Command =>
      ({ type: 'record-breach-action', appointmentId: 'a2', recommendation }) as unknown as Command;
    expect(rejectionReason(s, action('activate-in-full'), at('2027-02-17'))).toBe(
      'a recommendation for a CO is one of: more-onerous-requirements, fine, revoke-and-resentence',
    );
    const actioned = applyOn(s, action('revoke-and-resentence'), '2027-02-17');
    expect(actioned.compliance.failures.find((f) => f.appointmentId === 'a2')!.recommendation).toEqual({
      code: 'revoke-and-resentence',
      on: '2027-02-17',
    });
    expect(actioned.timeline.at(-1)!.detail).toContain(
      'breach action taken on 2027-02-17 for appointment a2, recommending revoke-and-resentence',
    );
    // The recorded one is the report's, whatever a caller asks for.
    for (const given of [undefined, 'fine']) {
      const report = reportOf(actioned, 'a2', given, '2027-02-18');
      expect(report.sections.at(-1)!.lines[0]).toMatch(
        /^The responsible officer recommends that the court revoke the order .* \(Recorded with the breach action on 2027-02-17\.\)$/,
      );
    }
    // Breach action taken without a recommendation (before 0.5.0): a report needs one given, and is not called a draft.
    const without = applyOn(s, { type: 'record-breach-action', appointmentId: 'a2' } as Command, '2027-02-17');
    expect(breachReportOf(without, 'a2', undefined, '2027-02-18')).toEqual({ none: 'no-recommendation' });
    expect(reportOf(without, 'a2', 'fine', '2027-02-18').sections.at(-1)!.lines[0]).toMatch(
      /\(Sch 10 para 10\(5\)\(b\), para 11\(2\)\(b\)\)\.$/,
    );
  });

  it('reports a further offence during an SSO as before the court on conviction, not as a para 6 breach', () => {
    const s = applyOn(
      allocated('SSO'),
      { type: 'record-further-offence', offenceId: 'f1', offenceOn: '2027-02-01', convictedOn: '2027-03-01', by: 'OM1' } as Command,
      '2027-03-02',
    );
    expect(referralsOf(s).map((r) => r.failureId)).toEqual(['f1']);
    const report = reportOf(s, 'f1', 'fine', '2027-03-03');
    expect(report.title).toBe('Report to court: further offence during a suspended sentence order');
    const why = report.sections[1]!;
    expect(why.heading).toBe('Why the order is before the court');
    expect(why.lines.join(' ')).not.toContain('para 6');
    expect(why.lines[0]).toBe(
      'A further offence (reference f1) committed on 2027-02-01, during the operational period, of which the offender has been convicted.',
    );
    // A recommendation other than activation asks the court to find activation unjust (para 14).
    expect(report.sections.at(-1)!.lines[1]).toBe(
      'The officer so asks the court to find that ordering the custodial term to take effect would be unjust in view of all the circumstances (Sch 16 para 14).',
    );
  });

  it('cites Schedule 16 for a suspended sentence order, and offers its powers', () => {
    const report = reportOf(referred('SSO'), 'a2', 'activate-in-part', '2027-02-17');
    expect(report.title).toBe('Breach report: failure to comply with a suspended sentence order');
    expect(report.sections.find((x) => x.heading === 'Why the order is in breach')!.lines[2]).toContain('Sch 16 para 6(2)');
    expect(report.sections.at(-1)!.lines).toEqual([
      'The responsible officer recommends that the court order that the suspended sentence take effect with a lesser term (Sch 16 para 13(1)(b)). (A draft: no breach action is recorded yet.)',
    ]);
  });
});
