// What evidence each National Minimum output row takes (POST /sentences/:id/outputs/evidence), told from the
// definitions the workflow checks it with: the rows and their parts (domain/outputs/catalogue.ts), the details each
// row needs and those that must be true (domain/outputs/ledger.ts). The OpenAPI document and the README's table
// (checked by test/unit/openapi.test.ts) and the web service's evidence form (web/forms.ts) are made from here.
import { OUTPUTS } from '../domain/outputs/catalogue.ts';
import { EVIDENCE_FIELDS, MUST_BE_TRUE } from '../domain/outputs/ledger.ts';

export interface EvidenceRow {
  row: number;
  summary: string;
  /** `system`: delivered and evidenced by the system; a person records evidence only once a delivery needs action. */
  delivery: 'system' | 'manager';
  /** The ids of the row's parts: evidence names one as `part` (rows recorded per part only). */
  parts: string[];
  /** The `details` the evidence must carry (non-empty). */
  details: string[];
  /** Of those, the ones that must be `true`. */
  mustBeTrue: string[];
}

export const evidenceRows = (): EvidenceRow[] =>
  OUTPUTS.map((o) => ({
    row: o.row,
    summary: o.summary,
    delivery: o.delivery,
    parts: (o.subEntries ?? []).map((s) => s.id),
    details: EVIDENCE_FIELDS[o.row] ?? [],
    mustBeTrue: MUST_BE_TRUE[o.row] ?? [],
  }));

/** Every part id, of every row that has parts. */
export const partIds = () => [...new Set(evidenceRows().flatMap((r) => r.parts))];

/** Every detail a row asks for, with whether it must be true (a boolean) and the rows that ask for it. */
export function detailFields(): Record<string, { rows: number[]; mustBeTrue: boolean }> {
  const fields: Record<string, { rows: number[]; mustBeTrue: boolean }> = {};
  for (const r of evidenceRows()) {
    for (const d of r.details) {
      const f = (fields[d] ??= { rows: [], mustBeTrue: false });
      f.rows.push(r.row);
      f.mustBeTrue ||= r.mustBeTrue.includes(d);
    }
  }
  return fields;
}

const list = (xs: string[]) => (xs.length === 0 ? 'none' : xs.map((x) => `\`${x}\``).join(', '));

/**
 * The rows that need more than `what`, `by` and `on`, as a Markdown table: the details they need (those marked
 * `= true` must be true) and the ids of their parts. Rows not listed take evidence with no details and no part.
 */
export function evidenceTable(): string {
  const rows = evidenceRows().filter((r) => r.details.length > 0 || r.parts.length > 0);
  return [
    '| row | output | `details` needed | `part` (one of) |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.row} | ${r.summary}${r.delivery === 'system' ? ' (system: evidence by a person only once a delivery needs action)' : ''} | ${list(
          r.details.map((d) => (r.mustBeTrue.includes(d) ? `${d} = true` : d)),
        )} | ${list(r.parts)} |`,
    ),
  ].join('\n');
}
