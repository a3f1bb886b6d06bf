import type { RegistryRow } from '../../src/modules/registry/index.ts';

/** A registry row for tests: a notified sales site on line 2 with no identities, but for what the test gives. */
export function registryRow(fields: Partial<RegistryRow> & Pick<RegistryRow, 'name'>): RegistryRow {
  return {
    line: 2,
    registrationNo: null,
    kind: 'sales',
    status: 'notified',
    crossBorder: false,
    domains: [],
    androidApps: [],
    iosApps: [],
    orgName: null,
    taxCode: null,
    validUntil: null,
    legacyId: null,
    ...fields,
  };
}
