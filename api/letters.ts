// Letters and reports produced from the case for the practitioner (issue 13, section 2), as PDF (pdfkit): the warning
// letter, with the content the statute requires of a warning (Sentencing Act 2020 Sch 10 para 6(4), Sch 16 para 6(4):
// domain/enforcement.ts warningContent), and the breach report to court (domain/breach-report.ts). Each is made from
// the case's own record each time it is asked for, so it is the case's and nothing personal is copied into the
// project's store. Its metadata dates are the record's (the warning, the referral), not the day it was printed.
import type { Request, Response } from 'express';
import PDFDocument from 'pdfkit';
import { breachReportOf, type BreachReport } from '../domain/breach-report.ts';
import { recommendationsFor } from '../domain/enforcement.ts';
import type { Refuse } from './cursor.ts';
import { londonDate, type IsoDate } from '../domain/dates.ts';
import type { SentenceState } from '../domain/state.ts';

/** GET /sentences/:id/letters/warning/:failureId (after the case's scope check): the letter, or 404 when no warning. */
export function warningLetter(readState: (id: string) => Promise<SentenceState>, refuse: Refuse) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params.id);
    const failureId = String(req.params.failureId);
    const pdf = warningLetterPdf(await readState(id), failureId);
    if (!pdf) throw refuse(404, `no warning was given for ${failureId} on sentence ${id}`);
    // The file is named by identifiers only.
    res
      .type('application/pdf')
      .attachment(`warning-${id}-${failureId}.pdf`)
      .send(await pdf);
  };
}

/**
 * GET /sentences/:id/letters/breach-report/:failureId[?recommendation=<code>] (after the scope check): the breach
 * report to court for a referred failure, with the officer's recommendation, one of the court's powers for the order's
 * type (domain/breach-report.ts): the one recorded with the breach action (POST .../enforcement/breach-action), kept
 * with the case; before that, a draft with the one given. The recommendation is a code, never free text, so nothing
 * personal is in the address.
 */
export function breachReport(readState: (id: string) => Promise<SentenceState>, refuse: Refuse, now: () => number) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = String(req.params.id);
    const failureId = String(req.params.failureId);
    const given = typeof req.query.recommendation === 'string' ? req.query.recommendation : undefined;
    const state = await readState(id);
    const made = breachReportOf(state, failureId, given, londonDate(now()));
    if ('none' in made) {
      if (made.none === 'not-referred') throw refuse(404, `${failureId} was not referred to court on sentence ${id}`);
      const powers = Object.keys(recommendationsFor(state.sentence.order.type)).join(', ');
      throw refuse(400, `a recommendation is needed, one of: ${powers}`, [{ path: 'recommendation', message: `one of ${powers}` }]);
    }
    res
      .type('application/pdf')
      .attachment(`breach-report-${id}-${failureId}.pdf`)
      .send(await breachReportPdf(made.report));
  };
}

/** A PDF document, its metadata dated `on` (the record's date, not the day it was printed). */
function pdfDocument(title: string, on: IsoDate, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const date = new Date(`${on}T12:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: title, CreationDate: date, ModDate: date, Producer: 'sentence-orchestrator' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(18).text(title);
  doc.moveDown().fontSize(11);
  draw(doc);
  doc.end();
  return done;
}

export function breachReportPdf(report: BreachReport): Promise<Buffer> {
  return pdfDocument(report.title, report.referredOn, (doc) => {
    for (const section of report.sections) {
      doc.moveDown().fontSize(13).text(section.heading);
      doc.fontSize(11);
      for (const line of section.lines) doc.text(line);
    }
  });
}

export function warningLetterPdf(state: SentenceState, failureId: string): Promise<Buffer> | undefined {
  // The warning given for the failure: rules 2 warnings name their failure and keep their content.
  const warning = state.compliance.warnings.find((w) => w.failureId === failureId && w.content);
  const content = warning?.content;
  if (!warning || !content) return undefined;
  const order = state.sentence.order.type === 'CO' ? 'community order' : 'suspended sentence order';
  const failure = state.compliance.failures.find((f) => f.appointmentId === failureId);
  return pdfDocument(`Warning: failure to comply with your ${order}`, warning.givenOn, (doc) => {
    doc.text(`Case: ${state.sentence.sentenceId}`);
    doc.text(`Date of this warning: ${warning.givenOn}`);
    if (failure) doc.text(`The failure: ${failure.on}`);
    doc.text(
      `Your responsible officer: ${state.offenderManagerId ?? 'not allocated'} (${state.provider.providerCode}/${state.provider.areaCode})`,
    );
    doc.moveDown().fontSize(13).text('What happened');
    doc.fontSize(11).text(content.circumstances);
    doc.moveDown().fontSize(13).text('Why this matters');
    doc.fontSize(11).text(content.unacceptable);
    doc.moveDown().text(content.consequence);
  });
}
