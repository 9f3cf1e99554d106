import { describe, expect, it } from 'vitest';
import { policyByVersion, TIMESCALES, timescalesFor, type TimescalesPolicy } from '../../domain/policy.ts';

const base = TIMESCALES[0]!;
const table: TimescalesPolicy[] = [
  { ...base, version: 'v2014', effectiveFrom: '2014-01-01', firstAppointmentBusinessDays: 5 },
  { ...base, version: 'v2027', effectiveFrom: '2027-04-01', firstAppointmentBusinessDays: 3 },
  { ...base, version: 'v2020', effectiveFrom: '2020-06-01', firstAppointmentBusinessDays: 4 },
];

describe('timescales policy by sentence date', () => {
  it('applies the version in force on the sentence date, whatever the table order', () => {
    expect(timescalesFor('2019-12-31', table).version).toBe('v2014');
    expect(timescalesFor('2020-05-31', table).version).toBe('v2014');
    expect(timescalesFor('2020-06-01', table).version).toBe('v2020');
    expect(timescalesFor('2027-03-31', table).version).toBe('v2020');
    expect(timescalesFor('2027-04-01', table).version).toBe('v2027');
  });

  it('refuses a date before any version', () => {
    expect(() => timescalesFor('2013-12-31', table)).toThrow(/no timescales policy/);
  });

  it('holds the national timescales for sentences today', () => {
    const p = timescalesFor('2026-11-23');
    expect(p.firstAppointmentBusinessDays).toBe(5);
    expect(p.planBusinessDaysAfterFirstAppointment).toBe(15);
    expect(p.reviewCycleWeeks).toBeGreaterThan(0);
    expect(policyByVersion(p.version)).toBe(p);
    expect(() => policyByVersion('nope')).toThrow();
  });

  it('has unique versions', () => {
    expect(new Set(TIMESCALES.map((t) => t.version)).size).toBe(TIMESCALES.length);
  });
});
