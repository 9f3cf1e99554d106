// Who is calling: the principal an access token names (auth/verify.ts), in the project's own terms, whatever the
// identity provider calls its claims.

export const ROLES = ['case-system', 'practitioner', 'senior-probation-officer', 'nps', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export { ALL_AREAS, allowedByAccess, inScope } from '../domain/visibility.ts';

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
