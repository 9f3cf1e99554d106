// Who is calling: the principal an access token names (auth/verify.ts), in the project's own terms, whatever the
// identity provider calls its claims.

export const ROLES = ['case-system', 'practitioner', 'senior-probation-officer', 'nps', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Every area (`*` in a token's areas claim): national roles such as the case system, the NPS and auditors. */
export const ALL_AREAS = '*';

export interface Principal {
  /** The staff id for a person, the client id for a machine client: the actor recorded on every command. */
  id: string;
  kind: 'user' | 'client';
  /** The OAuth client the token was issued to. */
  clientId: string;
  roles: Role[];
  /** The provider the principal works for (undefined: any provider, for national roles). */
  provider?: string;
  /** The probation areas whose cases the principal may see; `*` for all. */
  areas: string[];
}

/**
 * Whether a limited-access case's lists let the principal see it: a person named in `excluded` never does; where
 * `restrictedTo` is given, only the people it names do. Machine clients (the case system) are not people and are
 * kept to their provider and areas only.
 */
export function allowedByAccess(p: Principal, access: { restrictedTo?: string[]; excluded?: string[] }): boolean {
  if (p.kind === 'client') return true;
  if (access.excluded?.includes(p.id)) return false;
  return !access.restrictedTo?.length || access.restrictedTo.includes(p.id);
}

/** Whether the principal may see cases held in this provider and area. */
export function inScope(p: Principal, provider: string, area: string): boolean {
  const providerOk = p.provider === undefined || p.provider === provider;
  return providerOk && (p.areas.includes(ALL_AREAS) || p.areas.includes(area));
}
