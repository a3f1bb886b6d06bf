/**
 * The Ministry of Industry and Trade's units (and the other state bodies directives name): a
 * catalogue in code, kept in the `units` table that accounts and directives refer to.
 */
export { KNOWN_UNIT_NAMES, matchUnit, STATE_BODIES, type UnitRef, unitNameIn, unitNameKey } from './catalogue.ts';
export { findUnit, listUnits, syncUnitCatalogue, type Unit } from './units.service.ts';
