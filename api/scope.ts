// The caller's scope applied to cases (auth/principal.ts): a case outside it answers 404, as if it did not exist; the
// conformance report is kept to the caller's areas; an auditor reads the outputs ledger without its free text.
import type { NextFunction, Request, Response } from 'express';
import { ALL_AREAS, allowedByAccess, type Principal } from '../auth/principal.ts';
import { canSee, type Holding, type Viewer } from '../domain/visibility.ts';
import type { Evidence } from '../domain/outputs/ledger.ts';
import { readsOnlyWhatItStarted } from '../auth/policy.ts';
import { AuthError, principal, visible } from './auth.ts';

/** Where a case is held now (its search attributes), or undefined when there is no such case. */
export type WhereHeld = (sentenceId: string) => Promise<(Holding & { status?: string }) | undefined>;

export class NotFound extends Error {}

export async function assertCaseVisible(whereHeld: WhereHeld, res: Response, sentenceId: string): Promise<void> {
  const held = await whereHeld(sentenceId);
  // Out of scope, or a limited-access case kept from the caller: answered as if there were no such case.
  if (!held || !canSee(viewerOf(principal(res)), held)) throw new NotFound(`no sentence ${sentenceId}`);
}

/** The caller as the rule of who sees a case knows them (domain/visibility.ts), for the API and the workflow alike. */
export function viewerOf(p: Principal): Viewer {
  return {
    id: p.id,
    kind: p.kind,
    ...(p.provider !== undefined && { provider: p.provider }),
    areas: p.areas,
    // A case system reads what it started (auth/policy.ts readsOnlyWhatItStarted); any other role reads by scope alone.
    ...(readsOnlyWhatItStarted(p) && { onlyStartedBy: p.clientId }),
  };
}

/** Where an approved transfer is going, when one with this id awaits the receiving side's response. */
export type TransferTarget = (sentenceId: string, transferId: string) => Promise<{ providerCode: string; areaCode: string } | undefined>;

/**
 * Route middleware for the response to a transfer: the case's own scope, or else the receiving side's. A transfer is
 * accepted or rejected by the area it goes to, which does not hold the case yet.
 */
export function receivingScope(whereHeld: WhereHeld, target: TransferTarget) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const id = String(req.params.id);
    try {
      await assertCaseVisible(whereHeld, res, id);
    } catch (e) {
      const transferId = (req.body as { transferId?: unknown } | undefined)?.transferId;
      if (!(e instanceof NotFound) || typeof transferId !== 'string') throw e;
      const to = await target(id, transferId);
      const held = to && (await whereHeld(id));
      if (!to || !held || !visible(res, to.providerCode, to.areaCode) || !allowedByAccess(principal(res), held)) throw e;
    }
    next();
  };
}

/** Route middleware for /sentences/:id routes. */
export function caseScope(whereHeld: WhereHeld) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await assertCaseVisible(whereHeld, res, String(req.params.id));
    next();
  };
}

/** The report's filter within the caller's areas: one of theirs, given or implied; 403 when it would go beyond them. */
export function conformanceScope<F extends { area?: string; provider?: string }>(res: Response, filter: F): F {
  const p = principal(res);
  const scoped = { ...filter };
  if (p.provider !== undefined) {
    if (scoped.provider !== undefined && scoped.provider !== p.provider)
      throw new AuthError(403, `provider ${scoped.provider} is not yours`);
    scoped.provider = p.provider;
  }
  if (p.areas.includes(ALL_AREAS)) return scoped;
  if (scoped.area === undefined && p.areas.length === 1) scoped.area = p.areas[0];
  if (scoped.area === undefined || !p.areas.includes(scoped.area)) throw new AuthError(403, 'name one of your areas (area=...)');
  return scoped;
}

const bare = (e: Evidence): Partial<Evidence> => ({
  at: e.at,
  on: e.on,
  by: e.by,
  ...(e.reference && { reference: e.reference }),
  ...(e.late && { late: e.late }),
});

/** The outputs ledger without what the evidence says (its `what` and `details`): statuses, dates, references, who. */
export function withoutFreeText<L extends { outputs: { evidence: Evidence[]; parts?: { evidence: Evidence[] }[] }[] }>(ledger: L): L {
  return {
    ...ledger,
    outputs: ledger.outputs.map((o) => ({
      ...o,
      evidence: o.evidence.map(bare),
      ...(o.parts && { parts: o.parts.map((part) => ({ ...part, evidence: part.evidence.map(bare) })) }),
    })),
  };
}
