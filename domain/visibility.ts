// Who may see a case: one rule, applied by the API to a read (from the case's search attributes, api/scope.ts) and by
// the sentence's workflow to a command in the same step that judges it (workflows/sentence.ts, the in-scope Updates),
// so that a case transferred away between a check and a command can never take a command from the area it left.
// A case outside the caller's scope is answered as if it did not exist.

/** Every area (`*` in a token's areas claim): national roles such as the case system, the NPS and auditors. */
export const ALL_AREAS = '*';

/** The caller, as far as seeing a case goes (the API's principal, auth/principal.ts, without its roles). */
export interface Viewer {
  /** The staff id for a person, the client id for a machine client. */
  id: string;
  kind: 'user' | 'client';
  /** The provider the caller works for (undefined: any provider, for national roles). */
  provider?: string;
  /** The probation areas whose cases the caller may see; `*` for all. */
  areas: string[];
  /** A case system sees only the sentences it started (auth/policy.ts readsOnlyWhatItStarted): its client id. */
  onlyStartedBy?: string;
}

/** Where a case is held and who is kept from it. */
export interface Holding {
  provider?: string;
  area?: string;
  restrictedTo?: string[];
  excluded?: string[];
  /** The client that started the sentence (the workflow's memo); undefined for a case started before it was kept. */
  startedBy?: string;
}

/** Whether the caller may see cases held in this provider and area. */
export function inScope(v: Pick<Viewer, 'provider' | 'areas'>, provider: string, area: string): boolean {
  const providerOk = v.provider === undefined || v.provider === provider;
  return providerOk && (v.areas.includes(ALL_AREAS) || v.areas.includes(area));
}

/**
 * Whether a limited-access case's lists let the caller see it: a person named in `excluded` never does; where
 * `restrictedTo` is given, only the people it names do. Machine clients (the case system) are not people and are
 * kept to their provider and areas only.
 */
export function allowedByAccess(v: Pick<Viewer, 'id' | 'kind'>, access: { restrictedTo?: string[]; excluded?: string[] }): boolean {
  if (v.kind === 'client') return true;
  if (access.excluded?.includes(v.id)) return false;
  return !access.restrictedTo?.length || access.restrictedTo.includes(v.id);
}

/** Whether the caller may see (and so command) the case. */
export function canSee(v: Viewer, h: Holding): boolean {
  if (h.provider === undefined || h.area === undefined || !inScope(v, h.provider, h.area)) return false;
  if (!allowedByAccess(v, h)) return false;
  return v.onlyStartedBy === undefined || h.startedBy === undefined || h.startedBy === v.onlyStartedBy;
}

/** Where a case is held now, from its state: transfers change its provider and area, commands its access lists. */
export function holdingOf(
  s: { provider: { providerCode: string; areaCode: string }; sentence: { access?: { restrictedTo?: string[]; excluded?: string[] } } },
  startedBy: string | undefined,
): Holding {
  return {
    provider: s.provider.providerCode,
    area: s.provider.areaCode,
    ...s.sentence.access,
    ...(startedBy !== undefined && { startedBy }),
  };
}

const isStringList = (x: unknown): x is string[] => Array.isArray(x) && x.every((a) => typeof a === 'string');

/** Whether a value a message carries is a viewer (anything else is refused, never trusted). */
export function isViewer(x: unknown): x is Viewer {
  if (x === null || typeof x !== 'object') return false;
  const v = x as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    (v.kind === 'user' || v.kind === 'client') &&
    (v.provider === undefined || typeof v.provider === 'string') &&
    isStringList(v.areas) &&
    (v.onlyStartedBy === undefined || typeof v.onlyStartedBy === 'string')
  );
}
