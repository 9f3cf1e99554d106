// The demo principals of the embedded identity provider (auth/idp.ts): what `npm start` offers to log in as, and what
// the tests use, so that every token in a test is a real signed JWT. Local only: these secrets are public and the
// embedded provider listens on loopback. `npm run token -- <name>` prints a token for one (README, "Logging in").
import type { Role } from './principal.ts';

export interface DemoPrincipal {
  /** The OAuth client id (client-credentials grant) and the demo's name. */
  name: string;
  secret: string;
  /** Who it is: a person (staff id) or a machine client. */
  kind: 'user' | 'client';
  staffId?: string;
  roles: Role[];
  provider?: string;
  areas: string[];
  describe: string;
}

const demo = (d: Omit<DemoPrincipal, 'secret'>): DemoPrincipal => ({ ...d, secret: `demo-secret-${d.name}` });

export const DEMO_PRINCIPALS = [
  demo({
    name: 'practitioner-ldn',
    kind: 'user',
    staffId: 'OM1',
    roles: ['practitioner'],
    provider: 'N07',
    areas: ['LDN'],
    describe: 'a practitioner in London (N07/LDN)',
  }),
  demo({
    name: 'practitioner-knt',
    kind: 'user',
    staffId: 'OM9',
    roles: ['practitioner'],
    provider: 'N07',
    areas: ['KNT'],
    describe: 'a practitioner in Kent (N07/KNT)',
  }),
  demo({
    name: 'spo-ldn',
    kind: 'user',
    staffId: 'SPO1',
    roles: ['senior-probation-officer'],
    provider: 'N07',
    areas: ['LDN'],
    describe: 'a senior probation officer in London',
  }),
  demo({
    name: 'spo-knt',
    kind: 'user',
    staffId: 'SPO2',
    roles: ['senior-probation-officer'],
    provider: 'N07',
    areas: ['KNT'],
    describe: 'a senior probation officer in Kent (receives transfers)',
  }),
  demo({
    name: 'case-system',
    kind: 'client',
    roles: ['case-system'],
    areas: ['*'],
    describe: 'the case system that starts sentences (a machine client)',
  }),
  demo({ name: 'nps-officer', kind: 'user', staffId: 'NPS1', roles: ['nps'], areas: ['*'], describe: 'an NPS officer deciding referrals' }),
  demo({
    name: 'auditor',
    kind: 'user',
    staffId: 'AUD1',
    roles: ['auditor'],
    areas: ['*'],
    describe: 'an auditor (conformance, outputs, audit log)',
  }),
  demo({
    name: 'operator',
    kind: 'user',
    staffId: 'OPS1',
    roles: ['operator'],
    areas: [],
    describe: 'an operator (health, metrics, the Web UI\u2019s codec server)',
  }),
] as const satisfies readonly DemoPrincipal[];

export type DemoName = (typeof DEMO_PRINCIPALS)[number]['name'];

/** The claims the embedded provider puts in a demo principal's access token (the default claim mapping reads them). */
export function demoClaims(d: DemoPrincipal): Record<string, unknown> {
  return { roles: d.roles, ...(d.staffId && { staff_id: d.staffId }), ...(d.provider && { provider: d.provider }), areas: d.areas };
}
