import type { Database } from '../../core/db.ts';
import { demoRegistryRows } from './demo-data.ts';
import { importRegistryRows, isRegisterEmpty } from './registry.service.ts';

/**
 * Loads the demo register into an empty database (only `serve` calls this, and never with
 * `--no-demo`). Returns the number of platforms loaded, 0 when the register already had data.
 */
export async function loadDemoRegistry(database: Database): Promise<number> {
  if (!(await isRegisterEmpty(database.db))) return 0;
  const counts = await importRegistryRows(database, demoRegistryRows(), { actor: 'system:demo-data' });
  return counts.created;
}
