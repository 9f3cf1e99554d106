// Conformance across cases: per output row, how many cases it applied to and how it went. What a commissioner
// audits ("Contract Management and/or Audit"). Pure: it aggregates ledgers, wherever they were read from.
import type { IsoDate } from '../dates';
import { OUTPUTS, type OutputType } from './catalogue';
import type { LedgerEntry } from './ledger';

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

export function conformance(
  ledgers: readonly (readonly Pick<LedgerEntry, 'row' | 'applies' | 'status' | 'trigger' | 'openSince'>[])[],
): ConformanceReport {
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
  for (const ledger of ledgers) {
    for (const e of ledger) {
      if (!e.applies) continue;
      // A contingent output counts once its event has happened (it is open, or was acted on).
      const untriggered = e.trigger !== undefined && e.status === 'pending' && !e.openSince;
      if (untriggered) continue;
      const r = rows[e.row - 1]!;
      r.applied++;
      switch (e.status) {
        case 'done':
          r.onTime++;
          break;
        case 'late':
          r.late++;
          break;
        case 'overdue':
        case 'action-needed':
          r.overdue++;
          break;
        case 'not-possible':
          r.notPossible++;
          break;
        default:
          r.open++;
      }
    }
  }
  return { cases: ledgers.length, rows };
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
