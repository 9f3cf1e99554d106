// Conformance across cases: per output row, how many cases it applied to and how it went. What a commissioner
// audits ("Contract Management and/or Audit"). Pure: it aggregates ledgers, wherever they were read from.
import type { IsoDate } from '../dates.ts';
import { OUTPUTS, type OutputType } from './catalogue.ts';
import type { LedgerEntry } from './ledger.ts';

/** What a case contributes to the read model behind the report: codes and statuses only, no evidence text. */
export interface LedgerSummary {
  sentenceId: string;
  /** Increases with every change the workflow publishes; a store keeps the highest. */
  seq: number;
  orderType: 'CO' | 'SSO';
  sentenceDate: IsoDate;
  areaCode: string;
  providerCode: string;
  phase: string;
  outputs: Pick<LedgerEntry, 'row' | 'applies' | 'status' | 'trigger' | 'openSince'>[];
}

export interface ConformanceFilter {
  area?: string;
  provider?: string;
  orderType?: 'CO' | 'SSO';
  from?: IsoDate;
  to?: IsoDate;
}

export function matchesFilter(s: Omit<LedgerSummary, 'seq' | 'outputs' | 'phase' | 'sentenceId'>, f: ConformanceFilter): boolean {
  return (
    (!f.area || s.areaCode === f.area) &&
    (!f.provider || s.providerCode === f.provider) &&
    (!f.orderType || s.orderType === f.orderType) &&
    (!f.from || s.sentenceDate >= f.from) &&
    (!f.to || s.sentenceDate <= f.to)
  );
}

export interface ConformanceRow {
  row: number;
  summary: string;
  type: OutputType;
  /** Cases the output applied to (contingent outputs: only once their event happened, i.e. they were acted on). */
  applied: number;
  onTime: number;
  late: number;
  /** Overdue, or a system delivery that needs action. */
  overdue: number;
  notPossible: number;
  /** Applied and not yet due, or due and not yet done. */
  open: number;
}

export interface ConformanceReport {
  cases: number;
  rows: ConformanceRow[];
}

type Counted = Pick<LedgerEntry, 'row' | 'applies' | 'status' | 'trigger' | 'openSince'>;

/**
 * Whether an output counts in the report: it applies and, if contingent, its event has happened (it is open, or was
 * acted on). The SQL read model (store/) states the same rule in its query.
 */
export function isCounted(e: Counted): boolean {
  if (!e.applies) return false;
  const untriggered = e.trigger !== undefined && e.status === 'pending' && !e.openSince;
  return !untriggered;
}

/** The report from the number of counted outputs per row and status (however they were counted). */
export function conformanceOf(cases: number, counts: readonly { row: number; status: string; n: number }[]): ConformanceReport {
  const rows = OUTPUTS.map((o): ConformanceRow => ({
    row: o.row,
    summary: o.summary,
    type: o.type,
    applied: 0,
    onTime: 0,
    late: 0,
    overdue: 0,
    notPossible: 0,
    open: 0,
  }));
  for (const { row, status, n } of counts) {
    const r = rows[row - 1]!;
    r.applied += n;
    switch (status) {
      case 'done':
        r.onTime += n;
        break;
      case 'late':
        r.late += n;
        break;
      case 'overdue':
      case 'action-needed':
        r.overdue += n;
        break;
      case 'not-possible':
        r.notPossible += n;
        break;
      default:
        r.open += n;
    }
  }
  return { cases, rows };
}

export function conformance(ledgers: readonly (readonly Counted[])[]): ConformanceReport {
  const counts = new Map<string, { row: number; status: string; n: number }>();
  for (const ledger of ledgers) {
    for (const e of ledger) {
      if (!isCounted(e)) continue;
      const key = `${e.row}/${e.status}`;
      const c = counts.get(key) ?? { row: e.row, status: e.status, n: 0 };
      c.n++;
      counts.set(key, c);
    }
  }
  return conformanceOf(ledgers.length, [...counts.values()]);
}

/** The read-model summary of a case (seq is set by the publisher). */
export function ledgerSummary(
  s: {
    sentence: { sentenceId: string; order: { type: 'CO' | 'SSO' } };
    provider: { areaCode: string; providerCode: string };
    dates: { sentenceDate: IsoDate };
    phase: string;
    outputs: readonly LedgerEntry[];
  },
  seq: number,
): LedgerSummary {
  return {
    sentenceId: s.sentence.sentenceId,
    seq,
    orderType: s.sentence.order.type,
    sentenceDate: s.dates.sentenceDate,
    areaCode: s.provider.areaCode,
    providerCode: s.provider.providerCode,
    phase: s.phase,
    outputs: s.outputs.map((e) => ({
      row: e.row,
      applies: e.applies,
      status: e.status,
      ...(e.trigger ? { trigger: e.trigger } : {}),
      ...(e.openSince ? { openSince: e.openSince } : {}),
    })),
  };
}
