// The claim mapping (auth/verify.ts principalOf): the same principal out of tokens shaped as HMPPS Auth, Entra ID and
// Keycloak issue them, under the mappings the README documents for each.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLAIMS, principalOf } from '../../auth/verify.ts';

describe('the claim mapping', () => {
  it('reads HMPPS Auth authorities with their ROLE_ prefix, in any case, and ignores roles it does not know', () => {
    const p = principalOf(
      {
        authorities: ['ROLE_PRACTITIONER', 'role_senior_probation_officer', 'ROLE_GLOBAL_SEARCH'],
        user_id: 'OM1',
        client_id: 'ui',
        pdu: 'N07',
        areas: 'LDN KNT',
      },
      { roles: 'authorities', rolePrefix: 'ROLE_', staffId: 'user_id', provider: 'pdu', areas: 'areas', clientId: 'client_id' },
    );
    expect(p).toEqual({
      id: 'OM1',
      kind: 'user',
      clientId: 'ui',
      roles: ['practitioner', 'senior-probation-officer'],
      provider: 'N07',
      areas: ['LDN', 'KNT'],
    });
  });

  it('reads Entra ID app roles, its oid as the staff id and azp as the client when no client claim is mapped', () => {
    const p = principalOf(
      { roles: ['Practitioner'], oid: 'a1b2c3', azp: 'entra-ui', extension_area: ['LDN'] },
      { roles: 'roles', staffId: 'oid', provider: 'extension_provider', areas: 'extension_area', clientId: 'client_id' },
    );
    expect(p).toEqual({ id: 'a1b2c3', kind: 'user', clientId: 'entra-ui', roles: ['practitioner'], areas: ['LDN'] });
  });

  it('reads Keycloak realm roles by a dotted path; a token with no staff id is a machine client', () => {
    const p = principalOf(
      { realm_access: { roles: ['case-system', 'offline_access'] }, client_id: 'delius', areas: '*' },
      {
        ...DEFAULT_CLAIMS,
        roles: 'realm_access.roles',
      },
    );
    expect(p).toEqual({ id: 'delius', kind: 'client', clientId: 'delius', roles: ['case-system'], areas: ['*'] });
  });
});
