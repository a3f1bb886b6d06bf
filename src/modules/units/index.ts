/**
 * The Ministry of Industry and Trade's units (and the other state bodies directives name): a
 * catalogue in code, kept in the `units` table that accounts and directives refer to. Units that ceased
 * in the 2025 reorganisation keep their records and name their successors.
 */
export {
  KNOWN_UNIT_NAMES,
  matchUnit,
  matchUnitAsWritten,
  predecessorIdsOf,
  resolveUnit,
  STATE_BODIES,
  type UnitRef,
  unitLabel,
  unitNameIn,
  unitNameKey,
  unitWithDuty,
} from './catalogue.ts';
export { findUnit, listUnits, syncUnitCatalogue, type Unit } from './units.service.ts';
