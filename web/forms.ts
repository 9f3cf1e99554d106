// The case's forms (issue 13, section 2): each sends one of the API's commands, built from the form's fields. A form
// posts strings; the command's body has the API's types (numbers, booleans, a MAPPA object), so each form says how
// its fields become the body. Who did it (`by`) is the person signed in. The API validates the body: a refusal comes
// back in words, never a guess made here.
import { evidenceRows } from '../api/evidence.ts';
import { code } from '../api/schemas.ts';

/** An appointment's or a failure's id, as the API's commands take it. */
export const FAILURE_ID = code('failureId', 40);

/** Who is signed in (from the session). */
export interface FormPerson {
  id: string;
}

export interface CaseForm {
  /** The command's route under /sentences/:id/. */
  route: string;
  /** The command's body from the form's fields. */
  body: (fields: Record<string, unknown>, person: FormPerson) => Record<string, unknown>;
  /** What the page says when the case took it. */
  done: string;
  /** Why the form cannot be sent as filled in (before the API is asked), or undefined. */
  check?: (fields: Record<string, unknown>) => string | undefined;
  /** The page's id of each field the command names (where a problem with it is shown); the first leads a refusal. */
  fields: Record<string, string>;
  /** For a form repeated per appointment or failure: the id its refusal leads to, the first field of its copy. */
  first?: (appointmentId: string) => string;
}

/** The element a refusal's error summary leads to: the form's first field (its appointment's copy, for a repeated form). */
export function anchorOf(form: CaseForm, body: Record<string, unknown>): string {
  const appointment = FAILURE_ID.safeParse(body.appointmentId).data ?? '';
  return form.first?.(appointment) ?? Object.values(form.fields)[0] ?? 'main-content';
}

/** Empty fields are left out (the API's optional fields), the rest trimmed. */
export function picked(body: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((n) => (typeof body[n] === 'string' && body[n].trim() ? [[n, body[n].trim()]] : [])));
}

/** A whole number as a number; anything else as typed, for the API to refuse with its reason. */
const whole = (v: string | undefined): number | string | undefined => (v !== undefined && /^\d{1,6}$/.test(v) ? Number(v) : v);

/** The MAPPA fields: category none (no longer managed under MAPPA), a category and level, or not given. */
function mappaOf(f: Record<string, string>): Record<string, unknown> {
  if (f.mappaCategory === 'none') return { mappa: null };
  if (f.mappaCategory || f.mappaLevel) return { mappa: { category: whole(f.mappaCategory), level: whole(f.mappaLevel) } };
  return {};
}

/** The evidence details a row asks for (api/evidence.ts, from the workflow's own rules), each a text or a yes that must be true. */
export function detailFields(row: number): { name: string; label: string; yes: boolean }[] {
  const rule = evidenceRows().find((r) => r.row === row);
  return (rule?.details ?? []).map((name) => ({
    name,
    label: name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
    yes: rule!.mustBeTrue.includes(name),
  }));
}

/** An output row as GET /sentences/:id/outputs gives it (the fields the page uses). */
export interface OutputRow {
  row: number;
  applies: boolean;
  status: string;
  delivery: string;
  actionNeeded?: string;
  parts?: { id: string; applies: boolean; actionNeeded?: string }[];
}

/** Whether a person may add evidence to the row now: it applies, is not yet delivered, and is not the system's to deliver. */
export function evidenceOpen(o: OutputRow): boolean {
  const action = Boolean(o.actionNeeded || o.parts?.some((p) => p.actionNeeded));
  return o.applies && ['pending', 'due', 'overdue', 'action-needed'].includes(o.status) && (o.delivery !== 'system' || action);
}

/** The details fields of the form (`detail-<name>`): a checked yes as true, a text as given. */
function detailsOf(b: Record<string, unknown>, row: string | undefined): Record<string, string | boolean> {
  const fields = row && /^\d{1,2}$/.test(row) ? detailFields(Number(row)) : [];
  const out: Record<string, string | boolean> = {};
  for (const f of fields) {
    const v = b[`detail-${f.name}`];
    if (f.yes) out[f.name] = v === 'yes';
    else if (typeof v === 'string' && v.trim()) out[f.name] = v.trim();
  }
  return out;
}

const simple =
  (names: readonly string[]) =>
  (body: Record<string, unknown>): Record<string, unknown> =>
    picked(body, names);

export const FORMS: Record<string, CaseForm> = {
  appointments: {
    route: 'appointments',
    body: simple(['appointmentId', 'date']),
    done: 'Appointment booked',
    fields: { appointmentId: 'appointmentId', date: 'date' },
  },
  outcome: {
    route: 'appointments/outcome',
    body: simple(['appointmentId', 'outcome', 'reason']),
    done: 'Outcome recorded',
    fields: {},
    first: (a) => `outcome-${a}`,
  },
  decision: {
    route: 'enforcement/decision',
    body: simple(['appointmentId', 'decision', 'circumstances', 'responseDueOn']),
    done: 'Enforcement decision recorded',
    fields: {},
    first: (a) => `decision-${a}`,
  },
  // Breach action on a referral, with the recommendation to the court the breach report is then made with.
  'breach-action': {
    route: 'enforcement/breach-action',
    body: simple(['appointmentId', 'recommendation']),
    done: 'Breach action recorded',
    check: (b) => (typeof b.recommendation === 'string' && b.recommendation ? undefined : 'Choose your recommendation to the court'),
    fields: {},
    first: (a) => `recommendation-${a}`,
  },
  // From the case page (a staff id) or the team page (an officer chosen by workload, or another officer's staff id).
  allocation: {
    route: 'allocation',
    body: (b) => {
      const f = picked(b, ['offenderManagerId', 'otherOffenderManagerId']);
      const id = f.otherOffenderManagerId ?? f.offenderManagerId;
      return id === undefined ? {} : { offenderManagerId: id };
    },
    done: 'Case allocated',
    fields: { offenderManagerId: 'offenderManagerId' },
  },
  evidence: {
    route: 'outputs/evidence',
    body: (b, person) => {
      const f = picked(b, ['row', 'part', 'on', 'what', 'reference']);
      const details = detailsOf(b, f.row);
      return { ...f, row: whole(f.row), by: person.id, ...(Object.keys(details).length > 0 && { details }) };
    },
    done: 'Evidence recorded',
    fields: { what: 'evidence-what', reference: 'evidence-reference', on: 'evidence-on', part: 'evidence-part' },
  },
  risk: {
    route: 'risk',
    body: (b, person) => {
      const f = picked(b, ['roshLevel', 'mappaCategory', 'mappaLevel', 'sourceCode', 'assessmentTool', 'on']);
      const { mappaCategory: _c, mappaLevel: _l, ...rest } = f;
      return { ...rest, ...mappaOf(f), escalationSuggested: b.escalationSuggested === 'yes', by: person.id };
    },
    done: 'Risk information recorded',
    fields: { roshLevel: 'risk-rosh', sourceCode: 'risk-source', assessmentTool: 'risk-tool' },
  },
  transfer: {
    route: 'transfers',
    body: (b, person) => ({ ...picked(b, ['transferId', 'toProviderCode', 'toAreaCode', 'toCourtCode', 'reasonCode']), by: person.id }),
    done: 'Transfer requested',
    fields: {
      transferId: 'transfer-id',
      toProviderCode: 'transfer-provider',
      toAreaCode: 'transfer-area',
      toCourtCode: 'transfer-court',
      reasonCode: 'transfer-reason',
    },
  },
};
