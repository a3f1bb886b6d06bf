import type { Migration } from 'kysely';
import * as createRegistry from './2026_11_29_1700_create_registry.ts';
import * as createUnits from './2026_11_29_1800_create_units.ts';

/**
 * Every migration, by its timestamped name. Listed statically (not read from the folder) so the
 * same list works under tsx, in tests and in a bundled build. Append new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_29_1700_create_registry': createRegistry,
  '2026_11_29_1800_create_units': createUnits,
};
