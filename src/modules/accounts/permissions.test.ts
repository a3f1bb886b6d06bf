import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  awaitsOrganisationVerification,
  can,
  OFFICER_ROLES,
  type OfficerRole,
  PERMISSIONS,
  type Permission,
  type Principal,
  TOKEN_SCOPES,
} from './permissions.ts';

/**
 * The matrix against the contract (/tmp/auth-contract.md, "Roles and permissions"), written out by
 * hand principal by principal, so a change to permissions.ts that the contract does not say fails here.
 */

const UNITS = [
  'idea',
  'market_management',
  'inspectorate',
  'ministry_office',
  'legal',
  'import_export',
  'newspaper',
  'trade_promotion',
] as const;

function officer(unitId: string, role: OfficerRole): Principal {
  return {
    accountId: `${role}@${unitId}`,
    kind: 'officer',
    unitId,
    role,
    organisationId: null,
    organisationVerified: false,
    scopes: [],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  };
}

const PRINCIPALS: Record<string, Principal> = {
  ...Object.fromEntries(
    UNITS.flatMap((unit) => OFFICER_ROLES.map((role) => [`${role}@${unit}`, officer(unit, role)] as const)),
  ),
  business: {
    accountId: 'b',
    kind: 'business',
    unitId: null,
    role: null,
    organisationId: 'org',
    organisationVerified: true,
    scopes: [],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  },
  'business:unverified': {
    accountId: 'bu',
    kind: 'business',
    unitId: null,
    role: null,
    organisationId: 'org2',
    organisationVerified: false,
    scopes: [],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  },
  admin: {
    accountId: 'a',
    kind: 'admin',
    unitId: null,
    role: null,
    organisationId: null,
    organisationVerified: false,
    scopes: [],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  },
  'partner:all': {
    accountId: 't',
    kind: 'partner',
    unitId: null,
    role: null,
    organisationId: null,
    organisationVerified: false,
    scopes: [...TOKEN_SCOPES],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  },
  'partner:check': {
    accountId: 't2',
    kind: 'partner',
    unitId: null,
    role: null,
    organisationId: null,
    organisationVerified: false,
    scopes: ['check:read'],
    displayName: '',
    email: null,
    hasTotp: false,
    needsTotp: false,
  },
};

const officers = (roles: readonly OfficerRole[], units: readonly string[] = UNITS) =>
  units.flatMap((unit) => roles.map((role) => `${role}@${unit}`));
const ALL_OFFICERS = officers(OFFICER_ROLES);

const EXPECTED: Record<Permission, string[]> = {
  'platforms:read': [...ALL_OFFICERS, 'admin', 'partner:all'],
  'applications:file': ['business'],
  'applications:review': ['officer@idea', 'head@idea'],
  'registrations:decide': ['head@idea'],
  'registrations:confirm': ['officer@idea', 'head@idea'],
  'registrations:propose': officers(['officer', 'head'], ['market_management', 'inspectorate']),
  'audit:read': [...officers(['head']), 'officer@idea', 'officer@inspectorate', 'admin'],
  'accounts:manage': ['admin'],
  'tokens:manage': ['admin'],
  'directives:read': [...ALL_OFFICERS, 'admin'],
  'directives:manage': [...officers(['officer', 'head'], ['ministry_office', 'idea']), 'admin'],
  'directives:report': officers(['officer', 'head']),
  'directives:approve_extension': ['head@ministry_office', 'head@idea'],
  'check:read': [...ALL_OFFICERS, 'admin', 'partner:all', 'partner:check'],
  'declarations:write': ['officer@import_export', 'head@import_export', 'admin', 'partner:all'],
  'gathering_points:review': ['officer@market_management', 'head@market_management'],
  'declarations:read': [...officers(OFFICER_ROLES, ['import_export', 'market_management', 'idea']), 'admin'],
  'blocklist:read': [...ALL_OFFICERS, 'admin', 'partner:all'],
  'blocklist:report': ['partner:all'],
  'blocklist:compliance': [...ALL_OFFICERS, 'admin'],
  'account:self': [...ALL_OFFICERS, 'business', 'business:unverified', 'admin'],
  'organisations:claim': ['business', 'business:unverified'],
  'organisations:verify': ['officer@idea', 'head@idea'],
  'advisories:publish': ['officer@idea', 'head@idea', 'officer@newspaper', 'head@newspaper'],
  'blocks:read': [...officers(OFFICER_ROLES, ['idea', 'legal']), 'admin'],
  'blocks:propose': ['officer@idea', 'head@idea'],
  'blocks:review': ['officer@legal', 'head@legal'],
  'blocks:decide': ['head@idea'],
  'appeals:handle': ['head@idea', 'officer@legal', 'head@legal'],
  'evidence:read': officers(['officer', 'head'], ['idea', 'inspectorate', 'market_management']),
  'monitor:scan': [...officers(['officer', 'head'], ['idea', 'inspectorate', 'market_management']), 'partner:all'],
  'monitor:act': officers(['officer', 'head'], ['idea', 'inspectorate', 'market_management']),
  'cases:read': [...officers(OFFICER_ROLES, ['idea', 'inspectorate', 'market_management', 'legal']), 'admin'],
  'cases:write': officers(['officer', 'head'], ['idea', 'inspectorate', 'market_management']),
  'cases:sanction': officers(['head'], ['inspectorate', 'market_management']),
  'promotions:check': [
    ...officers(['officer', 'head'], ['trade_promotion', 'idea', 'inspectorate', 'market_management']),
    'admin',
  ],
  // The principals of this test are of UNITS, which does not list the Competition and Consumer Protection Commission.
  'complaints:read': [...officers(OFFICER_ROLES, ['idea', 'inspectorate', 'market_management']), 'admin'],
  'complaints:judge': officers(['officer', 'head'], ['idea']),
};

describe('the permission matrix', () => {
  for (const permission of PERMISSIONS) {
    it(`grants ${permission} exactly to the principals the contract names`, () => {
      const granted = Object.keys(PRINCIPALS).filter((label) => can(PRINCIPALS[label], permission));
      assert.deepEqual(new Set(granted), new Set(EXPECTED[permission]));
    });
  }

  it('holds back what a business does for its organisation until the organisation is verified', () => {
    const unverified = PRINCIPALS['business:unverified'] as Principal;
    assert.equal(awaitsOrganisationVerification(unverified, 'applications:file'), true);
    assert.equal(awaitsOrganisationVerification(unverified, 'organisations:verify'), false);
    assert.equal(awaitsOrganisationVerification(PRINCIPALS.business as Principal, 'applications:file'), false);
  });

  it('grants nothing to nobody', () => {
    for (const permission of PERMISSIONS) assert.equal(can(undefined, permission), false, permission);
  });

  it('grants an officer without a unit or role nothing', () => {
    const broken: Principal = { ...officer('idea', 'head'), unitId: null };
    assert.deepEqual(
      PERMISSIONS.filter((permission) => can(broken, permission)),
      [],
    );
  });
});
