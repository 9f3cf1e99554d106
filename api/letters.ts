// Letters produced from the case for the practitioner (issue 13, section 2): the warning letter, with the content the
// statute requires of a warning (Sentencing Act 2020 Sch 10 para 6(4), Sch 16 para 6(4): domain/enforcement.ts
// warningContent), as a PDF (pdfkit). It is made from the case's own record of the warning each time it is asked for,
// so the letter is the case's and nothing personal is copied into the project's store. Its metadata dates are the
// warning's, not the day it was printed.
import type { Request, Response } from 'express';
import PDFDocument from 'pdfkit';
import type { SentenceState } from '../domain/state.ts';

/** GET /sentences/:id/letters/warning/:failureId (after the case's scope check): the letter, or 404 when no warning. */
export function warningLetter(readState: (id: string) => Promise<SentenceState>, refuse: (status: number, message: string) => Error) {
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

export function warningLetterPdf(state: SentenceState, failureId: string): Promise<Buffer> | undefined {
  // The warning given for the failure: rules 2 warnings name their failure and keep their content.
  const warning = state.compliance.warnings.find((w) => w.failureId === failureId && w.content);
  const content = warning?.content;
  if (!warning || !content) return undefined;
  const order = state.sentence.order.type === 'CO' ? 'community order' : 'suspended sentence order';
  const failure = state.compliance.failures.find((f) => f.appointmentId === failureId);
  const given = new Date(`${warning.givenOn}T12:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `Warning: failure to comply with your ${order}`,
      CreationDate: given,
      ModDate: given,
      Producer: 'sentence-orchestrator',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(18).text(`Warning: failure to comply with your ${order}`);
  doc.moveDown().fontSize(11);
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
  doc.end();
  return done;
}
